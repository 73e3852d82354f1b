"""Normative reference bands and curves for adult gait, read from ``knowledge/*.yaml``.

The numbers live in data files a clinician can review without reading Python:

- ``knowledge/gait_norms.yaml``: one entry per metric (optionally per age band and sex) with mean,
  SD, band, unit, source, and whether the numbers were verified (``verified: false`` for every
  value gait-norms.md marks UNVERIFIED and for every band built on an assumed SD).
- ``knowledge/gait_norm_curves.yaml``: key points of mean and SD angle curves over the gait cycle,
  a *reconstruction* from textbook key values (Kadaba 1990; Perry & Burnfield 2010), to be
  replaced with Fukuchi et al. (2018) data.

References
----------
Bohannon RW, Andrews AW (2011). Physiotherapy 97:182. Kadaba MP et al. (1990). J Orthop Res 8:383.
Fukuchi CA, Fukuchi RK, Duarte M (2018). PeerJ 6:e4640.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np
import pandas as pd
import yaml
from scipy.interpolate import PchipInterpolator

from groundup.gait.tables import from_rows

NORM_COLUMNS = ["metric", "side", "value", "mean", "sd", "lower", "upper", "z", "flag",
                "source", "verified", "unit", "note"]
_TYPES = dict(zip(NORM_COLUMNS, (object, object, *[float] * 6, object, object, bool, object,
                                 object), strict=True))
_SEX = {"m": "male", "male": "male", "man": "male", "men": "male",
        "f": "female", "female": "female", "woman": "female", "women": "female"}


@dataclass(frozen=True)
class NormBand:
    """One reference band.

    Attributes
    ----------
    metric, unit
        Metric id and its unit (``"m/s"``, ``"%"``, ``"deg"``, ...).
    mean, sd
        Population mean and between-person SD (``NaN`` when not available).
    lower, upper
        Normal band; ``mean -/+ 1.96 sd`` where the data file gives no explicit limits.
    source
        Author, year and journal.
    verified
        ``True`` only when every number in the band is verified in gait-norms.md.
    note
        How the band was built (what was assumed or derived).
    age, sex
        Age range ``(first, last)`` in years and sex the band applies to (``None`` = any).
    """

    metric: str
    mean: float
    sd: float
    lower: float
    upper: float
    unit: str
    source: str
    verified: bool
    note: str
    age: tuple[int, int] | None = None
    sex: str | None = None


def _read_yaml(name: str) -> dict[str, Any]:
    text = files("groundup").joinpath("knowledge", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def _norms_cached() -> dict[str, Any]:
    return _read_yaml("gait_norms.yaml")


@cache
def _curves_cached() -> dict[str, Any]:
    return _read_yaml("gait_norm_curves.yaml")


def load_norms() -> dict[str, Any]:
    """Return the parsed ``gait_norms.yaml`` (a fresh copy: changing it changes nothing else)."""
    return copy.deepcopy(_norms_cached())


def load_norm_curves() -> dict[str, Any]:
    """Return the parsed ``gait_norm_curves.yaml`` (a fresh copy)."""
    return copy.deepcopy(_curves_cached())


def symmetry_thresholds() -> dict[str, Any]:
    """Symmetry section of ``gait_norms.yaml``: SI flag limits (%), Patterson ratio bounds."""
    return copy.deepcopy(_norms_cached()["symmetry"])


def shared_symmetry_thresholds() -> dict[str, Any]:
    """:func:`symmetry_thresholds` without the copy, for callers that only read it."""
    return _norms_cached()["symmetry"]


def known_metrics() -> list[str]:
    """Metric ids that have a reference band."""
    return list(_known_metrics())


@cache
def _known_metrics() -> tuple[str, ...]:
    return tuple(sorted({e["metric"] for e in _norms_cached()["norms"]}))


def _norm_sex(sex: str | None) -> str | None:
    if sex is None:
        return None
    try:
        return _SEX[str(sex).strip().lower()]
    except KeyError:
        raise ValueError(f"sex must be 'male' or 'female' (or m/f), not {sex!r}") from None


def _matches(entry: dict[str, Any], age: float | None, sex: str | None) -> bool:
    if not entry.get("for_comparison", True):
        return False
    if "age" in entry:
        lo, hi = entry["age"]
        if age is None or not lo <= math.floor(age) <= hi:
            return False
    return not ("sex" in entry and entry["sex"] != sex)


def _to_band(entry: dict[str, Any], sources: dict[str, str], z95: float) -> NormBand:
    mean = float(entry.get("mean", math.nan))
    sd = float(entry.get("sd", math.nan))
    lower = float(entry["lower"]) if entry.get("lower") is not None else mean - z95 * sd
    upper = float(entry["upper"]) if entry.get("upper") is not None else mean + z95 * sd
    age = tuple(entry["age"]) if "age" in entry else None
    return NormBand(metric=entry["metric"], mean=mean, sd=sd, lower=lower, upper=upper,
                    unit=str(entry.get("unit", "")), source=sources.get(entry["source"],
                                                                        entry["source"]),
                    verified=bool(entry.get("verified", False)), note=str(entry.get("note", "")),
                    age=age, sex=entry.get("sex"))


def band_for(metric: str, *, age: float | None = None, sex: str | None = None) -> NormBand:
    """Reference band of one metric, the most specific for the given age and sex.

    An entry applies when its age range contains ``age`` (years) and its sex equals ``sex``;
    entries with neither apply to everyone. Among applicable entries the one matching more
    criteria wins (Bohannon & Andrews 2011 decade-and-sex speed means before the adult mean).

    Parameters
    ----------
    metric
        Metric id, e.g. ``"speed_m_s"``, ``"cadence_steps_min"``.
    age
        Age in years (``None`` = unknown).
    sex
        ``"male"``/``"female"`` (``"m"``/``"f"`` accepted); ``None`` = unknown.

    Returns
    -------
    NormBand

    Raises
    ------
    KeyError
        When the metric has no reference band (the message lists those that do).
    """
    return _band_for(metric, None if age is None else math.floor(age), _norm_sex(sex))


@cache
def _band_for(metric: str, age: int | None, sex_n: str | None) -> NormBand:
    """:func:`band_for` on whole years and a normalised sex (cached: bands are fixed data)."""
    data = _norms_cached()
    entries = [e for e in data["norms"] if e["metric"] == metric]
    if not entries:
        raise KeyError(f"no reference band for {metric!r}; known: {', '.join(known_metrics())}")
    applicable = [e for e in entries if _matches(e, age, sex_n)]
    if not applicable:
        raise KeyError(f"no reference band for {metric!r} applies to age={age}, sex={sex_n}")
    best = max(applicable, key=lambda e: ("age" in e) + ("sex" in e))  # first of the most specific
    return _to_band(best, data["sources"], float(data.get("reference_interval_z", 1.96)))


def _flag(value: float, band: NormBand) -> str:
    if not math.isfinite(value) or not (math.isfinite(band.lower) and math.isfinite(band.upper)):
        return "n/a"
    if value < band.lower:
        return "low"
    if value > band.upper:
        return "high"
    return "normal"


def _row(metric: str, side: str, value: Any, age: float | None, sex: str | None) -> dict:
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    try:
        band = band_for(metric, age=age, sex=sex)
    except KeyError:
        return {"metric": metric, "side": side, "value": v, "mean": math.nan, "sd": math.nan,
                "lower": math.nan, "upper": math.nan, "z": math.nan, "flag": "n/a",
                "source": "", "verified": False, "unit": "", "note": "no reference band"}
    z = (v - band.mean) / band.sd if band.sd > 0 and math.isfinite(v) else math.nan
    return {"metric": metric, "side": side, "value": v, "mean": band.mean, "sd": band.sd,
            "lower": band.lower, "upper": band.upper, "z": z, "flag": _flag(v, band),
            "source": band.source, "verified": band.verified, "unit": band.unit,
            "note": band.note}


def compare(values: dict[str, Any], *, age: float | None = None, sex: str | None = None,
            include_unknown: bool = False) -> pd.DataFrame:
    """Compare measured values with their reference bands.

    Parameters
    ----------
    values
        Metric id -> value, where a value is a number (side ``"none"``) or a dict
        ``{"left": x, "right": y}``. The shape of ``GaitResult.spatiotemporal`` is accepted
        too: top-level numbers plus ``"left"``/``"right"`` dicts of metric -> value.
    age
        Age in years, for age-banded norms.
    sex
        ``"male"``/``"female"``, for sex-specific norms.
    include_unknown
        Keep metrics that have no reference band (flag ``"n/a"``); by default they are dropped
        (e.g. ``n_strides``).

    Returns
    -------
    pandas.DataFrame
        Columns ``metric, side, value, mean, sd, lower, upper, z, flag, source, verified,
        unit, note``; ``z = (value - mean) / sd``; ``flag`` is ``"low"``/``"normal"``/``"high"``
        against ``[lower, upper]``, or ``"n/a"`` when the value or the band is missing.
    """
    return table_from_rows(compare_rows(values, age=age, sex=sex, include_unknown=include_unknown))


def compare_rows(values: dict[str, Any], *, age: float | None = None, sex: str | None = None,
                 include_unknown: bool = False) -> list[dict[str, Any]]:
    """The rows of :func:`compare`, one dict per metric and side."""
    known = _known_set()

    def wanted(metric: str) -> bool:
        return include_unknown or metric in known

    rows = []
    for key, val in values.items():
        if key in ("left", "right") and isinstance(val, dict):
            rows += [_row(m, key, v, age, sex) for m, v in val.items()
                     if _is_number(v) and wanted(m)]
        elif isinstance(val, dict):
            if wanted(key):
                rows += [_row(key, s, val[s], age, sex) for s in ("left", "right") if s in val]
        elif _is_number(val) and wanted(key):
            rows.append(_row(key, "none", val, age, sex))
    return rows


def table_from_rows(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The table of :func:`compare` from its rows (:func:`compare_rows`)."""
    return from_rows(rows, _TYPES)


