"""FPI-6, root-level derivation, pain-map pattern, validation and intake."""

from __future__ import annotations

import pytest

from groundup.errors import GroundupError
from groundup.exam.common import Builder
from groundup.exam.foot_posture import FPI6_ITEMS, fpi6_category, fpi6_total, navicular_drop_flag
from groundup.exam.intake_form import intake_form_findings
from groundup.exam.neuro import root_level
from groundup.exam.pain_map import dermatomal_patterns
from groundup.exam.physical import lld_band
from groundup.exam.validation import check_value


def test_fpi6_total_and_category():
    items = dict(zip(FPI6_ITEMS, [2, 1, 1, 2, 1, 0], strict=True))
    assert fpi6_total(items) == 7
    assert fpi6_category(7)["category"] == "pronated"
    assert [fpi6_category(t)["category"] for t in (-12, -5, -4, -1, 0, 5, 6, 9, 10, 12)] == [
        "highly_supinated", "highly_supinated", "supinated", "supinated", "normal", "normal",
        "pronated", "pronated", "highly_pronated", "highly_pronated"]
    assert fpi6_category(10)["verified"] is False  # cut-off UNVERIFIED in the research pack
    assert "UNVERIFIED" in fpi6_category(3)["source"]


def test_fpi6_bad_items():
    with pytest.raises(GroundupError, match="missing"):
        fpi6_total(dict(zip(FPI6_ITEMS[:5], [0] * 5, strict=True)))
    with pytest.raises(GroundupError, match="must be a whole number -2..\\+2"):
        fpi6_total(dict.fromkeys(FPI6_ITEMS, 0) | {"talar_head_palpation": 3})
    with pytest.raises(GroundupError, match="unknown FPI-6 item"):
        fpi6_total(dict.fromkeys(FPI6_ITEMS, 0) | {"arch": 1})
    with pytest.raises(GroundupError):
        fpi6_category(13)


def test_navicular_drop():
    assert [navicular_drop_flag(x)["flag"] for x in (4, 5, 10, 10.5)] == [
        "low", "normal", "normal", "excessive"]


def _neuro(**kw):
    base = {"reflexes": {"achilles": {"left": "normal", "right": "normal"},
                         "patellar": {"left": "normal", "right": "normal"}},
            "strength_mrc": {m: {"left": 5, "right": 5} for m in
                             ("ehl", "ankle_dorsiflexion", "ankle_plantarflexion",
                              "knee_extension", "hip_abduction", "ankle_eversion")},
            "sensation": []}
    for path, value in kw.items():
        block, key, side = path.split("__")
        base[block][key][side] = value
    return base


def test_root_level_s1_l5_l4():
    s1 = _neuro(reflexes__achilles__right="reduced", strength_mrc__ankle_plantarflexion__right=4)
    assert root_level(s1, "right")[0] == "S1"
    assert root_level(s1, "left")[0] is None
    l5 = _neuro(strength_mrc__ehl__left=4)
    l5["sensation"] = [{"area": "dorsum_foot_first_web_space", "side": "left",
                        "finding": "reduced"}]
    root, signs = root_level(l5, "left")
    assert root == "L5" and set(signs["L5"]) == {"sensory", "motor"}
    l4 = _neuro(reflexes__patellar__left="absent")
    l4["sensation"] = [{"area": "medial_shin_and_malleolus", "side": "left", "finding": "absent"}]
    assert root_level(l4, "left")[0] == "L4"


def test_root_level_needs_two_domains_and_asymmetry():
    one_domain = _neuro(reflexes__achilles__right="absent")
    assert root_level(one_domain, "right")[0] is None
    symmetric = _neuro(reflexes__achilles__left="absent", reflexes__achilles__right="absent")
    symmetric["sensation"] = [{"area": "stocking_to_ankle", "side": "bilateral",
                               "finding": "reduced"}]
    assert root_level(symmetric, "left")[0] is None  # neuropathy pattern, not a root
    plantar = _neuro()
    plantar["sensation"] = [{"area": "medial_plantar_nerve_territory", "side": "right",
                             "finding": "reduced"}]
    assert root_level(plantar, "right")[0] is None  # peripheral nerve territory


def test_dermatomal_pain_pattern():
    entries = [{"region": "dorsum_foot", "side": "left", "nrs": 5},
               {"region": "lateral_leg", "side": "left", "nrs": 6},
               {"region": "heel_plantar", "side": "right", "nrs": 7}]
    assert dermatomal_patterns(entries) == [("L5", "left", ["dorsum_foot", "lateral_leg"])]
    assert dermatomal_patterns([{"region": "heel_plantar", "side": "left", "nrs": 8}]) == []


def test_check_value_messages():
    assert "outside the accepted range 0..110 deg" in check_value(
        "exam.special_tests.slr_angle_deg", 120)
    assert check_value("exam.special_tests.slr_angle_deg", 110) is None
    assert "whole number" in check_value("exam.neuro.strength_mrc.ehl", 4.5)
    assert "did you mean 'reduced'" in check_value("exam.neuro.reflexes.achilles", "reducd")
    assert check_value("exam.neuro.reflexes.achilles", "not_done") is None
    assert "true or false" in check_value("exam.foot_posture.arch_flexible", "yes")
    assert "must be a number" in check_value("exam.rom.hip_flexion_deg", "90")


def test_lld_bands_knutson():
    assert [lld_band(x) for x in (0, 4.9, 5, 9.9, 10, 19.9, 20, 30)] == [
        "normal_variation", "normal_variation", "may_matter_trial_of_lift",
        "may_matter_trial_of_lift", "mild_to_moderate", "mild_to_moderate",
        "clinically_significant", "clinically_significant"]


def test_intake_form():
    b = Builder(source="intake")
    intake_form_findings({"aggravating": ["standing", "first_steps", "sittng"],
                          "activity_level": "moderate",
                          "old_injuries": [{"site": "ankle_sprain", "side": "left",
                                            "years_ago": 5, "changed_gait": True}],
                          "prior_treatments": [{"treatment": "insoles", "response": "same"},
                                               {"treatment": "massage"}]}, b)
    got = {(f.code, f.side): f.value for f in b.findings}
    assert got[("history.aggravating.standing", "none")] is True
    assert got[("history.old_injury.ankle_sprain", "left")] is True
    assert got[("history.prior_treatment.insoles", "none")] == "same"
    assert {p.field for p in b.problems} == {"intake.aggravating", "intake.prior_treatments[1]"}
    assert "did you mean 'sitting'" in b.problems[0].message
