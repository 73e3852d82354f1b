"""Keypoint table -> clean per-landmark pixel trajectories.

Steps, in order (:func:`clean_keypoints`): the long table becomes one ``(n, 2)`` pixel array per
landmark on a uniform frame grid (:func:`to_wide`; variable-frame-rate videos are re-timed
from their time stamps, :mod:`groundup.motion.video.retime`); samples below a visibility
threshold become ``NaN``; left/right swaps and both-labels-on-one-foot frames are repaired
(:mod:`groundup.motion.video.swaps`); isolated outliers are removed with a Hampel filter; gaps
up to ``max_gap_s`` are bridged by a cubic through the motion on either side
(:func:`bridge_gaps`); a zero-phase Butterworth low-pass smooths the rest
(``groundup.signal.lowpass``, ``scipy.signal.sosfiltfilt``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.ndimage import median_filter

from groundup.errors import InsufficientDataError
from groundup.motion.video import retime
from groundup.signal import fill_gaps, lowpass, runs

#: Smallest departure from the running median that is an outlier, thigh lengths. The model's
#: wrong guesses are off by tens of pixels; a foot that turns (lands, lifts) departs from a
#: 0.2 s running median by several pixels at its turning point, and flagging it cut that
#: point off the trajectory (the back-view contact cue). With the former fixed 3 px floor
#: 8-10 % of the heel, toe and ankle samples of the noise-free semi-synthetic videos were
#: flagged (6-8 % with 1.5 px of noise); now 0.2-0.4 %.
OUTLIER_THIGHS = 0.1

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
    n_posed = int(df["frame"].nunique())
    if n_posed < 2:
        raise InsufficientDataError(
            f"the subject's pose was found in only {n_posed} frame", hint="film the whole body "
            "in the picture, or choose the subject with --region x,y,w,h or --person N")
    fps = float(meta.get("fps") or 0)
    # one row per frame with its time stamp: the frame rate, and the re-timing below
    per = df.drop_duplicates("frame").sort_values("frame") if "time_s" in df.columns else None
    if fps <= 0 and per is not None:
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
    notes = []
    if per is not None:
        t_frame = retime.frame_times(per["frame"].to_numpy(), per["time_s"].to_numpy(), n,
                                     fps)
        if n > 2 and retime.irregular(t_frame, fps):
            fps = retime.typical_rate(t_frame)
            for d in (xy, vis, z):
                for k, a in d.items():
                    d[k] = retime.to_grid(a, t_frame, fps)
            notes.append(f"variable frame rate: {n} frames over {t_frame[-1]:.2f} s re-timed "
                         f"onto a uniform {fps:.2f} fps grid from their time stamps")
    return Keypoints2D(xy=xy, visibility=vis, z_rel=z, fps=fps,
                       width=int(meta.get("width") or 0), height=int(meta.get("height") or 0),
                       notes=notes)


def jitter_px(x: np.ndarray) -> float:
    """Robust SD (pixels, per coordinate) of a trajectory's frame-to-frame jitter.

    From the second differences of consecutive finite samples, which white noise of SD s
    makes ``sqrt(6) s`` wide while a smooth movement adds little (1.4826 x median absolute
    value / sqrt(6), median over both coordinates). ``0`` when fewer than 3 samples.
    """
    d2 = x[2:] - 2 * x[1:-1] + x[:-2]
    d2 = d2[np.isfinite(d2).all(axis=1)]
    if not d2.size:
        return 0.0
    return float(1.4826 * np.median(np.abs(d2)) / np.sqrt(6))


def hampel(x: np.ndarray, window: int, k: float = 4.0, floor: float = 3.0,
           max_gap: int | None = None) -> np.ndarray:
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
        Smallest threshold, pixels. Keypoint jitter is never an outlier: the threshold is at
        least ``k`` times the trajectory's jitter (:func:`jitter_px`) as well.
    max_gap
        Gaps up to this many frames are filled for the running median as they will be
        bridged (:func:`bridge_gaps`), longer ones linearly; default ``window``.
    """
    ok = np.isfinite(x).all(axis=1)
    if ok.sum() < window:
        return np.zeros(x.shape[0], dtype=bool)
    # The samples by a gap are compared with a median that partly runs over the filled gap. A
    # straight line there lags a swinging foot that lands in the gap (it cuts the corner), and
    # the samples of the late swing before the gap were flagged: the gap grew past what can be
    # bridged and the contact was lost. The cubic bridge continues the motion.
    filled = fill_gaps(bridge_gaps(x, window if max_gap is None else max_gap))[0]
    # Hold the first/last valid sample over leading/trailing gaps: padding with a global value
    # would flag the first frames of a foot that comes into view moving (e.g. from behind an
    # obstacle) as outliers of a running median dominated by the padding.
    idx = np.flatnonzero(ok)
    filled[:idx[0]], filled[idx[-1] + 1:] = filled[idx[0]], filled[idx[-1]]
    med = median_filter(filled, size=(window, 1), mode="nearest")
    dev = np.linalg.norm(filled - med, axis=1)
    mad = 1.4826 * median_filter(dev, size=3 * window, mode="nearest")
    # A running median follows a moving keypoint exactly (the median of a monotonic window is
    # its middle sample), so the MAD is ~0 wherever a swinging foot passes, and in the still
    # frames next to it the threshold falls to the floor: noisy video needs a floor above its
    # own jitter.
    return ok & (dev > np.maximum(k * mad, max(floor, k * jitter_px(x))))


