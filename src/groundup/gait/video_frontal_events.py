"""Gait events in a front or back view, where the walking direction is the camera's depth axis.

Seen from behind or in front, a foot's motion along the walk reaches the image only through
perspective: a point at height ``Z`` and distance ``D`` from a camera at height ``h`` moves up
the image at ``Zdot + (h - Z) Ddot / D`` (in units of the image scale at ``D``; receding
``Ddot > 0``). So height and depth changes add or cancel, and the depth term, even in units of
the apparent body size, shrinks as ``1/D``. A stance foot is still in the image (the camera is
static); per view, each event is timed on the foot point whose height and depth changes add up
at that moment, and relative to that step's own motion (not the trial's peak, which comes from
the steps nearest the camera):

- **back view** (walking away; image-up is the direction of progression). In terminal swing
  the heel descends along the camera's line of sight (at a slope near ``h / D``), so its image
  motion stalls up to 5 frames before contact (a heel-speed threshold fires early, the more the
  farther the step); the toe, rising as the foot dorsiflexes for heel strike, moves up the
  image until contact and then down as the forefoot lowers. **Initial contact** = the toe's
  image-up velocity falls through zero. At push-off the toe marker rises (the foot rolls over
  the toes) in the same image direction as its swing, so the toe's image speed is already at
  about 40-90 % of its early-swing peak at the plate's foot off (a 25 % threshold fires 1-2
  frames early); **foot off** = the peak of the toe's image-up acceleration as the swing
  starts (as Hreljac & Marshall 2000, J Biomech 33:783, time toe off at the peak of the toe's
  forward acceleration).
- **front view** (walking towards the camera; image-down is progression). The descending heel
  adds to its approach: **initial contact** = the heel's image-down velocity falls through
  ``ic_speed_fraction`` of its peak in that swing. The lifting toe cancels its approach at
  foot off (the least precise event of this view, 1-2 frames late): **foot off** = the toe's
  image speed rises through ``fo_speed_fraction`` of its peak in that swing.

Swing phases (either view) are runs where the faster of the heel and toe moves faster than
``swing_fraction`` of its peak speed, for at least ``min_swing_s``, or shorter where the foot
comes into the picture already moving (its contact is then still timed; its foot off was not
seen). Events are kept only where both foot points are in the image. Fractions and durations
are those of groundup's kinematic detector (:class:`groundup.gait.events.kinematic.
FootContact`); speeds are image motion in units of the subject's scale
(:func:`groundup.gait.video_events.image_motion_trial`).
"""

from __future__ import annotations

import numpy as np

from groundup.gait.events.kinematic import FootContact
from groundup.gait.geometry import FOREFOOT, REARFOOT, WalkingFrame, foot_marker
from groundup.motion.trial import GaitEvent, Trial
from groundup.signal import fill_gaps, lowpass, peak_offset, percentile, runs


