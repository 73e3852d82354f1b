"""Row-wise vector algebra on ``(n, 3)`` marker trajectories (metres, ``NaN`` = missing)."""

from __future__ import annotations

import numpy as np


def dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise dot product of ``(n, 3)`` arrays (either may be a single ``(3,)`` vector)."""
    return np.einsum("...i,...i->...", a, b)


def cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cross product of ``(n, 3)`` arrays (faster than ``np.cross`` for small rows)."""
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    return np.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)


def norm_rows(v: np.ndarray) -> np.ndarray:
    """Row-wise Euclidean norm of ``(n, k)`` arrays: ``np.linalg.norm(v, axis=1)``'s arithmetic
    (square root of the summed squares) without its generic checks."""
    return np.sqrt(np.add.reduce(v * v, axis=1))


def unit(v: np.ndarray) -> np.ndarray:
    """Row-wise unit vectors (``NaN`` where the norm is zero or undefined)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return v / np.sqrt(dot(v, v))[..., None]


def deriv(x: np.ndarray) -> np.ndarray:
    """Central difference along axis 0 per sample (one-sided at the ends), like np.gradient."""
    d = np.empty_like(x)
    d[1:-1] = 0.5 * (x[2:] - x[:-2])
    d[0], d[-1] = x[1] - x[0], x[-1] - x[-2]
    return d


def usable(points: dict[str, np.ndarray], name: str) -> bool:
    """Whether a point exists and holds at least one finite sample."""
    p = points.get(name)
    return p is not None and p.size > 0 and bool(np.isfinite(p.flat[0]) or np.isfinite(p).any())


def nanmean_rows(arrays: list[np.ndarray]) -> np.ndarray:
    """Per-frame mean of ``(n, 3)`` trajectories, over those finite in that frame (else ``NaN``)."""
    stack = np.stack(arrays)
    ok = np.isfinite(stack).all(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ok[..., None], stack, 0).sum(0) / ok.sum(0)[:, None]
