"""The structured intake form: every item the issue names, and bad entries named per field."""

from __future__ import annotations

from groundup.exam import findings_and_problems
from groundup.exam.common import Builder
from groundup.exam.intake_form import intake_form_findings

FORM = {
    "symptoms": ["low_back_pain_standing_walking", "hip_pain_with_foot_stiffness",
                 "foot_pain_after_sitting", "radiating_pain_back_to_foot",
                 "radiating_pain_foot_to_back", "first_step_heel_pain"],
    "duration_weeks": 14,
    "onset": {"mode": "gradual", "trigger": "new job, standing all day"},
    "aggravating": ["standing", "walking", "first_steps"],
    "easing": ["sitting", "rest"],
    "numbness_tingling": [{"area": "dorsum_foot", "side": "left", "kind": "tingling"},
                          {"area": "lateral_border_foot_and_sole", "side": "right",
                           "kind": "both"}],
    "old_injuries": [{"site": "ankle_sprain", "side": "left", "years_ago": 5,
                      "changed_gait": True}],
    "activity_level": "moderate",
    "sports": ["running", {"sport": "tennis", "hours_per_week": 3}],
    "footwear": {"usual": "minimalist running shoes", "orthoses": False, "heel_drop_mm": 4},
    "prior_treatments": [{"treatment": "insoles", "response": "same"},
                         {"treatment": "physiotherapy", "response": "better"}],
}


def _values(b):
    return {(f.code, f.side): f.value for f in b.findings}


def test_every_intake_item():
    b = Builder(source="intake")
    intake_form_findings(FORM, b)
    assert b.problems == []
    got = _values(b)
    for sid in FORM["symptoms"]:
        assert got[(f"symptom.{sid}", "none")] is True
    assert got[("history.onset_weeks", "none")] == 14.0
    assert got[("history.onset_mode", "none")] == "gradual"
    assert [f.qualifiers for f in b.findings if f.code == "history.onset_mode"] == [
        {"trigger": "new job, standing all day"}]
    assert got[("history.aggravating.first_steps", "none")] is True
    assert got[("history.easing.sitting", "none")] is True
    assert got[("symptom.tingling.dorsum_foot", "left")] is True
    assert ("symptom.numbness.dorsum_foot", "left") not in got
    assert got[("symptom.numbness.lateral_border_foot_and_sole", "right")] is True
    assert got[("symptom.tingling.lateral_border_foot_and_sole", "right")] is True
    assert got[("history.old_injury.ankle_sprain", "left")] is True
    assert got[("history.activity_level", "none")] == "moderate"
    assert got[("history.sport.running", "none")] is True
    assert got[("history.sport.tennis", "none")] is True
    assert got[("history.footwear", "none")] == "minimalist running shoes"
    assert got[("history.footwear.orthoses", "none")] is False
    assert got[("history.footwear.heel_drop_mm", "none")] == 4.0
    assert got[("history.prior_treatment.physiotherapy", "none")] == "better"


def test_night_factor_and_legacy_numbness_areas():
    b = Builder(source="intake")
    intake_form_findings({"aggravating": ["night"],
                          "numbness_areas": [{"area": "heel_plantar", "side": "right"}]}, b)
    got = _values(b)
    assert got[("history.aggravating.night", "none")] is True
    assert got[("symptom.numbness.heel_plantar", "right")] is True


def test_bad_entries_named_and_the_rest_kept():
    form = dict(FORM)
    form |= {"symptoms": ["first_step_heel_pian", "limp"], "duration_weeks": -2,
             "onset": {"mode": "suddenly"}, "aggravating": ["standing", "sittng"],
             "numbness_tingling": [{"area": "dorsum", "side": "left"},
                                   {"area": "toes", "side": "up"},
                                   {"area": "toes", "side": "left", "kind": "itch"}],
             "old_injuries": [{"site": "tibia_fracture", "changed_gait": "yes"},
                              {"site": "knee", "years_ago": 300}],
             "activity_level": "moderat", "sports": [{"hours_per_week": 2}],
             "footwear": {"orthoses": "sometimes", "heel_drop_mm": 500},
             "prior_treatments": [{"treatment": "massage"}], "sleep": "poor"}
    b = Builder(source="intake")
    intake_form_findings(form, b)
    msgs = {}
    for p in b.problems:
        msgs.setdefault(p.field, p.message)
    assert set(msgs) == {
        "intake.symptoms", "intake.duration_weeks", "intake.onset.mode", "intake.aggravating",
        "intake.numbness_tingling[0].area", "intake.numbness_tingling[1].side",
        "intake.numbness_tingling[2].kind", "intake.old_injuries[0].changed_gait",
        "intake.old_injuries[1].years_ago", "intake.activity_level", "intake.sports[0]",
        "intake.footwear.orthoses", "intake.footwear.heel_drop_mm", "intake.prior_treatments[0]",
        "intake.sleep"}
    assert "did you mean 'first_step_heel_pain'" in msgs["intake.symptoms"]
    assert "did you mean 'sudden'" in msgs["intake.onset.mode"]
    assert "did you mean 'moderate'" in msgs["intake.activity_level"]
    got = _values(b)  # the valid entries are kept
    assert got[("symptom.limp", "none")] is True
    assert got[("history.aggravating.standing", "none")] is True
    assert got[("history.easing.sitting", "none")] is True
    assert ("history.onset_weeks", "none") not in got


def test_intake_form_inside_a_case_record():
    case = {"history": {"onset_weeks": 14, "intake_form": {"duration_weeks": 14,
                                                           "easing": ["night"]}}}
    fs, problems = findings_and_problems(case)
    assert problems == []
    assert [f.value for f in fs if f.code == "history.onset_weeks"] == [14]  # once, not twice
    assert any(f.code == "history.easing.night" for f in fs)
    case["history"]["intake_form"]["duration_weeks"] = 20
    _, problems = findings_and_problems(case)
    assert [p.field for p in problems] == ["history.intake_form.duration_weeks"]
