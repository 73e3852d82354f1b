"""Sagittal joint angles, pelvis and trunk angles and foot progression from markers.

Angles follow the Plug-in Gait conventions (Davis et al. 1991, Hum Mov Sci 10:575-587;
Kadaba et al. 1990, J Orthop Res 8:383-392), with segment axes x anterior, y left, z up/proximal
(see :mod:`groundup.gait.segments`) and the Cardan sequence flexion (y), abduction (x), rotation
(z) - whose first angle depends only on the distal long axis in the proximal frame:

- hip flexion +, knee flexion +, ankle dorsiflexion + (foot long axis vs shank, minus 90 deg);
- pelvis vs the per-frame walking direction: tilt (anterior +), obliquity (given side up +),
  rotation (given side forward +), as Plug-in Gait ``LPelvisAngles`` / ``RPelvisAngles``;
- foot progression: angle of the foot long axis out of the vertical plane of walking (Plug-in
  Gait's Cardan angle; the horizontal angle when the foot is flat), **internal (in-toeing) +,
  external (out-toeing) -**, as Plug-in Gait ``FootProgressAngles[:, 2]``;
- trunk lateral lean: thorax (C7/CLAV over T10/STRN, else shoulders, C7, CLAV or STRN over the
  pelvis centre) vs vertical in the frontal plane of walking, **+ toward the given side**.

Flexion is measured about the proximal segment's medio-lateral axis, as in the joint coordinate
systems recommended by the ISB (Wu et al. 2002, J Biomech 35:543-548; ISB names the axes x
anterior, y up, z right). Joint centres are Plug-in Gait's, so results compare with its outputs.
"""

from __future__ import annotations

import numpy as np

from groundup.gait import segments as sg
from groundup.gait.geometry import walking_direction
from groundup.gait.normalise import (  # noqa: F401  (re-exported: part of this module's API)
    time_normalise,
    time_normalise_many,
    time_normalise_windows,
)
from groundup.gait.static_calibration import calibrate_from_static
from groundup.gait.vectors import cross, dot, nanmean_rows, unit, usable
from groundup.motion.trial import Trial

VARIABLES = ("hip_flexion", "knee_flexion", "ankle_dorsiflexion", "pelvic_tilt",
             "pelvic_obliquity", "pelvic_rotation", "trunk_lateral_lean", "foot_progression")
SIDES = ("left", "right")


