"""The ``Finding``: the one currency between measurement and reasoning.

A finding is one observation about the patient: what (a code in a named code system), its value
with a unit, the side, where it came from, how far to trust it, and how it was produced. It maps
one-to-one onto a FHIR Observation (``code`` -> ``Observation.code``, ``value``/``unit`` ->
``valueQuantity``, ``side`` -> ``bodySite`` laterality, ``provenance`` -> ``Provenance``).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Side = Literal["left", "right", "bilateral", "none"]
Confidence = Literal["high", "moderate", "low", "very low"]

#: The project's own code system, used where LOINC/SNOMED CT/ICD-10-CM hold no code.
GROUNDUP_SYSTEM = "https://groundup.health/codes"
LOINC_SYSTEM = "http://loinc.org"
SNOMED_SYSTEM = "http://snomed.info/sct"

CONFIDENCE_LEVELS: tuple[Confidence, ...] = ("high", "moderate", "low", "very low")


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One coded observation about the patient.

    Parameters
    ----------
    code
        Code of the observation inside ``system`` (e.g. ``"gait.cadence"``).
    system
        URI of the code system (LOINC, SNOMED CT, or :data:`GROUNDUP_SYSTEM`).
    display
        Human-readable name of the code.
    value
        The observed value: a number, a boolean, or a short text (e.g. a category).
    unit
        UCUM unit of ``value`` (``"/min"``, ``"m/s"``, ``"%"``, ``"deg"``); ``None`` for text.
    side
        Body side the finding refers to.
    source
        Kind of origin: ``"c3d"``, ``"trc"``, ``"video"``, ``"imu"``, ``"exam"``,
        ``"questionnaire"``, ``"imaging"``, ``"synthetic"``.
    confidence
        How far to trust the value: ``"high"``, ``"moderate"``, ``"low"``, ``"very low"``.
    provenance
        How it was produced: file, method, software version, notes.
    interpretation
        Comparison with a reference, e.g. ``{"z": 2.3, "flag": "high", "source": ...}``.
    qualifiers
        Further attributes of the observation that are part of its meaning, e.g.
        ``{"level": "L4-L5", "root": "L5"}`` for a disc herniation on MRI.
    effective
        When the observation was made: an ISO 8601 date or date-time, or ``None`` (now).
    """

    code: str
    system: str = GROUNDUP_SYSTEM
    display: str
    value: float | bool | str | None
    unit: str | None = None
    side: Side = "none"
    source: str
    confidence: Confidence = "moderate"
    provenance: dict[str, Any] = field(default_factory=dict)
    interpretation: dict[str, Any] | None = None
    qualifiers: dict[str, Any] = field(default_factory=dict)
    effective: str | None = None

    def __post_init__(self) -> None:
        if self.confidence not in CONFIDENCE_LEVELS:
            raise ValueError(f"confidence must be one of {CONFIDENCE_LEVELS}, "
                             f"not {self.confidence!r}")
        if isinstance(self.value, float) and not math.isfinite(self.value):
            raise ValueError(f"finding {self.code!r} has a non-finite value {self.value!r}")

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dictionary."""
        return asdict(self)
