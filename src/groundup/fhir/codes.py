"""External codes for groundup ids, read from the knowledge files.

Findings: ``knowledge/codes.yaml``; conditions: ``knowledge/condition_codes.yaml``. Both copy
their codes from ``../shared/knowledge/codes.md`` with its verification status; nothing is
invented here. Every coding also carries the groundup code, so a receiver always has one.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from groundup.findings import GROUNDUP_SYSTEM

CONDITION_SYSTEM = GROUNDUP_SYSTEM + "/conditions"
PLAN_SYSTEM = GROUNDUP_SYSTEM + "/plan-items"
UCUM = "http://unitsofmeasure.org"


@cache
def _load(name: str) -> dict[str, Any]:
    text = resources.files("groundup.knowledge").joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


def _coding(systems: dict[str, str], entry: dict[str, Any], system_key: str) -> dict[str, Any]:
    coding = {"system": systems[system_key], "code": str(entry["code"])}
    if entry.get("display"):
        coding["display"] = str(entry["display"])
    return coding


def finding_code(code: str, system: str, display: str) -> dict[str, Any]:
    """``CodeableConcept`` for a finding: its external codings (if any) plus the groundup code."""
    data = _load("codes.yaml")
    systems = data.get("systems", {})
    entry = (data.get("codes") or {}).get(code) or {}
    codings = []
    for c in entry.get("codings") or []:
        codings.append(_verified(_coding(systems, c, c["system"]), c.get("verified", True)))
    codings.append({"system": system, "code": code, "display": display})
    return {"coding": codings, "text": display}


def condition_code(condition: str, side: str | None) -> dict[str, Any]:
    """``CodeableConcept`` for a condition id (ICD-10-CM by side, SNOMED CT, groundup)."""
    data = _load("condition_codes.yaml")
    systems = data.get("systems", {})
    entry = (data.get("conditions") or {}).get(condition) or {}
    display = entry.get("display") or condition.replace("_", " ")
    codings = []
    icd = entry.get("icd10cm") or {}
    pick = icd.get("any") or icd.get(side or "unspecified") or icd.get("unspecified")
    if pick:
        codings.append(_verified(_coding(systems, pick, "icd10cm"), pick.get("verified", True)))
    if entry.get("snomed"):
        s = entry["snomed"]
        codings.append(_verified(_coding(systems, s, "snomed"), s.get("verified", True)))
    codings.append({"system": CONDITION_SYSTEM, "code": condition, "display": display})
    return {"coding": codings, "text": display}


def laterality(side: str | None) -> dict[str, Any] | None:
    """SNOMED CT laterality qualifier for ``left``/``right``/``bilateral``, else ``None``."""
    entry = (_load("condition_codes.yaml").get("laterality") or {}).get(side or "")
    if not entry:
        return None
    coding = {"system": "http://snomed.info/sct", "code": entry["code"],
              "display": entry["display"]}
    return {"coding": [coding], "text": side}


#: Extension that marks a code taken from memory, not yet validated against its release.
UNVERIFIED_URL = GROUNDUP_SYSTEM + "/StructureDefinition/code-unverified"


def _verified(coding: dict[str, Any], verified: bool) -> dict[str, Any]:
    if not verified:
        coding["extension"] = [{"url": UNVERIFIED_URL, "valueBoolean": True}]
    return coding
