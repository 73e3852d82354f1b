"""A synthetic walking trial built from the normative angle curves — for tests and demos.

Sagittal stick model per leg (Winter 2009: thigh 0.245 H, shank 0.246 H, foot 0.152 H, ankle
height 0.039 H), legs half a cycle apart, Plug-in-Gait markers under canonical names, metres,
``z`` up, ``x`` = walking direction, ``y`` = left. The pelvis moves forward at exactly the
requested speed, with tilt and obliquity from the norm curves. In stance the foot is *planted*
(heel rocker, foot flat, heel rise about the MTP joint, toe roll about the toe tip) and the pelvis
height makes the stance knee follow the normative knee curve; in swing the foot hangs from the
hip on the normative hip/knee/ankle chain, corrected smoothly to leave where stance ended and to
land on the next footprint, with extra flexion/dorsiflexion where toe clearance needs it. Knees
come from two-link inverse kinematics. Events are exact by construction: IC = the heel touches
the floor, FO = the toe tip leaves it. Joint angles are therefore *emergent*, not the norm
curves: walking symmetrically they stay within 4-6 deg RMS of them, with the largest departures
where the constraints bite (knee up to ~16 deg more flexed in terminal swing as the heel is
lowered onto the floor, ankle ~10 deg more dorsiflexed in mid-stance with the foot flat).
Zeni (2008) and O'Connor (2007) detectors find the events within ~1.5 frames at 100 Hz.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter1d, maximum_filter1d

from groundup.gait.norms import norm_curve
from groundup.motion.trial import ForcePlate, GaitEvent, Trial

NOTE = "synthetic walking trial generated from normative curves — not a real patient"
G = 9.81
SIDES = {"left": ("L", 1.0), "right": ("R", -1.0)}
PIG = {"ASIS": "ASI", "PSIS": "PSI", "THIGH": "THI", "KNEE": "KNE", "TIBIA": "TIB",
       "ANKLE": "ANK", "HEEL": "HEE", "TOE": "TOE"}
FLAT_END, HEEL_RISE, TOE_ROLL = 0.15, 0.55, 0.90  # stance fractions: flat, heel rise, toe roll
TOE_ROLL_DEG = -30.0      # toe rotation about the tip at foot-off
VEL_BLEND = 0.2           # fraction of swing over which the foot-off velocity fades into the chain
LAND_M_S = 0.2            # least heel descent speed before contact, m/s
OUT_TOEING_DEG = 9.0      # foot turned out (gait-norms.md: adults ~5-13 deg)


class _Body:
    """Segment lengths and foot geometry (metres) scaled to height ``h`` (Winter 2009)."""

    def __init__(self, h: float) -> None:
        self.thigh, self.shank, self.foot, self.ankle_h = 0.245 * h, 0.246 * h, 0.152 * h, 0.039 * h
        lf = self.foot
        # Foot points, sagittal (x forward from the heel contact point, z up from the sole).
        self.pts = {"heel_c": (0.0, 0.0), "ankle": (0.1 * lf, self.ankle_h),
                    "mt_c": (0.62 * lf, 0.0), "mtp": (0.62 * lf, 0.008 * h),
                    "tip": (0.9 * lf, 0.0), "HEEL": (-0.1 * lf - 0.007, 0.02 * h),
                    "TOE": (0.62 * lf, 0.0143 * h)}
        self.asis_w = 0.14 * h           # inter-ASIS width; hip centres in the style of Bell 1990
        self.hip_y = 0.36 * self.asis_w
        self.step_width = 0.10           # gait-norms.md: ~10 cm typical


def _rot(v: tuple[float, float], pitch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c, s = np.cos(pitch), np.sin(pitch)
    return v[0] * c - v[1] * s, v[0] * s + v[1] * c


def _foot_point(b: _Body, name: str, pivot_xz, pivot: str, pitch):
    """World (x, z) of a foot point given a pivot's world position and the foot pitch (rad)."""
    q, p = b.pts[name], b.pts[pivot]
    dx, dz = _rot((q[0] - p[0], q[1] - p[1]), pitch)
    return pivot_xz[0] + dx, pivot_xz[1] + dz


