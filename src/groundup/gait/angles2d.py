"""Sagittal joint angles from a 2-D (side view) trial, with the signs of
:mod:`groundup.gait.kinematics`: hip flexion +, knee flexion +, ankle dorsiflexion +, trunk
inclination forward +.

The image plane stands in for the sagittal plane; ``anterior`` is the way the subject faces
(+1 image-right, -1 image-left, per frame), not the way they travel. Segment angles are measured
from the vertical in that plane:

- thigh ``a_t`` = angle of hip -> knee from straight down, + knee anterior; shank ``a_s`` the
  same for knee -> ankle; knee flexion = ``a_t - a_s``;
- hip flexion = ``a_t`` + pelvic tilt. One camera sees no pelvis orientation, so the tilt is
  taken as the normative mean over the cycle (``gait_norm_curves.yaml``, ``pelvic_tilt``, about
  +10 deg anterior): the hip then compares with Plug-in Gait's thigh-vs-pelvis angle, and a
  patient's own excess tilt reads as hip flexion (stated in the warnings);
- ankle dorsiflexion = (foot pitch - neutral pitch) - ``a_s``; foot pitch = heel -> toe (else
  ankle -> toe) from horizontal, toe up +; neutral = the median pitch while the foot is flat
  and still (mid-stance), as :func:`groundup.gait.kinematics.marker_angles` does without a
  static trial;
- trunk inclination = mid-shoulder over mid-hip from vertical, forward +.

A joint angle beyond what the joint can do (:data:`POSSIBLE_DEG`) is a keypoint failure or a
limb turned out of the image plane, not a measurement (a foot whose heel and toe labels cross,
or which points at the camera while the subject turns, gives an ankle angle near 180 deg): such
frames are set missing and counted in the warnings.
"""

from __future__ import annotations

import numpy as np

from groundup.gait.norms import norm_curve
from groundup.motion.trial import Trial

SIDES = {"left": "L", "right": "R"}

#: Widest joint angles (deg) accepted from keypoints. Passive ranges of motion of healthy adults
#: reach hip flexion about 120-130 and extension 20-30, knee flexion about 140, ankle
#: dorsiflexion about 20-30 and plantarflexion 50-60 (Soucie et al. 2011, Haemophilia
#: 17:500-507); the bounds add 10-20 deg for keypoint noise, hypermobility and the flat-foot
#: reference of the ankle, so that only impossible values go.
POSSIBLE_DEG = {"hip_flexion": (-45.0, 140.0), "knee_flexion": (-25.0, 155.0),
                "ankle_dorsiflexion": (-70.0, 50.0)}


def _seg(a: np.ndarray, b: np.ndarray, anterior: np.ndarray) -> np.ndarray:
    """Angle (deg) of a -> b from straight down in the x-z plane, + when b is anterior."""
    d = b - a
    return np.degrees(np.arctan2(anterior * d[:, 0], -d[:, 2]))


def _pitch(heel: np.ndarray, toe: np.ndarray, anterior: np.ndarray) -> np.ndarray:
    d = toe - heel
    return np.degrees(np.arctan2(d[:, 2], anterior * d[:, 0]))


def _still(x: np.ndarray, rate: float) -> np.ndarray:
    """Frames where a point moves slower than 10 % of its 95th-percentile speed."""
    v = np.linalg.norm(np.gradient(x, axis=0), axis=1) * rate
    peak = np.nanpercentile(v, 95) if np.isfinite(v).any() else np.nan
    return v < 0.1 * peak


def mean_pelvic_tilt() -> float:
    """Normative mean anterior pelvic tilt over the cycle, degrees."""
    return float(np.mean(norm_curve("pelvic_tilt")[1]))


