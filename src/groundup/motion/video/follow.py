"""Boxes in the image and the crop that follows the subject from frame to frame."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Box", "Follower"]


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in original-frame pixels (x, y = top-left corner)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def center(self) -> tuple[float, float]:
        """Centre (x, y) in pixels."""
        return self.x + self.w / 2, self.y + self.h / 2

    def as_list(self) -> list[float]:
        """``[x, y, w, h]`` rounded to 0.1 px (for metadata)."""
        return [round(float(v), 1) for v in (self.x, self.y, self.w, self.h)]


class Follower:
    """Square crop that follows the subject from one frame's keypoints to the next.

    Parameters
    ----------
    box
        Initial box of the subject (original pixels).
    frame_size
        (width, height) of the original frame in pixels.
    margin
        Crop side as a multiple of the subject's larger box side.
    max_misses
        Frames without a usable pose before the subject counts as lost.
    """

    def __init__(self, box: Box, frame_size: tuple[int, int], *, margin: float = 1.5,
                 max_misses: int = 8) -> None:
        self.frame_size = frame_size
        self.margin = margin
        self.max_misses = max_misses
        self.center = np.array(box.center, float)
        self.size = min(max(box.w, box.h) * margin, float(max(frame_size)))
        self.velocity = np.zeros(2)
        self.misses = 0
        self.last_box = box

    def crop(self) -> tuple[int, int, int, int]:
        """Crop (x0, y0, x1, y1) in original pixels, clipped to the frame."""
        W, H = self.frame_size
        c = self.center + self.velocity
        half = self.size / 2
        x0, y0 = int(max(0, c[0] - half)), int(max(0, c[1] - half))
        x1, y1 = int(min(W, c[0] + half)), int(min(H, c[1] + half))
        return x0, y0, max(x1, x0 + 1), max(y1, y0 + 1)

    def update(self, xy_px: np.ndarray | None, visibility: np.ndarray | None) -> None:
        """Move the crop to the new keypoints, or count a miss when there are none."""
        if xy_px is None or visibility is None or float(np.mean(visibility[11:29])) < 0.3:
            self.misses += 1
            self.center = self.center + self.velocity
            return
        ok = visibility > 0.2
        pts = xy_px[ok] if ok.sum() >= 8 else xy_px
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        new_center = (lo + hi) / 2
        self.velocity = 0.5 * self.velocity + 0.5 * (new_center - self.center)
        self.center = new_center
        side = float(max(hi - lo)) * self.margin
        self.size = 0.7 * self.size + 0.3 * max(side, 64.0)
        self.last_box = Box(lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1])
        self.misses = 0

    @property
    def lost(self) -> bool:
        """True after ``max_misses`` frames without a usable pose, or when out of the frame."""
        W, H = self.frame_size
        out = not (0 <= self.center[0] <= W and 0 <= self.center[1] <= H)
        return self.misses >= self.max_misses or out
