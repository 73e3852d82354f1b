"""Care-plan rules: heel lift partial correction, red-flag plans, forbidden advice."""

from __future__ import annotations

import json

import pytest

from groundup.errors import GroundupError
from groundup.plan import care_plan
from groundup.plan.rules import FORBIDDEN, heel_lift
from groundup.reasoning import assess
from groundup.reasoning.knowledge import knowledge
from tests.reasoning.conftest import fd


@pytest.mark.parametrize(
    "mm,start,target,buildup", [(12, 6, 8, False), (24, 6, 17, True), (8, 4, 6, False)]
)
def test_heel_lift_partial_correction(mm, start, target, buildup):
    params, extra, _ = heel_lift(
        {"side": "left", "magnitude_mm": mm}, knowledge().plan["heel_lift"]
    )
    assert params["start_mm"] == start and params["target_mm"] == target
    assert ("external_sole_buildup" in extra) == buildup


def test_no_heel_lift_below_normal_variation():
    params, _, note = heel_lift({"side": "left", "magnitude_mm": 3}, knowledge().plan["heel_lift"])
    assert params is None and "normal variation" in note


def test_red_flag_plan_is_referral_only():
    findings = [
        fd("pain.low_back", 6.0),
        fd("redflag.cancer_history", True),
        fd("redflag.weight_loss_unexplained", True),
        fd("pain.heel_plantar", 6.0, "left"),
        fd("symptom.first_step_heel_pain", True),
    ]
    a = assess(findings, age=67)
    plan = care_plan(a, findings)
    assert set(plan.item_ids) == {
        "mri_spine_urgent",
        "bloods_crp_esr_fbc",
        "urgent_spinal_oncology_referral",
    }
    assert plan.referrals and plan.referrals[0]["priority"] == "urgent"


def test_plan_never_contains_forbidden_items_and_is_json():
    findings = [
        fd("pain.low_back", 5.0),
        fd("symptom.low_back_pain_after_lifting", True),
        fd("exam.foot_posture.fpi6", 9.0, "left"),
        fd("exam.foot_posture.fpi6", 9.0, "right"),
        fd("exam.special_tests.slr", "negative", "left"),
        fd("exam.special_tests.slr", "negative", "right"),
    ]
    a = assess(findings, age=40)
    plan = care_plan(a, findings)
    assert not FORBIDDEN & set(plan.item_ids)
    assert "foot_orthoses_medial_posted" not in plan.item_ids  # painless flat feet are not treated
    json.dumps(plan.to_json())
    assert all(i.reason and i.source for i in plan.items)


def test_care_plan_rejects_non_assessment():
    with pytest.raises(GroundupError):
        care_plan({"status": "determined"}, [])
