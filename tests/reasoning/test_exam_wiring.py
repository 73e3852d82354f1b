"""Exam-package findings the reasoning reads: diabetes, radiograph LLD, amber flags, foot skin,
morning stiffness, ABI category, and the robustness / must-exclude-mimic rules."""

from __future__ import annotations

from groundup.exam.case import findings_from_case
from groundup.plan import care_plan
from groundup.reasoning import assess
from groundup.reasoning.case_adapter import findings_for_reasoning
from tests.reasoning.conftest import fd

SCREEN_NO = {
    k: False
    for k in (
        "saddle_anaesthesia bladder_bowel_change sexual_dysfunction "
        "bilateral_neurological_symptoms "
        "progressive_weakness fever iv_drug_use immunosuppression weight_loss_unexplained "
        "cancer_history night_pain_constant significant_trauma long_term_corticosteroids "
        "osteoporosis warm_swollen_foot rest_pain_foot calf_claudication"
    ).split()
}


def _prob(a, cid):
    return next(c["probability"] for c in a.conditions if c["id"] == cid)


def test_sensation_normal_comes_from_the_exam_package():
    found = findings_for_reasoning({"exam": {"neuro": {"sensation": []}}})
    hits = [f for f in found if f.code == "exam.neuro.sensation"]
    assert len(hits) == 1 and hits[0].value == "normal"


NEUROPATHY = [
    fd("patient.age", 64.0),
    fd("symptom.burning_feet_bilateral", True),
    fd("pain.sole_whole", 3.0, "bilateral"),
    fd("exam.neuro.reflexes.achilles", "reduced", "bilateral"),
]


def test_diabetes_raises_peripheral_neuropathy_and_is_down_weighted():
    base = assess(NEUROPATHY)
    diabetic = assess(NEUROPATHY + [fd("history.diabetes", True, confidence="low")])
    not_diabetic = assess(NEUROPATHY + [fd("history.diabetes", False, confidence="low")])
    p0 = _prob(base, "peripheral_neuropathy")
    assert (
        _prob(diabetic, "peripheral_neuropathy") > p0 > _prob(not_diabetic, "peripheral_neuropathy")
    )
    assert "history.diabetes" not in diabetic.unused_findings


LLD_CASE = {
    "patient": {"age": 40, "sex": "male"},
    "history": {
        "pain_map": [{"region": "low_back", "side": "central", "nrs": 4}],
        "red_flag_screen": SCREEN_NO,
    },
    "exam": {
        "leg_length": {
            "true_tape_mm": {"left": 900, "right": 885},
            "standing_iliac_crest_low_side": "right",
            "standing_iliac_crest_diff_mm": 12,
            "block_test_level_mm": 12,
            "block_test_side": "right",
            "changes_supine_to_sitting": False,
        }
    },
    "imaging": {
        "scanogram_long_leg": {
            "report": "right limb 12 mm short; femora and tibiae otherwise equal"
        }
    },
}


def test_radiograph_lld_sets_magnitude_and_heel_lift():
    findings = findings_from_case(LLD_CASE)
    assert any(f.code.endswith("leg_length_difference_mm") for f in findings)
    a = assess(findings)
    lld = next(c for c in a.conditions if c["id"] == "leg_length_discrepancy_structural")
    assert lld["side"] == "right" and lld["magnitude_mm"] == 12  # radiograph, not the 15 mm tape
    assert a.status == "determined" and a.conditions[0]["id"] == lld["id"]
    lift = next(i for i in care_plan(a, findings).items if i.id == "heel_lift_short_side")
    assert lift.parameters["measured_mm"] == 12 and lift.parameters["target_mm"] == 8


def test_radiograph_without_difference_argues_against_structural_lld():
    tape = [fd("pain.low_back", 4.0), fd("derived.true_lld_mm", 8.0, "right")]
    with_film = tape + [fd("imaging.scanogram_long_leg.leg_length_difference_mm", 2.0, "right")]
    s0 = _prob(assess(tape), "leg_length_discrepancy_structural")
    assert _prob(assess(with_film), "leg_length_discrepancy_structural") < s0


def test_exam_amber_flags_are_listed_once_and_the_diagnosis_answers_its_own():
    findings = [
        fd("pain.low_back", 3.0),
        fd("exam.neuro.monofilament_sites_tested", 10.0),
        fd("exam.neuro.monofilament_sites_felt", 5.0, "left"),
        fd("amberflag.derived.high_risk_diabetic_foot", True),
        fd("amberflag.derived.inflammatory_features", True),
        fd("amberflag.derived.stale", False),
    ]
    a = assess(findings)
    assert a.amber_flags.count("high_risk_diabetic_foot") == 1
    assert "inflammatory_features" in a.amber_flags and "stale" not in a.amber_flags
    assert not [u for u in a.unused_findings if u.startswith("amberflag.")]


