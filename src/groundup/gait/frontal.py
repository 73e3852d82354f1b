"""Frontal-plane measures from a back or front view (2-D keypoints).

Per stance phase of each foot (IC -> FO of that foot), with the subject's sides resolved from the
view (seen from behind, the subject's left is on the image left):

- **contralateral pelvic drop** (``pelvic_drop_deg``): how far the hip line (hip keypoints) tilts
  down towards the swing side during stance, peak minus its value at initial contact, degrees
  (+ = the swing side drops; Trendelenburg-type gait has large values). Measured relative to
  IC, so a tilted camera cancels.
- **trunk lateral lean** (``trunk_lateral_lean_deg``): mid-shoulder over mid-hip from vertical,
  peak towards the stance side during stance, degrees (+ = towards the stance side), camera
  roll removed with the mean over all frames.
- **knee frontal-plane projection angle** (``knee_fppa_deg``): 180 deg minus the hip-knee-ankle
  angle, + when the knee lies medial of the hip-ankle line (valgus), peak in the first half of
  stance (loading).
- **rearfoot angle** (``rearfoot_eversion_deg``, back view only): shank (knee -> ankle) vs the
  heel line (ankle -> heel), + when the heel points laterally (eversion, an over-pronation proxy),
  mean over mid-stance (20-60 % of stance). BlazePose's heel keypoint is not a calcaneus line:
  treat as a proxy.

Foot progression is not measured from the frontal view (the foot's long axis runs along the
line of sight); it needs a camera looking down on the walkway.
"""

from __future__ import annotations

import numpy as np

from groundup.motion.trial import GaitEvent, Trial
from groundup.signal import lowpass

SIDES = {"left": "L", "right": "R"}
#: low-pass cut-off of the pelvic obliquity and trunk lean series, Hz (Winter 2009, 6 Hz for
#: walking kinematics)
ANGLE_CUTOFF_HZ = 6.0


def _stances(events: list[GaitEvent], side: str, rate: float) -> list[tuple[int, int]]:
    ics = sorted(e.time_s for e in events if e.side == side and e.type == "IC")
    fos = sorted(e.time_s for e in events if e.side == side and e.type == "FO")
    out = []
    for t in ics:
        nxt = [f for f in fos if t < f < t + 1.5]
        if nxt:
            out.append((int(round(t * rate)), int(round(nxt[0] * rate))))
    return out


def _angle(v: np.ndarray, lateral: float) -> np.ndarray:
    """Angle (deg) of (n, 3) vectors from vertical, + towards image x * ``lateral``."""
    return np.degrees(np.arctan2(lateral * v[:, 0], v[:, 2]))


def frontal_measures(trial: Trial, events: list[GaitEvent], frames: np.ndarray, view: str
                     ) -> tuple[dict[str, dict[str, float]], list[str]]:
    """Per-side frontal measures (means over the stance phases inside ``frames``).

    Parameters
    ----------
    trial
        Video trial (x image-right, z up, metres).
    events
        Its gait events.
    frames
        ``(n,)`` bool: frames of frontal passes.
    view
        ``"back"`` or ``"front"``.

    Returns
    -------
    (values, notes)
        ``{"left": {metric: value}, "right": {...}}`` and notes on what was not measured.
    """
    p = trial.points
    notes: list[str] = []
    # image-x direction of the subject's left: seen from behind, left is image-left.
    left_x = -1.0 if view == "back" else 1.0
    need = ("L_HIP_CENTRE", "R_HIP_CENTRE")
    if not all(trial.has(k) for k in need):
        return {}, ["frontal measures not computed: hips not visible"]
    hip_line = p["L_HIP_CENTRE"] - p["R_HIP_CENTRE"]          # right -> left hip
    # left side up +; low-passed at 6 Hz like walking kinematics (Winter 2009): the peak of a
    # noisy angle over a stance is biased up by its noise
    obl_left = lowpass(np.degrees(np.arctan2(hip_line[:, 2], left_x * hip_line[:, 0])),
                       trial.rate, ANGLE_CUTOFF_HZ)
    lean_left = None
    if trial.has("L_SHOULDER", "R_SHOULDER"):
        trunk = 0.5 * (p["L_SHOULDER"] + p["R_SHOULDER"]) - 0.5 * (p["L_HIP_CENTRE"]
                                                                    + p["R_HIP_CENTRE"])
        lean_left = lowpass(_angle(trunk, left_x), trial.rate, ANGLE_CUTOFF_HZ)
        lean_left = lean_left - np.nanmean(lean_left[frames])
    else:
        notes.append("trunk lateral lean not computed: shoulders not visible")
    out: dict[str, dict[str, float]] = {}
    for side, s in SIDES.items():
        sign = 1.0 if side == "left" else -1.0
        lateral_x = left_x * sign            # image-x direction lateral to this leg
        vals: dict[str, list[float]] = {}
        hip, knee, ank = (p.get(f"{s}_{m}") for m in ("HIP_CENTRE", "KNEE_CENTRE", "ANKLE"))
        heel = p.get(f"{s}_HEEL")
        for a, b in _stances(events, side, trial.rate):
            if b <= a + 2 or b > trial.n_frames or not frames[a:b].all():
                continue
            obl = sign * obl_left[a:b]       # stance side up + = swing side drops
            vals.setdefault("pelvic_drop_deg", []).append(float(np.nanmax(obl) - obl[0]))
            if lean_left is not None:
                vals.setdefault("trunk_lateral_lean_deg", []).append(
                    float(np.nanmax(sign * lean_left[a:b])))
            if hip is not None and knee is not None and ank is not None:
                h, k, an = hip[a:b], knee[a:b], ank[a:b]
                t_ang = _angle(h - k, lateral_x)   # thigh from vertical, + proximal end lateral
                s_ang = _angle(k - an, lateral_x)  # shank, + knee lateral of ankle
                fppa = t_ang - s_ang               # + knee medial of the hip-ankle line
                half = max((b - a) // 2, 1)
                vals.setdefault("knee_fppa_deg", []).append(float(np.nanmax(fppa[:half])))
                drop = (an[:, 2] - heel[a:b, 2]) if heel is not None else np.array([np.nan])
                if view == "back" and np.nanmedian(drop) > 0.03:  # heel visibly below ankle
                    m0, m1 = int(0.2 * (b - a)), max(int(0.6 * (b - a)), 1)
                    heel_line = _angle(an - heel[a:b], lateral_x)  # + heel lateral of ankle
                    shank = _angle(k - an, lateral_x)
                    rf = -(heel_line - shank)
                    vals.setdefault("rearfoot_eversion_deg", []).append(
                        float(np.nanmean(rf[m0:m1])))
        if vals:
            out[side] = {k: float(np.nanmean(v)) for k, v in vals.items()}
            out[side]["n_frontal_stances"] = len(vals["pelvic_drop_deg"])
    if not out:
        notes.append("no complete stance phase in a frontal pass: frontal measures not computed")
    return out, notes
