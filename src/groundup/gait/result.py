"""The ``GaitResult``: everything measured about one walking trial.

Tables are tidy pandas DataFrames (one row per observation) so they concatenate across trials
and patients. :meth:`GaitResult.to_json` gives the stable, documented machine-readable form
(``docs/gait-json.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from groundup.findings import Finding
from groundup.motion.trial import GaitEvent

SCHEMA = "groundup.gait/1"


@dataclass(kw_only=True)
class GaitResult:
    """Gait analysis of one trial.

    Attributes
    ----------
    trial
        Name of the trial (file stem).
    source
        Origin of the data (``"c3d"``, ``"trc"``, ``"video"``, ``"synthetic"``).
    events
        Detected events on the file's own time axis, each with the method that produced it.
    strides
        One row per stride (IC to next IC of the same foot): ``side``, ``start_s``, ``end_s``,
        ``foot_off_s``, ``stride_time_s``, ``stance_pct``, ``swing_pct``,
        ``double_support_pct``, ``stride_length_m``, ``step_time_s``, ``step_length_m``,
        ``step_width_m``, ``speed_m_s``, ``cadence_steps_min``.
    spatiotemporal
        Summary: ``cadence_steps_min``, ``speed_m_s``, and ``left``/``right`` dicts with means
        (``stride_length_m``, ``step_time_s``, ``stance_pct``, ...) and ``*_cv_pct`` variability.
    kinematics
        Time-normalised curves, tidy: ``variable``, ``side``, ``cycle``, ``pct`` (0-100),
        ``value_deg``, ``origin`` (``"markers"`` or ``"model:<name>"``).
    symmetry
        One row per bilateral metric: ``metric``, ``left``, ``right``, ``si_pct``, ``ratio``,
        ``flag``.
    norms
        Comparison with reference bands: ``metric``, ``side``, ``value``, ``mean``, ``sd``,
        ``lower``, ``upper``, ``z``, ``flag``, ``source``, ``verified``.
    findings
        :class:`~groundup.findings.Finding` objects for the reasoning.
    warnings
        Plain-language notes on what could not be computed and why.
    metadata
        Facts about the trial and the analysis (walking axis, treadmill, rates, methods).
    """

    trial: str
    source: str
    events: list[GaitEvent] = field(default_factory=list)
    strides: pd.DataFrame = field(default_factory=pd.DataFrame)
    spatiotemporal: dict[str, Any] = field(default_factory=dict)
    kinematics: pd.DataFrame = field(default_factory=pd.DataFrame)
    symmetry: pd.DataFrame = field(default_factory=pd.DataFrame)
    norms: pd.DataFrame = field(default_factory=pd.DataFrame)
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form (schema ``groundup.gait/1``, see ``docs/gait-json.md``)."""
        return _clean({
            "schema": SCHEMA,
            "trial": self.trial,
            "source": self.source,
            "events": [e.to_dict() for e in self.events],
            "spatiotemporal": self.spatiotemporal,
            "strides": _records(self.strides),
            "kinematics": _curves(self.kinematics),
            "symmetry": _records(self.symmetry),
            "norms": _records(self.norms),
            "findings": [f.to_dict() for f in self.findings],
            "warnings": self.warnings,
            "metadata": self.metadata,
        })


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    if df is None or df.empty:
        return []
    return df.to_dict(orient="records")


def _curves(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Mean curve per variable/side/origin: ``{variable, side, origin, n_cycles, mean, sd}``."""
    if df is None or df.empty:
        return []
    out = []
    for (var, side, origin), g in df.groupby(["variable", "side", "origin"], sort=True):
        wide = g.pivot_table(index="pct", columns="cycle", values="value_deg")
        out.append({"variable": var, "side": side, "origin": origin,
                    "n_cycles": int(wide.shape[1]),
                    "pct": [float(p) for p in wide.index],
                    "mean": wide.mean(axis=1).round(3).tolist(),
                    "sd": wide.std(axis=1, ddof=0).round(3).tolist()})
    return out


def _clean(obj: Any) -> Any:
    """Make numpy scalars and NaN JSON-safe (NaN -> None)."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.integer | np.bool_):
        return obj.item()
    if isinstance(obj, float | np.floating):
        f = float(obj)
        return None if not np.isfinite(f) else round(f, 6)
    return obj
