"""Signal helpers for marker and keypoint trajectories (axis 0 = time).

Zero-phase low-pass filtering (scipy.signal's Butterworth sections, applied forward and backward
as ``sosfiltfilt`` does), gap filling, and percentile/median of the finite samples. The fast
paths give exactly numpy's and scipy's results (tests/test_signal.py checks them).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.signal import butter, sosfilt, sosfilt_zi, sosfiltfilt

try:  # the compiled loop behind scipy.signal.sosfilt (scipy is pinned; public path otherwise)
    from scipy.signal._sosfilt import _sosfilt as _section_loop
except ImportError:  # pragma: no cover
    _section_loop = None


def lowpass(x: np.ndarray, rate: float, cutoff_hz: float, order: int = 2) -> np.ndarray:
    """Zero-phase Butterworth low-pass along axis 0 (``scipy.signal.sosfiltfilt``).

    NaN runs are bridged by linear interpolation before filtering and restored after.

    Parameters
    ----------
    x
        Signal, shape ``(n,)`` or ``(n, k)``.
    rate
        Sampling rate, Hz.
    cutoff_hz
        Cut-off frequency, Hz (clipped below Nyquist).
    order
        Filter order of each pass (the zero-phase result has twice this order).
    """
    x = np.asarray(x, dtype=float)
    filled, missing = fill_gaps(x)
    if filled.shape[0] < 3 * (order + 1) + 1 or np.isnan(filled).all():
        return x.copy()
    sos = _butter(order, round(min(cutoff_hz / (rate / 2.0), 0.99), 6))
    padlen = min(3 * (2 * len(sos) + 1), filled.shape[0] - 1)
    good = ~np.isnan(filled).reshape(filled.shape[0], -1).any(axis=1)
    out = filled.copy()
    if good.sum() > padlen + 1:
        idx = np.flatnonzero(good)
        lo, hi = idx[0], idx[-1] + 1
        out[lo:hi] = _sosfiltfilt(sos, filled[lo:hi], padlen)
    out[missing] = np.nan
    return out


def _sosfiltfilt(sos: np.ndarray, x: np.ndarray, padlen: int) -> np.ndarray:
    """``scipy.signal.sosfiltfilt(sos, x, axis=0, padlen=padlen)`` (odd padding), with the
    filter's initial state cached: the same arithmetic, without recomputing ``sosfilt_zi``.

    Both passes run scipy's compiled section loop directly on one C-ordered ``(signals,
    samples)`` copy, as :func:`scipy.signal.sosfilt` does after its checks and reshapes: the
    same numbers without the per-call wrapper work.
    """
    if padlen >= x.shape[0]:
        return sosfiltfilt(sos, x, axis=0, padlen=padlen)
    ext = np.concatenate([2 * x[:1] - x[padlen:0:-1], x,
                          2 * x[-1:] - x[-2:-padlen - 2:-1]], axis=0)
    zi = _zi(sos.tobytes(), sos.shape)
    if _section_loop is None or ext.dtype != np.float64 or sos.dtype != np.float64:
        zi = zi.reshape((len(sos), 2) + (1,) * (x.ndim - 1))
        y, _ = sosfilt(sos, ext, axis=0, zi=zi * ext[:1])
        y, _ = sosfilt(sos, y[::-1], axis=0, zi=zi * y[-1:])
        y = y[::-1]
        return y[padlen:-padlen] if padlen else y
    rows = np.array(ext.reshape(ext.shape[0], -1).T, order="C")  # (signals, samples)
    sos_c = np.ascontiguousarray(sos)
    _section_loop(sos_c, rows, rows[:, :1, None] * zi[None])  # forward, in place
    back = rows[:, ::-1].copy()
    _section_loop(sos_c, back, back[:, :1, None] * zi[None])  # backward, in place
    y = back[:, ::-1].T.reshape(ext.shape)
    return y[padlen:-padlen] if padlen else y


@lru_cache(maxsize=64)
def _zi(sos_bytes: bytes, shape: tuple[int, int]) -> np.ndarray:
    return sosfilt_zi(np.frombuffer(sos_bytes).reshape(shape))


def percentile(x: np.ndarray, q: float | list[float]) -> float | np.ndarray:
    """Percentile of the finite values of ``x`` (``NaN`` when there are none).

    Same result as :func:`numpy.nanpercentile` (linear interpolation), computed with one
    partial sort: several times faster on 1-D signals.
    """
    x = np.asarray(x, dtype=float).ravel()
    x = x[np.isfinite(x)]
    if np.ndim(q) == 0 and x.size >= 2:
        return _one_percentile(x, float(q))
    qs = np.atleast_1d(np.asarray(q, dtype=float))
    if x.size == 0:
        return np.full(qs.shape, np.nan) if np.ndim(q) else np.nan
    pos = qs / 100.0 * (x.size - 1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, x.size - 1)
    part = np.partition(x, np.unique(np.concatenate([lo, hi])))
    frac = pos - lo
    a, b = part[lo], part[hi]
    # numpy's interpolation: from the lower sample below half-way, from the upper one above
    out = np.where(frac >= 0.5, b - (b - a) * (1 - frac), a + (b - a) * frac)
    out = np.where(frac == 0, a, out)
    return out if np.ndim(q) else float(out[0])


def _one_percentile(x: np.ndarray, q: float) -> float:
    """:func:`percentile` of one ``q`` on finite values (at least two), the same arithmetic in
    Python floats."""
    n = x.size
    pos = q / 100.0 * (n - 1)
    lo = int(np.floor(pos))
    hi = min(lo + 1, n - 1)
    if lo == hi:
        return float(x.max())
    part = np.partition(x, [lo, hi])
    a, b, frac = float(part[lo]), float(part[hi]), pos - lo
    if frac == 0:
        return a
    return b - (b - a) * (1 - frac) if frac >= 0.5 else a + (b - a) * frac


def median(x: np.ndarray) -> float:
    """Median of a finite 1-D array: :func:`numpy.median`'s result by one partial sort."""
    x = np.asarray(x, dtype=float).ravel()
    n = x.size
    if n == 0:
        return np.nan
    if n == 1:
        return float(x[0])
    k = n // 2
    # two order statistics in one partial sort; numpy's single-kth selection can be ~50x slower
    # on signals with many repeated values (quantised force-plate noise)
    part = np.partition(x, [k - 1, k])
    if n % 2:
        return float(part[k])
    return float((part[k - 1] + part[k]) / 2)


