"""Shared helpers for the exam package: building findings, units from key names, problems.

Every exam module builds its :class:`~groundup.findings.Finding` objects through
:func:`make_finding`, so codes, displays, units and sides follow ``docs/finding-codes.md`` in
one place.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from groundup.errors import GroundupError
from groundup.findings import GROUNDUP_SYSTEM, Finding

NOT_DONE = "not_done"
SIDES = ("left", "right")

#: unit suffix of a case key -> (UCUM unit, factor to that unit)
UNIT_SUFFIXES: dict[str, tuple[str, float]] = {
    "_mm": ("mm", 1.0),
    "_deg": ("deg", 1.0),
    "_pct": ("%", 1.0),
    "_percent": ("%", 1.0),
    "_m_s": ("m/s", 1.0),
    "_steps_min": ("/min", 1.0),
    "_cm": ("cm", 1.0),
    "_m": ("m", 1.0),
    "_c": ("Cel", 1.0),
    "_kg": ("kg", 1.0),
    "_reps": ("{repetitions}", 1.0),
    "_weeks": ("wk", 1.0),
    "_nrs": ("{score}", 1.0),
}


@dataclass(frozen=True)
class Problem:
    """One bad input value, named by its dotted field path (``exam.rom.hip_flexion_deg.left``)."""

    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"{self.field}{where}: {self.message}"


class CaseError(GroundupError):
    """One or more fields of a case/exam record are invalid.

    ``problems`` lists every bad field (not only the first); ``findings`` holds the findings
    built from all the fields that were valid, so nothing already entered is lost.
    """

    def __init__(self, problems: list[Problem], findings: list[Finding] | None = None) -> None:
        lines = "; ".join(str(p) for p in problems)
        super().__init__(f"{len(problems)} invalid field(s): {lines}",
                         hint="correct these fields; the other values were kept")
        self.problems = list(problems)
        self.findings = list(findings or [])


@cache
def load_knowledge(name: str) -> Any:
    """Parse a YAML file from ``groundup/knowledge`` (``name`` may contain a sub-folder)."""
    path = resources.files("groundup") / "knowledge" / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise GroundupError(f"knowledge file {name!r} is missing from the installation") from exc


def codes() -> dict[str, dict]:
    """groundup id -> ``{display, codings: [...]}`` from ``knowledge/codes.yaml``."""
    return load_knowledge("codes.yaml")["codes"]


def humanise(key: str) -> str:
    """``"slr_angle_deg"`` -> ``"Slr angle"``: a fallback display name from a key."""
    for suffix in UNIT_SUFFIXES:
        if key.endswith(suffix):
            key = key[: -len(suffix)]
            break
    text = key.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def unit_of(key: str) -> str | None:
    """UCUM unit implied by the suffix of a case key, or ``None`` (longest suffix wins)."""
    for suffix in sorted(UNIT_SUFFIXES, key=len, reverse=True):
        if key.endswith(suffix):
            return UNIT_SUFFIXES[suffix][0]
    return None


def norm_side(side: Any) -> str:
    """Map a case side (``left/right/bilateral/central``, ``left_stance``) to a Finding side."""
    if side in ("left", "right", "bilateral"):
        return side
    if side in ("left_stance", "right_stance"):
        return side.split("_")[0]
    return "none"


def is_number(x: Any) -> bool:
    """True for a finite int/float that is not a bool."""
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def suggest(word: str, options) -> str:
    """`` (did you mean 'x'?)`` for the closest option, or an empty string."""
    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.7)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass
class Builder:
    """Collects findings and problems for one record, with shared source/provenance.

    Parameters
    ----------
    source
        ``Finding.source`` for everything built (``"exam"``, ``"questionnaire"``...).
    provenance
        Copied into every finding (plus a ``field`` entry naming the input path).
    effective
        ISO date of the observations, if known.
    """

    source: str
    provenance: dict[str, Any] = field(default_factory=dict)
    effective: str | None = None
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add(self, code: str, value: Any, *, side: str = "none", unit: str | None = None,
            display: str | None = None, confidence: str = "moderate",
            qualifiers: dict | None = None, interpretation: dict | None = None,
            field_path: str | None = None, source: str | None = None,
            system: str = GROUNDUP_SYSTEM, provenance: dict | None = None) -> Finding:
        """Append one finding; the display comes from codes.yaml when not given."""
        if isinstance(value, int) and not isinstance(value, bool):
            value = float(value) if unit else value
        entry = codes().get(code) or {}
        f = Finding(code=code, system=system,
                    display=display or entry.get("display") or humanise(code.rsplit(".", 1)[-1]),
                    value=value, unit=None if value == NOT_DONE else unit, side=norm_side(side),
                    source=source or self.source, confidence=confidence,
                    provenance={**self.provenance, **(provenance or {}),
                                "field": field_path or code},
                    interpretation=interpretation, qualifiers=dict(qualifiers or {}),
                    effective=self.effective)
        self.findings.append(f)
        return f

    def problem(self, field_path: str, message: str) -> None:
        """Record a bad field; building continues with the other fields."""
        self.problems.append(Problem(field_path, message))