@cache
def _known_set() -> frozenset[str]:
    return frozenset(_known_metrics())


def _is_number(v: Any) -> bool:
    return v is None or (isinstance(v, int | float | np.number) and not isinstance(v, bool))


@cache
def _interpolators(variable: str) -> tuple[PchipInterpolator, PchipInterpolator]:
    spec = _curves_cached()["variables"].get(variable)
    if spec is None:
        known = ", ".join(sorted(_curves_cached()["variables"]))
        raise KeyError(f"no normative curve for {variable!r}; known: {known}")
    pts = sorted(spec["points"], key=lambda p: p["pct"])
    pct = np.array([p["pct"] for p in pts], dtype=float)
    mean = np.array([p["mean"] for p in pts], dtype=float)
    sd = np.array([p["sd"] for p in pts], dtype=float)
    # Periodic PCHIP: repeat the key points one cycle before and after.
    x = np.concatenate([pct - 100.0, pct, pct + 100.0])
    return (PchipInterpolator(x, np.tile(mean, 3)), PchipInterpolator(x, np.tile(sd, 3)))


def curve_variables() -> list[str]:
    """Variables that have a normative curve."""
    return sorted(_curves_cached()["variables"])


def norm_curve(variable: str, *,
               pct: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Normative mean and SD curve of one angle over the gait cycle.

    A reconstruction from textbook key values (``verified: false``; see
    ``knowledge/gait_norm_curves.yaml``), interpolated with a periodic PCHIP.

    Parameters
    ----------
    variable
        ``"hip_flexion"``, ``"knee_flexion"``, ``"ankle_dorsiflexion"``, ``"pelvic_tilt"`` or
        ``"pelvic_obliquity"``.
    pct
        Where to evaluate, in % of the gait cycle (wrapped into 0-100); default 0, 1, ..., 100.

    Returns
    -------
    pct, mean, sd
        Arrays of equal length; ``mean`` and ``sd`` in degrees.
    """
    f_mean, f_sd = _interpolators(variable)
    p = np.arange(101, dtype=float) if pct is None else np.asarray(pct, dtype=float)
    wrapped = np.mod(p, 100.0)
    return p, f_mean(wrapped), f_sd(wrapped)
