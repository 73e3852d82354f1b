"""Turn a gait analysis into :class:`~groundup.findings.Finding` objects.

No LOINC codes exist for these gait metrics (codes.md, checked 2026), so they use the project's
own code system ``GAIT_SYSTEM``; each maps to a FHIR Observation with a UCUM unit.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from groundup.findings import GROUNDUP_SYSTEM, Finding

GAIT_SYSTEM = GROUNDUP_SYSTEM + "/gait-metrics"

#: metric id -> (display, UCUM unit)
METRICS = {
    "cadence_steps_min": ("Cadence", "/min"),
    "speed_m_s": ("Walking speed", "m/s"),
    "stride_length_m": ("Stride length", "m"),
    "step_length_m": ("Step length", "m"),
    "step_time_s": ("Step time", "s"),
    "step_width_m": ("Step width", "m"),
    "stance_pct": ("Stance phase", "%"),
    "double_support_pct": ("Double support", "%"),
    "stride_time_cv_pct": ("Stride time variability (CV)", "%"),
    "pelvic_obliquity_range_deg": ("Pelvic obliquity range", "deg"),
    "foot_progression_deg": ("Foot progression angle", "deg"),
    "knee_peak_swing_flexion_deg": ("Peak knee flexion in swing", "deg"),
    "hip_peak_extension_deg": ("Peak hip extension", "deg"),
    "ankle_peak_dorsiflexion_deg": ("Peak ankle dorsiflexion in stance", "deg"),
}


def _finite(x: Any) -> bool:
    return isinstance(x, int | float) and math.isfinite(x)


def gait_findings(summary: dict, symmetry: pd.DataFrame, norms: pd.DataFrame, *,
                  source: str, confidence: str, provenance: dict) -> list[Finding]:
    """Findings for the summary values, per-side values, and asymmetries.

    Parameters
    ----------
    summary
        Per-trial values: overall metrics and ``left``/``right`` dicts.
    symmetry
        Table from :func:`groundup.gait.symmetry.symmetry_table`.
    norms
        Table from :func:`groundup.gait.norms.compare` (``metric``, ``side``, ``z``, ...).
    source, confidence, provenance
        Copied into each finding.
    """
    return findings_from_rows(summary, _records(symmetry), _records(norms), source=source,
                              confidence=confidence, provenance=provenance)


def _records(table: pd.DataFrame | None) -> list[dict[str, Any]]:
    return [] if table is None or table.empty else table.to_dict("records")


def findings_from_rows(summary: dict, symmetry: list[dict[str, Any]],
                       norms: list[dict[str, Any]], *, source: str, confidence: str,
                       provenance: dict) -> list[Finding]:
    """:func:`gait_findings` from the rows of the two tables
    (:func:`groundup.gait.symmetry.symmetry_rows`, :func:`groundup.gait.norms.compare_rows`)."""
    keys = ("z", "flag", "mean", "sd", "lower", "upper", "source", "verified")
    interp = {(r["metric"], r["side"] or "none"): {k: r[k] for k in keys} for r in norms}
    out = []

    def add(metric: str, value: Any, side: str) -> None:
        if metric not in METRICS or not _finite(value):
            return
        display, unit = METRICS[metric]
        out.append(Finding(code=f"gait.{metric}", system=GAIT_SYSTEM, display=display,
                           value=round(float(value), 4), unit=unit, side=side, source=source,
                           confidence=confidence, provenance=provenance,
                           interpretation=interp.get((metric, side))))

    for metric in METRICS:
        add(metric, summary.get(metric), "none")
    for side in ("left", "right"):
        for metric, value in (summary.get(side) or {}).items():
            add(metric, value, side)
    for row in symmetry:
        if not _finite(row.get("si_pct")):
            continue
        out.append(Finding(
            code=f"gait.asymmetry.{row['metric']}", system=GAIT_SYSTEM,
            display=f"Asymmetry of {METRICS.get(row['metric'], (row['metric'],))[0].lower()}"
                    " (symmetry index, Robinson 1987)",
            value=round(float(row["si_pct"]), 2), unit="%", side="bilateral",
            source=source, confidence=confidence, provenance=provenance,
            interpretation={k: row.get(k) for k in row if k not in ("metric",)}))
    return out