def _chain(b: _Body, p: np.ndarray, tilt: np.ndarray):
    """Ankle relative to the hip (x, z) and foot pitch (rad) from the norm curves at phase ``p``."""
    a_t = np.radians(norm_curve("hip_flexion", pct=p)[1]) - tilt
    a_s = a_t - np.radians(norm_curve("knee_flexion", pct=p)[1])
    x = b.thigh * np.sin(a_t) + b.shank * np.sin(a_s)
    z = -b.thigh * np.cos(a_t) - b.shank * np.cos(a_s)
    return x, z, a_s + np.radians(norm_curve("ankle_dorsiflexion", pct=p)[1])


def _timing(T: float, asym: float) -> dict[str, tuple[float, float]]:
    """First IC time and stance duration per side (s)."""
    d = 0.6 * T * asym
    t0 = 0.2 * T
    return {"right": (t0, 0.6 * T + d / 2), "left": (t0 + 0.5 * T + 0.75 * d, 0.6 * T - d)}


def _phase(t, t0, ts, T):
    """Cycle index, time in cycle, stance flag and warped phase (% cycle, stance -> 0-60)."""
    k = np.floor((t - t0) / T).astype(int)
    tc = t - t0 - k * T
    st = tc < ts
    p = np.where(st, 60.0 * tc / ts, 60.0 + 40.0 * (tc - ts) / (T - ts))
    return k, tc, st, p


def _pelvis_angles(t, tim, T):
    """Pelvic tilt and left-up obliquity (rad), averaged over both sides' norm curves."""
    p = {s: _phase(t, *tim[s], T)[3] for s in tim}
    tilt = 0.5 * (norm_curve("pelvic_tilt", pct=p["left"])[1]
                  + norm_curve("pelvic_tilt", pct=p["right"])[1])
    obl = 0.5 * (norm_curve("pelvic_obliquity", pct=p["left"])[1]
                 - norm_curve("pelvic_obliquity", pct=p["right"])[1])
    return np.radians(tilt), np.radians(obl)


def _stance_foot(b, tau, F, pitch_ic, pitch_fo):
    """Pivot, pivot world (x, z) and pitch (rad) of a planted foot at stance fraction ``tau``.

    Heel rocker about the heel contact point, foot flat, heel rise about the metatarso-
    phalangeal (MTP) joint with the toes flat, then a toe roll: the toes rotate about their tip
    by up to TOE_ROLL_DEG, lifting and advancing the MTP joint until the tip leaves the floor.
    """
    u1 = np.clip(tau / FLAT_END, 0, 1)
    u2 = np.clip((tau - HEEL_RISE) / (1 - HEEL_RISE), 0, 1)
    u3 = np.clip((tau - TOE_ROLL) / (1 - TOE_ROLL), 0, 1)
    pitch = pitch_ic * (1 - u1) ** 2 + pitch_fo * u2 ** 2
    rel = (b.pts["mtp"][0] - b.pts["tip"][0], b.pts["mtp"][1] - b.pts["tip"][1])
    mx, mz = _rot(rel, np.radians(TOE_ROLL_DEG) * u3 ** 2)
    heel_piv = tau < HEEL_RISE
    return (heel_piv, np.where(heel_piv, F, F + b.pts["tip"][0] + mx),
            np.where(heel_piv, 0.0, mz), pitch)


def _foot_world(b, name, heel_piv, px, pz, pitch):
    hx, hz = _foot_point(b, name, (px, pz), "heel_c", pitch)
    mx, mz = _foot_point(b, name, (px, pz), "mtp", pitch)
    return np.where(heel_piv, hx, mx), np.where(heel_piv, hz, mz)


def _ik_knee(hx, hz, ax, az, L1, L2):
    """Knee (x, z) of a two-link leg from hip to ankle, knee pointing forward."""
    dx, dz = ax - hx, az - hz
    d = np.clip(np.hypot(dx, dz), abs(L1 - L2) + 1e-6, L1 + L2 - 1e-6)
    beta = np.arccos(np.clip((L1 ** 2 + d ** 2 - L2 ** 2) / (2 * L1 * d), -1, 1))
    ux, uz = dx / d, dz / d
    tx, tz = ux * np.cos(beta) - uz * np.sin(beta), ux * np.sin(beta) + uz * np.cos(beta)
    return hx + L1 * tx, hz + L1 * tz


def _min_jerk(u):
    u = np.clip(u, 0, 1)
    return 10 * u ** 3 - 15 * u ** 4 + 6 * u ** 5