def test_structured_infected_ulcer_fires_diabetic_foot_infection():
    case = {
        "patient": {"age": 66, "sex": "male"},
        "history": {"red_flag_screen": SCREEN_NO, "past": ["type 2 diabetes"]},
        "exam": {"foot_skin": {"ulcer": {"left": "infected", "right": "absent"}}},
    }
    a = assess(findings_from_case(case))
    assert "diabetic_foot_infection" in a.red_flags and a.urgent_referral


def test_probe_to_bone_fires_and_an_ulcer_blocks_active_charcot():
    warm_neuropathic = [
        fd("redflag.warm_swollen_foot", True),
        fd("symptom.numbness_stocking_bilateral", True),
        fd("exam.vascular.foot_temperature_diff_c", 3.0),
        fd("exam.neuro.vibration_128hz", "absent_to_ankle", "bilateral"),
    ]
    assert "active_charcot_foot" in assess(warm_neuropathic).red_flags
    ulcer = warm_neuropathic + [fd("exam.foot_skin.ulcer", "present", "right")]
    assert "active_charcot_foot" not in assess(ulcer).red_flags
    probe = ulcer + [fd("exam.foot_skin.probe_to_bone", "positive", "right")]
    assert "diabetic_foot_infection" in assess(probe).red_flags


def test_morning_stiffness_over_30_minutes_supports_spondyloarthritis():
    heels = [
        fd("patient.age", 29.0),
        fd("pain.heel_plantar", 5.0, "bilateral"),
        fd("pain.low_back", 5.0),
        fd("derived.tender.achilles_insertion", True, "bilateral"),
    ]
    p0 = _prob(assess(heels), "spondyloarthritis")
    long = assess(heels + [fd("history.morning_stiffness_minutes", 90.0)])
    short = assess(heels + [fd("history.morning_stiffness_minutes", 10.0)])
    assert _prob(long, "spondyloarthritis") > p0 > _prob(short, "spondyloarthritis")


def test_non_compressible_abi_is_not_read_as_normal():
    claud = [fd("patient.age", 72.0), fd("symptom.calf_cramp_walking_relieved_standing", True)]
    normal = assess(claud + [fd("exam.vascular.abi", 1.1, "left")])
    calcified = assess(claud + [fd("exam.vascular.abi", 1.6, "left")])
    category = assess(claud + [fd("exam.derived.abi_category", "abnormal", "left")])
    p = _prob(assess(claud), "vascular_claudication")
    assert _prob(calcified, "vascular_claudication") == p
    assert _prob(normal, "vascular_claudication") < p < _prob(category, "vascular_claudication")


STENOSIS = [
    fd("patient.age", 71.0),
    fd("symptom.bilateral_leg_symptoms_walking", True),
    fd("pain.posterior_calf", 5.0, "bilateral"),
    fd("pain.low_back", 2.0),
    fd("exam.special_tests.slr", "negative", "bilateral"),
]


def test_stenosis_is_not_committed_before_the_vascular_mimic_is_excluded():
    a = assess(STENOSIS)
    assert a.status == "insufficient_information"
    assert "abi" in a.next_tests
    assert any(c["condition"] == "vascular_claudication" for c in a.open_competitors)
    pulses = STENOSIS + [
        fd("exam.vascular.dorsalis_pedis", "palpable", "bilateral"),
        fd("exam.vascular.posterior_tibial", "palpable", "bilateral"),
        fd("exam.vascular.abi", 1.1, "bilateral"),
    ]
    assert not [
        c for c in assess(pulses).open_competitors if c["condition"] == "vascular_claudication"
    ]


def test_a_rare_competitor_without_evidence_of_its_own_does_not_hold_the_decision():
    """Medial shin pain with a tender tibial border: tarsal-tunnel tests not done must not
    re-open the decision for tarsal tunnel syndrome, which nothing recorded points to."""
    mtss = [
        fd("patient.age", 24.0),
        fd("pain.medial_shin", 5.0, "left"),
        fd("derived.tender.tibial_border", True, "left"),
        fd("exam.neuro.sensation", "normal", "bilateral"),
    ]
    a = assess(mtss)
    assert a.conditions[0]["id"] == "medial_tibial_stress_syndrome"
    assert "tarsal_tunnel_syndrome" not in [c["condition"] for c in a.open_competitors]
    tingling = mtss + [fd("symptom.paraesthesia_sole", True)]  # a clue of its own
    assert "tarsal_tunnel_syndrome" in [c["condition"] for c in assess(tingling).open_competitors]
