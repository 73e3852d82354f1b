"""Keypoint table -> clean per-landmark pixel trajectories.

Steps, in order (:func:`clean_keypoints`): the long table becomes one ``(n, 2)`` pixel array per
landmark on a uniform frame grid (:func:`to_wide`); samples below a visibility threshold become
``NaN``; left/right swaps and both-labels-on-one-foot frames are repaired
(:mod:`groundup.motion.video.swaps`); isolated outliers are removed with a Hampel filter; gaps
up to ``max_gap_s`` are bridged linearly; a zero-phase Butterworth low-pass smooths the rest
(``groundup.signal.lowpass``, ``scipy.signal.sosfiltfilt``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.ndimage import median_filter

from groundup.errors import InsufficientDataError
from groundup.signal import fill_gaps, lowpass

REQUIRED = ("frame", "landmark", "x_px", "y_px")


@dataclass(kw_only=True)
class Keypoints2D:
    """Per-landmark image trajectories on a uniform frame grid.

    Attributes
    ----------
    xy
        Landmark -> ``(n, 2)`` pixel coordinates (x right, y down, original image pixels),
        ``NaN`` = missing.
    visibility
        Landmark -> ``(n,)`` visibility 0-1 (``NaN`` where the landmark was not reported).
    z_rel
        Landmark -> ``(n,)`` BlazePose relative depth (smaller = nearer the camera).
    fps
        Frame rate, Hz; frame ``i`` is at ``i / fps`` s from the first video frame.
    width, height
        Image size, pixels.
    notes
        What cleaning did (for the result's warnings).
    """

    xy: dict[str, np.ndarray]
    visibility: dict[str, np.ndarray]
    z_rel: dict[str, np.ndarray]
    fps: float
    width: int
    height: int
    notes: list[str] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    @property
    def n_frames(self) -> int:
        """Number of frames on the grid."""
        return next(iter(self.xy.values())).shape[0] if self.xy else 0

    def copy(self) -> Keypoints2D:
        """A deep copy (arrays copied)."""
        return Keypoints2D(xy={k: v.copy() for k, v in self.xy.items()},
                           visibility={k: v.copy() for k, v in self.visibility.items()},
                           z_rel={k: v.copy() for k, v in self.z_rel.items()}, fps=self.fps,
                           width=self.width, height=self.height, notes=list(self.notes),
                           stats=dict(self.stats))


def to_wide(df: pd.DataFrame, meta: dict) -> Keypoints2D:
    """Pivot the long keypoint table to one array per landmark.

    Parameters
    ----------
    df
        Keypoint table (columns ``frame``, ``landmark``, ``x_px``, ``y_px`` and optionally
        ``time_s``, ``visibility``, ``z_rel``).
    meta
        ``fps`` (Hz), ``width`` and ``height`` (px). Without ``fps`` it is estimated from
        ``time_s``.

    Raises
    ------
    InsufficientDataError
        When the table is empty (no person detected) or lacks the required columns.
    """
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise InsufficientDataError(f"keypoint table lacks column(s) {', '.join(missing)}",
                                    hint="expected the table of groundup.motion.video")
    df = df.dropna(subset=["x_px", "y_px"])
    if df.empty:
        raise InsufficientDataError("no person was detected in the video (no keypoints)",
                                    hint="check lighting and framing, or give --region")
    fps = float(meta.get("fps") or 0)
    if fps <= 0 and "time_s" in df.columns:
        per = df.drop_duplicates("frame").sort_values("frame")
        dt = np.diff(per["time_s"].to_numpy()) / np.maximum(np.diff(per["frame"].to_numpy()), 1)
        fps = 1.0 / float(np.median(dt)) if dt.size else 0.0
    if not np.isfinite(fps) or fps <= 0:
        raise InsufficientDataError("the video frame rate is unknown", hint="give meta['fps']")
    n = int(df["frame"].max()) + 1
    xy, vis, z = {}, {}, {}
    for name, g in df.groupby("landmark", sort=True):
        idx = g["frame"].to_numpy(dtype=int)
        a = np.full((n, 2), np.nan)
        a[idx] = g[["x_px", "y_px"]].to_numpy(dtype=float)
        xy[str(name)] = a
        v = np.full(n, np.nan)
        v[idx] = g["visibility"].to_numpy(float) if "visibility" in g else 1.0
        vis[str(name)] = v
        zz = np.full(n, np.nan)
        if "z_rel" in g:
            zz[idx] = g["z_rel"].to_numpy(float)
        z[str(name)] = zz
    return Keypoints2D(xy=xy, visibility=vis, z_rel=z, fps=fps,
                       width=int(meta.get("width") or 0), height=int(meta.get("height") or 0))


def hampel(x: np.ndarray, window: int, k: float = 4.0, floor: float = 3.0) -> np.ndarray:
    """Mask of outliers of ``(n, 2)`` rows: distance to the running median > k robust SDs.

    Parameters
    ----------
    x
        Trajectory, pixels.
    window
        Running-median window, frames (odd).
    k
        Threshold in robust SDs (1.4826 x median absolute deviation).
    floor
        Smallest threshold, pixels (keypoint jitter is never an outlier).
    """
    ok = np.isfinite(x).all(axis=1)
    if ok.sum() < window:
        return np.zeros(x.shape[0], dtype=bool)
    filled = fill_gaps(x)[0]
    # Hold the first/last valid sample over leading/trailing gaps: padding with a global value
    # would flag the first frames of a foot that comes into view moving (e.g. from behind an
    # obstacle) as outliers of a running median dominated by the padding.
    idx = np.flatnonzero(ok)
    filled[:idx[0]], filled[idx[-1] + 1:] = filled[idx[0]], filled[idx[-1]]
    med = median_filter(filled, size=(window, 1), mode="nearest")
    dev = np.linalg.norm(filled - med, axis=1)
    mad = 1.4826 * median_filter(dev, size=3 * window, mode="nearest")
    return ok & (dev > np.maximum(k * mad, floor))


def clean_keypoints(kp: Keypoints2D, *, min_visibility: float = 0.3, max_gap_s: float = 0.25,
                    cutoff_hz: float = 8.0, repair_swaps: bool = True) -> Keypoints2D:
    """Visibility threshold, swap repair, outlier removal, gap filling and low-pass.

    Parameters
    ----------
    kp
        Raw trajectories (:func:`to_wide`); not modified.
    min_visibility
        Samples with a lower visibility become missing.
    max_gap_s
        Longest gap bridged by linear interpolation, seconds; longer gaps stay ``NaN``.
    cutoff_hz
        Low-pass cut-off, Hz (clipped below Nyquist). Gait events are timed from these
        trajectories, so the cut-off stays above the 6 Hz often used for angles.
    repair_swaps
        Run :func:`groundup.motion.video.swaps.repair_swaps`.
    """
    from groundup.motion.video.swaps import repair_swaps as _repair

    out = kp.copy()
    n_low = 0
    for name, a in out.xy.items():
        low = ~(out.visibility[name] >= min_visibility)
        n_low += int((low & np.isfinite(a).all(axis=1)).sum())
        a[low] = np.nan
    total = sum(int(np.isfinite(a).all(axis=1).sum()) for a in kp.xy.values()) or 1
    out.stats["low_visibility_fraction"] = n_low / total
    if repair_swaps:
        out = _repair(out)
    window = max(int(round(0.2 * out.fps)) | 1, 5)
    n_out = 0
    for a in out.xy.values():
        bad = hampel(a, window)
        n_out += int(bad.sum())
        a[bad] = np.nan
    out.stats["outlier_fraction"] = n_out / total
    max_gap = int(round(max_gap_s * out.fps))
    for name, a in out.xy.items():
        filled, _ = fill_gaps(a, max_gap=max_gap)
        out.xy[name] = lowpass(filled, out.fps, min(cutoff_hz, 0.45 * out.fps))
    if out.stats["low_visibility_fraction"] > 0.2:
        out.notes.append(f"{100 * out.stats['low_visibility_fraction']:.0f} % of keypoints had "
                         f"visibility below {min_visibility}: occluded or dark video")
    return out
