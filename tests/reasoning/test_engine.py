"""Hand-built findings: double counting, contradictions, unknown codes, empty input, red flags."""

from __future__ import annotations

import json
import math

import pytest

from groundup.errors import GroundupError
from groundup.reasoning import assess
from groundup.reasoning.evidence import FindingIndex
from groundup.reasoning.inference import score
from groundup.reasoning.knowledge import knowledge
from tests.reasoning.conftest import fd

RADICULAR_S1_RIGHT = [
    fd("symptom.radiating_pain_back_to_foot", True),
    fd("symptom.leg_pain_below_knee", True),
    fd("pain.low_back", 3.0),
    fd("pain.posterior_calf", 6.0, "right"),
    fd("pain.sole_lateral", 5.0, "right"),
    fd("exam.neuro.reflexes.achilles", "reduced", "right"),
    fd("exam.neuro.reflexes.achilles", "normal", "left"),
    fd("exam.neuro.sensation.lateral_border_foot_and_sole", "reduced", "right"),
]


def _posterior(findings, condition="sciatica_radiculopathy", side="right", root="S1"):
    kb = knowledge()
    scored = score(kb, FindingIndex(findings))
    return next(
        s
        for s in scored
        if (s.hypothesis.condition, s.hypothesis.side, s.hypothesis.root) == (condition, side, root)
    )


def test_empty_input_is_insufficient_with_tests():
    a = assess([])
    assert a.status == "insufficient_information"
    assert a.link == "undetermined"
    assert not a.red_flag
    json.dumps(a.to_json())


def test_probabilities_sum_to_one_and_update_with_each_finding():
    a0 = assess(RADICULAR_S1_RIGHT[:2])
    a1 = assess(RADICULAR_S1_RIGHT)
    assert math.isclose(sum(c["probability"] for c in a1.conditions), 1.0, abs_tol=1e-3)
    p0 = next(c for c in a0.conditions if c["id"] == "sciatica_radiculopathy")["probability"]
    p1 = next(c for c in a1.conditions if c["id"] == "sciatica_radiculopathy")["probability"]
    assert p1 > p0
    assert a1.conditions[0]["id"] == "sciatica_radiculopathy"
    assert a1.conditions[0]["side"] == "right" and a1.conditions[0]["root"] == "S1"


def test_slr_and_slump_are_not_double_counted():
    """SLR and slump share the neural_tension group: adding slump to SLR must not multiply."""
    slr = [fd("exam.special_tests.slr", "positive", "right")]
    both = slr + [fd("exam.special_tests.slump", "positive", "right")]
    one = _posterior(RADICULAR_S1_RIGHT + slr)
    two = _posterior(RADICULAR_S1_RIGHT + both)
    slump_alone = _posterior(RADICULAR_S1_RIGHT + both[1:])
    assert two.log_lr == pytest.approx(max(one.log_lr, slump_alone.log_lr))
    counted = [
        c.feature.id for c in two.contributions if c.feature.group == "neural_tension" and c.counted
    ]
    assert len(counted) == 1


def test_group_keeps_strongest_for_and_against():
    mixed = RADICULAR_S1_RIGHT + [
        fd("exam.special_tests.slr", "negative", "right"),
        fd("exam.special_tests.slump", "positive", "right"),
    ]
    s = _posterior(mixed)
    group = [c for c in s.contributions if c.feature.group == "neural_tension"]
    assert sum(c.counted for c in group) == 2


def test_unknown_codes_are_reported_not_fatal():
    a = assess(RADICULAR_S1_RIGHT + [fd("exam.nonsense.thing", "weird", "left")])
    assert "exam.nonsense.thing" in a.unused_findings
    assert any("not used" in w for w in a.warnings)


def test_contradictory_reflex_gives_insufficient_information_and_the_test_to_repeat():
    findings = RADICULAR_S1_RIGHT + [fd("exam.neuro.reflexes.achilles", "brisk", "right")]
    a = assess(findings)
    assert a.status == "insufficient_information"
    assert "achilles_reflex" in a.next_tests
    assert any("contradictory" in w for w in a.warnings)


def test_red_flag_always_at_the_top_even_with_a_strong_foot_diagnosis():
    pf = [
        fd("symptom.first_step_heel_pain", True),
        fd("pain.heel_plantar", 7.0, "left"),
        fd("exam.palpation.medial_calcaneal_tubercle", "tender", "left"),
        fd("exam.special_tests.windlass_weight_bearing", "positive", "left"),
        fd("pain.low_back", 5.0),
    ]
    a = assess(pf + [fd("redflag.cancer_history", True)], age=70)
    assert a.red_flag and a.urgent_referral
    assert a.red_flags == ["suspected_malignancy"]
    assert a.conditions[0]["id"] == "spinal_infection_or_malignancy"
    assert a.status == "determined"
    assert a.referrals[0]["priority"] == "urgent"


def test_cauda_equina_is_an_emergency():
    a = assess(RADICULAR_S1_RIGHT + [fd("redflag.saddle_anaesthesia", True)])
    assert a.red_flags[0] == "cauda_equina_syndrome"
    assert a.referrals[0]["priority"] == "emergency"
    assert a.conditions[0]["id"] == "cauda_equina_syndrome"


def test_missing_is_not_normal():
    """A not_done test gives no evidence either way."""
    base = _posterior(RADICULAR_S1_RIGHT)
    nd = _posterior(RADICULAR_S1_RIGHT + [fd("exam.special_tests.slr", "not_done", "right")])
    assert nd.log_lr == pytest.approx(base.log_lr)


@pytest.mark.parametrize("bad", ["text", [1, 2], {"a": 1}])
def test_bad_input_raises_groundup_error(bad):
    with pytest.raises(GroundupError):
        assess(bad)


def test_bad_age_raises_groundup_error():
    with pytest.raises(GroundupError):
        assess(RADICULAR_S1_RIGHT, age=-3)


def test_next_tests_use_the_test_vocabulary():
    kb = knowledge()
    a = assess([fd("pain.heel_plantar", 6.0, "right"), fd("symptom.paraesthesia_sole", True)])
    assert a.next_tests
    allowed = (
        set(kb.tests)
        | {t for v in kb.workup.values() for t in v}
        | {t for r in kb.red_flags.values() for t in r.get("next_tests", [])}
    )
    assert set(a.next_tests) <= allowed


def test_explanations_carry_effect_size_and_source():
    a = assess(RADICULAR_S1_RIGHT)
    first = next(iter(a.explanations.values()))
    item = first["evidence_for"][0]
    assert item["likelihood_ratio"] > 1 and item["source"]
