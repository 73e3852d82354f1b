"""Red and amber flags on hand-built records and on the development cases."""

from __future__ import annotations

import glob

import pytest

from groundup.exam import findings_and_problems, findings_from_case, load_case
from groundup.exam.amber_flags import abi_category, amber_reasons
from groundup.exam.flag_signs import multi_root_weakness
from groundup.exam.red_flags import raised_flags
from tests.conftest import data_file


def _cases():
    return sorted(glob.glob(str(data_file("../cases/README.md").parent / "case-*.yaml")))


def _flags(findings, prefix):
    return {f.code.removeprefix(prefix) for f in findings if f.code.startswith(prefix)}


def _mrc(**grades):
    """``ehl=(4, 5)`` -> strength_mrc block {ehl: {left: 4, right: 5}}."""
    return {"neuro": {"strength_mrc": {m: {"left": lt, "right": rt}
                                       for m, (lt, rt) in grades.items()}}}


def test_amber_flags_match_expected_on_the_cases():
    # chronic_sciatica_failed_conservative_care needs a diagnosis: left to the reasoning
    for path in _cases():
        case = load_case(path)
        amber = _flags(findings_from_case(case), "amberflag.derived.")
        expected = set(case["expected"]["amber_flags"]) - {
            "chronic_sciatica_failed_conservative_care"}
        assert amber == expected, path


def test_case_flag_reasons():
    fs = findings_from_case(load_case(data_file("../cases/case-24.yaml")))
    (charcot,) = [f for f in fs if f.code == "redflag.derived.active_charcot_foot"]
    assert charcot.qualifiers["reasons"] == ["warm swollen foot, temperature difference 3.1 C"]
    (hr,) = [f for f in fs if f.code == "amberflag.derived.high_risk_diabetic_foot"]
    assert hr.qualifiers["reasons"][:2] == ["monofilament 4/10 sites felt (left)",
                                            "monofilament 3/10 sites felt (right)"]
    assert "history.diabetes (from history text)" in hr.qualifiers["reasons"]
    fs = findings_from_case(load_case(data_file("../cases/case-27.yaml")))
    (motor,) = [f for f in fs if f.code == "redflag.derived.progressive_motor_deficit"]
    assert "weakness of ankle_plantarflexion, ehl (right) spans more than one root" in \
        motor.qualifiers["reasons"]


def test_multi_root_weakness_rules():
    # single root: L5 muscles only (dorsiflexion is L4/L5, EHL L5)
    assert multi_root_weakness(_mrc(ehl=(4, 5), ankle_dorsiflexion=(4, 5))) == []
    # L4 (knee extension) + S1 (plantarflexion) on one side share no root
    assert multi_root_weakness(_mrc(knee_extension=(4, 5), ankle_plantarflexion=(4, 5))) == [
        "weakness of ankle_plantarflexion, knee_extension (left) spans more than one root"]
    # weakness on both sides
    assert multi_root_weakness(_mrc(ehl=(4, 4))) == [
        "key-muscle weakness on both sides: ehl.left=4, ehl.right=4"]
    # tendon/hip muscles do not count (PTTD inversion + hip abductor weakness)
    assert multi_root_weakness(_mrc(ankle_inversion=(3, 5), hip_abduction=(5, 4))) == []
    flags = raised_flags({}, [], _mrc(knee_extension=(4, 5), ankle_plantarflexion=(4, 5)), {})
    assert set(flags) == {"progressive_motor_deficit"}


def test_severe_and_stable_weakness():
    assert raised_flags({}, [], _mrc(ankle_dorsiflexion=(3, 5)), {}) == {
        "progressive_motor_deficit": ["exam.neuro.strength_mrc.ankle_dorsiflexion.left=3"]}
    assert amber_reasons({}, {}, _mrc(ehl=(4, 5)), {}) == {
        "stable_motor_deficit_monitor": ["exam.neuro.strength_mrc.ehl.left=4"]}
    # progressive 4/5 weakness is red, not amber
    assert amber_reasons({"progressive_weakness": True}, {}, _mrc(ehl=(4, 5)), {}) == {}
    assert "progressive_motor_deficit" in raised_flags({"progressive_weakness": True}, [],
                                                       _mrc(ehl=(4, 5)), {})


