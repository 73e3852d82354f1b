"""The parameter section of a C3D file, decoded with numpy into ezc3d's layout.

Groups and parameters each have a signed name length, an id whose sign tells group from
parameter, an offset to the next entry, a type, dimensions, data and a description. The values
are laid out the way ``ezc3d.c3d(path)`` (1.7.2) lays them out, including its repairs of
non-compliant files: missing mandatory parameters are added with ezc3d's defaults and the header
is brought in line with POINT:FRAMES, POINT:RATE, POINT:USED, ANALOG:RATE and ANALOG:USED.
"""

from __future__ import annotations

import math
import struct
from typing import Any

import numpy as np

from groundup.motion.c3d_format import (
    BLOCK,
    BYTE,
    CHAR,
    FLOAT,
    INT,
    MIPS,
    Header,
    UnsupportedC3D,
    c_string,
    decode_floats,
    int_dtype,
    malformed,
)

_TYPES = (CHAR, BYTE, INT, FLOAT)


def _param(type_: int, value: Any, description: str = "", locked: bool = False) -> dict:
    return {"type": type_, "description": description, "is_locked": locked, "value": value}


def _char_value(raw: bytes, dims: list[int]) -> list[str]:
    """Strings of a CHAR parameter as ezc3d returns them (NULs dropped, trailing spaces cut)."""
    if len(dims) <= 1:
        if not dims or dims[0] == 0:
            return []
        return [raw.replace(b"\0", b"").decode("latin-1").rstrip(" ")]
    width = dims[0]
    count = math.prod(dims[1:])
    return [raw[i * width:(i + 1) * width].replace(b"\0", b"").decode("latin-1").rstrip(" ")
            for i in range(count)]


def read_parameters(buf: bytes, proc: int, name: str) -> dict[str, dict]:
    """Decode the parameter section into ezc3d's ``c3d["parameters"]`` layout.

    Parameters
    ----------
    buf
        The whole file.
    proc
        Processor type from the parameter section.
    name
        File name for messages.

    Returns
    -------
    dict
        ``{GROUP: {"__METADATA__": {...}, PARAM: {"type", "description", "is_locked",
        "value"}}}``; numbers as ``int``/``float`` arrays shaped by the parameter's
        dimensions (Fortran order), strings as lists of ``str``.

    Raises
    ------
    RecordingError
        When an entry runs past the end of the file or has an unknown type.
    """
    pstart = (buf[0] - 1) * BLOCK
    end = len(buf)
    u16 = ">H" if proc == MIPS else "<H"
    i16 = int_dtype(proc, 2)
    groups: list[dict] = []  # by id - 1: {"name", "desc", "locked", "params": {}}

    def group(gid: int) -> dict:
        while len(groups) < gid:
            groups.append({"name": "", "desc": "", "locked": False, "params": {}})
        return groups[gid - 1]

    pos = pstart + 4
    while True:
        if pos + 2 > end:
            raise malformed(name, "the parameter section is cut short")
        nchar = struct.unpack_from("b", buf, pos)[0]
        if nchar == 0:
            break
        gid = struct.unpack_from("b", buf, pos + 1)[0]
        if gid == 0:
            raise malformed(name, "a parameter entry with id 0")
        p = pos + 2
        label = c_string(buf[p:p + abs(nchar)])
        p += abs(nchar)
        if p + 2 > end:
            raise malformed(name, "the parameter section is cut short")
        offset = struct.unpack_from(u16, buf, p)[0]
        nxt = p + offset if offset else 0
        p += 2
        if gid < 0:
            g = group(-gid)
            ndesc = buf[p]
            g.update(name=label, desc=c_string(buf[p + 1:p + 1 + ndesc]), locked=nchar < 0)
        else:
            if p + 2 > end:
                raise malformed(name, "the parameter section is cut short")
            type_ = struct.unpack_from("b", buf, p)[0]
            if type_ not in _TYPES:
                raise malformed(name, f"parameter {label!r} has unknown type {type_}")
            ndim = struct.unpack_from("b", buf, p + 1)[0]
            p += 2
            dims = list(buf[p:p + max(ndim, 0)])
            p += max(ndim, 0)
            if not dims:
                dims = [1]
            count = math.prod(dims)
            nbytes = count * abs(type_)
            if p + nbytes + 1 > end:
                raise malformed(name, f"parameter {label!r} runs past the end of the file")
            if type_ == CHAR:
                value: Any = _char_value(buf[p:p + nbytes], dims if ndim > 0 else [1])
            elif type_ == FLOAT:
                value = decode_floats(buf, p, count, proc).astype(float).reshape(dims, order="F")
            elif type_ == INT:
                value = np.frombuffer(buf, i16, count, p).astype(int).reshape(dims, order="F")
            else:
                value = np.frombuffer(buf, "i1", count, p).astype(int).reshape(dims, order="F")
            p += nbytes
            ndesc = buf[p]
            desc = c_string(buf[p + 1:p + 1 + ndesc])
            group(gid)["params"][label] = _param(type_, value, desc, nchar < 0)
        if not nxt:
            break
        if nxt <= pos or nxt >= end:
            raise malformed(name, "a parameter entry points outside the parameter section")
        pos = nxt

    out: dict[str, dict] = {}
    for g in groups:
        entry = out.setdefault(g["name"], {"__METADATA__": {}})
        entry["__METADATA__"] = {"DESCRIPTION": g["desc"], "IS_LOCKED": g["locked"]}
        entry.update(g["params"])
    _add_mandatory(out)
    return out


