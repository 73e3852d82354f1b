"""Where is up, where is the subject walking, and which markers stand for each foot.

Everything here works on any marker set through the canonical names of
:mod:`groundup.motion.vocabulary`, and degrades to what a trial has.

Two walking directions, for two users: :func:`walking_frame` (events, spatio-temporal
parameters; pelvis-centre velocity low-passed at 0.5 Hz, a lab axis on a treadmill; measured by
``bench/events.py``) and :func:`walking_direction` (the heading joint angles are measured
against; mid-ASIS velocity over 1.5 s, the way the pelvis faces when standing or on a treadmill;
measured against Plug-in Gait in ``tests/test_kinematics.py``). Their median difference is
1-3 deg on overground walks but reaches 90-180 deg at turns, trial ends and when standing, so
neither replaces the other without re-validating its users.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from groundup.gait import vectors as vec
from groundup.motion.trial import Trial
from groundup.signal import fill_gaps, lowpass, nanmedian

PELVIS_MARKERS = ("L_ASIS", "R_ASIS", "L_PSIS", "R_PSIS", "SACRUM")
#: Markers that stand for the rearfoot (initial contact), in order of preference.
REARFOOT = ("HEEL", "ANKLE", "ANKLE_MED")
#: Markers that stand for the forefoot (foot off), in order of preference.
FOREFOOT = ("TOE", "MT1", "MT5")
#: Foot markers whose motion and oscillation give :func:`walking_direction`.
_FOOT_MARKERS = ("HEEL", "TOE", "ANKLE", "MT5", "MT1")


@dataclass(frozen=True)
class WalkingFrame:
    """Lab directions of a trial, per frame.

    Attributes
    ----------
    vertical
        Index of the vertical lab axis.
    forward
        Unit walking direction in the horizontal plane, shape ``(n, 3)``.
    pelvis
        Pelvis centre (mean of the pelvis markers present), ``(n, 3)`` metres.
    treadmill
        True when the pelvis travels less than a stride length over the trial.
    pelvis_speed_m_s
        Median horizontal pelvis speed.
    turns
        Number of reversals of the walking direction detected.
    """

    vertical: int
    forward: np.ndarray
    pelvis: np.ndarray
    treadmill: bool
    pelvis_speed_m_s: float
    turns: int


def foot_marker(trial: Trial, side: str, roles: tuple[str, ...]) -> str | None:
    """Canonical name of the first marker of ``roles`` present for a side (``"L"``/``"R"``)."""
    for role in roles:
        name = f"{side}_{role}"
        if trial.has(name) and np.isfinite(trial.points[name]).all(axis=1).mean() > 0.3:
            return name
    return None


def pelvis_centre(trial: Trial) -> np.ndarray | None:
    """Mean of the pelvis markers present in each frame, ``(n, 3)``, or ``None``."""
    present = [trial.points[m] for m in PELVIS_MARKERS if trial.has(m)]
    if not present:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(np.stack(present), axis=0)


def walking_frame(trial: Trial) -> WalkingFrame:
    """Vertical axis, per-frame walking direction, pelvis centre, treadmill flag.

    Overground, the direction is the smoothed horizontal pelvis velocity (so turns are
    followed frame by frame). On a treadmill (pelvis travel below 0.5 m), the direction is the
    lab axis along which the feet swing, signed so that the fast (swing) phase moves forward.
    """
    v = trial.vertical_axis
    horiz = [a for a in range(3) if a != v]
    n = trial.n_frames
    pelvis = pelvis_centre(trial)
    feet = [trial.points[m] for s in "LR" for m in (foot_marker(trial, s, REARFOOT),
                                                     foot_marker(trial, s, FOREFOOT)) if m]
    if pelvis is None:
        if not feet:
            raise ValueError("no pelvis and no foot markers")
        pelvis = np.nanmean(np.stack(feet), axis=0)
    p = fill_gaps(pelvis)[0]
    p = np.where(np.isnan(p), np.nanmean(p, axis=0), p)
    smooth = lowpass(p, trial.rate, 0.5)
    vel = vec.deriv(smooth) * trial.rate  # np.gradient's central differences
    vel[:, v] = 0.0
    speed = vec.norm_rows(vel)
    travel = np.linalg.norm(np.nanmax(p[:, horiz], 0) - np.nanmin(p[:, horiz], 0))
    forward = np.zeros((n, 3))
    treadmill = bool(travel < 0.5)
    turns = 0
    if treadmill and feet:
        # each foot on its own: averaging the feet would mix one's swing with the other's stance
        fv = np.concatenate([np.gradient(lowpass(f, trial.rate, 6.0), axis=0) * trial.rate
                             for f in feet])
        axis = horiz[int(np.argmax(np.nanstd(fv[:, horiz], axis=0)))]
        comp = fv[:, axis][np.isfinite(fv[:, axis])]
        # swing is fast and forward, stance slow and backward (with the belt): the fastest
        # velocities are swing, so their sign says which way is forward.
        hi, lo = np.percentile(comp, [98, 2])
        sign = 1.0 if hi >= -lo else -1.0
        forward[:, axis] = sign
    else:
        ok = speed > 0.1
        if not ok.any():
            axis = horiz[int(np.argmax(np.abs(p[-1, horiz] - p[0, horiz])))]
            forward[:, axis] = np.sign(p[-1, axis] - p[0, axis]) or 1.0
        else:
            unit = np.where(ok[:, None], vel / np.maximum(speed, 1e-9)[:, None], np.nan)
            unit = fill_gaps(unit)[0]
            first, last = np.flatnonzero(ok)[[0, -1]]
            unit[:first] = unit[first]
            unit[last + 1:] = unit[last]
            forward = unit / np.linalg.norm(unit, axis=1, keepdims=True)
            main = horiz[int(np.argmax(np.abs(np.nanmean(np.abs(forward[:, horiz]), 0))))]
            sign = np.sign(forward[:, main])
            turns = int(np.count_nonzero(np.diff(sign[sign != 0]) != 0))
    return WalkingFrame(vertical=v, forward=forward, pelvis=p, treadmill=treadmill,
                        pelvis_speed_m_s=nanmedian(speed), turns=turns)


def _smooth(x: np.ndarray, w: int) -> np.ndarray:
    """Centred moving average of ``(n, k)`` rows ignoring ``NaN`` rows (window shrinks at ends)."""
    n = x.shape[0]
    ok = np.isfinite(x).all(axis=1)
    cs = np.concatenate([np.zeros((1, x.shape[1])), np.cumsum(np.where(ok[:, None], x, 0), 0)])
    cc = np.concatenate([[0], np.cumsum(ok)])
    i = np.arange(n)
    i0, i1 = np.clip(i - w // 2, 0, n), np.clip(i + w // 2 + 1, 0, n)
    cnt = (cc[i1] - cc[i0]).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (cs[i1] - cs[i0]) / cnt[:, None]
    out[cnt < max(2, w // 4)] = np.nan
    return out


def walking_direction(points: dict[str, np.ndarray], pelvis: tuple | None, up: np.ndarray,
                      rate: float) -> tuple[np.ndarray | None, str]:
    """Per-frame horizontal walking direction ``(n, 3)`` and how it was found.

    Overground: the horizontal velocity of the pelvis (else of the mean of the foot markers),
    averaged over a centred 1.5 s window (more than a stride), so that it follows turns but not
    the sway within a stride; frames where the subject hardly moves take the heading of the
    nearest moving frames.
    Treadmill (moving < 25 % of the time at > 0.1 m/s): a fixed direction, the horizontal axis
    along which the foot markers oscillate most relative to the pelvis (principal component),
    pointing the way the pelvis (else the foot, heel/ankle to toe) faces. Standing (feet still,
    < 5 cm RMS): the horizontal direction the pelvis (else the feet) faces.
    """
    feet = [points[f"{s}_{m}"] for s in "LR" for m in _FOOT_MARKERS
            if vec.usable(points, f"{s}_{m}")]
    centre = None
    if pelvis is not None:
        centre = pelvis[0]
        if feet and not np.isfinite(centre).all():
            centre = np.where(np.isfinite(centre), centre, vec.nanmean_rows(feet))
    elif feet:
        centre = vec.nanmean_rows(feet)
    if centre is None or np.isfinite(centre).all(axis=1).sum() < 3:
        return None, "no pelvis or foot markers"
    n = centre.shape[0]
    horiz = centre - (centre @ up)[:, None] * up
    vel = _smooth(vec.deriv(horiz) * rate, int(round(1.5 * rate)) | 1)
    speed = np.sqrt(vec.dot(vel, vel))
    moving = speed > 0.1
    if moving.sum() >= 0.25 * np.isfinite(speed).sum() and moving.sum() >= 3:
        e1 = np.eye(3)[(int(np.argmax(np.abs(up))) + 1) % 3]
        e2 = vec.cross(up, e1)
        head = np.arctan2(vel[moving] @ e2, vel[moving] @ e1)
        if not (np.abs(np.diff(head)) < np.pi).all():  # np.unwrap changes nothing otherwise
            head = np.unwrap(head)
        head = np.interp(np.arange(n), np.flatnonzero(moving), head)
        fwd = np.cos(head)[:, None] * e1 + np.sin(head)[:, None] * e2
        return fwd, "pelvis velocity" if pelvis is not None else "mean foot velocity"
    if not feet:
        return None, "subject not moving and no foot markers"
    rel = [f - centre for f in feet]
    rel = np.concatenate([r - np.nanmean(r, axis=0) for r in rel])
    rel = rel[np.isfinite(rel).all(axis=1)]
    rel = rel - (rel @ up)[:, None] * up
    vals, vecs = np.linalg.eigh(rel.T @ rel / max(len(rel), 1))
    axis, facing = vecs[:, -1], None
    if pelvis is not None:
        facing = np.nanmean(pelvis[1], axis=0)
    else:
        for s in "LR":
            back = next((f"{s}_{m}" for m in ("HEEL", "ANKLE")
                         if vec.usable(points, f"{s}_{m}")), None)
            if back and vec.usable(points, f"{s}_TOE"):
                facing = np.nanmean(points[f"{s}_TOE"] - points[back], axis=0)
                break
    how = "the axis of foot oscillation (treadmill)"
    if vals[-1] < 0.05**2 and facing is not None:        # feet still: standing, face forward
        axis, how = facing, "the way the pelvis (or feet) face (standing)"
    elif facing is not None and facing @ axis < 0:
        axis = -axis
    axis = vec.unit((axis - (axis @ up) * up)[None])[0]
    return np.tile(axis, (n, 1)), how