def sagittal_angles(trial: Trial, anterior: np.ndarray
                    ) -> tuple[dict[tuple[str, str], np.ndarray], list[str]]:
    """Hip, knee, ankle and trunk angles per frame (degrees) of a side-view trial.

    Parameters
    ----------
    trial
        Video trial from :func:`groundup.motion.video.to_trial.keypoints_to_trial`
        (x image-right, z up, metres).
    anterior
        ``(n,)`` +1 where the subject faces image-right, -1 image-left, ``NaN`` where the
        view is not sagittal (angles are ``NaN`` there).

    Returns
    -------
    (angles, warnings)
        ``(variable, side) -> (n,)`` for ``hip_flexion``, ``knee_flexion``,
        ``ankle_dorsiflexion``, ``trunk_inclination``; warnings for what was assumed or
        missing.
    """
    p = trial.points
    out: dict[tuple[str, str], np.ndarray] = {}
    notes: list[str] = []
    tilt = mean_pelvic_tilt()
    for side, s in SIDES.items():
        hip, knee, ank = (p.get(f"{s}_{m}") for m in ("HIP_CENTRE", "KNEE_CENTRE", "ANKLE"))
        if hip is None or knee is None or ank is None:
            notes.append(f"{side} sagittal angles not computed: hip, knee or ankle keypoint "
                         "missing")
            continue
        thigh, shank = _seg(hip, knee, anterior), _seg(knee, ank, anterior)
        out["hip_flexion", side] = thigh + tilt
        out["knee_flexion", side] = thigh - shank
        toe = p.get(f"{s}_TOE")
        back = p.get(f"{s}_HEEL") if trial.has(f"{s}_HEEL") else ank
        if toe is None or not trial.has(f"{s}_TOE"):
            notes.append(f"{side} ankle angle not computed: no toe (foot_index) keypoint")
            continue
        pitch = _pitch(back, toe, anterior)
        flat = _still(toe, trial.rate) & _still(back, trial.rate) & np.isfinite(pitch)
        neutral = float(np.median(pitch[flat])) if flat.sum() >= 3 else 0.0
        out["ankle_dorsiflexion", side] = pitch - neutral - shank
    notes += _drop_impossible(out)
    notes.append(f"hip flexion from one camera: thigh angle plus the normative mean pelvic tilt "
                 f"({tilt:.1f} deg); the pelvis itself is not seen")
    sh = [p.get(f"{s}_SHOULDER") for s in "LR"]
    hp = [p.get(f"{s}_HIP_CENTRE") for s in "LR"]
    if all(x is not None for x in sh + hp):
        top, low = 0.5 * (sh[0] + sh[1]), 0.5 * (hp[0] + hp[1])
        trunk = np.degrees(np.arctan2(anterior * (top - low)[:, 0], (top - low)[:, 2]))
        out["trunk_inclination", "left"] = trunk
        out["trunk_inclination", "right"] = trunk.copy()
    else:
        notes.append("trunk inclination not computed: shoulders not visible")
    return out, notes


def _drop_impossible(angles: dict[tuple[str, str], np.ndarray]) -> list[str]:
    """Set missing, in place, the frames of each angle outside :data:`POSSIBLE_DEG`; one note
    per angle that lost frames."""
    notes = []
    for (var, side), y in angles.items():
        lo, hi = POSSIBLE_DEG.get(var, (-np.inf, np.inf))
        with np.errstate(invalid="ignore"):
            bad = (y < lo) | (y > hi)
        if bad.any():
            y[bad] = np.nan
            notes.append(f"{side} {var.replace('_', ' ')}: {int(bad.sum())} frame(s) outside "
                         f"{lo:.0f} to {hi:.0f} deg dropped (no joint angle: keypoints on the "
                         "wrong body part, or the limb turned out of the image plane)")
    return notes


def cycle_curves(trial: Trial, strides, angles: dict[tuple[str, str], np.ndarray],
                 origin: str = "video"):
    """Time-normalised curves per stride (tidy table as ``GaitResult.kinematics``).

    Parameters
    ----------
    trial
        The video trial (its time axis).
    strides
        Stride table (``side``, ``start_s``, ``end_s``); each side's own strides are used.
    angles
        ``(variable, side) -> (n,)`` degrees.
    origin
        Value of the ``origin`` column.
    """
    import pandas as pd

    from groundup.gait.kinematics import time_normalise

    pct = np.linspace(0, 100, 101)
    parts = []
    for (var, side), y in angles.items():
        if not np.isfinite(y).any() or strides is None or strides.empty:
            continue
        for k, (a, b) in enumerate(strides.loc[strides.side == side,
                                               ["start_s", "end_s"]].to_numpy()):
            curve = time_normalise(y, trial.time, a, b)
            if np.isfinite(curve).any():
                parts.append(pd.DataFrame({"variable": var, "side": side, "cycle": k,
                                           "pct": pct, "value_deg": curve, "origin": origin}))
    cols = ["variable", "side", "cycle", "pct", "value_deg", "origin"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)


def curve_metrics(curves) -> dict[str, dict[str, float]]:
    """Per-side summary angles from the mean curves (the metric ids of the C3D analysis)."""
    out: dict[str, dict[str, float]] = {}
    if curves is None or curves.empty:
        return out
    for side in ("left", "right"):
        g = curves[curves.side == side]
        mean = {v: c.groupby("pct")["value_deg"].mean().to_numpy()
                for v, c in g.groupby("variable")}
        d = {}
        if "knee_flexion" in mean:
            d["knee_peak_swing_flexion_deg"] = float(np.nanmax(mean["knee_flexion"][60:]))
        if "hip_flexion" in mean:
            d["hip_peak_extension_deg"] = float(-np.nanmin(mean["hip_flexion"]))
            d["hip_flexion_ic_deg"] = float(mean["hip_flexion"][0])
        if "ankle_dorsiflexion" in mean:
            d["ankle_peak_dorsiflexion_deg"] = float(np.nanmax(mean["ankle_dorsiflexion"][:60]))
        if d:
            out[side] = d
    return out
