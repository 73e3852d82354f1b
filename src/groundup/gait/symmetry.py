"""Left/right symmetry of gait metrics.

Two measures, both reported (gait-norms.md section 3):

- symmetry index, ``SI = (R - L) / (0.5 (R + L)) x 100`` in % (Robinson et al. 1987); positive
  when the right value is larger;
- symmetry ratio, ``ratio = larger / smaller`` (>= 1; Patterson et al. 2010).

The flag applies the engine thresholds of ``knowledge/gait_norms.yaml`` to ``|SI|``: <= 5 %
``"normal"``, > 5 % ``"mild"``, > 10 % ``"clear"``, > 20 % ``"marked"`` (an engine proposal,
``verified: false``). An antalgic foot typically shows the *shorter* stance on the painful side,
so the table always says which side is larger.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from groundup.gait.norms import shared_symmetry_thresholds, symmetry_thresholds
from groundup.gait.tables import from_rows

SYMMETRY_COLUMNS = ["metric", "left", "right", "si_pct", "ratio", "flag", "larger_side"]
_TYPES = dict(zip(SYMMETRY_COLUMNS, (object, float, float, float, float, object, object),
                  strict=True))


def symmetry_index(left: float, right: float) -> float:
    """Robinson (1987) symmetry index in %, ``(R - L) / (0.5 (R + L)) x 100``.

    Parameters
    ----------
    left, right
        The metric on each side, same unit.

    Returns
    -------
    float
        SI in %; ``0`` when both are zero; ``NaN`` when a value is missing or the values have
        opposite signs (the index is undefined for signed quantities crossing zero).
    """
    if not (math.isfinite(left) and math.isfinite(right)):
        return math.nan
    if left == right:
        return 0.0
    if left * right < 0:
        return math.nan
    return (right - left) / (0.5 * (right + left)) * 100.0


def symmetry_ratio(left: float, right: float) -> float:
    """Patterson (2010) symmetry ratio, larger / smaller magnitude (>= 1).

    Returns ``1`` when both are equal (zeros included), ``inf`` when only one is zero, ``NaN``
    when a value is missing or the signs differ.
    """
    if not (math.isfinite(left) and math.isfinite(right)) or left * right < 0:
        return math.nan
    a, b = abs(left), abs(right)
    if a == b:
        return 1.0
    small, large = min(a, b), max(a, b)
    return math.inf if small == 0 else large / small


def si_flag(si_pct: float, thresholds: dict[str, Any] | None = None) -> str:
    """Flag an SI (in %) with the engine thresholds: normal / mild / clear / marked / n/a."""
    t = (thresholds or symmetry_thresholds())["si_flags"]
    if not math.isfinite(si_pct):
        return "n/a"
    a = abs(si_pct)
    if a > t["marked_above"]:
        return "marked"
    if a > t["clear_above"]:
        return "clear"
    if a > t["mild_above"]:
        return "mild"
    return "normal"


def _as_float(v: Any) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def symmetry_table(left: dict[str, float], right: dict[str, float]) -> pd.DataFrame:
    """Symmetry of every metric measured on both sides.

    Parameters
    ----------
    left, right
        Metric id -> value for each side (e.g. ``{"stance_pct": 58.0, "step_time_s": 0.52}``).
        Metrics present on only one side get a row with ``NaN`` and flag ``"n/a"``.

    Returns
    -------
    pandas.DataFrame
        Columns ``metric, left, right, si_pct, ratio, flag, larger_side`` where ``larger_side``
        is ``"left"``, ``"right"``, ``"equal"`` or ``None`` (not comparable).

    Examples
    --------
    >>> symmetry_table({"step_length_m": 0.5}, {"step_length_m": 0.6}).round(2).iloc[0].tolist()
    ['step_length_m', 0.5, 0.6, 18.18, 1.2, 'clear', 'right']
    """
    return table_from_rows(symmetry_rows(left, right))


def symmetry_rows(left: dict[str, float], right: dict[str, float]) -> list[dict[str, Any]]:
    """The rows of :func:`symmetry_table`, one dict per metric."""
    thresholds = shared_symmetry_thresholds()
    metrics = list(left) + [m for m in right if m not in left]
    rows = []
    for m in metrics:
        lv, rv = _as_float(left.get(m)), _as_float(right.get(m))
        si = symmetry_index(lv, rv)
        if not math.isfinite(si):
            larger = None
        elif lv == rv:
            larger = "equal"
        else:
            larger = "right" if abs(rv) > abs(lv) else "left"
        rows.append({"metric": m, "left": lv, "right": rv, "si_pct": si,
                     "ratio": symmetry_ratio(lv, rv), "flag": si_flag(si, thresholds),
                     "larger_side": larger})
    return rows


def table_from_rows(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The table of :func:`symmetry_table` from its rows (:func:`symmetry_rows`)."""
    return from_rows(rows, _TYPES)
