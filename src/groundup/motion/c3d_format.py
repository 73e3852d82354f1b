"""Header and parameter section of a C3D file, decoded with numpy (see :mod:`.c3d_fast`).

The C3D format is a sequence of 512-byte blocks: a header block, a parameter section (groups
and parameters, each with a signed name length, an id whose sign tells group from parameter,
an offset to the next entry, a type, dimensions, data and a description) and the data frames.
Numbers are stored in the byte order of the processor named in the parameter section: 84 Intel
(little-endian), 85 DEC (little-endian integers, VAX F-floats) or 86 MIPS (big-endian).

The values are laid out the way ``ezc3d.c3d(path)`` (1.7.2) lays them out, including its
repairs of non-compliant files: missing mandatory parameters are added with ezc3d's defaults and
the header is brought in line with POINT:FRAMES, POINT:RATE, POINT:USED, ANALOG:RATE and
ANALOG:USED.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from typing import Any

import numpy as np

from groundup.errors import RecordingError

BLOCK = 512
INTEL, DEC, MIPS = 84, 85, 86
CHAR, BYTE, INT, FLOAT = -1, 1, 2, 4
_TYPES = (CHAR, BYTE, INT, FLOAT)


class UnsupportedC3D(RecordingError):  # noqa: N818 - the name callers catch
    """A valid-looking C3D file whose layout the fast reader does not handle.

    The caller should read the file with ezc3d instead.
    """


def _unsupported(name: str, what: str) -> UnsupportedC3D:
    return UnsupportedC3D(f"{name}: {what} is not handled by the fast C3D reader",
                          hint="read it with ezc3d")


def malformed(name: str, what: str) -> RecordingError:
    """The error for a file that is not a readable C3D file."""
    return RecordingError(f"{name}: not a readable C3D file ({what})",
                          hint="re-export it from the capture software")


def int_dtype(proc: int, size: int = 2, signed: bool = True) -> np.dtype:
    """Numpy dtype of a ``size``-byte integer in the byte order of processor ``proc``."""
    order = ">" if proc == MIPS else "<"
    return np.dtype(f"{order}{'i' if signed else 'u'}{size}")


def decode_floats(buf: bytes | memoryview, offset: int, count: int, proc: int) -> np.ndarray:
    """Read ``count`` 4-byte floats of processor ``proc`` starting at byte ``offset``.

    Parameters
    ----------
    buf
        The file's bytes.
    offset, count
        Where the floats start and how many to read.
    proc
        Processor type (84 Intel, 85 DEC, 86 MIPS).

    Returns
    -------
    numpy.ndarray
        ``float32`` values. DEC (VAX F-floats) are converted as ezc3d does: the two 16-bit
        words are swapped and the exponent is lowered by 2 (the top byte decremented unless 0).
    """
    if proc == INTEL:
        return np.frombuffer(buf, "<f4", count, offset)
    if proc == MIPS:
        return np.frombuffer(buf, ">f4", count, offset).astype("<f4")
    words = np.frombuffer(buf, "<u2", 2 * count, offset).reshape(count, 2).astype(np.uint32)
    u = (words[:, 0] << 16) | words[:, 1]
    u = np.where(u >> 24 != 0, u - np.uint32(0x01000000), u).astype(np.uint32)
    return u.view("<f4")


def _cstr(raw: bytes) -> str:
    """A C string: cut at the first NUL, as ezc3d reads names and descriptions."""
    cut = raw.find(b"\0")
    return (raw if cut < 0 else raw[:cut]).decode("latin-1")


@dataclass
class Header:
    """The fields of the 512-byte header block (after ezc3d's consistency fixes)."""

    proc: int
    n_points: int
    n_analog_measurements: int
    first_frame: int  # 0-based
    last_frame: int  # 0-based, inclusive
    max_gap: int
    scale: float
    data_start: int  # 1-based block
    analogs_per_frame: int
    frame_rate: float
    events_time: tuple = ()
    events_label: tuple = ()
    has_rotations: bool = False

    @property
    def n_analogs(self) -> int:
        """Analog channels (measurements per frame / samples per frame), as ezc3d counts."""
        if self.analogs_per_frame == 0:
            return 0
        return self.n_analog_measurements // self.analogs_per_frame

    def set_analogs_per_frame(self, value: int) -> None:
        """Change the samples per frame, keeping the channel count (ezc3d's setter)."""
        channels = self.n_analogs
        self.analogs_per_frame = value
        self.n_analog_measurements = channels * value

    @property
    def n_frames(self) -> int:
        """Point frames the header declares (0 when there is no point and no analog)."""
        if self.n_points == 0 and self.n_analogs == 0 and not self.has_rotations:
            return 0
        return self.last_frame - self.first_frame + 1


def read_header(buf: bytes, name: str) -> Header:
    """Decode the header block.

    Parameters
    ----------
    buf
        The whole file.
    name
        File name for messages.

    Returns
    -------
    Header
        The raw header, first/last frame converted to 0-based like ezc3d.

    Raises
    ------
    RecordingError
        When the file is too short, lacks the 0x50 key or names no known processor.
    UnsupportedC3D
        When the file starts with zero bytes (a Vicon oddity that ezc3d skips).
    """
    if len(buf) < BLOCK:
        raise malformed(name, f"{len(buf)} bytes, shorter than a C3D header")
    param_block, key = buf[0], buf[1]
    if param_block == 0:
        skip = len(buf) - len(buf.lstrip(b"\0"))
        if skip + 1 < len(buf) and buf[skip + 1] == 0x50:
            raise _unsupported(name, "a header preceded by zero bytes")
        raise malformed(name, "no C3D key byte 0x50 in the header")
    if key != 0x50:
        raise malformed(name, "no C3D key byte 0x50 in the header")
    pstart = (param_block - 1) * BLOCK
    if pstart + 4 > len(buf):
        raise malformed(name, "the parameter section lies beyond the end of the file")
    proc = buf[pstart + 3]
    if proc not in (INTEL, DEC, MIPS):
        raise malformed(name, f"unknown processor type {proc} in the parameter section")
    words = np.frombuffer(buf, int_dtype(proc, 2, signed=False), 256, 0).astype(int)
    floats = decode_floats(buf, 0, 128, proc)  # word pairs 1-2, 3-4, ... (float i at word 2i+1)
    first, last = int(words[3]), int(words[4])
    one_based = first != 0
    if one_based:
        first -= 1
        if last != 0:
            last -= 1
    event_times = decode_floats(buf, 304, 18, proc)
    labels = tuple(_cstr(buf[396 + 4 * i: 400 + 4 * i]) for i in range(18))
    return Header(proc=proc, n_points=int(words[1]), n_analog_measurements=int(words[2]),
                  first_frame=first, last_frame=last, max_gap=int(words[5]),
                  scale=float(floats[3]), data_start=int(words[8]),
                  analogs_per_frame=int(words[9]), frame_rate=float(floats[5]),
                  events_time=tuple(float(t) for t in event_times), events_label=labels)


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
        label = _cstr(buf[p:p + abs(nchar)])
        p += abs(nchar)
        if p + 2 > end:
            raise malformed(name, "the parameter section is cut short")
        offset = struct.unpack_from(u16, buf, p)[0]
        nxt = p + offset if offset else 0
        p += 2
        if gid < 0:
            g = group(-gid)
            ndesc = buf[p]
            g.update(name=label, desc=_cstr(buf[p + 1:p + 1 + ndesc]), locked=nchar < 0)
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
            desc = _cstr(buf[p + 1:p + 1 + ndesc])
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
