"""Tiny synthetic videos written with OpenCV for the video tests."""

from __future__ import annotations

import struct
from pathlib import Path

import cv2
import numpy as np

W, H, FPS = 64, 48, 30.0


def write_video(path: Path, n: int = 10, size: tuple[int, int] = (W, H)) -> Path:
    """An MP4 whose left quarter is red and top quarter blue (orientation is visible)."""
    w, h = size
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), FPS, (w, h))
    for i in range(n):
        img = np.zeros((h, w, 3), np.uint8)
        img[:, : w // 4] = (0, 0, 255)
        img[: h // 4, :] = (255, 0, 0)
        img[h - 4 :, (i * 4) % w : (i * 4) % w + 4] = 255
        writer.write(img)
    writer.release()
    return path


def set_rotation(path: Path, out: Path, degrees: int) -> Path:
    """Copy an MP4 with its track matrix set to a display rotation (as phones write it)."""
    data = bytearray(path.read_bytes())
    k = data.find(b"tkhd")
    version = data[k + 4]
    matrix_at = k + 4 + 4 + (32 if version == 1 else 20) + 8 + 8
    one = 1 << 16
    a, b, c, d = {90: (0, one, -one, 0), 180: (-one, 0, 0, -one), 270: (0, -one, one, 0)}[degrees]
    struct.pack_into(">9i", data, matrix_at, a, b, 0, c, d, 0, 0, 0, 1 << 30)
    out.write_bytes(bytes(data))
    return out