def _footprints(b, side, tim, T, speed, k):
    """Heel-contact x, IC and FO foot pitch (rad) and IC time of footfalls ``k`` of one side."""
    t0, ts = tim[side]
    t_ic = t0 + k * T
    x, _, pitch_ic = _chain(b, np.zeros(k.shape), _pelvis_angles(t_ic, tim, T)[0])
    d = x + _rot((b.pts["heel_c"][0] - b.pts["ankle"][0], b.pts["heel_c"][1] - b.pts["ankle"][1]),
                 pitch_ic)[0]
    pitch_fo = _chain(b, np.full(k.shape, 60.0), _pelvis_angles(t_ic + ts, tim, T)[0])[2]
    return speed * t_ic + d, pitch_ic, pitch_fo, t_ic


def _planted(b, tau, fp, i):
    """Ankle (x, z) and pitch of planted footfall(s) ``i`` at stance fraction ``tau``."""
    heel_piv, px, pz, pitch = _stance_foot(b, tau, fp[0][i], fp[1][i], fp[2][i])
    ax, az = _foot_world(b, "ankle", heel_piv, px, pz, pitch)
    return ax, az, pitch


def _swing(b, o, t, hip_z, tim, T, speed, side, kmin):
    """Ankle (x, z) and pitch in swing: the norm chain hung from the hip, plus minimum-jerk
    corrections that match the foot-off position (fading over the first half of swing) and the
    next contact (growing over the second half), a term that carries the foot-off velocity over
    the first VEL_BLEND of swing, and extra dorsiflexion where needed for toe clearance."""
    t0, ts = tim[side]
    tsw, sw = T - ts, ~o["st"]
    i = o["k"][sw] - kmin
    t_fo = t0 + o["k"][sw] * T + ts

    def chain_at(tt, pp):
        x, z, q = _chain(b, np.broadcast_to(pp, tt.shape), _pelvis_angles(tt, tim, T)[0])
        return np.array([speed * tt + x, np.interp(tt, t, hip_z) + z, q])

    def planted_at(tau, j):
        return np.array(_planted(b, np.full(j.shape, tau), o["fp"], j))

    e = 1e-3
    d0 = planted_at(1.0, i) - chain_at(t_fo, 60.0)
    v0 = ((planted_at(1.0, i) - planted_at(1.0 - e, i)) / (e * ts)
          - (chain_at(t_fo + e * tsw, 60.0 + 40.0 * e) - chain_at(t_fo, 60.0)) / (e * tsw))
    d1 = planted_at(0.0, i + 1) - chain_at(t_fo + tsw, 0.0)
    u = (o["tc"][sw] - ts) / tsw
    g = np.where(u < VEL_BLEND, u * (1 - u / VEL_BLEND) ** 2, 0.0)   # g(0)=0, g'(0)=1
    pos = (chain_at(t[sw], o["p"][sw]) + (1 - _min_jerk(2 * u)) * d0 + g * tsw * v0
           + _min_jerk(2 * u - 1) * d1)
    # Toe clearance (metatarsal heads >= 10 mm up in mid-swing): half by lifting the ankle
    # (more hip/knee flexion), half by dorsiflexing the foot.
    rx, rz = (b.pts["mt_c"][0] - b.pts["ankle"][0], b.pts["mt_c"][1] - b.pts["ankle"][1])
    lever_x, low = _rot((rx, rz), pos[2])
    bump, mid = np.sin(np.pi * u) ** 2, (u > 0.15) & (u < 0.85)
    for part in ("lift", "dorsiflex"):
        need = np.maximum(0.010 * np.minimum(1.0, np.minimum(u, 1 - u) / 0.2) - pos[1] - low, 0)
        if part == "lift":
            pos[1] += 0.5 * (need[mid] / bump[mid]).max(initial=0.0) * bump
        else:
            need = need / np.maximum(lever_x, 0.05)       # rad of dorsiflexion
            pos[2] += (need[mid] / bump[mid]).max(initial=0.0) * bump
    # Heel descent: the heel comes down at >= LAND_M_S in terminal swing instead of skimming the
    # floor (last 15 % of swing); the lift phi(u) starts flat at u = 0.7 and lands moving down.
    heel = _foot_point(b, "heel_c", (pos[0], pos[1]), "ankle", pos[2])[1]
    phi = _min_jerk((u - 0.7) / 0.3) * (1 - u) / 0.3
    need = np.maximum(np.where(u > 0.85, LAND_M_S * tsw * (1 - u), 0.0) - heel, 0.0)
    late = (u > 0.85) & (u < 0.99)
    pos[1] += (need[late] / phi[late]).max(initial=0.0) * phi
    return pos[0], pos[1], pos[2]


