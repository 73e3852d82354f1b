"""``assess(findings) -> Assessment``: the reasoning entry point."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from groundup.errors import GroundupError
from groundup.findings import Finding
from groundup.reasoning import explain as ex
from groundup.reasoning import link as ln
from groundup.reasoning import red_flags as rf
from groundup.reasoning.attributes import attributes
from groundup.reasoning.derive import contradictions, derive
from groundup.reasoning.evidence import FindingIndex, clause
from groundup.reasoning.inference import by_condition, score
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


def _known_codes(kb) -> set[str]:
    codes = {c for f in kb.features.values() for c in f.codes}
    for rule in list(kb.red_flags.values()):
        stack = list(rule["fires_when"])
        while stack:
            c = stack.pop()
            stack += c.get("all_of", []) + c.get("any_of", [])
            if "code" in c:
                codes.add(c["code"])
    return codes


def _unused(findings: list[Finding], kb) -> list[str]:
    known = _known_codes(kb)
    inputs = (
        "gait.",
        "exam.leg_length.",
        "exam.special_tests.single_leg_heel_raise_reps",
        "exam.foot_posture.",
        "exam.neuro.monofilament",
        "history.onset.",
        "pain.",
        "patient.",
        "redflag.",
        "exam.neuro.sensation",
        "imaging.mri_lumbar",
        "exam.derived.",
        "pain.derived.",
        "questionnaire.",
        "history.onset_weeks",
    )
    return sorted(
        {
            f.code
            for f in findings
            if f.code not in known and f.value != "not_done" and not f.code.startswith(inputs)
        }
    )


def _check_input(findings: Any) -> list[Finding]:
    if findings is None:
        return []
    if not isinstance(findings, list | tuple):
        raise GroundupError(
            f"assess() needs a list of Finding objects, not {type(findings).__name__}"
        )
    bad = [i for i, f in enumerate(findings) if not isinstance(f, Finding)]
    if bad:
        raise GroundupError(
            f"assess() input items {bad[:5]} are not Finding objects",
            hint="build findings with groundup.exam.case.findings_from_case",
        )
    return list(findings)


def _patient(findings: list[Finding], age: float | None, sex: str | None) -> list[Finding]:
    extra = []
    have = {f.code for f in findings}
    if age is not None and "patient.age" not in have:
        if not isinstance(age, int | float) or isinstance(age, bool) or not 0 <= age <= 120:
            raise GroundupError(f"age must be a number of years between 0 and 120, not {age!r}")
        extra.append(
            Finding(
                code="patient.age",
                display="Age",
                value=float(age),
                unit="a",
                source="intake",
                confidence="high",
            )
        )
    if sex is not None and "patient.sex" not in have:
        if sex not in ("female", "male"):
            raise GroundupError(f"sex must be 'female' or 'male', not {sex!r}")
        extra.append(
            Finding(
                code="patient.sex", display="Sex", value=sex, source="intake", confidence="high"
            )
        )
    return extra


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
    findings = _check_input(findings)
    findings = findings + _patient(findings, age, sex)
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
    unused = _unused(findings, kb)
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
    open_competitors = ex.robustness(kb, index, scored, lead.condition) if not flags else []
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
    amber = [
        aid
        for aid, rule in kb.plan.get("amber_flags", {}).items()
        if clause(
            rule["when"],
            index,
            kb.features,
            {"region": kb.conditions[conditions[0]["id"]].region if primary else None},
        )
    ]
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
