"""Structured facts from free-text history lines, by small documented keyword rules.

The case format keeps ``history.past`` and ``history.medications`` as free text. A few facts the
reasoning needs are read from them here. Each rule is deliberately small, the finding is marked
``qualifiers.derived_from = "free_text"`` with ``confidence="low"``, and a rule never produces a
value the text does not state: no keyword, no finding.

Diabetes (``history.diabetes``)
    ``True`` when a past line names diabetes (``diabetes``, ``diabetic``, ``T1DM``/``T2DM``) or a
    medication line names a glucose-lowering drug used (almost) only in diabetes:
    :data:`DIABETES_DRUGS`. Drugs with other common indications (SGLT2 inhibitors for heart
    failure/CKD, GLP-1 agonists for obesity) are left out on purpose.
    ``False`` when a past line states the patient is not diabetic (``not diabetic``,
    ``non-diabetic``, ``no diabetes``) and nothing says otherwise.
    Ignored: pre-diabetes, gestational diabetes (past pregnancy), family history.
"""

from __future__ import annotations

import re
from typing import Any

from groundup.exam.common import Builder

#: glucose-lowering drugs taken as evidence of diabetes (lower-case substrings)
DIABETES_DRUGS = ("insulin", "metformin", "gliclazide", "glimepiride", "glipizide",
                  "glibenclamide")
_NEGATED = re.compile(r"\b(?:not|non|no)[\s-]+(?:known\s+)?diabet")
_IGNORED = re.compile(r"pre[\s-]?diabet|gestational|family|mother|father|sister|brother")
_DIABETES = re.compile(r"\bdiabet(?:es|ic)\b|\bt[12]dm\b|\bdm\s*(?:type\s*)?[12]\b")
_TYPE = re.compile(r"\btype\s*([12])\b|\bt([12])dm\b")
RULE = "groundup.exam.history_facts keyword rule on free text"


def _lines(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def diabetes_status(history: Any) -> tuple[bool | None, dict]:
    """Diabetes stated in the history text: ``(True/False/None, qualifiers)``.

    Parameters
    ----------
    history
        The case's ``history`` mapping; ``past`` and ``medications`` are read (lists of text).

    Returns
    -------
    tuple
        ``None`` when the text says nothing; qualifiers name the matching lines (``matched``)
        and the type (``"1"``/``"2"``) when stated.
    """
    history = history if isinstance(history, dict) else {}
    positive, negative, dtype = [], [], None
    for i, line in enumerate(_lines(history.get("past"))):
        text = line.lower()
        if _IGNORED.search(text):
            continue
        if _NEGATED.search(text):
            negative.append(f"history.past[{i}]: {line}")
        elif _DIABETES.search(text):
            positive.append(f"history.past[{i}]: {line}")
            m = _TYPE.search(text)
            dtype = dtype or (m and (m.group(1) or m.group(2)))
    for i, line in enumerate(_lines(history.get("medications"))):
        drugs = [d for d in DIABETES_DRUGS if d in line.lower()]
        if drugs:
            positive.append(f"history.medications[{i}]: {line}")
    if positive:
        quals = {"matched": positive, "derived_from": "free_text", "rule": RULE}
        if negative:
            quals["contradicted_by"] = negative
        if dtype:
            quals["type"] = dtype
        return True, quals
    if negative:
        return False, {"matched": negative, "derived_from": "free_text", "rule": RULE}
    return None, {}


#: "morning stiffness about 90 minutes", "stiff every morning for over an hour", "45 min of
#: morning stiffness": a number (or "an hour") in the same clause as "stiff" and "morning".
_CLAUSE = re.compile(r"[^.;\n]+")
_DURATION = re.compile(r"(under|less than|<)?\s*(?:(\d+(?:\.\d+)?)|\b(an|one|two|three)\b)"
                       r"\s*(minutes?|mins?|hours?|hrs?|h)\b")
_WORDS = {"an": 1.0, "one": 1.0, "two": 2.0, "three": 3.0}


def stiffness_minutes(history: Any) -> float | None:
    """Morning stiffness in minutes stated in the history's free text, or ``None``.

    Only a clause that names both stiffness and the morning counts; "over"/"more than" keep
    the stated number (a lower bound); an upper bound ("under an hour") gives no value. Texts
    are read, never guessed: no number, no value.
    """
    if not isinstance(history, dict):
        return None
    for key, value in history.items():
        if key in ("symptoms", "pain_map", "timeline", "red_flag_screen"):
            continue
        for line in _lines(value):
            for clause in _CLAUSE.findall(line.lower()):
                if "stiff" not in clause or "morning" not in clause:
                    continue
                m = _DURATION.search(clause)
                if m is None or m.group(1):
                    continue
                n = float(m.group(2)) if m.group(2) else _WORDS[m.group(3)]
                return n * 60.0 if m.group(4).startswith("h") else n
    return None


def history_fact_findings(history: Any, b: Builder) -> None:
    """``history.diabetes`` (low confidence, from free text) and
    ``history.morning_stiffness_minutes`` when the record gives it as a number."""
    value, quals = diabetes_status(history)
    if value is not None:
        b.add("history.diabetes", value, display="Diabetes (from history text)",
              confidence="low", qualifiers=quals, field_path="history.past/medications",
              provenance={"method": RULE})
    stiff = history.get("morning_stiffness_minutes") if isinstance(history, dict) else None
    # an optional extra history line; text or implausible numbers are left as free text
    if isinstance(stiff, int | float) and not isinstance(stiff, bool) and 0 <= stiff <= 1440:
        b.add("history.morning_stiffness_minutes", float(stiff), unit="min",
              display="Morning stiffness duration", confidence="moderate",
              field_path="history.morning_stiffness_minutes")
        return
    text = stiffness_minutes(history)
    if text is not None and 0 <= text <= 1440:
        b.add("history.morning_stiffness_minutes", text, unit="min",
              display="Morning stiffness duration (from history text)", confidence="low",
              qualifiers={"derived_from": "free_text"}, field_path="history",
              provenance={"method": RULE})
