"""Assemble the synthetic walking trial: markers, exact events, force plates, true values."""

from __future__ import annotations

import numpy as np

from groundup.motion.synthetic.body import SIDES, Body, foot_point
from groundup.motion.synthetic.legs import leg_trajectories, timing
from groundup.motion.trial import ForcePlate, GaitEvent, Trial

NOTE = "synthetic walking trial generated from normative curves — not a real patient"
G = 9.81
PIG = {"ASIS": "ASI", "PSIS": "PSI", "THIGH": "THI", "KNEE": "KNE", "TIBIA": "TIB",
       "ANKLE": "ANK", "HEEL": "HEE", "TOE": "TOE"}
OUT_TOEING_DEG = 9.0      # foot turned out (gait-norms.md: adults ~5-13 deg)


def _markers(b, legs, pelvis_z, tilt, obl, speed, t):
    """Canonical marker positions, (n, 3) metres."""
    h = b.thigh / 0.245
    pts: dict[str, np.ndarray] = {}
    w = b.asis_w
    for side, o in legs.items():
        S, sg = SIDES[side]
        hx, hz = o["hip"]
        kx, kz = o["knee"]
        ax, az = o["ankle"]
        fy, hy = sg * b.step_width / 2, sg * b.hip_y
        ky = hy + (fy - hy) * b.thigh / (b.thigh + b.shank)
        col = np.ones_like(t)
        pts[f"{S}_KNEE"] = np.column_stack([kx, col * (ky + sg * 0.029 * h), kz])
        pts[f"{S}_ANKLE"] = np.column_stack([ax, col * (fy + sg * 0.02 * h), az])
        pts[f"{S}_THIGH"] = np.column_stack([hx + 0.6 * (kx - hx),
                                             col * (hy + 0.6 * (ky - hy) + sg * 0.04 * h),
                                             hz + 0.6 * (kz - hz)])
        pts[f"{S}_TIBIA"] = np.column_stack([kx + 0.6 * (ax - kx),
                                             col * (ky + 0.6 * (fy - ky) + sg * 0.034 * h),
                                             kz + 0.6 * (az - kz)])
        hx_, hz_ = foot_point(b, "HEEL", (ax, az), "ankle", o["pitch"])
        tx, tz = foot_point(b, "TOE", (ax, az), "ankle", o["pitch"])
        pts[f"{S}_HEEL"] = np.column_stack([hx_, col * fy, hz_])
        out_toe = sg * (tx - hx_) * np.tan(np.radians(OUT_TOEING_DEG))  # toe turned out
        pts[f"{S}_TOE"] = np.column_stack([tx, fy + out_toe, tz])
        local = {f"{S}_ASIS": (0.19 * w, sg * 0.5 * w, 0.30 * w),
                 f"{S}_PSIS": (-0.46 * w, sg * 0.18 * w, 0.30 * w)}
        for name, (x, y, z) in local.items():
            x1, z1 = x * np.cos(tilt) + z * np.sin(tilt), -x * np.sin(tilt) + z * np.cos(tilt)
            y2, z2 = y * np.cos(obl) - z1 * np.sin(obl), y * np.sin(obl) + z1 * np.cos(obl)
            pts[name] = np.column_stack([speed * t + x1, y2, pelvis_z + z2])
    pts["SACRUM"] = 0.5 * (pts["L_PSIS"] + pts["R_PSIS"])
    return pts


def _grf_shape(tau: np.ndarray) -> np.ndarray:
    """Double-hump vertical GRF over stance (fraction of body weight, peaks 1.1)."""
    grid = np.linspace(0, 1, 2001)
    raw = lambda u: 1.153 * np.sin(np.pi * u) + 0.403 * np.sin(3 * np.pi * u)  # noqa: E731
    return np.where((tau >= 0) & (tau <= 1), 1.1 * raw(tau) / raw(grid).max(), 0.0)


