"""The C3D file format: blocks, processor types, number decoding and the header block.

The C3D format is a sequence of 512-byte blocks: a header block, a parameter section (groups
and parameters, each with a signed name length, an id whose sign tells group from parameter,
an offset to the next entry, a type, dimensions, data and a description) and the data frames.
Numbers are stored in the byte order of the processor named in the parameter section: 84 Intel
(little-endian), 85 DEC (little-endian integers, VAX F-floats) or 86 MIPS (big-endian).

The parameter section is decoded by :mod:`.c3d_params`, the data section by :mod:`.c3d_fast`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from groundup.errors import RecordingError

BLOCK = 512
INTEL, DEC, MIPS = 84, 85, 86
CHAR, BYTE, INT, FLOAT = -1, 1, 2, 4


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


def c_string(raw: bytes) -> str:
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
    labels = tuple(c_string(buf[396 + 4 * i: 400 + 4 * i]) for i in range(18))
    return Header(proc=proc, n_points=int(words[1]), n_analog_measurements=int(words[2]),
                  first_frame=first, last_frame=last, max_gap=int(words[5]),
                  scale=float(floats[3]), data_start=int(words[8]),
                  analogs_per_frame=int(words[9]), frame_rate=float(floats[5]),
                  events_time=tuple(float(t) for t in event_times), events_label=labels)
