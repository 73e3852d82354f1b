"""Joint centres and segment axes of the lower limb from skin markers (Plug-in Gait style).

Conventional gait model (Plug-in Gait; Davis et al. 1991, Hum Mov Sci 10:575-587; Kadaba et al.
1990, J Orthop Res 8:383-392), degrading gracefully with the markers a trial has:

- pelvis: both ASIS and mid-PSIS, else SACRUM, else one PSIS; y right to left ASIS, x anterior,
  z up. Hip centre: a ``{S}_HIP_CENTRE`` point, else the Davis (1991) regression from inter-ASIS
  distance and leg length (:func:`leg_length`).
- knee / ankle centre: mid lateral-medial markers, else the Plug-in Gait chord (:func:`chord`)
  with the THI / TIB wand - or, when the wand is absent or not lateral (an anterior tibial
  tuberosity marker), a virtual wand along the pelvis (thigh) or thigh (shank) lateral axis,
  i.e. zero hip rotation and zero tibial torsion.
- cluster sets without knee or ankle markers while walking: the static trial's epicondyle and
  malleolus markers are carried by the thigh / shank clusters
  (:func:`groundup.gait.static_calibration.calibrate_from_static`; calibrated anatomical
  systems, Cappozzo et al. 1995, Clin Biomech 10:171).

Knee and ankle widths default to 0.10 and 0.07 x leg length (clamped), the marker radius to
7 mm; ``metadata`` keys ``knee_width_m``, ``ankle_width_m``, ``marker_diameter_m`` and
``inter_asis_m`` (scalars or ``{"left", "right"}`` dicts) override them.
"""

from __future__ import annotations

import re

import numpy as np

from groundup.gait.vectors import cross, deriv, dot, unit, usable
from groundup.motion.trial import Trial
from groundup.signal import median, nanmedian, percentile

SIDE_LETTER = {"left": "L", "right": "R"}
_SUFFIX = r"[._]?(\d+|UPPER|FRONT|REAR|LOWER|BACK)$"
_CLUSTER = {"thigh": re.compile(r"^([LR])[._]?(?:THIGH|TH|THI)" + _SUFFIX, re.I),
            "shank": re.compile(r"^([LR])[._]?(?:SHANK|SH|TIB)" + _SUFFIX, re.I)}
_PELVIS_MARKERS = ("L_ASIS", "R_ASIS", "SACRUM", "L_PSIS", "R_PSIS", "L_ILIAC", "R_ILIAC")


def side_value(meta: dict, key: str, side: str) -> float | None:
    """A positive subject measurement from ``metadata`` (scalar or per-side dict), else None."""
    v = meta.get(key)
    if isinstance(v, dict):
        v = v.get(side)
    return float(v) if isinstance(v, int | float) and v > 0 else None


def cluster_markers(points: dict[str, np.ndarray], letter: str, segment: str) -> list[str]:
    """Names of the markers of one thigh or shank (wand or cluster), finite somewhere."""
    if segment == "pelvis":
        return [n for n in _PELVIS_MARKERS if usable(points, n)]
    own = f"{letter}_THIGH" if segment == "thigh" else f"{letter}_TIBIA"
    names = [own] + sorted(n for n in points if (m := _CLUSTER[segment].match(n))
                           and m.group(1).upper() == letter)
    return [n for n in names if usable(points, n)]


def pelvis_axes(points: dict[str, np.ndarray]) -> tuple[np.ndarray, ...] | None:
    """Pelvis origin (mid-ASIS) and axes x (anterior), y (left), z (up), each ``(n, 3)``."""
    if not (usable(points, "L_ASIS") and usable(points, "R_ASIS")):
        return None
    post = [points[n] for n in ("L_PSIS", "R_PSIS") if usable(points, n)]
    mid_psis = np.mean(post, axis=0) if len(post) == 2 else None
    sacrum = points["SACRUM"] if usable(points, "SACRUM") else None
    if mid_psis is None and sacrum is None and post:
        sacrum = post[0]
    if mid_psis is None and sacrum is None:
        return None
    back = mid_psis if sacrum is None else (
        sacrum if mid_psis is None else np.where(np.isfinite(mid_psis), mid_psis, sacrum))
    la, ra = points["L_ASIS"], points["R_ASIS"]
    origin = 0.5 * (la + ra)
    y = unit(la - ra)
    a = origin - back
    x = unit(a - dot(a, y)[:, None] * y)
    return origin, x, y, cross(x, y)


def davis_hjc(pelvis: tuple[np.ndarray, ...], leg_length: float, inter_asis: float,
              marker_radius: float) -> dict[str, np.ndarray]:
    """Hip joint centres by the Davis et al. (1991) regression as used by Plug-in Gait.

    ``C = 0.115 L - 15.3 mm``, ASIS-trochanter distance ``0.1288 L - 48.56 mm``,
    ``theta = 0.5 rad``, ``beta = 0.314 rad``; coordinates in the pelvis frame.
    """
    o, x, y, z = pelvis
    ll_mm, mr = leg_length * 1000.0, marker_radius * 1000.0
    c = 0.115 * ll_mm - 15.3
    at = 0.1288 * ll_mm - 48.56
    theta, beta = 0.5, 0.314
    hx = c * np.cos(theta) * np.sin(beta) - (at + mr) * np.cos(beta)
    hy = inter_asis * 500.0 - c * np.sin(theta)
    hz = -c * np.cos(theta) * np.cos(beta) - (at + mr) * np.sin(beta)
    return {side: o + (hx * x + sign * hy * y + hz * z) / 1000.0
            for side, sign in (("left", 1.0), ("right", -1.0))}