def frontal_events(trial: Trial, wf: WalkingFrame, fc: FootContact,
                   frames: np.ndarray) -> list[GaitEvent]:
    """IC and FO of both feet inside the frontal-view frames.

    Parameters
    ----------
    trial
        Image-motion trial (metres at the subject's scale, ``z`` up the image).
    wf
        Its walking frame: ``forward[:, 1]`` is +1 where the subject walks away from the
        camera, -1 towards it.
    fc
        Detector whose fractions and durations are used.
    frames
        ``(n,)`` bool, the frames of front/back passes; events elsewhere are not returned.
    """
    n = trial.n_frames
    w = max(int(round(fc.search_s * trial.rate)), 2)
    away = np.sign(np.nan_to_num(wf.forward[:, 1]))
    events = []
    for s, side in (("L", "left"), ("R", "right")):
        heel = foot_marker(trial, s, REARFOOT) or foot_marker(trial, s, FOREFOOT)
        toe = foot_marker(trial, s, FOREFOOT) or heel
        if heel is None:
            continue
        vel = {m: _velocity(trial, m) for m in {heel, toe}}
        speed = {m: np.hypot(v[:, 0], v[:, 2]) for m, v in vel.items()}
        if not all(np.isfinite(v).sum() > 3 for v in speed.values()):
            continue
        prog = {m: v[:, 2] * away for m, v in vel.items()}   # image motion along the walk
        peak = {m: percentile(v, 98) for m, v in speed.items()}
        foot = np.fmax(speed[heel] / peak[heel], speed[toe] / peak[toe])
        visible = np.isfinite(speed[heel]) & np.isfinite(speed[toe])
        found, prev = [], 0
        for a, stop in runs(np.nan_to_num(foot) > fc.swing_fraction):
            b = stop - 1            # the run's last frame
            entering = a == 0 or not visible[a - 1]
            short = (b - a) / trial.rate < fc.min_swing_s
            if short and not entering:
                continue
            back = away[(a + b) // 2] > 0
            if not short and a > 1 and np.isfinite(speed[toe][a - 1]):
                lo = max(a - 2 * w, prev + 1, 1)   # not back into the previous swing
                t = (_fo_back(prog[toe], away > 0, fc, lo, b, w) if back
                     else _fo_front(speed[toe], fc, lo, a, b))
                found.append(("FO", t, toe))
            prev = b
            if b < n - 2:   # back: the toe stops receding; front: the heel stops approaching
                im, fraction = (toe, 0.0) if back else (heel, fc.ic_speed_fraction)
                t = _ic(prog[im], away > 0 if back else away < 0, fraction, fc,
                        a if short else (a + b) // 2, min(b + 2 * w, n - 1))
                found.append(("IC", t, im))
        for etype, t, marker in found:
            if t is None:
                continue
            i = int(np.clip(round(t), 0, n - 1))
            if not frames[i] or not visible[max(i - 1, 0):i + 2].all():
                continue
            events.append(GaitEvent(side=side, type=etype,
                                    time_s=(t + trial.first_frame) / trial.rate,
                                    method=fc.name,
                                    detail={"marker": marker, "frontal-view": True}))
    return sorted(events, key=lambda e: e.time_s)


def _ic(y: np.ndarray, same_way: np.ndarray, fraction: float, fc: FootContact, lo: int,
        hi: int) -> float | None:
    """Frame where ``y`` (a point's image velocity along the walk) falls through ``fraction``
    of its peak in ``[lo, hi]``, after that peak; ``None`` unless the peak shows the point
    swinging (above ``fc.swing_fraction`` of its 98th percentile in frames walked the same
    way, ``same_way``)."""
    seg = y[lo:hi + 1]
    if not np.isfinite(seg).any() or not np.nanmax(seg) > fc.swing_fraction * percentile(
            y[same_way], 98):
        return None
    k = lo + int(np.nanargmax(seg))
    return _cross(y - fraction * y[k], k, hi, rising=False, first=True)


def _fo_back(y: np.ndarray, back: np.ndarray, fc: FootContact, lo: int, b: int,
             w: int) -> float | None:
    """Peak of the toe's image-up acceleration as it starts to swing: between ``2 w`` frames
    before its image-up velocity ``y`` first exceeds ``fc.swing_fraction`` of its 98th
    percentile (searched from frame ``lo`` to the swing's end ``b``) and the first maximum
    of that rise."""
    up = np.flatnonzero(np.nan_to_num(y[lo:b + 1]) > fc.swing_fraction * percentile(y[back], 98))
    if up.size == 0 or up[0] == 0:      # no rise, or it began before the window
        return None
    j = k = lo + int(up[0])
    while k < b and y[k + 1] >= y[k]:
        k += 1
    lo = max(j - 2 * w, 1)
    acc = np.gradient(y)
    if k <= lo or not np.isfinite(acc[lo:k + 1]).any():
        return None
    i = lo + int(np.nanargmax(acc[lo:k + 1]))
    return float(i) + peak_offset(acc, i)


def _fo_front(sp: np.ndarray, fc: FootContact, lo: int, a: int, b: int) -> float | None:
    """Toe speed rising through ``fc.fo_speed_fraction`` of its peak in the first half of the
    swing ``[a, b]`` (the last such rise between frame ``lo`` and that peak); ``None`` unless
    that peak shows the toe swinging (above ``fc.swing_fraction`` of its 98th percentile)."""
    seg = sp[a:(a + b) // 2 + 1]
    if not np.isfinite(seg).any() or not np.nanmax(seg) > fc.swing_fraction * percentile(sp, 98):
        return None
    k = a + int(np.nanargmax(seg))
    return _cross(sp - fc.fo_speed_fraction * sp[k], lo, k, rising=True, first=False)


def _velocity(trial: Trial, marker: str) -> np.ndarray:
    """Velocity ``(n, 3)`` of a point, filtered like :meth:`FootContact.speeds`."""
    p = fill_gaps(trial.points[marker], max_gap=int(0.2 * trial.rate))[0]
    return np.gradient(lowpass(p, trial.rate, min(12.0, 0.4 * trial.rate)), axis=0) * trial.rate


def _cross(y: np.ndarray, lo: int, hi: int, *, rising: bool, first: bool) -> float | None:
    """Sub-frame index of the first (``first``) or last zero crossing of ``y`` upwards
    (``rising``) or downwards inside frames ``[lo, hi]``; ``None`` if there is none."""
    frames = range(max(lo, 1), min(hi, len(y) - 1) + 1)
    for i in frames if first else reversed(frames):
        p, c = y[i - 1], y[i]
        if np.isfinite(p) and np.isfinite(c) and ((p < 0 <= c) if rising else (p > 0 >= c)):
            return float(i - 1 + p / (p - c))
    return None