def _ints(*values: int) -> np.ndarray:
    return np.array(values, dtype=int)


def _floats(*values: float) -> np.ndarray:
    return np.array(values, dtype=float)


def _add_mandatory(params: dict[str, dict]) -> None:
    """Add the groups and parameters ezc3d adds to a file that lacks them."""
    defaults = {
        "POINT": [("USED", INT, _ints(0), True), ("LABELS", CHAR, [], False),
                  ("DESCRIPTIONS", CHAR, [], False), ("SCALE", FLOAT, _floats(-1.0), True),
                  ("UNITS", CHAR, [], False), ("RATE", FLOAT, _floats(0.0), True),
                  ("DATA_START", INT, _ints(0), True), ("FRAMES", INT, _ints(0), True)],
        "ANALOG": [("USED", INT, _ints(0), True), ("LABELS", CHAR, [], False),
                   ("DESCRIPTIONS", CHAR, [], False), ("GEN_SCALE", FLOAT, _floats(1.0), False),
                   ("SCALE", FLOAT, _floats(), False), ("OFFSET", INT, _ints(), False),
                   ("UNITS", CHAR, [], False), ("RATE", FLOAT, _floats(0.0), True),
                   ("FORMAT", CHAR, [], False), ("BITS", INT, _ints(), False)],
        "FORCE_PLATFORM": [("USED", INT, _ints(0), False), ("TYPE", INT, _ints(), False),
                           ("ZERO", INT, _ints(1, 0), False), ("CORNERS", FLOAT, _floats(), False),
                           ("ORIGIN", FLOAT, _floats(), False), ("CHANNEL", INT, _ints(), False),
                           ("CAL_MATRIX", FLOAT, _floats(), False)],
    }
    for gname, entries in defaults.items():
        grp = params.setdefault(gname, {"__METADATA__": {"DESCRIPTION": "", "IS_LOCKED": False}})
        for pname, type_, value, locked in entries:
            if pname not in grp:
                grp[pname] = _param(type_, value, "", locked)
    frames = params["POINT"]["FRAMES"]
    if frames["type"] in (INT, BYTE) and frames["value"].size and (
            frames["value"].size > 1 or frames["value"].ravel()[0] < 0):
        frames["type"] = INT
        frames["value"] = _ints(int(frames["value"].ravel()[0]) & 0xFFFF)


def as_ints(param: dict | None) -> np.ndarray:
    """Values of a numeric parameter as a flat int array (float values truncated)."""
    if param is None or param["type"] == CHAR:
        return np.zeros(0, dtype=int)
    return np.asarray(param["value"]).ravel(order="F").astype(int)


def as_floats(param: dict | None) -> np.ndarray:
    """Values of a numeric parameter as a flat float array."""
    if param is None or param["type"] == CHAR:
        return np.zeros(0, dtype=float)
    return np.asarray(param["value"], dtype=float).ravel(order="F")


def reconcile_header(header: Header, params: dict[str, dict]) -> None:
    """Bring the header in line with the parameters, as ezc3d's ``updateHeader`` does."""
    point, analog = params["POINT"], params["ANALOG"]
    frames = as_ints(point["FRAMES"])
    n_frames = int(frames[0]) if frames.size else 0
    if n_frames != 0 and n_frames != header.n_frames:
        header.last_frame = n_frames + header.first_frame - 1
    rates = as_floats(point["RATE"])
    rate = float(rates[0]) if rates.size else 0.0
    used = as_ints(point["USED"])
    n_used = int(used[0]) if used.size else 0
    if int(rate * 10000) != int(np.float32(header.frame_rate) * np.float32(10000)):
        if rate == 0.0 and n_used != 0:
            point["RATE"] = _param(FLOAT, _floats(header.frame_rate), point["RATE"]["description"],
                                   point["RATE"]["is_locked"])
        else:
            header.frame_rate = float(np.float32(rate))
    header.n_points = n_used
    arates = as_floats(analog["RATE"])
    arate = float(arates[0]) if arates.size else 0.0
    if int(rate) != 0 and int(arate / rate) != header.analogs_per_frame:
        if header.analogs_per_frame == 1 and "SHADOW" in params:
            raise UnsupportedC3D("a SHADOW file without ANALOG:RATE is not handled by the fast "
                                 "C3D reader", hint="read it with ezc3d")
        header.set_analogs_per_frame(int(arate / rate))
    aused = as_ints(analog["USED"])
    n_analogs = int(aused[0]) if aused.size else 0
    if n_analogs != header.n_analogs:
        header.n_analog_measurements = n_analogs * header.analogs_per_frame
