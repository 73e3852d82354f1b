"""Gait measurements as recorded in a case file (``gait`` section) -> findings.

Codes match :mod:`groundup.gait.findings` where the same metric exists (``gait.<metric>``,
``gait.asymmetry.<metric>``, system ``GAIT_SYSTEM``): ``step_width_cm`` becomes
``gait.step_width_m``; ``stance_time_si_pct`` and ``step_length_si_pct`` become
``gait.asymmetry.stance_pct`` and ``gait.asymmetry.step_length_m`` (Robinson symmetry index, %).
"""

from __future__ import annotations

from typing import Any

from groundup.exam.common import NOT_DONE, Builder, humanise, is_number, unit_of
from groundup.gait.findings import GAIT_SYSTEM, METRICS

#: how far to trust each recording source (groundup convention)
SOURCE_CONFIDENCE = {"instrumented_walkway": "high", "3d_motion_capture": "high",
                     "markerless_video": "moderate", "imu": "moderate", "observational": "low"}
META_KEYS = ("source", "condition", "recorded_days_ago", "notes")
RENAMED = {"step_width_cm": ("step_width_m", 0.01, "m"),
           "stance_time_si_pct": ("asymmetry.stance_pct", 1.0, "%"),
           "step_length_si_pct": ("asymmetry.step_length_m", 1.0, "%")}
TEXT_VALUES = {"heel_loading": ("normal", "reduced")}


def gait_record_findings(gait: Any, b: Builder) -> None:
    """Findings of a case ``gait`` section (``"not_done"`` gives one ``gait`` finding)."""
    if gait is None:
        return
    if gait == NOT_DONE:
        b.add("gait", NOT_DONE, source="gait", system=GAIT_SYSTEM)
        return
    if not isinstance(gait, dict):
        b.problem("gait", "must be a mapping or 'not_done'")
        return
    src = gait.get("source")
    if src not in SOURCE_CONFIDENCE:
        b.problem("gait.source", f"{src!r} is not one of {list(SOURCE_CONFIDENCE)}")
        return
    conf = SOURCE_CONFIDENCE[src]
    prov = {"gait_source": src, "condition": gait.get("condition"),
            "recorded_days_ago": gait.get("recorded_days_ago")}
    for key, value in gait.items():
        if key in META_KEYS:
            continue
        metric, factor, unit = RENAMED.get(key, (key, 1.0, unit_of(key)))
        sides = value.items() if isinstance(value, dict) else [("none", value)]
        for side, v in sides:
            path = f"gait.{key}" + ("" if side == "none" else f".{side}")
            if v == NOT_DONE:
                b.add(f"gait.{metric}", NOT_DONE, side=side, source="gait", field_path=path,
                      system=GAIT_SYSTEM)
                continue
            if isinstance(v, bool) or (isinstance(v, str) and v in TEXT_VALUES.get(key, ())):
                val, u = v, None
            elif is_number(v):
                if unit in ("%", "deg") and abs(v) > (100 if unit == "%" else 90):
                    b.problem(path, f"{v!r} {unit} is outside the plausible range")
                    continue
                val, u = round(v * factor, 6), unit
            elif key == "pelvic_obliquity_low_side" and v in ("left", "right"):
                val, u = v, None
            else:
                b.problem(path, f"{v!r} is not a valid value")
                continue
            display = METRICS.get(metric, (humanise(metric.replace("asymmetry.", "asymmetry_")),))
            side = "bilateral" if metric.startswith("asymmetry.") else side
            b.add(f"gait.{metric}", val, side=side, unit=u, display=display[0], source="gait",
                  confidence=conf, field_path=path, system=GAIT_SYSTEM, provenance=prov)