def test_vascular_claudication_and_critical_limb_ischaemia():
    exam = {"vascular": {"dorsalis_pedis": {"left": "absent", "right": "palpable"},
                         "posterior_tibial": {"left": "absent", "right": "palpable"},
                         "abi": {"left": 0.90, "right": 0.91}}}
    amber = amber_reasons({"calf_claudication": True}, {}, exam, {})
    assert amber == {"vascular_claudication": [
        "redflag.calf_claudication", "both pedal pulses absent (left)",
        "exam.vascular.abi.left=0.9 (<= 0.9)"]}
    assert raised_flags({"calf_claudication": True}, [], exam, {}) == {}  # PAD is not red
    red = raised_flags({"rest_pain_foot": True}, [], exam, {})
    assert red == {"critical_limb_ischaemia": [
        "redflag.rest_pain_foot", "both pedal pulses absent (left)",
        "exam.vascular.abi.left=0.9 (<= 0.9)"]}
    assert "vascular_claudication" not in amber_reasons({"rest_pain_foot": True}, {}, exam, {})
    # ulcer on the ischaemic side = critical limb ischaemia; on the other side it is not
    ulcer = {**exam, "foot_skin": {"ulcer": {"left": "present", "right": "absent"}}}
    assert raised_flags({}, [], ulcer, {})["critical_limb_ischaemia"] == [
        "foot ulcer (left) with both pedal pulses absent (left), exam.vascular.abi.left=0.9 "
        "(<= 0.9)"]
    ulcer["foot_skin"]["ulcer"] = {"left": "absent", "right": "present"}
    assert raised_flags({}, [], ulcer, {}) == {}


def test_abi_categories_aha_acc_2016():
    assert [abi_category(x) for x in (0.50, 0.90, 0.91, 0.99, 1.00, 1.40, 1.41)] == [
        "abnormal", "abnormal", "borderline", "borderline", "normal", "normal",
        "non_compressible"]


def test_charcot_and_diabetic_foot_infection():
    neuro = {"monofilament_sites_tested": 10, "monofilament_sites_felt": {"left": 7, "right": 8}}
    # 7/10 < 80 %: loss of protective sensation; 8/10 is not
    assert amber_reasons({}, {}, {"neuro": neuro}, {}) == {
        "high_risk_diabetic_foot": ["monofilament 7/10 sites felt (left)"]}
    # warm foot (2.5 C) with neuropathy, screen question not answered -> Charcot
    exam = {"neuro": neuro, "vascular": {"foot_temperature_diff_c": 2.5}}
    assert raised_flags({}, [], exam, {}) == {"active_charcot_foot": [
        "foot 2.5 C warmer than the other, with neuropathy: monofilament 7/10 sites felt (left)"]}
    # exactly 2.0 C is not "more than 2 C"; without neuropathy nothing is raised
    exam["vascular"]["foot_temperature_diff_c"] = 2.0
    assert raised_flags({}, [], exam, {}) == {}
    assert raised_flags({}, [], {"vascular": {"foot_temperature_diff_c": 3.0}}, {}) == {}
    skin = {"foot_skin": {"ulcer": {"right": "infected"}, "probe_to_bone": {"right": "positive"}}}
    assert raised_flags({}, [], skin, {}) == {"diabetic_foot_infection": [
        "exam.foot_skin.ulcer.right=infected", "exam.foot_skin.probe_to_bone.right=positive"]}


def test_inflammatory_features():
    history = {"onset_weeks": 104, "morning_stiffness_minutes": 45,
               "pain_map": [{"region": "heel_plantar", "side": "bilateral", "nrs": 4}]}
    assert amber_reasons({}, history, {}, {"age": 40}) == {"inflammatory_features": [
        "onset at about 38 y (< 45)", "morning stiffness 45 min",
        "heel pain on both sides without neurological symptoms in both legs"]}
    # onset at 46 (age 48, two years ago) is too late; 30 min is not "> 30 min"
    assert amber_reasons({}, history, {}, {"age": 48}) == {}
    history = {"morning_stiffness_minutes": 30}
    assert amber_reasons({}, history, {}, {"age": 30}) == {}
    # both heels painful with both-leg neurological symptoms: radicular, not enthesitis
    history = {"pain_map": [{"region": "heel_plantar", "side": "left", "nrs": 3},
                            {"region": "heel_plantar", "side": "right", "nrs": 3}]}
    assert "inflammatory_features" in amber_reasons({}, history, {}, {"age": 30})
    assert amber_reasons({"bilateral_neurological_symptoms": True}, history, {}, {"age": 30}) == {}


