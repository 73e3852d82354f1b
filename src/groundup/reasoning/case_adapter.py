"""Adapter between the case format and the reasoning, on top of ``groundup.exam.case``.

The exam package emits every finding the reasoning reads, including ``exam.neuro.sensation`` =
``"normal"`` for ``sensation: []`` ("normal throughout" in the case format). This module only
drops the answer key and metadata before the findings are built; it parses nothing itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from groundup.findings import Finding

#: the case sections the engine may read (cases README, "What an engine under test may read")
VISIBLE_SECTIONS = ("patient", "history", "questionnaires", "exam", "gait", "imaging")


def findings_for_reasoning(case: dict) -> list[Finding]:
    """The findings of every valid field of one case mapping.

    A field the exam package rejects (a misspelt muscle, an out-of-range value) is left out,
    not fatal: the reasoning then treats it as not recorded, which is what it is. ``groundup
    assess`` reports such fields (:func:`groundup.exam.case.findings_and_problems`).
    """
    from groundup.exam.case import findings_and_problems

    return findings_and_problems(case)[0]


def load_for_reasoning(path: str | Path) -> tuple[dict[str, Any], list[Finding]]:
    """Read a case file: the engine-visible sections and their findings.

    Only ``patient``, ``history``, ``questionnaires``, ``exam``, ``gait`` and ``imaging`` are
    passed on; ``id``, ``title``, ``pattern``, ``tags`` and ``expected`` never reach the engine.
    """
    from groundup.exam.case import load_case

    case = load_case(path)
    visible = {k: case[k] for k in VISIBLE_SECTIONS if k in case}
    return visible, findings_for_reasoning(visible)