def _deg_atan2(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.degrees(np.arctan2(y, x))


def _flexion(z_dist: np.ndarray, x_prox: np.ndarray, z_prox: np.ndarray) -> np.ndarray:
    """First Cardan angle (about the proximal y axis) of a distal long axis, degrees."""
    return _deg_atan2(dot(z_dist, x_prox), dot(z_dist, z_prox))


def marker_angles(trial: Trial, *, static: Trial | None = None
                  ) -> tuple[dict[tuple[str, str], np.ndarray], list[str]]:
    """Joint, pelvis and trunk angles and foot progression per frame from the markers.

    Parameters
    ----------
    trial
        The walking trial (points in metres, ``NaN`` = missing).
    static
        Optional static (standing) trial of the same subject: calibrates cluster marker sets
        (knee and ankle markers present only in the static), gives the leg length and the
        neutral foot.

    Returns
    -------
    (angles, warnings)
        ``(variable, side) -> (n_frames,)`` degrees (``NaN`` where markers are missing) for the
        variables in :data:`VARIABLES` that could be computed, and warnings: one per variable
        and side that could not (naming the missing markers), and the assumptions made.
    """
    warnings: list[str] = []
    points = trial.points
    if not points or any(p.ndim != 2 or p.shape[1] != 3 for p in points.values()):
        return {}, ["no marker angles: the trial has no 3-D points (image keypoints are 2-D)"]
    if trial.n_frames < 3:
        return {}, [f"no marker angles: {trial.n_frames} frame(s)"]
    if static is not None:
        points, notes = calibrate_from_static(trial, static)
        warnings += notes
    up = np.eye(3)[trial.vertical_axis]
    out: dict[tuple[str, str], np.ndarray] = {}

    def missing(var: str, side: str, what: str) -> None:
        warnings.append(f"{side} {var.replace('_', ' ')} not computed: missing {what}")

    pelvis = sg.pelvis_axes(points)
    fwd, how = walking_direction(points, pelvis, up, trial.rate)
    left = None if fwd is None else cross(up, fwd)
    if fwd is None:
        warnings.append(f"walking direction unknown ({how}): no pelvis, trunk or foot "
                        "progression angles")
    elif how.startswith("the "):
        warnings.append(f"subject hardly moves: walking direction taken as {how}")
    if pelvis is None:
        for side in SIDES:
            missing("pelvic_angles", side, "L_ASIS, R_ASIS and SACRUM or a PSIS")
    elif left is not None:
        _, px, py, pz = pelvis
        tilt = _flexion(pz, fwd, up)
        obl = -np.degrees(np.arcsin(np.clip(dot(pz, left), -1.0, 1.0)))
        rot = _deg_atan2(dot(px, left), dot(py, left))
        for side, sign in (("left", 1.0), ("right", -1.0)):
            out["pelvic_tilt", side] = tilt if side == "left" else tilt.copy()
            out["pelvic_obliquity", side] = sign * obl
            out["pelvic_rotation", side] = -sign * rot

    ll = sg.leg_length(trial, points, static)
    hjc = sg.hip_centres(points, pelvis, trial.metadata, ll)
    flat_note = False
    for side, s in sg.SIDE_LETTER.items():
        sign = 1.0 if side == "left" else -1.0
        parts, why = sg.leg_axes(points, side, hjc.get(side), pelvis, trial.metadata, ll)
        thigh, shank = parts.get("thigh"), parts.get("shank")
        if thigh is not None and pelvis is not None:
            out["hip_flexion", side] = -_flexion(thigh[1], pelvis[1], pelvis[3])
        else:
            missing("hip_flexion", side, why.get("thigh", "L_ASIS, R_ASIS and SACRUM or a PSIS"))
        if thigh is not None and shank is not None:
            out["knee_flexion", side] = _flexion(shank[1], *thigh)
        else:
            missing("knee_flexion", side, why.get("thigh") or why["shank"])
        foot, pitch0, fwhy = sg.foot_axis(points, s, parts.get("ajc"), up, static)
        if foot is None:
            missing("ankle_dorsiflexion", side, why.get("shank", fwhy))
            missing("foot_progression", side, fwhy)
            continue
        if shank is not None:
            if not np.isfinite(pitch0):
                warnings.append(f"{side} ankle: no foot-flat frames found; foot pitch 0 taken "
                                "as neutral")
                pitch0 = 0.0
            flat_note |= static is None
            out["ankle_dorsiflexion", side] = 90.0 - _flexion(foot, *shank) - pitch0
        else:
            missing("ankle_dorsiflexion", side, why["shank"])
        if left is not None:
            out["foot_progression", side] = -sign * np.degrees(np.arcsin(np.clip(
                dot(unit(foot), left), -1.0, 1.0)))
        else:
            missing("foot_progression", side, "a walking direction")
    if flat_note:
        warnings.append("ankle: neutral foot taken from mid-stance foot flat (no static trial); "
                        "a foot that is never flat reads as neutral")

    lean, lwhy = _trunk_lean(points, pelvis, up, left)
    if lean is None:
        for side in SIDES:
            missing("trunk_lateral_lean", side, lwhy)
    else:
        out["trunk_lateral_lean", "left"] = lean
        out["trunk_lateral_lean", "right"] = -lean
    return out, warnings


def _trunk_lean(points: dict[str, np.ndarray], pelvis: tuple | None, up: np.ndarray,
                left: np.ndarray | None) -> tuple[np.ndarray | None, str]:
    """Frontal-plane angle of the trunk axis from vertical, + toward the left."""
    if left is None:
        return None, "a walking direction"
    top_m = [m for m in ("C7", "CLAVICLE") if usable(points, m)]
    low_m = [m for m in ("T10", "STERNUM") if usable(points, m)]
    if top_m and low_m:
        top = nanmean_rows([points[m] for m in top_m])
        low = nanmean_rows([points[m] for m in low_m])
    else:
        if usable(points, "L_SHOULDER") and usable(points, "R_SHOULDER"):
            top = 0.5 * (points["L_SHOULDER"] + points["R_SHOULDER"])
        elif top_m or low_m:
            top = nanmean_rows([points[m] for m in top_m or low_m])
        else:
            return None, "trunk markers (C7, T10, STERNUM, CLAVICLE or both shoulders)"
        if pelvis is None:
            return None, "L_ASIS, R_ASIS and SACRUM or a PSIS (below the trunk markers)"
        low = pelvis[0]
    t = top - low
    return _deg_atan2(dot(t, left), t @ up), ""


_PIG = {"hip_flexion": ("HipAngles", 0, 1.0), "knee_flexion": ("KneeAngles", 0, 1.0),
        "ankle_dorsiflexion": ("AnkleAngles", 0, 1.0), "pelvic_tilt": ("PelvisAngles", 0, 1.0),
        "pelvic_obliquity": ("PelvisAngles", 1, 1.0), "pelvic_rotation": ("PelvisAngles", 2, 1.0),
        "trunk_lateral_lean": ("ThoraxAngles", 1, -1.0),
        "foot_progression": ("FootProgressAngles", 2, 1.0)}


def model_output_angles(trial: Trial) -> dict[tuple[str, str], np.ndarray]:
    """The same variables as :func:`marker_angles`, read from stored Plug-in Gait outputs.

    ``{L,R}HipAngles[:, 0]``, ``KneeAngles[:, 0]``, ``AnkleAngles[:, 0]``,
    ``PelvisAngles[:, 0..2]`` (tilt, obliquity, rotation; verified against the markers on four
    files), ``FootProgressAngles[:, 2]`` (internal +; column 0/1 are the foot's pitch and roll)
    and ``-ThoraxAngles[:, 1]`` (Plug-in Gait's thorax obliquity, "side up" +, is a lean to the
    other side; sign not verified on data). Every key is present; ``NaN`` where the output is
    absent or stored as an all-zero (invalid) row.
    """
    n = trial.n_frames
    out = {}
    for var, (name, col, sign) in _PIG.items():
        for side in SIDES:
            a = trial.model_outputs.get(side[0].upper() + name)
            if a is None or a.ndim != 2 or a.shape[0] != n or a.shape[1] <= col:
                out[var, side] = np.full(n, np.nan)
                continue
            v = sign * np.asarray(a[:, col], dtype=float)
            out[var, side] = np.where(np.all(a == 0, axis=1), np.nan, v)
    return out