def _legs(b, t, tim, T, speed):
    """Hip, knee, ankle (x, z), foot pitch per side, pelvis height, tilt and obliquity."""
    hip_x = speed * t
    tilt, obl = _pelvis_angles(t, tim, T)
    kmin, kmax = int(np.floor((t[0] - 2 * T) / T)), int(np.ceil(t[-1] / T)) + 1
    ks = np.arange(kmin, kmax + 1)
    out, num, den, cap = {}, np.zeros_like(t), np.zeros_like(t), np.full_like(t, np.inf)
    reach2 = b.thigh ** 2 + b.shank ** 2 + 2 * b.thigh * b.shank * np.cos(np.radians(3.0))
    for side, (_, sg) in SIDES.items():
        t0, ts = tim[side]
        fp = _footprints(b, side, tim, T, speed, ks)
        k, tc, st, p = _phase(t, t0, ts, T)
        ax, az, pitch = _planted(b, np.clip(tc / ts, 0, 1), fp, k - kmin)
        knee = np.radians(norm_curve("knee_flexion", pct=p)[1])
        dist2 = b.thigh ** 2 + b.shank ** 2 + 2 * b.thigh * b.shank * np.cos(knee)
        z_req = az + np.sqrt(np.maximum(dist2 - (hip_x - ax) ** 2, 1e-4))
        w = np.where(st, np.minimum(tc, ts - tc), 0.0)
        num += w * (z_req - sg * b.hip_y * np.sin(obl))
        den += w
        # A stance leg cannot be longer than straight (knee >= 3 deg): cap the pelvis height.
        reach = az + np.sqrt(np.maximum(reach2 - (hip_x - ax) ** 2, 1e-4))
        cap = np.minimum(cap, np.where(st, reach - sg * b.hip_y * np.sin(obl), np.inf))
        out[side] = dict(fp=fp, ks=ks, k=k, tc=tc, st=st, p=p, ax=ax, az=az, pitch=pitch, sg=sg)
    sigma = 0.03 / (t[1] - t[0])
    pelvis_z = gaussian_filter1d(np.minimum(num / np.maximum(den, 1e-9), cap), sigma,
                                 mode="nearest")
    pelvis_z = np.minimum(pelvis_z, cap)
    for _ in range(3):  # lower the pelvis where a swinging leg could not reach its foot
        over = np.zeros_like(t)
        for side, o in out.items():
            hip_z = pelvis_z + o["sg"] * b.hip_y * np.sin(obl)
            sw = ~o["st"]
            ax, az, pitch = o["ax"].copy(), o["az"].copy(), o["pitch"].copy()
            ax[sw], az[sw], pitch[sw] = _swing(b, o, t, hip_z, tim, T, speed, side, kmin)
            kx, kz = _ik_knee(hip_x, hip_z, ax, az, b.thigh, b.shank)
            o.update(hip=(hip_x, hip_z), knee=(kx, kz), ankle=(ax, az), pitch=pitch)
            over = np.maximum(over, np.hypot(ax - hip_x, az - hip_z) - np.sqrt(reach2))
        if over.max() <= 0:
            break
        drop = maximum_filter1d(np.maximum(over, 0) / 0.9, int(4 * sigma) + 1)
        pelvis_z = pelvis_z - gaussian_filter1d(drop, sigma, mode="nearest")
    return out, pelvis_z, tilt, obl


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
        hx_, hz_ = _foot_point(b, "HEEL", (ax, az), "ankle", o["pitch"])
        tx, tz = _foot_point(b, "TOE", (ax, az), "ankle", o["pitch"])
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
    b, T = _Body(height_m), 120.0 / cadence_steps_min
    tim = _timing(T, asymmetry)
    duration = (n_strides + 0.5) * T + 2 * tim["right"][0]
    n, pad = int(round(duration * rate)) + 1, int(round(0.5 * rate))
    t = np.arange(-pad, n + pad) / rate
    legs, pelvis_z, tilt, obl = _legs(b, t, tim, T, speed_m_s)
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
