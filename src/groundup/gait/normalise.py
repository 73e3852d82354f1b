"""Time normalisation of per-frame signals over gait cycles (0..100 % of a stride).

:func:`time_normalise` is the definition; :func:`time_normalise_windows` applies it to several
windows of one signal and :func:`time_normalise_many` to several signals sharing a time axis
and windows (the pipeline's case), with a vectorised path for evenly sampled recordings that
gives the same numbers.
"""

from __future__ import annotations

import numpy as np


def time_normalise(signal: np.ndarray, time: np.ndarray, start_s: float, end_s: float,
                   n_points: int = 101) -> np.ndarray:
    """Resample a per-frame signal over ``[start_s, end_s]`` to ``n_points`` (0..100 %).

    Linear interpolation between the finite samples (using the nearest samples outside the
    window at its edges). Returns all ``NaN`` when any stretch without a finite sample inside the
    window - including from a window edge to the first/last sample - exceeds 10 % of its
    duration.
    """
    return time_normalise_windows(signal, time, [(start_s, end_s)], n_points)[0]


def _spans(windows: list[tuple[float, float]] | np.ndarray) -> np.ndarray:
    """Windows as an ``(m, 2)`` array; raises ``ValueError`` when one ends before it starts."""
    spans = np.asarray(windows, dtype=float).reshape(-1, 2)
    if spans.size and not (spans[:, 1] > spans[:, 0]).all():
        bad = spans[~(spans[:, 1] > spans[:, 0])][0]
        raise ValueError(f"window end {bad[1]} must follow its start {bad[0]}")
    return spans


def _signal(signal: np.ndarray, t: np.ndarray) -> np.ndarray:
    y = np.asarray(signal, dtype=float)
    if y.shape != t.shape or y.ndim != 1:
        raise ValueError(f"signal {y.shape} and time {t.shape} must be equal 1-D shapes")
    return y


def time_normalise_windows(signal: np.ndarray, time: np.ndarray,
                           windows: list[tuple[float, float]] | np.ndarray,
                           n_points: int = 101) -> np.ndarray:
    """:func:`time_normalise` of one signal over several windows (strides) at once.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(windows), n_points)``.
    """
    t = np.asarray(time, dtype=float)
    y = _signal(signal, t)
    spans = _spans(windows)
    out = np.full((len(spans), n_points), np.nan)
    todo = np.ones(len(spans), dtype=bool)
    if t.size >= 2 and len(spans) and _uniform(t):
        done = _normalise_uniform(y, t, spans, n_points, out)
        todo = ~done
        if not todo.any():
            return out
    ok = np.isfinite(y) & np.isfinite(t)
    t, y = t[ok], y[ok]
    if np.any(np.diff(t) < 0):
        order = np.argsort(t, kind="stable")
        t, y = t[order], y[order]
    _normalise_general(t, y, spans, todo, out)
    return out


def _normalise_general(t: np.ndarray, y: np.ndarray, spans: np.ndarray, todo: np.ndarray,
                       out: np.ndarray) -> None:
    """The definition, on finite samples ``y`` at increasing times ``t``.

    Fills the rows of ``out`` selected by ``todo`` whose gaps are short enough (see
    :func:`_general_plan`).
    """
    rows, grid = _general_plan(t, spans, todo, out.shape[1])
    if rows.size:
        out[rows] = np.interp(grid.ravel(), t, y).reshape(grid.shape)


