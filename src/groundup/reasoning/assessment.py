"""``assess(findings) -> Assessment``: the reasoning entry point."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from groundup.findings import Finding
from groundup.reasoning import explain as ex
from groundup.reasoning import link as ln
from groundup.reasoning import red_flags as rf
from groundup.reasoning import robustness as rb
from groundup.reasoning.attributes import attributes
from groundup.reasoning.derive import contradictions, derive
from groundup.reasoning.evidence import FindingIndex
from groundup.reasoning.inference import by_condition, score
from groundup.reasoning.inputs import check_input, patient_findings, unused_codes
from groundup.reasoning.knowledge import knowledge

#: below this posterior the leading condition is not committed to (status insufficient_information)
DETERMINED_THRESHOLD = 0.5
SECONDARY_THRESHOLD = 0.5
DISCLAIMER = (
    "Decision support only: groundup ranks possibilities from the recorded findings; "
    "a clinician makes the diagnosis and the plan."
)


@dataclass
class Assessment:
    """Result of the reasoning; ``to_json()`` gives the documented JSON (docs/reasoning.md)."""

    status: str
    conditions: list[dict[str, Any]]
    link: str
    link_detail: dict[str, Any]
    red_flag: bool
    red_flags: list[str]
    red_flag_details: list[dict[str, Any]]
    urgent_referral: bool
    referrals: list[dict[str, Any]]
    amber_flags: list[str]
    next_tests: list[str]
    next_tests_detail: list[dict[str, Any]]
    explanations: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    unused_findings: list[str] = field(default_factory=list)
    open_competitors: list[dict[str, Any]] = field(default_factory=list)
    assumptions: dict[str, Any] = field(default_factory=dict)
    disclaimer: str = DISCLAIMER

    @property
    def primary(self) -> dict[str, Any] | None:
        """The leading condition when determined, else ``None``."""
        return self.conditions[0] if self.status == "determined" and self.conditions else None

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dictionary."""
        return json.loads(json.dumps(asdict(self), default=str))


def assess(
    findings: list[Finding], *, age: float | None = None, sex: str | None = None
) -> Assessment:
    """Rank conditions, decide the link, check red flags and propose the next tests.

    Parameters
    ----------
    findings
        Findings following docs/finding-codes.md (e.g. from ``groundup.exam.case``).
    age, sex
        Patient basics when not already present as ``patient.age`` / ``patient.sex`` findings.

    Returns
    -------
    Assessment
        Never raises for clinical content; raises :class:`GroundupError` only for input that is
        not a list of findings or an impossible age/sex.
    """
    kb = knowledge()
    findings = check_input(findings)
    findings = findings + patient_findings(findings, age, sex)
    warnings = []
    conflicts = contradictions(findings)
    bad_ids = {id(f) for pair in conflicts for f in pair}
    for a, b in conflicts:
        warnings.append(
            f"contradictory findings: {a.code} ({a.side}) is both {a.value!r} and "
            f"{b.value!r}; both are ignored until the test is repeated"
        )
    clean = [f for f in findings if id(f) not in bad_ids]
    base = FindingIndex(clean)
    index = FindingIndex(clean + derive(base))
    unused = unused_codes(findings, kb)
    if unused:
        warnings.append(
            f"{len(unused)} finding code(s) are not used by the reasoning: " + ", ".join(unused[:8])
        )
    scored = score(kb, index)
    results = by_condition(kb, scored)
    flags = rf.check(kb, index)
    flag_conditions = [f.condition for f in flags if f.condition]
    order = sorted(
        results,
        key=lambda r: (
            r.condition not in flag_conditions,
            flag_conditions.index(r.condition) if r.condition in flag_conditions else 0,
            -r.probability,
        ),
    )
    informative = any(not f.code.startswith("patient.") for f in clean)
    lead = order[0]
    open_competitors = (
        rb.robustness(kb, index, scored, lead.condition)
        + rb.unexcluded_mimics(kb, index, scored, lead.condition)
        if not flags
        else []
    )
    insufficient = (not flags) and (
        bool(conflicts)
        or not informative
        or bool(open_competitors)
        or lead.probability < DETERMINED_THRESHOLD
    )
    conditions = []
    for r in order:
        entry = {
            "id": r.condition,
            "probability": round(r.probability, 4),
            "presence_probability": round(r.presence, 4),
            **attributes(r, index),
        }
        if r.condition in flag_conditions:
            entry.update(certainty="suspected", rank_reason="red flag: must be excluded first")
        conditions.append(entry)
    primary = None if insufficient else conditions[0]
    alternatives = set(kb.conditions[conditions[0]["id"]].alternatives)
    secondaries = [
        c
        for c in conditions[1:]
        if c["presence_probability"] >= SECONDARY_THRESHOLD and c["id"] not in alternatives
    ][:4]
    for c in secondaries:
        c["role"] = "secondary"
    if primary:
        primary["role"] = "primary"
        primary.setdefault("certainty", _certainty(primary))
    amber = rf.amber_flags(kb, index, conditions[0]["id"] if primary else None)
    link = ln.decide(kb, index, primary, secondaries, flags, insufficient)
    referrals = [{**f.referral, "red_flag": f.id} for f in flags]
    gains = ex.information_gain(kb, index, scored)
    tests: list[str] = [t for f in flags for t in f.next_tests]
    if primary:
        tests += kb.workup.get(primary["id"], [])
    measures = kb.measures
    for a, _b in conflicts:
        tests += [t for t, codes in measures.items() if any(a.code.startswith(c) for c in codes)]
    for comp in open_competitors:
        tests += comp["tests"]
    limit, floor = (8, 0.01) if insufficient else (2, 0.15)
    if not flags:
        tests += [g["id"] for g in gains if g["information_gain_bits"] >= floor][:limit]
    tests = list(dict.fromkeys(tests))
    explanations = {
        f"{s.hypothesis.condition}"
        + (f"[{s.hypothesis.side}]" if s.hypothesis.side != "none" else "")
        + (f"[{s.hypothesis.root}]" if s.hypothesis.root else ""): ex.explain(s, kb, index)
        for s in _top_distinct(scored, 3)
    }
    return Assessment(
        status="insufficient_information" if insufficient else "determined",
        conditions=conditions,
        link=link["direction"],
        link_detail=link,
        red_flag=bool(flags),
        red_flags=[f.id for f in flags],
        red_flag_details=[
            {"id": f.id, "triggers": list(f.triggers), "referral": f.referral, "source": f.source}
            for f in flags
        ],
        urgent_referral=any(r["priority"] in ("emergency", "urgent") for r in referrals),
        referrals=referrals,
        amber_flags=amber,
        next_tests=tests,
        next_tests_detail=gains[:10],
        explanations=explanations,
        warnings=warnings,
        unused_findings=unused,
        open_competitors=open_competitors,
        assumptions={
            "population": kb.population,
            "unanswered_red_flag_questions": rf.unanswered_screen(index),
            "determined_threshold": DETERMINED_THRESHOLD,
        },
    )


def _certainty(primary: dict) -> str:
    if primary["id"] == "lumbar_disc_herniation":
        return "confirmed"
    return "probable" if primary["probability"] >= 0.8 else "possible"


def _top_distinct(scored, n):
    seen, out = set(), []
    for s in scored:
        if s.hypothesis.condition not in seen:
            seen.add(s.hypothesis.condition)
            out.append(s)
        if len(out) == n:
            break
    return out