def test_flag_findings_are_coded_and_sourced():
    case = {"patient": {"age": 60}, "history": {"red_flag_screen": {"calf_claudication": True}},
            "exam": {"vascular": {"abi": {"left": 0.7, "right": 1.1}}}}
    fs, problems = findings_and_problems(case)
    assert problems == []
    (pad,) = [f for f in fs if f.code == "amberflag.derived.vascular_claudication"]
    assert pad.value is True and pad.interpretation["flag"] == "amber"
    assert "AHA/ACC 2016" in pad.interpretation["source"]
    abi = {f.side: f.value for f in fs if f.code == "exam.derived.abi_category"}
    assert abi == {"left": "abnormal", "right": "normal"}
    _, problems = findings_and_problems({"exam": {"foot_skin": {"ulcer": {"left": "ulcerated"}}}})
    assert [p.field for p in problems] == ["exam.foot_skin.ulcer.left"]


def test_each_red_flag_group_on_hand_built_screens():
    """Cauda equina, fracture, infection and malignancy rules, one screen answer at a time."""
    def raised(answers, age=40, symptoms=(), exam=None):
        return raised_flags(answers, list(symptoms), exam or {}, {"age": age})

    assert raised({"saddle_anaesthesia": True}) == {
        "cauda_equina_syndrome": ["redflag.saddle_anaesthesia"]}
    assert raised({"sexual_dysfunction": True}) == {}  # alone: not a CES flag
    assert raised({"sexual_dysfunction": True, "bilateral_neurological_symptoms": True}) == {
        "cauda_equina_syndrome": ["redflag.sexual_dysfunction with bilateral neurological "
                                  "symptoms"]}
    assert raised({"significant_trauma": True}) == {
        "suspected_fracture": ["redflag.significant_trauma"]}
    assert raised({"osteoporosis": True}, age=50) == {}  # age > 50 needed
    assert raised({"osteoporosis": True}, age=51) == {
        "suspected_fracture": ["redflag.osteoporosis, age > 50"]}
    assert raised({"long_term_corticosteroids": True}) == {
        "suspected_fracture": ["redflag.long_term_corticosteroids"]}
    assert raised({"fever": True, "iv_drug_use": True}) == {
        "suspected_infection": ["redflag.fever", "redflag.iv_drug_use"]}
    assert raised({"immunosuppression": True}) == {}
    assert raised({"immunosuppression": True, "night_pain_constant": True}) == {
        "suspected_infection": ["redflag.immunosuppression with redflag.night_pain_constant"]}
    assert raised({"cancer_history": True}) == {"suspected_malignancy": ["redflag.cancer_history"]}
    assert raised({"weight_loss_unexplained": True, "night_pain_constant": True}, age=50) == {}
    assert raised({"weight_loss_unexplained": True, "night_pain_constant": True}, age=67) == {
        "suspected_malignancy": ["weight loss with constant night pain, age > 50"]}
    assert raised({"progressive_weakness": True})["progressive_motor_deficit"]


@pytest.mark.parametrize("text, minutes", [
    ("morning stiffness about 90 minutes; better with exercise", 90.0),
    ("low back and buttocks are stiff every morning for over an hour; exercise helps", 60.0),
    ("45 min of morning stiffness", 45.0),
    ("morning heel pain settles after about 10 minutes of walking", None),  # no stiffness
    ("stiff after sitting for 2 hours", None),  # not the morning
    ("hip stiffness in the morning under 1 h", None),  # an upper bound is not a duration
])
def test_morning_stiffness_from_free_text(text, minutes):
    from groundup.exam.history_facts import stiffness_minutes

    assert stiffness_minutes({"inflammatory_screen": text}) == minutes
