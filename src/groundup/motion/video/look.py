"""What the subject and the scene look like: a colour signature and the lighting.

- :func:`appearance` — hue–saturation histogram of the middle of the subject's box, a cheap
  re-identification cue (the same person has a similar histogram from frame to frame).
- :class:`Lighting` — running mean brightness of the frames and of the subject, to say when a
  video is too dark or the subject is backlit (both make the keypoints less reliable).
"""

from __future__ import annotations

import cv2
import numpy as np

from groundup.motion.video.follow import Box

__all__ = ["appearance", "Lighting", "lighting_note", "DARK", "BACKLIT"]

DARK = 50.0  # grey level (0-255): a mean below this is a very dark video
BACKLIT = 0.5  # subject / scene brightness ratio below this (in a bright scene): backlit


def _patch(small: np.ndarray, scale: float, box: Box) -> np.ndarray:
    x0 = int((box.x + 0.2 * box.w) * scale)
    x1 = int((box.x + 0.8 * box.w) * scale)
    y0, y1 = int(box.y * scale), int((box.y + box.h) * scale)
    return small[max(y0, 0):max(y1, 0), max(x0, 0):max(x1, 0)]


def appearance(small: np.ndarray, scale: float, box: Box) -> np.ndarray | None:
    """Hue–saturation histogram (16 × 8 bins, normalised) of the middle of a box.

    Parameters
    ----------
    small
        BGR frame, shrunk by ``scale``.
    scale
        Pixels of ``small`` per original pixel.
    box
        Subject's box in original pixels.

    Returns
    -------
    numpy.ndarray or None
        Flattened histogram; None when the patch is too small (< 30 values).
    """
    patch = _patch(small, scale, box)
    if patch.size < 30:
        return None
    hsv = cv2.cvtColor(patch, cv2.COLOR_BGR2HSV)
    hist = cv2.calcHist([hsv], [0, 1], None, [16, 8], [0, 180, 0, 256])
    return cv2.normalize(hist, hist).flatten()


class Lighting:
    """Running mean brightness (grey level 0–255) of the frames and of the subject.

    The frame brightness is sampled in the decoding thread on a 32-px-wide thumbnail, the
    subject's in the main thread inside their box; each has one writer.
    """

    def __init__(self) -> None:
        self._frame = [0.0, 0]
        self._subject = [0.0, 0]

    def add_frame(self, image: np.ndarray) -> None:
        """Sample the mean brightness of one BGR frame."""
        h = max(1, round(image.shape[0] * 32 / image.shape[1]))
        thumb = cv2.resize(image, (32, h), interpolation=cv2.INTER_AREA)
        self._frame[0] += float(cv2.cvtColor(thumb, cv2.COLOR_BGR2GRAY).mean())
        self._frame[1] += 1

    def add_subject(self, small: np.ndarray, scale: float, box: Box) -> None:
        """Sample the mean brightness of the middle of the subject's box."""
        patch = _patch(small, scale, box)
        if patch.size >= 30:
            self._subject[0] += float(cv2.cvtColor(patch, cv2.COLOR_BGR2GRAY).mean())
            self._subject[1] += 1

    def merge_subject(self, other: Lighting) -> None:
        """Add the subject samples of another accumulator (a kept speculative run)."""
        self._subject[0] += other._subject[0]
        self._subject[1] += other._subject[1]

    @staticmethod
    def _mean(acc: list) -> float | None:
        return round(acc[0] / acc[1], 1) if acc[1] else None

    def as_dict(self) -> dict:
        """``{"frame_mean": …, "subject_mean": …, "dark": bool, "backlit": bool}``."""
        frame, subject = self._mean(self._frame), self._mean(self._subject)
        dark = (frame is not None and frame < DARK) or (subject is not None and subject < DARK)
        backlit = (frame is not None and subject is not None and frame >= 2 * DARK
                   and subject < BACKLIT * frame)
        return {"frame_mean": frame, "subject_mean": subject, "dark": bool(dark),
                "backlit": bool(backlit)}


def lighting_note(lighting: dict | None) -> str | None:
    """One phrase on bad lighting (``Lighting.as_dict()`` form), or None when it is fine."""
    if not lighting:
        return None
    if lighting.get("dark"):
        values = [v for v in (lighting.get("frame_mean"), lighting.get("subject_mean")) if v]
        level = f" (mean brightness {min(values):.0f} of 255)" if values else ""
        return f"the video is very dark{level}: film in good, even light"
    if lighting.get("backlit"):
        return (f"the subject is backlit (subject {lighting['subject_mean']:.0f} vs scene "
                f"{lighting['frame_mean']:.0f} of 255): put the light behind the camera")
    return None