def bridge_gaps(x: np.ndarray, max_gap: int) -> np.ndarray:
    """Fill interior gaps of an ``(n, 2)`` trajectory up to ``max_gap`` frames with a cubic.

    Each gap is bridged by the cubic Hermite curve through the samples on either side with the
    velocities there (:func:`hermite`: backward/forward difference over the two samples outside
    the gap; the chord's slope where a side has only one). A swing foot that lands during a gap
    thus decelerates onto the floor as a foot does, where a straight line would cut the corner
    and smear the contact. Longer gaps, and those at the ends, stay ``NaN``.
    """
    out = x.copy()
    ok = np.isfinite(x).all(axis=1)
    for s0, s1 in runs(~ok):
        i0, i1 = s0 - 1, s1
        if i0 < 0 or i1 >= x.shape[0] or s1 - s0 > max_gap:
            out[s0:s1] = np.nan
            continue
        out[s0:s1] = hermite(x, ok, i0, x, ok, i1, np.arange(s0, s1))
    return out


def hermite(x: np.ndarray, ok: np.ndarray, f0: int, y: np.ndarray, oky: np.ndarray, f1: int,
            t: np.ndarray) -> np.ndarray:
    """Frames ``t`` of the cubic Hermite curve from ``x[f0]`` to ``y[f1]`` (pixels) with the
    velocities there (the step from the good frame before ``f0`` of ``x``, ``ok`` its good
    frames, to the good frame after ``f1`` of ``y``, ``oky``; the chord's slope where there is
    none): a swing foot that lands in between decelerates as a foot does, where a straight line
    lags it. ``x`` and ``y`` are one trajectory when a gap is bridged, two labels' when a
    collapse is tracked (:mod:`groundup.motion.video.swaps`)."""
    span = f1 - f0
    chord = (y[f1] - x[f0]) / span
    v0 = x[f0] - x[f0 - 1] if f0 >= 1 and ok[f0 - 1] else chord
    v1 = y[f1 + 1] - y[f1] if f1 + 1 < y.shape[0] and oky[f1 + 1] else chord
    u = ((t - f0) / span)[:, None]
    return ((2 * u**3 - 3 * u**2 + 1) * x[f0] + (u**3 - 2 * u**2 + u) * span * v0
            + (-2 * u**3 + 3 * u**2) * y[f1] + (u**3 - u**2) * span * v1)


#: Farthest apart a foot's ankle, heel and toe keypoints can be, thigh lengths: the foot is about
#: 0.6 thigh lengths long (0.152 vs 0.245 of the height, Winter 2009) and a projection only
#: shortens it; the margin covers keypoint noise and proportions.
FOOT_SPAN_THIGHS = 1.0
FOOT_PARTS = ("ankle", "heel", "foot_index")


def drop_split_feet(kp: Keypoints2D, thigh_px: float) -> int:
    """Set missing, in place, a foot's keypoints in the frames where they lie farther apart than
    a foot can (:data:`FOOT_SPAN_THIGHS`): parts of both feet under one label, which a swap or
    collapse repair of single keypoints can leave (sample09 filmed from the side: the right
    heel and ankle on the left foot for 4 frames, the right toe on the right foot, a 200 px
    "foot" and a 30 deg ankle error). Gap filling then bridges them. Returns the number of
    (foot, frame) pairs dropped.
    """
    if not thigh_px or not np.isfinite(thigh_px):
        return 0
    n = 0
    for side in ("left", "right"):
        pts = [kp.xy.get(f"{side}_{p}") for p in FOOT_PARTS]
        pts = [a for a in pts if a is not None]
        if len(pts) < 2:
            continue
        span = np.zeros(kp.n_frames)
        for i in range(len(pts)):
            for j in range(i + 1, len(pts)):
                with np.errstate(invalid="ignore"):
                    span = np.fmax(span, np.linalg.norm(pts[i] - pts[j], axis=1))
        split = span > FOOT_SPAN_THIGHS * thigh_px
        for a in pts:
            a[split] = np.nan
        n += int(split.sum())
    return n


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
        Longest gap bridged (:func:`bridge_gaps`), seconds; longer gaps stay ``NaN``.
    cutoff_hz
        Low-pass cut-off, Hz (clipped below Nyquist). Gait events are timed from these
        trajectories, so the cut-off stays above the 6 Hz often used for angles.
    repair_swaps
        Run :func:`groundup.motion.video.swaps.repair_swaps`.
    """
    from groundup.motion.video.swaps import leg_scale
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
        out = _repair(out, min_visibility=min_visibility)
    window = max(int(round(0.2 * out.fps)) | 1, 5)
    max_gap = int(round(max_gap_s * out.fps))
    floor = max(3.0, OUTLIER_THIGHS * leg_scale(out))
    n_out = 0
    for a in out.xy.values():
        bad = hampel(a, window, floor=floor, max_gap=max_gap)
        n_out += int(bad.sum())
        a[bad] = np.nan
    out.stats["outlier_fraction"] = n_out / total
    for name, a in out.xy.items():
        out.xy[name] = bridge_gaps(a, max_gap)
    # checked on the bridged feet: a repair that set one part missing leaves it to the bridge
    n_split = drop_split_feet(out, leg_scale(out))
    out.stats["split_foot_fraction"] = n_split / max(out.n_frames, 1)
    for name, a in out.xy.items():
        out.xy[name] = lowpass(bridge_gaps(a, max_gap) if n_split else a, out.fps,
                               min(cutoff_hz, 0.45 * out.fps))
    if out.stats["low_visibility_fraction"] > 0.2:
        out.notes.append(f"{100 * out.stats['low_visibility_fraction']:.0f} % of keypoints had "
                         f"visibility below {min_visibility}: occluded or dark video")
    return out