def _general_plan(t: np.ndarray, spans: np.ndarray, todo: np.ndarray, n_points: int
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Which windows the definition fills, and where it samples them.

    Per window: the samples from the last one at or before its start to the first one at or
    after its end (clipped to the window) must leave no stretch over 10 % of its duration,
    counting from the window's edges; the curve is then the linear interpolation of those
    samples at ``np.linspace(start, end, n_points)``. All windows are computed at once: the
    interior samples of a window lie strictly inside it, so its gaps are the clipped end gaps
    and the plain sample intervals between.

    Returns
    -------
    rows, grid
        Indices of the windows (rows of ``spans``) to fill, and their ``(len(rows), n_points)``
        sample times.
    """
    none = np.zeros(0, dtype=np.intp), np.zeros((0, n_points))
    if t.size < 2 or not todo.any():
        return none
    rows = np.flatnonzero(todo)
    start, end = spans[rows, 0], spans[rows, 1]
    lo = np.maximum(np.searchsorted(t, start, side="right") - 1, 0)
    hi = np.minimum(np.searchsorted(t, end, side="left"), t.size - 1)
    first = np.clip(t[lo], start, end)
    last = np.clip(t[hi], start, end)
    # clipped neighbours of the end samples (the end samples themselves when lo == hi)
    after_lo = np.where(hi > lo + 1, t[np.minimum(lo + 1, t.size - 1)], last)
    before_hi = np.where(hi > lo + 1, t[np.maximum(hi - 1, 0)], first)
    gap = np.maximum.reduce([first - start, end - last, after_lo - first, last - before_hi])
    inner = hi - lo >= 3  # sample intervals strictly inside the window
    if inner.any():
        steps = np.diff(t, append=0.0)
        bounds = np.column_stack([lo[inner] + 1, hi[inner] - 1]).ravel()
        gap[inner] = np.maximum(gap[inner], np.maximum.reduceat(steps, bounds)[::2])
    keep = ~(gap > 0.1 * (end - start))
    if not keep.any():
        return none
    return rows[keep], _linspace_rows(start[keep], end[keep], n_points)


def _linspace_rows(start: np.ndarray, end: np.ndarray, n_points: int) -> np.ndarray:
    """``np.linspace(start, end, n_points, axis=1)``: the same arithmetic (``i * step + start``,
    the last point set to ``end``) without its generic bookkeeping."""
    step = (end - start) / (n_points - 1)
    if n_points < 2 or not (step != 0).all():
        return np.linspace(start, end, n_points, axis=1)
    grid = np.arange(n_points, dtype=float)[None, :] * step[:, None]
    grid += start[:, None]
    grid[:, -1] = end
    return grid


def _uniform(t: np.ndarray) -> bool:
    """Finite, increasing and evenly sampled (to 1 %) time axis."""
    d = np.diff(t)
    return bool(np.isfinite(t).all() and d.size and d.min() > 0
                and d.max() - d.min() <= 0.01 * d.mean())


def _normalise_uniform(y: np.ndarray, t: np.ndarray, spans: np.ndarray, n_points: int,
                       out: np.ndarray) -> np.ndarray:
    """Fast path of :func:`time_normalise_windows` on an evenly sampled time axis.

    Fills ``out`` for every window whose samples (and the one beyond each edge) are all finite
    and returns the mask of those windows; the others are left to the general path. Same result
    as the general path: the only gaps there are a window's edges beyond the recording and the
    sampling interval itself.
    """
    start, end = spans[:, 0], spans[:, 1]
    lo = np.maximum(np.searchsorted(t, start, side="right") - 1, 0)
    hi = np.minimum(np.searchsorted(t, end, side="left"), t.size - 1)
    bad = np.concatenate([[0], np.cumsum(~np.isfinite(y))])
    done = (bad[hi + 1] - bad[lo]) == 0
    if not done.any():
        return done
    s, e = start[done], end[done]
    grid = s[:, None] + (e - s)[:, None] * np.linspace(0.0, 1.0, n_points)[None]
    values = np.interp(grid.ravel(), t, np.where(np.isfinite(y), y, 0.0)).reshape(grid.shape)
    first = np.clip(t[lo[done]], s, e) - s
    last = e - np.clip(t[hi[done]], s, e)
    inner = np.where(hi[done] > lo[done], np.diff(t).max(), 0.0)
    gap = np.maximum(np.maximum(first, last), np.minimum(inner, e - s))
    values[gap > 0.1 * (e - s)] = np.nan
    out[done] = values
    return done


def time_normalise_many(signals: list[np.ndarray], time: np.ndarray,
                        windows: list[tuple[float, float]] | np.ndarray,
                        n_points: int = 101) -> list[np.ndarray]:
    """:func:`time_normalise_windows` of several signals sharing one time axis and windows.

    The window geometry (grid, edge gaps) and which windows of which signals hold a missing
    sample are computed once for all the signals; each signal then costs one interpolation
    (plus the definition, window by window, for its windows with missing samples). Returns one
    ``(len(windows), n_points)`` array per signal.
    """
    t = np.asarray(time, dtype=float)
    spans = np.asarray(windows, dtype=float).reshape(-1, 2)
    if len(spans) == 0 or t.size < 2 or not _uniform(t) or not signals:
        return [time_normalise_windows(y, t, spans, n_points) for y in signals]
    _spans(spans)
    ys = np.stack([_signal(y, t) for y in signals])
    start, end = spans[:, 0], spans[:, 1]
    lo = np.maximum(np.searchsorted(t, start, side="right") - 1, 0)
    hi = np.minimum(np.searchsorted(t, end, side="left"), t.size - 1)
    grid = start[:, None] + (end - start)[:, None] * np.linspace(0.0, 1.0, n_points)[None]
    first = np.clip(t[lo], start, end) - start
    last = end - np.clip(t[hi], start, end)
    inner = np.where(hi > lo, np.diff(t).max(), 0.0)
    too_wide = np.maximum(np.maximum(first, last), np.minimum(inner, end - start)) \
        > 0.1 * (end - start)
    finite = np.isfinite(ys)
    bad = np.zeros((len(ys), t.size + 1), dtype=np.intp)
    np.cumsum(~finite, axis=1, out=bad[:, 1:])
    dones = (bad[:, hi + 1] - bad[:, lo]) == 0
    filled = np.where(finite, ys, 0.0)
    out = []
    any_too_wide = bool(too_wide.any())
    plans: dict[bytes, tuple] = {}  # signals from the same markers miss the same samples
    for y, ok, yz, done in zip(ys, finite, filled, dones, strict=True):
        if done.all():
            res = np.interp(grid.ravel(), t, yz).reshape(grid.shape)
            if any_too_wide:
                res[too_wide] = np.nan
            out.append(res)
            continue
        res = np.full(grid.shape, np.nan)
        if done.any():
            res[done] = np.interp(grid[done].ravel(), t, yz).reshape(-1, n_points)
            res[done & too_wide] = np.nan
        key = ok.tobytes()
        if key not in plans:
            plans[key] = (t[ok], *_general_plan(t[ok], spans, ~done, n_points))
        t_ok, rows, rows_grid = plans[key]
        if rows.size:
            res[rows] = np.interp(rows_grid.ravel(), t_ok, y[ok]).reshape(rows_grid.shape)
        out.append(res)
    return out
