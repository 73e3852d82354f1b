"""C3D force platforms: force, moment, centre of pressure and free moment from the analogs.

Computed from the FORCE_PLATFORM parameters in the global frame with ezc3d's (1.7.2) formulas
for plate types 1 to 4; forces in the file's force unit (N), positions in POINT:UNITS. Other
types or inconsistent parameters raise :class:`~groundup.motion.c3d_format.UnsupportedC3D`.
"""

from __future__ import annotations

import numpy as np

from groundup.motion.c3d_format import Header, UnsupportedC3D
from groundup.motion.c3d_params import as_floats, as_ints


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cross product of (3, n) arrays (or a (3, 1) column), row-wise."""
    return np.stack([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2],
                     a[0] * b[1] - a[1] * b[0]])


def _plate_error(name: str, what: str) -> UnsupportedC3D:
    return UnsupportedC3D(f"{name}: {what}", hint="read it with ezc3d")


def force_platforms(header: Header, params: dict, analogs: np.ndarray, name: str) -> list[dict]:
    """The force platforms of a C3D file in ezc3d's ``data["platform"]`` layout.

    Parameters
    ----------
    header
        The reconciled header.
    params
        The parameter section (:func:`~groundup.motion.c3d_params.read_parameters`).
    analogs
        Scaled analog channels, ``(n_channels, n_samples)``.
    name
        File name for messages.

    Returns
    -------
    list of dict
        One per plate: ``force``, ``moment``, ``center_of_pressure``, ``Tz`` (3, n_samples),
        ``corners`` (3, 4), ``origin`` (3,), ``cal_matrix`` (6, 6), ``unit_force``,
        ``unit_moment``, ``unit_position``.

    Raises
    ------
    UnsupportedC3D
        When a plate type is not 1-4 or the FORCE_PLATFORM parameters are inconsistent.
    """
    fp = params["FORCE_PLATFORM"]
    used = as_ints(fp["USED"])
    n_plates = int(used[0]) if used.size else 0
    if n_plates <= 0:
        return []
    units = params["POINT"]["UNITS"]["value"]
    unit_pos = units[0] if isinstance(units, list) and units else "m"
    funits = fp.get("UNITS", {}).get("value")
    unit_force = funits[0] if isinstance(funits, list) and funits else "N"
    types = as_ints(fp["TYPE"])
    corners_all, origins = as_floats(fp["CORNERS"]), as_floats(fp["ORIGIN"])
    channel = fp["CHANNEL"]["value"]
    cal = fp["CAL_MATRIX"]
    cal_dims = np.shape(cal["value"])
    cal_flat = as_floats(cal)
    n_samples = analogs.shape[1] if analogs.ndim == 2 else 0
    plates = []
    for idx in range(n_plates):
        if types.size < idx + 1:
            raise _plate_error(name, "FORCE_PLATFORM:TYPE lists fewer plates than USED")
        ptype = int(types[idx])
        if ptype not in (1, 2, 3, 4):
            raise _plate_error(name, f"force plate type {ptype} is not handled by the fast "
                                     "C3D reader")
        if corners_all.size < 12 * (idx + 1) or origins.size < 3 * (idx + 1):
            raise _plate_error(name, "FORCE_PLATFORM:CORNERS/ORIGIN list fewer plates than USED")
        corners = corners_all[12 * idx:12 * idx + 12].reshape(4, 3).T.copy()
        origin = origins[3 * idx:3 * idx + 3].copy()
        if ptype == 1:
            origin[:2] = 0.0
        if origin[2] > 0.0:
            origin = -origin
        calm = np.zeros((6, 6))
        if len(cal_dims) >= 3 and cal_dims[2] > idx:
            skip = cal_dims[0] * cal_dims[1]
            if cal_flat.size == 0:
                calm = np.eye(6)
            else:
                calm = cal_flat[skip * idx:skip * idx + 36].reshape(6, 6, order="F")
        elif ptype == 4:
            raise _plate_error(name, "FORCE_PLATFORM:CAL_MATRIX is missing for a type-4 plate")
        n_ch = 8 if ptype == 3 else 6
        ch_dims = np.shape(channel)
        if fp["CHANNEL"]["type"] not in (1, 2) or len(ch_dims) < 2 or ch_dims[0] < n_ch \
                or ch_dims[1] < idx + 1:
            raise _plate_error(name, "FORCE_PLATFORM:CHANNEL does not list the plate's channels")
        chans = np.asarray(channel)[:n_ch, idx].astype(int) - 1
        if n_samples and (chans.min() < 0 or chans.max() >= analogs.shape[0]):
            raise _plate_error(name, "FORCE_PLATFORM:CHANNEL names a channel that is not stored")
        data = analogs[chans] if n_samples else np.zeros((n_ch, 0))
        poly = np.zeros(12)
        if ptype == 3 and "FPCOPPOLY" in fp:
            all_poly = as_floats(fp["FPCOPPOLY"])
            if all_poly.size:
                if all_poly.size < 12 * (idx + 1):
                    raise _plate_error(name, "FORCE_PLATFORM:FPCOPPOLY is too short")
                poly = all_poly[12 * idx:12 * idx + 12]
        plate = _plate_signals(ptype, data, corners, origin, calm, poly)
        plate.update(unit_force=unit_force, unit_moment=unit_force + unit_pos,
                     unit_position=unit_pos, cal_matrix=calm, corners=corners, origin=origin)
        plates.append(plate)
    return plates


def _frame(corners: np.ndarray) -> np.ndarray:
    """Rotation from plate to global axes, built from the corners as ezc3d builds it."""
    x = corners[:, 0] - corners[:, 1]
    y = corners[:, 0] - corners[:, 3]
    z = _cross(x[:, None], y[:, None])[:, 0]  # same arithmetic as np.cross, without its overhead
    y = _cross(z[:, None], x[:, None])[:, 0]
    return np.stack([v / np.linalg.norm(v) for v in (x, y, z)], axis=1)


def _plate_signals(ptype: int, ch: np.ndarray, corners: np.ndarray, origin: np.ndarray,
                   cal: np.ndarray, poly: np.ndarray) -> dict[str, np.ndarray]:
    """Force, moment, centre of pressure and free moment (3, n) in the global frame."""
    rot = _frame(corners)
    centre = corners.mean(axis=1)[:, None]
    zero = np.zeros(ch.shape[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        if ptype == 1:
            force = rot @ ch[:3]
            cop = rot @ np.stack([ch[3], ch[4], zero])
            tz = rot @ np.stack([zero, zero, ch[5]])
            return {"force": force, "moment": _cross(force, cop) - tz,
                    "center_of_pressure": cop + centre, "Tz": tz}
        if ptype == 3:
            f_raw = np.stack([ch[0] + ch[1], ch[2] + ch[3], ch[4] + ch[5] + ch[6] + ch[7]])
            ox, oy, oz = origin
            m_raw = np.stack([oy * (ch[4] + ch[5] - ch[6] - ch[7]),
                              ox * (ch[5] + ch[6] - ch[4] - ch[7]),
                              oy * (ch[1] - ch[0]) + ox * (ch[2] - ch[3])])
            m_raw = m_raw + _cross(f_raw, np.array([0.0, 0.0, oz])[:, None])
        else:
            raw = cal @ ch[:6] if ptype == 4 else ch[:6]
            f_raw = raw[:3]
            m_raw = raw[3:] + _cross(f_raw, origin[:, None])
        cx = -m_raw[1] / f_raw[2]
        cy = m_raw[0] / f_raw[2]
        if ptype == 3:
            dx = (poly[0] * cy ** 4 + poly[1] * cy ** 2 + poly[2]) * cx ** 3 \
                + (poly[3] * cy ** 4 + poly[4] * cy ** 2 + poly[5]) * cx
            dy = (poly[6] * cx ** 4 + poly[7] * cx ** 2 + poly[8]) * cy ** 3 \
                + (poly[9] * cx ** 4 + poly[10] * cx ** 2 + poly[11]) * cy
            cx, cy = cx - dx, cy - dy
        cop_raw = np.stack([cx, cy, zero])
        tz = rot @ (m_raw - _cross(f_raw, -cop_raw))
        return {"force": rot @ f_raw, "moment": rot @ m_raw,
                "center_of_pressure": rot @ cop_raw + centre, "Tz": tz}

