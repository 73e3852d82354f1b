"""Variable-frame-rate videos: keypoints re-timed onto a uniform time grid.

Phones lower the frame rate when the light is poor or the processor busy, and record each
frame's real time in the container (:mod:`groundup.motion.video.reader` keeps it as
``time_s``). Everything after the keypoint table (filters, event detectors, angles) assumes
frame ``i`` at ``i / fps`` s. When the time stamps depart from that by more than
:data:`MAX_DRIFT_FRAMES`, each landmark is interpolated linearly onto the grid ``k / fps``
(``fps`` = the video's typical rate, 1 / median frame interval) between the two video frames
around each grid time; a landmark missing in either of them stays missing there, so no gap is
bridged here that cleaning would not bridge.
"""

from __future__ import annotations

import numpy as np

#: Largest departure (frames) of the time stamps from ``frame / fps`` taken as a constant rate:
#: container times are rounded to the millisecond and some phones jitter by a few ms.
MAX_DRIFT_FRAMES = 0.5


def frame_times(frames: np.ndarray, times: np.ndarray, n: int, fps: float) -> np.ndarray:
    """Time (s) of every video frame ``0..n-1`` from the frames the table holds. Frames with no
    keypoints (nobody detected) are placed by interpolation over the frame index between
    known frames, and at the nominal ``fps`` (Hz) before the first and after the last."""
    order = np.argsort(frames)
    f, t = frames[order].astype(float), times[order].astype(float)
    i = np.arange(n, dtype=float)
    out = np.interp(i, f, t)
    out[i < f[0]] = t[0] - (f[0] - i[i < f[0]]) / fps
    out[i > f[-1]] = t[-1] + (i[i > f[-1]] - f[-1]) / fps
    return out


def irregular(t_frame: np.ndarray, fps: float) -> bool:
    """True when the frame times ``t_frame`` (s) depart from ``i / fps`` by more than
    :data:`MAX_DRIFT_FRAMES` frames."""
    drift = np.abs(t_frame - np.arange(t_frame.size) / fps) * fps
    return bool(drift.size and np.nanmax(drift) > MAX_DRIFT_FRAMES)


def typical_rate(t_frame: np.ndarray) -> float:
    """The video's usual frame rate, Hz: 1 / median interval between frames."""
    dt = np.diff(t_frame)
    dt = dt[dt > 0]
    return float(1.0 / np.median(dt)) if dt.size else float("nan")


def to_grid(a: np.ndarray, t_frame: np.ndarray, fps: float) -> np.ndarray:
    """Resample a per-frame array onto the uniform grid ``k / fps``.

    Parameters
    ----------
    a
        ``(n, ...)`` values per video frame, ``NaN`` = missing.
    t_frame
        ``(n,)`` increasing frame times, seconds from the first frame.
    fps
        Grid rate, Hz.

    Returns
    -------
    numpy.ndarray
        ``(m, ...)`` with ``m = floor(t_frame[-1] * fps) + 1``; each grid value is linear between
        the two frames around its time, ``NaN`` if either is missing (exactly on a frame: that
        frame's value).
    """
    grid = np.arange(int(np.floor(t_frame[-1] * fps + 1e-9)) + 1) / fps
    j = np.clip(np.searchsorted(t_frame, grid, side="right") - 1, 0, t_frame.size - 1)
    k = np.minimum(j + 1, t_frame.size - 1)
    span = t_frame[k] - t_frame[j]
    w = np.where(span > 0, (grid - t_frame[j]) / np.where(span > 0, span, 1.0), 0.0)
    w = w.reshape((-1,) + (1,) * (a.ndim - 1))
    lo, hi = a[j], a[k]
    out = lo * (1 - w) + hi * w
    on_lo, on_hi = w <= 1e-9, w >= 1 - 1e-9
    out = np.where(on_lo, lo, np.where(on_hi, hi, out))
    return out