def _plates(b, legs, tim, T, duration, mass, rng) -> list[ForcePlate]:
    """Two 0.6 x 0.4 m plates under a right footfall and the next left one, 1000 Hz."""
    bw, rate = mass * G, 1000.0
    tf = np.arange(int(round(duration * rate)) + 1) / rate
    k_r = int(np.ceil((0.35 * duration - tim["right"][0]) / T))
    k_l = int(np.ceil((tim["right"][0] + k_r * T - tim["left"][0]) / T))
    falls = []
    for side, k in (("right", k_r), ("left", k_l)):
        fp, ks = legs[side]["fp"], legs[side]["ks"]
        i = int(np.searchsorted(ks, k))
        falls.append((side, fp[0][i], tim[side][0] + k * T, tim[side][1]))
    heel_back, toe = 0.1 * b.foot + 0.01, 0.9 * b.foot
    f1, f2 = falls[0][1], falls[1][1]
    lo, hi = max(f1 + toe, f2 + toe - 0.6), min(f2 - heel_back, f1 - heel_back + 0.6)
    edge = 0.5 * (lo + hi) if lo <= hi else 0.5 * (f1 + toe + f2 - heel_back)
    plates = []
    for n, ((side, F, t_ic, ts), x0) in enumerate(zip(falls, (edge - 0.6, edge), strict=True)):
        sg = SIDES[side][1]
        tau = (tf - t_ic) / ts
        on = (tau >= 0) & (tau <= 1)
        force = np.zeros((tf.size, 3))
        force[:, 2] = bw * _grf_shape(tau)
        force[:, 0] = np.where(on, -0.18 * bw * np.sin(2 * np.pi * tau), 0.0)
        force[:, 1] = np.where(on, -sg * 0.05 * bw * np.sin(np.pi * tau), 0.0)
        force += rng.normal(0.0, 1.0, force.shape)
        cop = np.full((tf.size, 3), np.nan)
        loaded = on & (force[:, 2] > 20.0)
        u = np.clip(tau[loaded], 0, 1)
        cop[loaded] = np.column_stack([F + 0.05 * b.foot + 0.75 * b.foot * u,
                                       sg * (b.step_width / 2 - 0.01 * u), np.zeros(u.size)])
        corners = np.array([[x0, -0.2, 0], [x0 + 0.6, -0.2, 0], [x0 + 0.6, 0.2, 0], [x0, 0.2, 0]])
        plates.append(ForcePlate(name=f"FP{n + 1}", rate=rate, force=force, cop=cop,
                                 corners=corners, origin=np.zeros(3), first_time_s=0.0))
    return plates


def _truth(b, legs, tim, T, speed, cadence, t_end) -> dict:
    """The generated spatio-temporal values (exact)."""
    out = {"cadence_steps_min": cadence, "speed_m_s": speed, "stride_time_s": T,
           "stride_length_m": speed * T, "step_width_m": b.step_width,
           "double_support_pct": 100 * (tim["right"][1] + tim["left"][1] - T) / T}
    gap = (tim["left"][0] - tim["right"][0]) % T    # right IC -> left IC = left step time
    for side, other, step_t in (("left", "right", gap), ("right", "left", T - gap)):
        f, g = legs[side]["fp"], legs[other]["fp"]
        inside = (f[3] > 0) & (f[3] < t_end)
        step_l = np.mean(f[0][inside] - np.interp(f[3][inside] - step_t, g[3], g[0]))
        st = 100 * tim[side][1] / T
        out[side] = {"stance_pct": st, "swing_pct": 100 - st, "step_time_s": step_t,
                     "step_length_m": float(step_l), "stride_time_s": T,
                     "stride_length_m": speed * T}
    return out


