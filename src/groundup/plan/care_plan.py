"""``care_plan(assessment, findings) -> CarePlan``.

Rules in plan_rules.yaml; safety rules and parameter calculations in ``groundup.plan.rules``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from groundup.errors import GroundupError
from groundup.findings import Finding
from groundup.plan.rules import (
    FORBIDDEN,
    NEEDS_VASCULAR_SCREEN,
    follow_up,
    gait_cues,
    heel_lift,
    vascular_screen_missing,
)
from groundup.reasoning.assessment import Assessment
from groundup.reasoning.derive import derive
from groundup.reasoning.evidence import FindingIndex, clause, evaluate
from groundup.reasoning.knowledge import knowledge


@dataclass
class PlanItem:
    """One plan item: vocabulary id, why, and where the recommendation comes from."""

    id: str
    category: str
    reason: str
    source: str
    for_condition: str | None = None
    text: str | None = None
    dosage: str | None = None
    progression: str | None = None
    parameters: dict[str, Any] | None = None


@dataclass
class CarePlan:
    """The plan: items, referrals, follow-up with outcome measures and MCIDs, notes."""

    items: list[PlanItem] = field(default_factory=list)
    referrals: list[dict[str, Any]] = field(default_factory=list)
    follow_up: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def item_ids(self) -> list[str]:
        """The plan-item ids, in order."""
        return [i.id for i in self.items]

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dictionary."""
        return json.loads(json.dumps(asdict(self), default=str))


class _Builder:
    def __init__(self, catalogue: dict) -> None:
        self.catalogue = catalogue
        self.items: dict[str, PlanItem] = {}

    def add(self, item_id: str, condition: str | None, **extra: Any) -> None:
        if item_id in FORBIDDEN or item_id in self.items:
            return
        spec = self.catalogue.get(item_id, {})
        self.items[item_id] = PlanItem(
            id=item_id,
            category=spec.get("category", "other"),
            reason=extra.pop("reason", None) or spec.get("reason", ""),
            source=spec.get("source", ""),
            for_condition=condition,
            text=spec.get("text"),
            dosage=spec.get("dosage"),
            progression=spec.get("progression"),
            parameters=extra.pop("parameters", None) or spec.get("parameters"),
        )


def care_plan(assessment: Assessment, findings: list[Finding]) -> CarePlan:
    """Build the care plan.

    Red flag -> only its referral/imaging items (biomechanical care deferred). Insufficient
    information -> safe general advice and the tests to do, no condition-specific treatment.
    Otherwise the primary condition's items, conditional items, secondary-diagnosis items and
    general items, with orthosis/heel-lift parameters and follow-up measures.
    """
    if not isinstance(assessment, Assessment):
        raise GroundupError(
            "care_plan() needs the Assessment returned by groundup.reasoning.assess"
        )
    kb = knowledge()
    rules = kb.plan
    base = FindingIndex([f for f in findings if isinstance(f, Finding)])
    index = FindingIndex(base.findings + derive(base))
    b = _Builder(rules["items"])
    plan = CarePlan(referrals=[dict(r) for r in assessment.referrals])
    if assessment.red_flag:
        for fid in assessment.red_flags:
            for item in kb.red_flags[fid].get("plan", []):
                b.add(item, kb.red_flags[fid].get("condition"), reason=f"red flag: {fid}")
        plan.items = list(b.items.values())
        plan.notes.append(
            "Red flag: referral and imaging only; exercise, orthoses and other "
            "biomechanical treatment are deferred until the red flag is resolved "
            "(clinical-evidence §15)."
        )
        return plan
    back_pain = bool(evaluate(kb.features["low_back_pain"], index, "none").state)
    if assessment.status != "determined":
        if back_pain:
            for item in rules["low_back"][:1]:
                b.add(item, None, reason="low back pain while the diagnosis is being completed")
        plan.items = list(b.items.values())
        plan.notes.append(
            "Insufficient information: complete the tests first: "
            + ", ".join(assessment.next_tests)
        )
        return plan
    primary = assessment.conditions[0]
    attrs = dict(primary)
    attrs["region"] = kb.conditions[primary["id"]].region
    crule = rules["conditions"].get(primary["id"], {})
    for item in crule.get("items", []):
        b.add(item, primary["id"])
    for cond in crule.get("when", []):
        if clause(cond["if"], index, kb.features, attrs):
            b.add(cond["item"], primary["id"])
            if "referral" in cond:
                plan.referrals.append(
                    {**cond["referral"], "reason": rules["items"][cond["item"]]["reason"]}
                )
    if "referral" in crule:
        plan.referrals.append({**crule["referral"], "reason": f"{primary['id']}: shared care"})
    for sec in [c for c in assessment.conditions if c.get("role") == "secondary"]:
        for item in rules["secondary"].get(sec["id"], []):
            b.add(item, sec["id"])
    if back_pain:
        for item in rules["low_back"]:
            b.add(item, "low_back_pain")
    for g in rules["general"]:
        if clause(g["if"], index, kb.features, attrs):
            b.add(g["item"], None)
    lld = next(
        (
            c
            for c in assessment.conditions
            if c["id"] == "leg_length_discrepancy_structural"
            and c.get("role") in ("primary", "secondary")
        ),
        None,
    )
    if "heel_lift_short_side" in b.items:
        params, extra, note = heel_lift(lld, rules["heel_lift"])
        if params is None:
            del b.items["heel_lift_short_side"]
        else:
            b.items["heel_lift_short_side"].parameters = params
            for item in extra:
                b.add(item, "leg_length_discrepancy_structural")
            if "orthopaedic_lld_referral" in extra:
                plan.referrals.append(
                    {
                        "to": "orthopaedic_limb_reconstruction",
                        "priority": "routine",
                        "reason": "structural leg-length difference > 40 mm",
                    }
                )
        if note:
            plan.notes.append(note)
    if kb.conditions[primary["id"]].region in ("foot", "limb"):
        cues = gait_cues(index, primary.get("side"), kb.link["mechanism"])
        if cues:
            b.add(
                "gait_retraining",
                primary["id"],
                parameters={"cues": cues},
                reason="measured gait deviation on the affected side",
            )
    if vascular_screen_missing(index):
        for item in NEEDS_VASCULAR_SCREEN:
            if b.items.pop(item, None) is not None:
                plan.notes.append(
                    f"{item} deferred: check pedal pulses and the ABI first, to exclude "
                    "vascular claudication (clinical-evidence §3, §15)."
                )
    plan.items = list(b.items.values())
    if "outcome_review_6_weeks" in b.items:
        plan.follow_up = follow_up(index, rules["follow_up"])
    plan.notes.append(
        "Orthoses, if any, are prescribed for a foot indication, never for the low "
        "back pain itself (NICE NG59; Chuter 2014)."
    )
    return plan
