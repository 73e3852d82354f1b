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
   keypoints coincide while the feet, predicted through the run from the frames around it,
   are apart somewhere in it. In each such frame the label whose foot is predicted farther
   from the observed point is wrong and is set missing; gap filling restores it.

Collapses come first in each round (:func:`repair_swaps`): a collapse makes both labellings
equally costly inside it, and one that reaches the end of the video made relabelling every
frame up to it as cheap as relabelling one real swap. Where the model's labels are swapped, its
visibility cannot be attributed to either foot, and a keypoint with one label below the
visibility threshold there is dropped on both legs.

A stance foot is stationary in the image (the camera is static), so the continuity cost is
smallest for the correct labelling in exactly the frames where swaps happen. Where the legs
cross (side view, mid-swing), where BlazePose's swaps and collapses begin, the two feet are at
one place and position alone cannot tell a swap from a pass; the frames after the crossing,
when the feet are apart again, decide.
"""

from __future__ import annotations

import numpy as np

from groundup.motion.video.clean import Keypoints2D, hermite
from groundup.signal import fill_gaps, runs

PARTS = ("knee", "ankle", "heel", "foot_index")
#: Rounds of (collapses, then swaps): the second judges the collapses against labels the first
#: has repaired (a swap burst next to a collapse).
PASSES = 2


def leg_scale(kp: Keypoints2D) -> float:
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
    scale = leg_scale(kp)
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


def _neighbour(ok: np.ndarray, i: int, step: int, reach: int) -> int | None:
    """First index from ``i`` in direction ``step`` (within ``reach`` frames) where ``ok``."""
    for k in range(reach):
        j = i + step * k
        if j < 0 or j >= ok.size:
            return None
        if ok[j]:
            return j
    return None


def _continue(x: np.ndarray, ok: np.ndarray, j: int, step: int, t: np.ndarray, reach: int,
              tol: float) -> np.ndarray | None:
    """Good frame ``j``'s motion continued over frames ``t`` (one side only: the start or end
    of the video), if ``j`` lies on a track: the motion of the two good frames behind it (away
    from ``t``, direction ``step``), continued at constant velocity, lands within ``tol``
    pixels of ``x[j]``. ``None`` otherwise (at the end of the demo video the left foot leaves
    the picture and its labels jump about before settling on the right foot: there is no
    track). The velocity is trusted as far ahead as it was checked behind, two frames, and
    the position held after that: a foot's velocity changes within a few frames (a swing that
    ends, a walk that starts from standing).
    """
    k = _neighbour(ok, j + step, step, reach)
    m = _neighbour(ok, k + step, step, reach) if k is not None else None
    if m is None:
        return None
    if np.linalg.norm(x[k] + (x[k] - x[m]) * (j - k) / (k - m) - x[j]) > tol:
        return None
    return x[j] + np.clip(t - j, -2, 2)[:, None] * (x[j] - x[k]) / (j - k)


def _bend(x: np.ndarray, ok: np.ndarray, f0: int, y: np.ndarray, oky: np.ndarray,
          f1: int) -> float:
    """Summed squared acceleration (pixels/frame^2) of the cubic from ``x[f0]`` to ``y[f1]``
    (:func:`~groundup.motion.video.clean.hermite`) over its frames."""
    return float(np.sum(np.diff(hermite(x, ok, f0, y, oky, f1, np.arange(f0, f1 + 1)), 2,
                                axis=0) ** 2))


def _tracks(a: np.ndarray, b: np.ndarray, ok_a: np.ndarray, ok_b: np.ndarray, s0: int,
            s1: int, reach: int, tol: float
            ) -> tuple[np.ndarray, np.ndarray] | None:
    """Where the feet labelled left (``a``) and right (``b``) on entering frames ``[s0, s1)``
    would be in them, from the good frames (``ok_a``, ``ok_b``, within ``reach``) around.

    With good frames on both sides each track is a cubic from the foot's position and velocity
    before to its position and velocity after (:func:`~groundup.motion.video.clean.hermite`),
    and which position after continues which before is the pairing under which the two cubics
    accelerate least: a foot keeps its course, so a swap on the frame after the run (a burst
    next to it) or feet that pass each other inside it are not taken for both feet turning
    about. At the start or end of the video, one side only: :func:`_continue`. ``None`` where
    either foot has no track.
    """
    t = np.arange(s0, s1)
    ends = [(_neighbour(ok, s0 - 1, -1, reach), _neighbour(ok, s1, 1, reach))
            for ok in (ok_a, ok_b)]
    if all(e is not None for pair in ends for e in pair):
        (a0, a1), (b0, b1) = ends
        pairs = [((a, ok_a, a0, a, ok_a, a1), (b, ok_b, b0, b, ok_b, b1)),
                 ((a, ok_a, a0, b, ok_b, b1), (b, ok_b, b0, a, ok_a, a1))]
        effort = [sum(_bend(*c) for c in pair) for pair in pairs]
        pair = pairs[1] if effort[1] < effort[0] else pairs[0]
        return hermite(*pair[0], t), hermite(*pair[1], t)
    out = []
    for x, ok, (i0, i1) in ((a, ok_a, ends[0]), (b, ok_b, ends[1])):
        if i0 is not None and i1 is not None:
            out.append(hermite(x, ok, i0, x, ok, i1, t))
        elif i0 is not None or i1 is not None:
            j, step = (i0, -1) if i0 is not None else (i1, 1)
            out.append(_continue(x, ok, j, step, t, reach, tol))
        else:
            out.append(None)
    return None if out[0] is None or out[1] is None else (out[0], out[1])


def collapsed_runs(kp: Keypoints2D, part: str, *, max_run_s: float = 0.5
                   ) -> list[tuple[int, int, str]]:
    """Runs where both labels of ``part`` sit on one foot, and the label that is wrong
    (:func:`_collapses` without the predicted positions)."""
    return [r[:3] for r in _collapses(kp, part, max_run_s=max_run_s)]


def _collapses(kp: Keypoints2D, part: str, *, max_run_s: float = 0.5
               ) -> list[tuple[int, int, str, np.ndarray]]:
    """Runs where both labels of ``part`` sit on one foot, and the label that is wrong.

    A run is a stretch of frames where the two labels coincide (closer than 0.12 thigh
    lengths; frames where either is missing do not end it). Each label's track through the run
    is predicted from the frames around it (:func:`_tracks`). Feet that really pass each other
    (side view, mid-swing) are predicted closer than 0.35 thigh lengths all through; the run is
    a collapse when the predicted feet are farther apart in any of its frames (formerly: in
    all of them),
    e.g. a collapse that begins as the feet cross and lasts into double support, when the feet
    are a step apart. In each collapsed frame the observed point belongs to the nearer
    predicted foot, and the other label is the wrong one (so a collapse that passes from one
    foot to the other, a collapse and a swap overlapping, is repaired frame by frame).

    Parameters
    ----------
    max_run_s
        Longest run repaired, seconds: the model's bursts last 1-6 frames and two of them may
        overlap; over longer runs the tracks cannot be predicted from the frames around them.

    Returns
    -------
    list of (start, stop, side, xy)
        Frame ranges ``[start, stop)``, ``"left"``/``"right"``, the label to discard, and
        where its foot is predicted in those frames (``(stop - start, 2)`` pixels).
    """
    a, b = kp.xy.get(f"left_{part}"), kp.xy.get(f"right_{part}")
    if a is None or b is None:
        return []
    scale = leg_scale(kp)
    both = np.isfinite(a).all(axis=1) & np.isfinite(b).all(axis=1)
    with np.errstate(invalid="ignore"):
        close = both & (np.linalg.norm(a - b, axis=1) < 0.12 * scale)
    max_run = max(int(round(max_run_s * kp.fps)), 1)
    ok_a = np.isfinite(a).all(axis=1) & ~close
    ok_b = np.isfinite(b).all(axis=1) & ~close
    out = []
    for s0, s1 in runs(close | ~both):
        if s1 - s0 > max_run or not close[s0:s1].any():
            continue
        seen = np.where(close[s0:s1, None], 0.5 * (a[s0:s1] + b[s0:s1]), np.nan)
        tracks = _tracks(a, b, ok_a, ok_b, s0, s1, max_run, 0.35 * scale)
        if tracks is None:
            continue
        pa, pb = tracks
        if np.linalg.norm(pa - pb, axis=1).max() < 0.35 * scale:
            continue  # the feet can have been together: they pass each other here
        left_wrong = np.linalg.norm(seen - pa, axis=1) > np.linalg.norm(seen - pb, axis=1)
        c = close[s0:s1]
        for mask, side, pred in ((c & left_wrong, "left", pa), (c & ~left_wrong, "right", pb)):
            out.extend((s0 + r0, s0 + r1, side, pred[r0:r1]) for r0, r1 in runs(mask))
    return sorted(out, key=lambda r: r[:3])


def _relabel(kp: Keypoints2D, states: np.ndarray, *extra: dict) -> None:
    """Exchange the left and right leg keypoints (their visibility, depth and the ``extra``
    per-landmark arrays) where ``states``."""
    if not states.any():
        return
    for p in PARTS:
        lk, rk = f"left_{p}", f"right_{p}"
        if lk not in kp.xy or rk not in kp.xy:
            continue
        for d in (kp.xy, kp.visibility, kp.z_rel, *extra):
            a, b = d[lk].copy(), d[rk].copy()
            d[lk][states], d[rk][states] = b[states], a[states]


def repair_swaps(kp: Keypoints2D, *, min_visibility: float = 0.3) -> Keypoints2D:
    """Relabel swapped frames and drop the wrong label of collapsed frames (a new object).

    Each of :data:`PASSES` rounds finds the collapses under the labels so far, gives each
    wrong label its foot's predicted position (a missing sample would let either labelling
    continue from it at no cost), and runs :func:`swap_states` on that. A collapse left in
    place makes both labellings equally costly in its frames, and one that lasts to the end
    of the video (both labels on the near foot while the other foot lands) made a one-frame
    swap before it as cheap to repair as relabelling every frame from it to the collapse
    (sample00_IST, seed 2 of the semi-synthetic benchmark: the right foot was labelled left
    for 5 frames and its contact came 4.6 frames early). The wrong labels of the collapses
    under the final labels are then set missing.

    In a relabelled frame the visibility the model gave a keypoint belongs to neither foot
    for certain: it may describe the label or the position the label was put at (a low
    visibility that stayed with the label moved a guessed position onto the other label with
    a high one). Where either label of a keypoint is below ``min_visibility`` there, both are
    dropped (gap filling bridges them).

    ``stats["swap_fraction"]`` and ``stats["collapsed_fraction"]`` record what was repaired.
    """
    states = np.zeros(kp.n_frames, dtype=bool)
    for _ in range(PASSES):
        work = kp.copy()
        _relabel(work, states)
        for p in PARTS:
            for s0, s1, side, xy in _collapses(work, p):
                work.xy[f"{side}_{p}"][s0:s1] = xy
        states = states ^ swap_states(work)
    out = kp.copy()
    _relabel(out, states)
    n_col = 0
    for p in PARTS:
        for s0, s1, side in collapsed_runs(out, p):
            out.xy[f"{side}_{p}"][s0:s1] = np.nan
            n_col += s1 - s0
    for p in PARTS:
        lk, rk = f"left_{p}", f"right_{p}"
        if lk in out.xy and rk in out.xy:
            low = states & ~(np.fmin(out.visibility[lk], out.visibility[rk]) >= min_visibility)
            out.xy[lk][low] = np.nan
            out.xy[rk][low] = np.nan
    n = max(out.n_frames, 1)
    out.stats["swap_fraction"] = float(states.mean()) if states.size else 0.0
    out.stats["collapsed_fraction"] = float(n_col / (n * len(PARTS)))
    if states.any():
        out.notes.append(f"left/right leg keypoints relabelled in {int(states.sum())} frame(s) "
                         f"({100 * states.mean():.1f} %): swaps of the pose model")
    return out