def synthetic_walk(*, speed_m_s: float = 1.3, cadence_steps_min: float = 112.0,
                   n_strides: int = 6, rate: float = 100.0, height_m: float = 1.75,
                   asymmetry: float = 0.0, seed: int = 0, force_plates: bool = True,
                   mass_kg: float = 75.0, noise_m: float = 0.0005) -> Trial:
    """Synthesise a level walking trial from the normative angle curves.

    Parameters
    ----------
    speed_m_s
        Walking speed (pelvis forward speed), m/s.
    cadence_steps_min
        Cadence, steps/min; stride time = 120 / cadence s.
    n_strides
        Number of complete right strides in the trial (the left has as many).
    rate
        Marker sampling rate, Hz.
    height_m
        Body height H, m; segment lengths follow Winter (2009) ratios of H.
    asymmetry
        Fraction (0-0.5) by which the *left* stance is shortened (antalgic pattern).
    seed
        Seed of the marker and force noise.
    force_plates
        Add two force plates under a right footfall and the next left one.
    mass_kg
        Body mass for the ground reaction force, kg.
    noise_m
        Standard deviation of the gaussian marker noise, m (0.5 mm by default).

    Returns
    -------
    Trial
        Markers under canonical names (``L_ASIS`` ... ``R_TOE``, ``SACRUM``) in metres, ``z`` up,
        ``x`` forward; true events (``method="synthetic-truth"``); two force plates (1000 Hz,
        vertical GRF peaks 1.1 body weight, COP heel -> toe); ``metadata`` with
        ``synthetic: True``, ``true_spatiotemporal`` and ``foot_flat_heights_m`` (marker heights
        above the floor with the foot flat).

    References
    ----------
    Winter DA (2009). Biomechanics and Motor Control of Human Movement, 4th ed. Wiley.
    """
    if not 0.0 <= asymmetry <= 0.5:
        raise ValueError(f"asymmetry must be between 0 and 0.5, got {asymmetry}")
    if min(speed_m_s, cadence_steps_min, rate, height_m, n_strides) <= 0:
        raise ValueError("speed, cadence, rate, height and n_strides must be positive")
    b, T = Body(height_m), 120.0 / cadence_steps_min
    tim = timing(T, asymmetry)
    duration = (n_strides + 0.5) * T + 2 * tim["right"][0]
    n, pad = int(round(duration * rate)) + 1, int(round(0.5 * rate))
    t = np.arange(-pad, n + pad) / rate
    legs, pelvis_z, tilt, obl = leg_trajectories(b, t, tim, T, speed_m_s)
    rng = np.random.default_rng(seed)
    pts = {k: v[pad:pad + n] + rng.normal(0.0, noise_m, (n, 3))
           for k, v in sorted(_markers(b, legs, pelvis_z, tilt, obl, speed_m_s, t).items())}
    t_end = (n - 1) / rate
    events = []
    for side, (t0, ts) in tim.items():
        for k in range(-1, n_strides + 3):
            for typ, te in (("IC", t0 + k * T), ("FO", t0 + k * T + ts)):
                if 0.0 <= te <= t_end:
                    events.append(GaitEvent(side=side, type=typ, time_s=float(te),
                                            method="synthetic-truth"))
    events.sort(key=lambda e: e.time_s)
    labels = {k: (k[0] + PIG[k[2:]] if k[2:] in PIG else "SACR") for k in pts}
    meta = {"synthetic": True, "note": NOTE, "source": "synthetic", "vertical_axis": 2,
            "height_m": height_m, "mass_kg": mass_kg,
            "leg_length_m": b.thigh + b.shank + b.ankle_h, "asymmetry": asymmetry, "seed": seed,
            "true_spatiotemporal": _truth(b, legs, tim, T, speed_m_s, cadence_steps_min, t_end),
            "foot_progression_deg": -OUT_TOEING_DEG,    # Plug-in Gait sign: external -
            "foot_flat_heights_m": {"HEEL": b.pts["HEEL"][1], "TOE": b.pts["TOE"][1],
                                    "ANKLE": b.ankle_h},
            "events_definition": "IC = heel touches the floor; FO = toe tip leaves the floor"}
    plates = _plates(b, legs, tim, T, t_end, mass_kg, rng) if force_plates else []
    return Trial(points=pts, rate=rate, first_frame=0, labels=labels, force_plates=plates,
                 events=events, metadata=meta)
