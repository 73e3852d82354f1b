"""Red flags: rule checks that always win (clinical-evidence.md §15).

A fired red flag puts its condition first, makes the result an urgent (or emergency) referral and
turns the plan into the referral/imaging action. A biomechanical explanation never suppresses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from groundup.reasoning.evidence import NOT_DONE, FindingIndex, clause
from groundup.reasoning.knowledge import Knowledge

PRIORITY_ORDER = ("emergency", "urgent", "soon", "routine")


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
