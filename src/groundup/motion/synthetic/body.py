"""The body of the synthetic walker: segment lengths, foot points and their planar geometry.

Sagittal stick model (Winter 2009: thigh 0.245 H, shank 0.246 H, foot 0.152 H, ankle height
0.039 H); positions are (x forward, z up) pairs in metres, pitches in radians.
"""

from __future__ import annotations

import numpy as np

from groundup.gait.norms import norm_curve

SIDES = {"left": ("L", 1.0), "right": ("R", -1.0)}
FLAT_END, HEEL_RISE, TOE_ROLL = 0.15, 0.55, 0.90  # stance fractions: flat, heel rise, toe roll
TOE_ROLL_DEG = -30.0      # toe rotation about the tip at foot-off


class Body:
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


def rot(v: tuple[float, float], pitch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c, s = np.cos(pitch), np.sin(pitch)
    return v[0] * c - v[1] * s, v[0] * s + v[1] * c


def foot_point(b: Body, name: str, pivot_xz, pivot: str, pitch):
    """World (x, z) of a foot point given a pivot's world position and the foot pitch (rad)."""
    q, p = b.pts[name], b.pts[pivot]
    dx, dz = rot((q[0] - p[0], q[1] - p[1]), pitch)
    return pivot_xz[0] + dx, pivot_xz[1] + dz


def chain(b: Body, p: np.ndarray, tilt: np.ndarray):
    """Ankle relative to the hip (x, z) and foot pitch (rad) from the norm curves at phase ``p``."""
    a_t = np.radians(norm_curve("hip_flexion", pct=p)[1]) - tilt
    a_s = a_t - np.radians(norm_curve("knee_flexion", pct=p)[1])
    x = b.thigh * np.sin(a_t) + b.shank * np.sin(a_s)
    z = -b.thigh * np.cos(a_t) - b.shank * np.cos(a_s)
    return x, z, a_s + np.radians(norm_curve("ankle_dorsiflexion", pct=p)[1])


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
    mx, mz = rot(rel, np.radians(TOE_ROLL_DEG) * u3 ** 2)
    heel_piv = tau < HEEL_RISE
    return (heel_piv, np.where(heel_piv, F, F + b.pts["tip"][0] + mx),
            np.where(heel_piv, 0.0, mz), pitch)


def _foot_world(b, name, heel_piv, px, pz, pitch):
    hx, hz = foot_point(b, name, (px, pz), "heel_c", pitch)
    mx, mz = foot_point(b, name, (px, pz), "mtp", pitch)
    return np.where(heel_piv, hx, mx), np.where(heel_piv, hz, mz)


def ik_knee(hx, hz, ax, az, L1, L2):
    """Knee (x, z) of a two-link leg from hip to ankle, knee pointing forward."""
    dx, dz = ax - hx, az - hz
    d = np.clip(np.hypot(dx, dz), abs(L1 - L2) + 1e-6, L1 + L2 - 1e-6)
    beta = np.arccos(np.clip((L1 ** 2 + d ** 2 - L2 ** 2) / (2 * L1 * d), -1, 1))
    ux, uz = dx / d, dz / d
    tx, tz = ux * np.cos(beta) - uz * np.sin(beta), ux * np.sin(beta) + uz * np.cos(beta)
    return hx + L1 * tx, hz + L1 * tz


def planted(b, tau, fp, i):
    """Ankle (x, z) and pitch of planted footfall(s) ``i`` at stance fraction ``tau``."""
    heel_piv, px, pz, pitch = _stance_foot(b, tau, fp[0][i], fp[1][i], fp[2][i])
    ax, az = _foot_world(b, "ankle", heel_piv, px, pz, pitch)
    return ax, az, pitch
