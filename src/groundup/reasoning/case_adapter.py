"""Adapter between the case format and the reasoning, on top of ``groundup.exam.case``.

``findings_from_case`` (exam package) emits nothing for ``exam.neuro.sensation: []``, which the
case format defines as "normal throughout". Without a finding the reasoning would read it as
"not examined". Until the exam package emits it, this adapter adds one ``exam.neuro.sensation``
finding with value ``"normal"`` (side ``bilateral``). It does not parse anything else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from groundup.findings import Finding

SENSATION_NORMAL_CODE = "exam.neuro.sensation"


def _sensation_normal(case: dict) -> list[Finding]:
    exam = case.get("exam") if isinstance(case, dict) else None
    neuro = exam.get("neuro") if isinstance(exam, dict) else None
    if isinstance(neuro, dict) and neuro.get("sensation") == []:
        return [
            Finding(
                code=SENSATION_NORMAL_CODE,
                display="Sensation normal throughout",
                value="normal",
                side="bilateral",
                source="exam",
                provenance={
                    "field": "exam.neuro.sensation",
                    "method": "groundup.reasoning.case_adapter",
                },
            )
        ]
    return []


def findings_for_reasoning(case: dict) -> list[Finding]:
    """``groundup.exam.case.findings_from_case`` plus the findings the reasoning needs."""
    from groundup.exam.case import findings_from_case

    found = findings_from_case(case)
    if not any(f.code == SENSATION_NORMAL_CODE for f in found):
        found = found + _sensation_normal(case)
    return found


def load_for_reasoning(path: str | Path) -> tuple[dict[str, Any], list[Finding]]:
    """Read a case file: the engine-visible sections and their findings.

    Only ``patient``, ``history``, ``questionnaires``, ``exam``, ``gait`` and ``imaging`` are
    passed on; ``id``, ``title``, ``pattern``, ``tags`` and ``expected`` never reach the engine.
    """
    from groundup.exam.case import load_case

    case = load_case(path)
    visible = {
        k: case[k]
        for k in ("patient", "history", "questionnaires", "exam", "gait", "imaging")
        if k in case
    }
    return visible, findings_for_reasoning(visible)
