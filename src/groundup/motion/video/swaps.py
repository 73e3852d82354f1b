"""Detect and repair left/right swaps of the leg keypoints (a known failure of 2-D pose models).

BlazePose swaps the left and right leg labels, or puts both on one foot, in short bursts (1-6
frames) clustered at double support and foot off (LESSONS.md, about 8 % of frames on the demo
video), and its visibility gives no warning. Two repairs, both based on the continuity of each
foot's trajectory:

1. **Swaps** (:func:`swap_states`): a two-state Viterbi path over the frames, state 0 = labels
   as given, 1 = labels swapped. The cost of a path is the frame-to-frame travel of both legs'
   keypoints (knee, ankle, heel, toe) under its labelling, normalised by the thigh length, plus
   a small cost for every frame labelled "swapped" (so that when the feet are together and
   either labelling is as smooth, the model's labels stand). A burst of swapped frames costs
   two jumps of a step length each if left alone and nothing if relabelled.
2. **Both on one foot** (:func:`collapsed_runs`): runs of frames where the left and right
   keypoints coincide while the frames on either side put the feet well apart. The label that
   departs more from its own trajectory (interpolated across the run) is wrong and is set
   missing; gap filling restores it.

A stance foot is stationary in the image (the camera is static), so the continuity cost is
smallest for the correct labelling in exactly the frames where swaps happen.
"""

from __future__ import annotations

import numpy as np

from groundup.motion.video.clean import Keypoints2D
from groundup.signal import fill_gaps

PARTS = ("knee", "ankle", "heel", "foot_index")


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """``[start, stop)`` of the ``True`` runs of a boolean array."""
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True))


def _leg_scale(kp: Keypoints2D) -> float:
    """Median thigh length in pixels (hip to knee, both sides), the unit of the costs."""
    vals = []
    for s in ("left", "right"):
        if f"{s}_hip" in kp.xy and f"{s}_knee" in kp.xy:
            d = np.linalg.norm(kp.xy[f"{s}_hip"] - kp.xy[f"{s}_knee"], axis=1)
            vals.append(d[np.isfinite(d)])
    v = np.concatenate(vals) if vals else np.array([])
    return float(np.median(v)) if v.size else 100.0


def swap_states(kp: Keypoints2D, *, state_cost: float = 0.02) -> np.ndarray:
    """Per-frame labelling that makes both legs' trajectories most continuous.

    Parameters
    ----------
    kp
        Trajectories (pixels).
    state_cost
        Cost of labelling one frame "swapped", in units of (thigh length)^2 of travel.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` bool, ``True`` where left and right leg labels should be exchanged.
    """
    parts = [p for p in PARTS if f"left_{p}" in kp.xy and f"right_{p}" in kp.xy]
    n = kp.n_frames
    if not parts or n < 3:
        return np.zeros(n, dtype=bool)
    scale = _leg_scale(kp)
    L = np.stack([fill_gaps(kp.xy[f"left_{p}"])[0] for p in parts], axis=1) / scale
    R = np.stack([fill_gaps(kp.xy[f"right_{p}"])[0] for p in parts], axis=1) / scale
    lab = [(L, R), (R, L)]  # positions of (left, right) under state 0 / 1
    # Travel cost of each transition (state a at t-1 -> state b at t). Keypoints missing at
    # either frame add nothing: a foot outside the image (feet below the frame at the start
    # of a back-view walk) must not make either labelling look cheaper.
    trans = np.empty((2, 2, n))
    trans[:, :, 0] = 0.0
    with np.errstate(invalid="ignore"):
        for a in (0, 1):
            for b in (0, 1):
                (l0, r0), (l1, r1) = lab[a], lab[b]
                d = np.nansum((l1[1:] - l0[:-1]) ** 2, axis=(1, 2)) + np.nansum(
                    (r1[1:] - r0[:-1]) ** 2, axis=(1, 2))
                trans[a, b, 1:] = d

    cost = np.array([0.0, state_cost])
    back = np.zeros((n, 2), dtype=np.int8)
    for t in range(1, n):
        c = cost[:, None] + trans[:, :, t]          # rows: previous state, cols: new state
        back[t] = np.argmin(c, axis=0)
        cost = c.min(axis=0) + np.array([0.0, state_cost])
    states = np.zeros(n, dtype=bool)
    s = int(np.argmin(cost))
    for t in range(n - 1, -1, -1):
        states[t] = bool(s)
        s = back[t, s]
    # A labelling swapped over most of the video is the model's consistent choice, not a swap.
    if states.mean() > 0.5:
        states = ~states
    return states


def collapsed_runs(kp: Keypoints2D, part: str, *, max_run_s: float = 0.25
                   ) -> list[tuple[int, int, str]]:
    """Runs where both labels of ``part`` sit on one foot, and the label that is wrong.

    Returns
    -------
    list of (start, stop, side)
        Frame ranges ``[start, stop)`` and ``"left"``/``"right"``, the label to discard.
    """
    a, b = kp.xy.get(f"left_{part}"), kp.xy.get(f"right_{part}")
    if a is None or b is None:
        return []
    scale = _leg_scale(kp)
    sep = np.linalg.norm(a - b, axis=1)
    close = sep < 0.12 * scale
    out = []
    n = kp.n_frames
    for s0, s1 in _runs(close):
        if s1 - s0 > max_run_s * kp.fps or s0 == 0 or s1 >= n:
            continue
        i0, i1 = s0 - 1, s1
        if not (np.isfinite(a[[i0, i1]]).all() and np.isfinite(b[[i0, i1]]).all()):
            continue
        w = (np.arange(s0, s1) - i0) / (i1 - i0)
        ia = a[i0] + w[:, None] * (a[i1] - a[i0])
        ib = b[i0] + w[:, None] * (b[i1] - b[i0])
        if np.linalg.norm(ia - ib, axis=1).min() < 0.35 * scale:
            continue  # the feet really pass each other here
        ea = np.nanmean(np.linalg.norm(a[s0:s1] - ia, axis=1))
        eb = np.nanmean(np.linalg.norm(b[s0:s1] - ib, axis=1))
        out.append((s0, s1, "left" if ea > eb else "right"))
    return out


def repair_swaps(kp: Keypoints2D) -> Keypoints2D:
    """Relabel swapped frames and drop the wrong label of collapsed frames (a new object).

    ``stats["swap_fraction"]`` and ``stats["collapsed_fraction"]`` record what was repaired.
    """
    out = kp.copy()
    states = swap_states(out)
    if states.any():
        for p in PARTS:
            lk, rk = f"left_{p}", f"right_{p}"
            if lk not in out.xy or rk not in out.xy:
                continue
            for d in (out.xy, out.visibility, out.z_rel):
                a, b = d[lk].copy(), d[rk].copy()
                d[lk][states], d[rk][states] = b[states], a[states]
    n_col = 0
    for p in PARTS:
        for s0, s1, side in collapsed_runs(out, p):
            out.xy[f"{side}_{p}"][s0:s1] = np.nan
            n_col += s1 - s0
    n = max(out.n_frames, 1)
    out.stats["swap_fraction"] = float(states.mean()) if states.size else 0.0
    out.stats["collapsed_fraction"] = n_col / (n * len(PARTS))
    if states.any():
        out.notes.append(f"left/right leg keypoints relabelled in {int(states.sum())} frame(s) "
                         f"({100 * states.mean():.1f} %): swaps of the pose model")
    return out
