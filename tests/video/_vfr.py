"""Write a variable-frame-rate MP4 for tests: OpenCV writes a constant rate, then the sample
durations of the file's ``stts`` box are rewritten (ISO/IEC 14496-12, 8.6.1.2), the sizes of
the boxes that hold it updated, and the movie, track, media and edit durations set to the new
total. OpenCV puts ``moov`` after ``mdat`` (checked), so no chunk offset moves. Version-0 boxes
(32-bit times), as OpenCV writes them."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

_PARENTS = (b"moov", b"trak", b"mdia", b"minf", b"stbl")


def _boxes(b: bytes, off: int, end: int):
    while off < end:
        size, typ = struct.unpack(">I4s", b[off:off + 8])
        yield off, size, typ
        off += size


def _u32(b, i: int) -> int:
    return struct.unpack(">I", bytes(b[i:i + 4]))[0]


def _set_durations(b: bytearray, media_ticks: int) -> None:
    """Durations of mvhd, tkhd, elst (movie time scale) and mdhd (media time scale); ``i`` is
    the offset of each box's type field."""
    media_scale = _u32(b, b.index(b"mdhd") + 16)
    i = b.index(b"mvhd")
    movie_ticks = int(round(media_ticks * _u32(b, i + 16) / media_scale))
    struct.pack_into(">I", b, i + 20, movie_ticks)
    struct.pack_into(">I", b, b.index(b"tkhd") + 24, movie_ticks)
    struct.pack_into(">I", b, b.index(b"mdhd") + 20, media_ticks)
    if b"elst" in b:
        struct.pack_into(">I", b, b.index(b"elst") + 12, movie_ticks)


def write_vfr(path: Path, frames, times_s: np.ndarray, nominal_fps: float) -> None:
    """Write BGR ``frames`` to ``path`` (MP4), frame ``i`` shown at ``times_s[i]`` s."""
    import cv2

    h, w = frames[0].shape[:2]
    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), nominal_fps, (w, h))
    for f in frames:
        out.write(f)
    out.release()
    b = bytearray(path.read_bytes())
    if b.index(b"moov") < b.index(b"mdat"):
        raise ValueError("moov before mdat: chunk offsets would move")
    scale = _u32(b, b.index(b"mdhd") + 16)
    ticks = np.round(np.asarray(times_s, float) * scale).astype(np.int64)
    deltas = np.diff(np.append(ticks, ticks[-1] + ticks[-1] - ticks[-2]))
    body = struct.pack(">II", 0, len(deltas)) + b"".join(struct.pack(">II", 1, int(d))
                                                         for d in deltas)
    chain, off, end = [], 0, len(b)
    while True:  # descend to stts through the parent boxes, remembering them
        for o, size, typ in _boxes(bytes(b), off, end):
            if typ in _PARENTS:
                chain.append(o)
                off, end = o + 8, o + size
                break
            if typ == b"stts":
                grow = 8 + len(body) - size
                b[o:o + size] = struct.pack(">I4s", 8 + len(body), b"stts") + body
                for p in chain:
                    struct.pack_into(">I", b, p, _u32(b, p) + grow)
                _set_durations(b, int(deltas.sum()))
                path.write_bytes(bytes(b))
                return
        else:
            raise ValueError("no stts box")