def chord(wand: np.ndarray, prox: np.ndarray, lateral: np.ndarray, delta: float) -> np.ndarray:
    """Plug-in Gait chord function: the joint centre ``delta`` from the lateral marker.

    The centre lies in the plane of ``wand``, ``prox`` (proximal joint centre) and ``lateral``
    (lateral marker), with a right angle between ``prox`` and ``lateral`` at the centre.
    """
    v = prox - lateral
    d = np.sqrt(dot(v, v))
    u = v / d[:, None]
    n = unit(cross(wand - lateral, v))
    w = cross(n, u)
    cos_phi = np.clip(delta / d, -1.0, 1.0)[:, None]
    return lateral + delta * (cos_phi * u + np.sqrt(1.0 - cos_phi**2) * w)


def wand_is_lateral(wand: np.ndarray, prox: np.ndarray, distal: np.ndarray,
                    lateral_ref: np.ndarray) -> bool:
    """Whether a wand marker sits laterally off the ``prox``-``distal`` line (within 55 deg)."""
    k = slice(None, None, max(1, wand.shape[0] // 50))
    u = unit(distal[k] - prox[k])
    off = wand[k] - prox[k]
    off = unit(off - dot(off, u)[:, None] * u)
    ref = lateral_ref[k] - dot(lateral_ref[k], u)[:, None] * u
    cos = dot(off, unit(ref))
    return bool(median(cos[np.isfinite(cos)]) > np.cos(np.radians(55.0))) \
        if np.isfinite(cos).any() else False


def joint_centre(points: dict[str, np.ndarray], lat: str, med: str, wand: str,
                 prox: np.ndarray | None, lateral_ref: np.ndarray | None, delta: float
                 ) -> np.ndarray | None:
    """Knee or ankle centre: mid lateral/medial markers, else the chord with a (virtual) wand."""
    if usable(points, med):
        return 0.5 * (points[lat] + points[med])
    if prox is None or lateral_ref is None:
        return None
    if usable(points, wand) and wand_is_lateral(points[wand], prox, points[lat], lateral_ref):
        return chord(points[wand], prox, points[lat], delta)
    return chord(0.5 * (prox + points[lat]) + 0.1 * lateral_ref, prox, points[lat], delta)


def widths(meta: dict, side: str, leg_length: float | None) -> tuple[float, float, float]:
    """Knee width, ankle width and marker radius (metres) for one side."""
    ll = leg_length or 0.9
    mr = 0.5 * (side_value(meta, "marker_diameter_m", side) or 0.014)
    kw = side_value(meta, "knee_width_m", side) or float(np.clip(0.10 * ll, 0.07, 0.12))
    aw = side_value(meta, "ankle_width_m", side) or float(np.clip(0.07 * ll, 0.05, 0.09))
    return kw, aw, mr


def leg_axes(points: dict[str, np.ndarray], side: str, hjc: np.ndarray | None,
             pelvis: tuple[np.ndarray, ...] | None, meta: dict, leg_length: float | None
             ) -> tuple[dict[str, np.ndarray | tuple[np.ndarray, np.ndarray]], dict[str, str]]:
    """Knee and ankle centres and the thigh and shank axes of one leg.

    Returns
    -------
    (parts, missing)
        ``parts`` may hold ``"kjc"``, ``"ajc"`` ``(n, 3)`` and ``"thigh"``, ``"shank"``
        ``(x, z)`` axis pairs (x anterior, z proximal); ``missing`` maps each absent part to
        the markers it lacks.
    """
    s = SIDE_LETTER[side]
    sign = 1.0 if side == "left" else -1.0
    kw, aw, mr = widths(meta, side, leg_length)
    parts: dict = {}
    need_pelvis = "L_ASIS, R_ASIS and SACRUM or a PSIS (for the hip joint centre)"
    knee, ankle = f"{s}_KNEE", f"{s}_ANKLE"
    if not usable(points, knee):
        hint = " (cluster set: pass its static trial)" if len(
            cluster_markers(points, s, "thigh")) >= 3 else ""
        why = knee + hint
        return parts, {"kjc": why, "thigh": why, "shank": why, "ajc": why}
    ref = sign * pelvis[2] if pelvis is not None else None
    kjc = joint_centre(points, knee, f"{s}_KNEE_MED", f"{s}_THIGH", hjc, ref, 0.5 * kw + mr)
    if kjc is None:
        return parts, dict.fromkeys(("kjc", "thigh", "shank", "ajc"), need_pelvis)
    parts["kjc"] = kjc
    missing = {}
    lat = points[knee] - kjc
    if hjc is not None:
        z = unit(hjc - kjc)
        parts["thigh"] = (unit(cross(lat, z) if side == "left" else cross(z, lat)), z)
    else:
        missing["thigh"] = need_pelvis
    if not usable(points, ankle):
        missing["shank"] = missing["ajc"] = ankle
        return parts, missing
    ajc = joint_centre(points, ankle, f"{s}_ANKLE_MED", f"{s}_TIBIA", kjc, unit(lat),
                       0.5 * aw + mr)
    parts["ajc"] = ajc
    lat = points[ankle] - ajc
    z = unit(kjc - ajc)
    parts["shank"] = (unit(cross(lat, z) if side == "left" else cross(z, lat)), z)
    return parts, missing


def leg_length(trial: Trial, points: dict[str, np.ndarray], static: Trial | None
               ) -> float | None:
    """Leg length (ASIS to malleolus, m, mean of both sides).

    ``metadata["leg_length_m"]`` when measured; else the static trial's ASIS-ankle distance;
    else ASIS-knee plus knee-ankle marker distances of the walking trial (robust to crouch).
    """
    ll = trial.metadata.get("leg_length_m")
    if isinstance(ll, dict):
        ll = np.mean([v for v in ll.values() if isinstance(v, int | float) and v > 0] or [0])
    if isinstance(ll, int | float | np.floating) and ll > 0:
        return float(ll)
    vals = []
    for s in "LR":
        asis, knee, ank = f"{s}_ASIS", f"{s}_KNEE", f"{s}_ANKLE"
        if static is not None and usable(static.points, asis) and usable(static.points, ank):
            d = static.points[asis] - static.points[ank]
            vals.append(nanmedian(np.sqrt(dot(d, d))))
        elif all(usable(points, n) for n in (asis, knee, ank)):
            d1, d2 = points[asis] - points[knee], points[knee] - points[ank]
            vals.append(nanmedian(np.sqrt(dot(d1, d1)) + np.sqrt(dot(d2, d2))))
    vals = [float(v) for v in vals if np.isfinite(v)]
    return float(np.mean(vals)) if vals else None


def hip_centres(points: dict[str, np.ndarray], pelvis: tuple | None, meta: dict,
                ll: float | None) -> dict[str, np.ndarray]:
    """Hip centres: ``{S}_HIP_CENTRE`` points where present, else :func:`davis_hjc`."""
    hjc = {side: points[f"{s}_HIP_CENTRE"] for side, s in SIDE_LETTER.items()
           if usable(points, f"{s}_HIP_CENTRE")}
    if pelvis is not None and len(hjc) < 2 and ll:
        d = points["L_ASIS"] - points["R_ASIS"]
        ia = side_value(meta, "inter_asis_m", "left") or float(
            nanmedian(np.sqrt(dot(d, d))))
        mr = 0.5 * (side_value(meta, "marker_diameter_m", "left") or 0.014)
        hjc = {**davis_hjc(pelvis, ll, ia, mr), **hjc}
    return hjc


def foot_axis(points: dict[str, np.ndarray], letter: str, ajc: np.ndarray | None,
              up: np.ndarray, static: Trial | None) -> tuple[np.ndarray | None, float, str]:
    """Foot long axis (heel to toe, else ankle centre to toe) and its neutral pitch (deg).

    As with Plug-in Gait's "foot flat" static option, the neutral foot is the one whose long
    axis has the pitch it has when the sole is flat: in the static trial when one is given, else
    in the frames of the walking trial where the foot markers move least (mid-stance). Without a
    static trial a foot that is never flat (equinus, toe walking) therefore reads as neutral.
    """
    toe_m = next((f"{letter}_{m}" for m in ("TOE", "MT1", "MT5")
                  if usable(points, f"{letter}_{m}")), None)
    if toe_m is None:
        return None, 0.0, f"{letter}_TOE"
    back_m = f"{letter}_HEEL" if usable(points, f"{letter}_HEEL") else None
    if back_m is None and ajc is None:
        return None, 0.0, f"{letter}_HEEL (or an ankle centre)"
    toe, back = points[toe_m], points[back_m] if back_m else ajc

    def pitch(f: np.ndarray) -> np.ndarray:
        v = f @ up
        return np.degrees(np.arctan2(v, np.sqrt(np.fmax(dot(f, f) - v * v, 0.0))))

    f = toe - back
    if static is not None and back_m and usable(static.points, toe_m) \
            and usable(static.points, back_m):
        p0 = nanmedian(pitch(static.points[toe_m] - static.points[back_m]))
    else:
        dt, db = deriv(toe), deriv(back)
        sp = np.fmax(dot(dt, dt), dot(db, db))
        p = pitch(f)
        ok = np.isfinite(sp) & np.isfinite(p)
        p0 = median(p[ok & (sp <= percentile(sp[ok], 10))]) if ok.sum() >= 5 else np.nan
    return f, float(p0), ("heel" if back_m else "ankle centre") + " to toe"
