"""Red flags: rule checks that always win (clinical-evidence.md §15); and the amber flags.

A fired red flag puts its condition first, makes the result an urgent (or emergency) referral and
turns the plan into the referral/imaging action. A biomechanical explanation never suppresses it.
Amber flags ask for monitoring and do not stop the pathway: those raised by the exam package
(``amberflag.derived.<id>``) and those of ``plan_rules.yaml: amber_flags``, each listed once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from groundup.reasoning.evidence import NOT_DONE, FindingIndex, clause
from groundup.reasoning.knowledge import Knowledge

PRIORITY_ORDER = ("emergency", "urgent", "soon", "routine")
AMBER_PREFIX = "amberflag.derived."


@dataclass(frozen=True)
class RedFlag:
    """A red flag that fired, with the findings that triggered it."""

    id: str
    condition: str | None
    referral: dict
    plan: tuple[str, ...]
    next_tests: tuple[str, ...]
    triggers: tuple[str, ...] = field(default_factory=tuple)
    source: str = ""


def _describe(spec: dict) -> str:
    if "all_of" in spec:
        return " and ".join(_describe(c) for c in spec["all_of"])
    if "any_of" in spec:
        return "(" + " or ".join(_describe(c) for c in spec["any_of"]) + ")"
    if "feature" in spec:
        return spec["feature"].replace("_", " ")
    if "not" in spec:
        return "not " + _describe(spec["not"])
    rest = ", ".join(f"{k} {v}" for k, v in spec.items() if k != "code")
    return f"{spec['code']} {rest}"


def check(kb: Knowledge, index: FindingIndex) -> list[RedFlag]:
    """Every red flag whose rule fires, most urgent first."""
    fired = []
    for fid, rule in kb.red_flags.items():
        hits = [_describe(c) for c in rule["fires_when"] if clause(c, index, kb.features)]
        if hits:
            fired.append(
                RedFlag(
                    fid,
                    rule.get("condition"),
                    dict(rule["referral"]),
                    tuple(rule.get("plan") or ()),
                    tuple(rule.get("next_tests") or ()),
                    tuple(hits),
                    rule.get("source", ""),
                )
            )
    return sorted(fired, key=lambda r: PRIORITY_ORDER.index(r.referral["priority"]))


def amber_flags(kb: Knowledge, index: FindingIndex, primary: str | None) -> list[str]:
    """Amber flag ids: the rules of ``plan_rules.yaml`` first, then the exam package's.

    Parameters
    ----------
    kb, index
        The knowledge and the findings (with derived observations).
    primary
        The committed primary condition, ``None`` when not determined (rules that need a
        diagnosis, e.g. chronic sciatica, then do not fire). An amber flag with the primary's
        own id (``vascular_claudication``: possible PAD) is answered by the diagnosis and dropped.

    Returns
    -------
    list of str
        Each id once, in order. ``amberflag.derived.<id>`` findings with value ``True`` come
        from ``groundup.exam.amber_flags`` (IWGDF high-risk foot, stable 4/5 weakness,
        inflammatory features, possible PAD; clinical-evidence.md §15).
    """
    attrs = {"id": primary, "region": kb.conditions[primary].region if primary else None}
    own = [
        aid
        for aid, rule in kb.plan.get("amber_flags", {}).items()
        if clause(rule["when"], index, kb.features, attrs)
    ]
    exam = [
        f.code[len(AMBER_PREFIX) :]
        for f in index.findings
        if f.code.startswith(AMBER_PREFIX) and f.value is True
    ]
    return [a for a in dict.fromkeys(own + exam) if a != primary]


def unanswered_screen(index: FindingIndex) -> list[str]:
    """Red-flag screen questions answered ``unknown`` or not done (to ask, never to assume)."""
    return sorted(
        {
            f.code.split(".", 1)[1]
            for f in index.findings
            if f.code.startswith("redflag.")
            and not f.code.startswith("redflag.derived")
            and (f.value == "unknown" or f.value == NOT_DONE)
        }
    )
