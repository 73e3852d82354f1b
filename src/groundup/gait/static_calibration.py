"""Carry landmarks seen only in a static trial into a walking trial, by marker clusters.

Cluster marker sets drop the knee and ankle (and sometimes hip-centre) markers while walking:
each landmark of the static trial is expressed in its segment's cluster and carried by a rigid
fit of the cluster markers (calibrated anatomical systems, Cappozzo et al. 1995, Clin Biomech
10:171). Positions in metres.
"""

from __future__ import annotations

import numpy as np

from groundup.gait.segments import SIDE_LETTER, cluster_markers
from groundup.gait.vectors import cross, dot, unit, usable
from groundup.motion.trial import Trial

_SEGMENT_OF = {"KNEE": "thigh", "KNEE_MED": "thigh", "TROCHANTER": "thigh",
               "ANKLE": "shank", "ANKLE_MED": "shank", "HIP_CENTRE": "pelvis"}


def nanmedian0(x: np.ndarray) -> np.ndarray:
    """``np.nanmedian(x, axis=0)`` without its slow per-column path (all-NaN columns -> NaN)."""
    srt = np.sort(x, axis=0)                                              # NaN sort last
    cnt = np.isfinite(x).sum(axis=0)
    lo = np.take_along_axis(srt, np.maximum((cnt - 1) // 2, 0)[None], axis=0)[0]
    hi = np.take_along_axis(srt, np.maximum(cnt // 2, 0)[None], axis=0)[0]
    return np.where(cnt > 0, 0.5 * (lo + hi), np.nan)


def rigid_fit(local: np.ndarray, moving: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-frame rigid transform ``moving ~ R @ local + t`` of a marker cluster.

    ``local`` ``(k, 3)`` is the reference shape, ``moving`` ``(n, k, 3)`` the markers per frame
    (``NaN`` = missing). The shape's two principal axes are found in each frame as least-squares
    combinations of the centred markers and orthonormalised (Gram-Schmidt): for a rigid cluster
    this is the SVD solution of Söderkvist & Wedin (1993) at a fraction of its cost. Frames are
    grouped by visible markers (no loop over frames); ``NaN`` where fewer than three are seen.
    """
    n = moving.shape[0]
    rot, trans = np.full((n, 3, 3), np.nan), np.full((n, 3), np.nan)
    seen = np.isfinite(moving).all(axis=2)                               # (n, k)
    code = seen @ (1 << np.arange(seen.shape[1]))
    for c in np.unique(code):
        pat = (c >> np.arange(seen.shape[1])) & 1 == 1
        if pat.sum() < 3:
            continue
        rows = np.flatnonzero(code == c)
        loc = local[pat]
        lc = loc - loc.mean(axis=0)
        axes = np.linalg.svd(lc, full_matrices=False)[2][:2]               # (2, 3) principal
        coef = np.linalg.pinv(lc.T) @ axes.T                               # (k, 2)
        mov = moving[rows][:, pat]
        cm = mov.mean(axis=1)
        d = np.einsum("kj,nki->nji", coef, mov - cm[:, None, :])           # (m, 2, 3)
        x = unit(d[:, 0])
        y = unit(d[:, 1] - dot(d[:, 1], x)[:, None] * x)
        lab = np.stack([x, y, cross(x, y)], axis=2)                        # columns
        ref = np.stack([axes[0], axes[1], np.cross(axes[0], axes[1])], axis=1)
        rot[rows] = lab @ ref.T
        trans[rows] = cm - rot[rows] @ loc.mean(axis=0)
    return rot, trans


def calibrate_from_static(trial: Trial, static: Trial) -> tuple[dict[str, np.ndarray], list[str]]:
    """Reconstruct epicondyle, malleolus and hip-centre markers missing from a walking trial.

    Each missing landmark of the static trial is expressed in its segment's cluster (thigh: knee
    markers; shank: malleoli; pelvis: hip centre) and carried by a rigid fit of the cluster
    markers common to both trials.

    Returns the walking trial's points plus the reconstructed ones, and a note per segment
    that lacked the three cluster markers needed.
    """
    points = dict(trial.points)
    notes: list[str] = []
    names = [n for n in static.points if usable(static.points, n)]
    step = max(1, static.n_frames // 200)                       # standing: 200 frames suffice
    med = nanmedian0(np.stack([static.points[n][::step] for n in names], axis=1))
    ref_of = dict(zip(names, med, strict=True))
    for side, letter in SIDE_LETTER.items():
        for segment in ("thigh", "shank", "pelvis"):
            wanted = [f"{letter}_{k}" for k, s in _SEGMENT_OF.items() if s == segment]
            wanted = [n for n in wanted if n in ref_of and not usable(points, n)]
            if not wanted:
                continue
            common = [n for n in cluster_markers(points, letter, segment) if n in ref_of]
            if len(common) < 3:
                notes.append(f"{side} {segment}: cannot carry {', '.join(wanted)} from the static "
                             f"trial (needs 3 cluster markers in both, found {common or 'none'})")
                continue
            rot, trans = rigid_fit(np.stack([ref_of[n] for n in common]),
                                   np.stack([points[n] for n in common], axis=1))
            for n in wanted:
                points[n] = np.einsum("nij,j->ni", rot, ref_of[n]) + trans
    return points, notes
