"""The legs of the synthetic walker through the gait cycle: timing, stance, swing, pelvis height.

Times in seconds, phases in % of the cycle, positions (x forward, z up) in metres.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter1d, maximum_filter1d

from groundup.gait.norms import norm_curve
from groundup.motion.synthetic.body import SIDES, chain, foot_point, ik_knee, planted, rot

VEL_BLEND = 0.2           # fraction of swing over which the foot-off velocity fades into the chain
LAND_M_S = 0.2            # least heel descent speed before contact, m/s


def timing(T: float, asym: float) -> dict[str, tuple[float, float]]:
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


def _min_jerk(u):
    u = np.clip(u, 0, 1)
    return 10 * u ** 3 - 15 * u ** 4 + 6 * u ** 5


def _footprints(b, side, tim, T, speed, k):
    """Heel-contact x, IC and FO foot pitch (rad) and IC time of footfalls ``k`` of one side."""
    t0, ts = tim[side]
    t_ic = t0 + k * T
    x, _, pitch_ic = chain(b, np.zeros(k.shape), _pelvis_angles(t_ic, tim, T)[0])
    d = x + rot((b.pts["heel_c"][0] - b.pts["ankle"][0], b.pts["heel_c"][1] - b.pts["ankle"][1]),
                 pitch_ic)[0]
    pitch_fo = chain(b, np.full(k.shape, 60.0), _pelvis_angles(t_ic + ts, tim, T)[0])[2]
    return speed * t_ic + d, pitch_ic, pitch_fo, t_ic


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
        x, z, q = chain(b, np.broadcast_to(pp, tt.shape), _pelvis_angles(tt, tim, T)[0])
        return np.array([speed * tt + x, np.interp(tt, t, hip_z) + z, q])

    def planted_at(tau, j):
        return np.array(planted(b, np.full(j.shape, tau), o["fp"], j))

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
    lever_x, low = rot((rx, rz), pos[2])
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
    heel = foot_point(b, "heel_c", (pos[0], pos[1]), "ankle", pos[2])[1]
    phi = _min_jerk((u - 0.7) / 0.3) * (1 - u) / 0.3
    need = np.maximum(np.where(u > 0.85, LAND_M_S * tsw * (1 - u), 0.0) - heel, 0.0)
    late = (u > 0.85) & (u < 0.99)
    pos[1] += (need[late] / phi[late]).max(initial=0.0) * phi
    return pos[0], pos[1], pos[2]


def leg_trajectories(b, t, tim, T, speed):
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
        ax, az, pitch = planted(b, np.clip(tc / ts, 0, 1), fp, k - kmin)
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
            kx, kz = ik_knee(hip_x, hip_z, ax, az, b.thigh, b.shank)
            o.update(hip=(hip_x, hip_z), knee=(kx, kz), ankle=(ax, az), pitch=pitch)
            over = np.maximum(over, np.hypot(ax - hip_x, az - hip_z) - np.sqrt(reach2))
        if over.max() <= 0:
            break
        drop = maximum_filter1d(np.maximum(over, 0) / 0.9, int(4 * sigma) + 1)
        pelvis_z = pelvis_z - gaussian_filter1d(drop, sigma, mode="nearest")
    return out, pelvis_z, tilt, obl