def nanmedian(x: np.ndarray) -> float:
    """:func:`numpy.nanmedian` of a 1-D array (``NaN`` when every value is missing), by
    :func:`median`."""
    x = np.asarray(x, dtype=float).ravel()
    return median(x[~np.isnan(x)])


@lru_cache(maxsize=64)
def _butter(order: int, wn: float) -> np.ndarray:
    return butter(order, wn, output="sos")


def fill_gaps(x: np.ndarray, max_gap: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Linearly interpolate interior NaN runs along axis 0.

    Parameters
    ----------
    x
        Signal ``(n,)`` or ``(n, k)``.
    max_gap
        Longest run (frames) to fill; longer runs stay NaN. ``None`` fills every interior run.

    Returns
    -------
    filled, missing
        The filled signal and the boolean mask of samples that were NaN and stay reported as
        missing (runs longer than ``max_gap``; all originally missing samples when ``None``).
    """
    x = np.asarray(x, dtype=float)
    flat = x.reshape(x.shape[0], -1).copy()
    nan = np.isnan(flat)
    missing = nan.any(axis=1)
    if not missing.any():
        return flat.reshape(x.shape), missing
    # the coordinates of a marker usually miss the same samples: then one plan serves them all
    same = bool((nan == nan[:, :1]).all())
    plan = None
    for j in range(flat.shape[1]):
        if plan is None or not same:
            plan = _interior_gaps(~nan[:, j])
        if plan[1].size:
            known, gaps = plan
            flat[gaps, j] = np.interp(gaps, known, flat[known, j])
    keep_missing = missing.copy()
    if max_gap is not None:
        keep_missing[:] = False
        for a, b in runs(missing):
            if b - a > max_gap:
                keep_missing[a:b] = True
                flat[a:b] = np.nan
    return flat.reshape(x.shape), keep_missing


def _interior_gaps(ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the known samples and of the missing ones between the first and last known
    (none unless at least two are known)."""
    known = np.flatnonzero(ok)
    if known.size < 2:
        return known, known[:0]
    gaps = np.flatnonzero(~ok[known[0]:known[-1]]) + known[0]
    return known, gaps


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """``[start, stop)`` indices of the runs of ``True`` in a boolean array."""
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True))


def peak_offset(y: np.ndarray, i: int) -> float:
    """Sub-sample offset (-0.5 to 0.5) of the maximum of the parabola through ``y[i - 1:i + 2]``:
    0 at the ends, with a missing neighbour, or where the three samples bend no maximum."""
    if i <= 0 or i >= len(y) - 1 or not np.isfinite(y[i - 1:i + 2]).all():
        return 0.0
    den = y[i - 1] - 2 * y[i] + y[i + 1]
    return float(np.clip(0.5 * (y[i - 1] - y[i + 1]) / den, -0.5, 0.5)) if den < 0 else 0.0
