"""Gait events in a front or back view, where the walking direction is the camera's depth axis.

Seen from behind or in front, a foot moves towards or away from the camera, so the marker
detectors' cues along the walking direction (Zeni) are not observed, and the heel's image
motion can all but stop in mid-swing: lifting the heel moves it up the image while its
descent towards the floor, as it travels away, moves it back down. What does hold: a stance
foot is still in the image (the camera is static), and in swing *some* part of the foot moves.
So, per foot, on the image motion in units of the subject's scale
(:func:`groundup.gait.video_events.image_motion_trial`):

- **swing** = the fastest of the heel and toe keypoints moves faster than
  ``swing_fraction`` of its peak speed (runs of at least ``min_swing_s``);
- **foot off** = the toe's speed rises through ``fo_speed_fraction`` of its peak near the
  start of a swing;
- **initial contact** = the heel's speed falls through ``ic_speed_fraction`` of its peak near
  the end of a swing,

with the fractions of groundup's kinematic detector
(:class:`groundup.gait.events.kinematic.FootContact`).
"""

from __future__ import annotations

import numpy as np

from groundup.gait.events.kinematic import FootContact, crossing
from groundup.gait.geometry import FOREFOOT, REARFOOT, WalkingFrame, foot_marker
from groundup.motion.trial import GaitEvent, Trial


def frontal_events(trial: Trial, wf: WalkingFrame, fc: FootContact,
                   frames: np.ndarray) -> list[GaitEvent]:
    """IC and FO of both feet inside the frontal-view frames.

    Parameters
    ----------
    trial
        Image-motion trial (metres at the subject's scale).
    wf
        Its walking frame (only for the speed computation).
    fc
        Detector whose fractions and durations are used.
    frames
        ``(n,)`` bool, the frames of front/back passes; events elsewhere are not returned.
    """
    n = trial.n_frames
    w = max(int(round(fc.search_s * trial.rate)), 2)
    events = []
    for s, side in (("L", "left"), ("R", "right")):
        rear = foot_marker(trial, s, REARFOOT) or foot_marker(trial, s, FOREFOOT)
        fore = foot_marker(trial, s, FOREFOOT) or rear
        if rear is None:
            continue
        sp = {m: fc.speed(trial, m, wf) for m in {rear, fore}}
        if not all(np.isfinite(v).sum() > 3 for v in sp.values()):
            continue
        peak = {m: np.nanpercentile(v, 98) for m, v in sp.items()}
        foot = np.fmax(sp[rear] / peak[rear], sp[fore] / peak[fore])
        moving = np.nan_to_num(foot) > fc.swing_fraction
        d = np.diff(np.concatenate([[0], moving.astype(np.int8), [0]]))
        for a, b in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1) - 1, strict=True):
            if (b - a) / trial.rate < fc.min_swing_s:
                continue
            found = []
            if a > 1:
                t = crossing(sp[fore] - fc.fo_speed_fraction * peak[fore], a - 2 * w, a + 2 * w,
                             rising=True)
                found.append(("FO", t, fore))
            if b < n - 2:
                t = crossing(sp[rear] - fc.ic_speed_fraction * peak[rear], b - 2 * w, b + 2 * w,
                             rising=False)
                found.append(("IC", t, rear))
            for etype, t, marker in found:
                if t is None or not frames[int(np.clip(round(t), 0, n - 1))]:
                    continue
                events.append(GaitEvent(side=side, type=etype,
                                        time_s=(t + trial.first_frame) / trial.rate,
                                        method=fc.name,
                                        detail={"marker": marker, "frontal-view": True}))
    return sorted(events, key=lambda e: e.time_s)
