"""Cleaned keypoints -> a :class:`~groundup.motion.trial.Trial` in metres.

Canonical names come from the ``blazepose`` section of ``motion/data/markers.yaml`` (hip ->
``{S}_HIP_CENTRE``, knee -> ``{S}_KNEE_CENTRE``, ankle -> ``{S}_ANKLE``, heel -> ``{S}_HEEL``,
foot_index -> ``{S}_TOE``, ...). Points are ``(n, 3)`` metres in a camera-fixed frame: ``x`` =
image right, ``y`` = depth (0: not measured from one camera), ``z`` = up (``vertical_axis`` 2),
origin at the image centre, scaled per frame by :class:`~groundup.motion.video.scale.Scale`.
Time is the video's: frame ``i`` at ``i / fps`` s from the first frame (``first_frame`` 0).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import yaml

from groundup.motion.trial import Trial
from groundup.motion.video.clean import Keypoints2D
from groundup.motion.video.scale import Scale
from groundup.motion.video.view import ViewInfo


@cache
def blazepose_names() -> dict[str, str]:
    """BlazePose landmark name -> canonical point name (from ``markers.yaml``)."""
    text = resources.files("groundup.motion").joinpath("data/markers.yaml").read_text()
    sec = yaml.safe_load(text)["blazepose"]
    out = {}
    for template, canon in sec["points"].items():
        for side, s in sec["sides"].items():
            out[template.format(side=side)] = canon.format(S=s)
    out.update(sec.get("points_unsided") or {})
    return out


def keypoints_to_trial(kp: Keypoints2D, scale: Scale, view: ViewInfo, *,
                       metadata: dict | None = None) -> Trial:
    """Build the trial the gait code analyses.

    Parameters
    ----------
    kp
        Cleaned trajectories (pixels).
    scale
        Pixels per metre per frame.
    view
        View analysis (stored in the metadata).
    metadata
        Extra metadata (``height_m``, ``path``, ...), merged in.
    """
    names = blazepose_names()
    s = scale.px_per_m[:, None]
    cx, cy = 0.5 * kp.width, 0.5 * kp.height
    points, labels = {}, {}
    for lm, a in kp.xy.items():
        canon = names.get(lm)
        if canon is None:
            continue
        p = np.zeros((a.shape[0], 3))
        p[:, 0] = (a[:, 0] - cx) / s[:, 0]
        p[:, 2] = (cy - a[:, 1]) / s[:, 0]
        p[~np.isfinite(a).all(axis=1)] = np.nan
        points[canon], labels[canon] = p, lm
    main = max(view.passes, key=lambda q: q.stop - q.start) if view.passes else None
    meta = {"source": "video", "vertical_axis": 2, "dims": 2, "fps": kp.fps,
            "image_size": [kp.width, kp.height], "view": view.view,
            "near_side": main.near_side if main else None,
            "facing": main.facing if main else None,
            "passes": [q.to_dict(kp.fps) for q in view.passes],
            "scale": scale.to_dict(), "warnings": list(kp.notes) + list(view.notes)}
    meta.update(metadata or {})
    return Trial(points=points, rate=kp.fps, first_frame=0, labels=labels, metadata=meta)
