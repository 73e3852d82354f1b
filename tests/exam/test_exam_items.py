"""Every exam item the issue names, on one hand-made record: values, units, derived findings."""

from __future__ import annotations

from groundup.exam import findings_and_problems
from groundup.exam.neuro import myotome_grades


def _exam():
    both = {"left": "positive", "right": "negative"}
    return {
        "foot_posture": {"fpi6": {"left": 7, "right": 2},
                         "navicular_drop_mm": {"left": 12, "right": 6},
                         "arch_height_mm": {"left": 18, "right": 24}},
        "special_tests": {"windlass_weight_bearing": both, "too_many_toes": both,
                          "tarsal_tunnel_tinel": both, "mulder_click": both, "slr": both,
                          "crossed_slr": both, "slump": both, "faber": both,
                          "trendelenburg": both, "thomas_test": both,
                          "single_leg_heel_raise_reps": {"left": 8, "right": 25},
                          "slr_angle_deg": {"left": 40, "right": 75}},
        "rom": {"lumbar_flexion_deg": 50, "lumbar_extension_deg": 15, "modified_schober_cm": 3.5,
                "popliteal_angle_deg": {"left": 40, "right": 25},
                "weight_bearing_lunge_cm": {"left": 6, "right": 10},
                "hip_fixed_flexion_deg": {"left": 15, "right": 0}},
        "neuro": {"strength_mrc": {"hip_flexion": {"left": 5, "right": 4},
                                   "knee_extension": {"left": 4, "right": 5},
                                   "ankle_dorsiflexion": {"left": 5, "right": 5},
                                   "ehl": {"left": 5, "right": 5},
                                   "ankle_plantarflexion": {"left": 5, "right": 5}},
                  "reflexes": {"patellar": {"left": "reduced", "right": "normal"},
                               "achilles": {"left": "normal", "right": "brisk"}},
                  "babinski": {"left": "flexor", "right": "extensor"},
                  "sensation": [{"area": "medial_shin_and_malleolus", "side": "left",
                                 "finding": "reduced"}]},
        "vascular": {"dorsalis_pedis": {"left": "palpable", "right": "absent"},
                     "posterior_tibial": {"left": "palpable", "right": "reduced"}},
        "leg_length": {"true_tape_mm": {"left": 880, "right": 892}, "block_test_level_mm": 10,
                       "block_test_side": "left"},
    }


def _get(findings, code):
    return {f.side: f for f in findings if f.code == code}


def test_every_exam_item_becomes_a_finding_with_its_unit():
    fs, problems = findings_and_problems({"exam": _exam()})
    assert problems == []
    for test in ("windlass_weight_bearing", "too_many_toes", "tarsal_tunnel_tinel", "mulder_click",
                 "slr", "crossed_slr", "slump", "faber", "trendelenburg", "thomas_test"):
        got = _get(fs, f"exam.special_tests.{test}")
        assert (got["left"].value, got["right"].value) == ("positive", "negative"), test
    units = {"exam.foot_posture.arch_height_mm": "mm", "exam.foot_posture.navicular_drop_mm": "mm",
             "exam.rom.modified_schober_cm": "cm", "exam.rom.weight_bearing_lunge_cm": "cm",
             "exam.rom.popliteal_angle_deg": "deg", "exam.rom.lumbar_flexion_deg": "deg",
             "exam.rom.lumbar_extension_deg": "deg", "exam.special_tests.slr_angle_deg": "deg",
             "exam.leg_length.true_tape_mm": "mm", "exam.leg_length.block_test_level_mm": "mm",
             "exam.special_tests.single_leg_heel_raise_reps": "{repetitions}",
             "exam.neuro.strength_mrc.hip_flexion": "{MRC grade}"}
    for code, unit in units.items():
        assert {f.unit for f in _get(fs, code).values()} == {unit}, code
    assert _get(fs, "exam.rom.modified_schober_cm")["none"].value == 3.5
    assert _get(fs, "exam.vascular.dorsalis_pedis")["right"].value == "absent"
    assert _get(fs, "exam.vascular.posterior_tibial")["right"].value == "reduced"
    assert _get(fs, "exam.neuro.babinski")["right"].value == "extensor"


def test_derived_foot_posture_heel_raise_and_asymmetries():
    fs, _ = findings_and_problems({"exam": _exam()})
    fpi = _get(fs, "exam.derived.fpi6_category")
    assert (fpi["left"].value, fpi["right"].value) == ("pronated", "normal")
    nd = _get(fs, "exam.derived.navicular_drop_flag")
    assert (nd["left"].value, nd["right"].value) == ("excessive", "normal")
    (hr,) = _get(fs, "exam.derived.heel_raise_asymmetry").values()
    assert (hr.value, hr.side, hr.interpretation["flag"]) == (17.0, "left", "abnormal")  # 25 - 8
    slr = _get(fs, "exam.derived.asymmetry.slr_angle_deg")["left"]
    assert slr.value == 35.0  # 75 - 40 >= 20
    # popliteal angle is a deficit: the larger angle (left 40) is the tighter side
    assert _get(fs, "exam.derived.asymmetry.popliteal_angle_deg")["left"].value == 15.0
    assert _get(fs, "exam.derived.asymmetry.weight_bearing_lunge_cm")["left"].value == 4.0
    assert _get(fs, "exam.derived.asymmetry.hip_fixed_flexion_deg")["left"].value == 15.0
    assert _get(fs, "exam.derived.strength_asymmetry.hip_flexion")["right"].value == 1.0
    assert _get(fs, "exam.derived.strength_asymmetry.knee_extension")["left"].value == 1.0
    schober = _get(fs, "exam.derived.modified_schober_flag")["none"]
    assert schober.value == "reduced" and schober.interpretation["verified"] is False


def test_leg_length_tape_and_blocks():
    fs, _ = findings_and_problems({"exam": _exam()})
    tape = _get(fs, "exam.derived.leg_length_difference_mm")["left"]
    assert (tape.value, tape.interpretation["band"]) == (12.0, "mild_to_moderate")
    block = _get(fs, "exam.derived.block_test_leg_length_difference_mm")["left"]
    assert (block.value, block.unit, block.interpretation["band"]) == (10.0, "mm",
                                                                       "mild_to_moderate")
    assert block.qualifiers["agrees_with_true_tape"] is True
    exam = _exam()
    exam["leg_length"]["block_test_side"] = "right"
    fs, _ = findings_and_problems({"exam": exam})
    block = _get(fs, "exam.derived.block_test_leg_length_difference_mm")["right"]
    assert block.qualifiers["agrees_with_true_tape"] is False


def test_myotomes_l2_to_s1_root_level_and_babinski():
    exam = _exam()
    fs, _ = findings_and_problems({"exam": exam})
    hip = _get(fs, "exam.neuro.strength_mrc.hip_flexion")["right"]
    assert hip.value == 4.0 and hip.qualifiers["myotome"][0] == "L2"
    assert _get(fs, "exam.neuro.strength_mrc.knee_extension")["left"].qualifiers["myotome"] == [
        "L3", "L4"]
    assert myotome_grades(exam["neuro"], "right") == {"L2": 4, "L3": 5, "L4": 5, "L5": 5, "S1": 5}
    assert myotome_grades(exam["neuro"], "left") == {"L2": 5, "L3": 4, "L4": 5, "L5": 5, "S1": 5}
    roots = {side: f.value for side, f in _get(fs, "exam.derived.root_level").items()}
    assert roots == {"left": "L4"}  # sensation + knee extension 4/5 + patellar reduced
    (umn,) = _get(fs, "exam.derived.upper_motor_neuron_sign").values()
    assert umn.side == "right" and umn.qualifiers["reasons"] == ["babinski=extensor",
                                                                 "reflexes.achilles=brisk"]
    assert "UNVERIFIED" in umn.interpretation["source"]


def test_bad_exam_names_and_values_are_each_reported():
    exam = _exam()
    exam["neuro"]["strength_mrc"]["ankle_dorsiflexon"] = {"left": 5, "right": 5}
    exam["neuro"]["strength_mrc"]["hip_flexion"] = {"left": 6, "right": 4}
    exam["neuro"]["reflexes"]["achiles"] = {"left": "normal", "right": "normal"}
    exam["neuro"]["babinski"]["left"] = "upgoing"
    exam["neuro"]["sensation"].append({"area": "medial_shin", "side": "left",
                                       "finding": "reduced"})
    exam["rom"]["modified_schober_cm"] = 22
    exam["rom"]["weight_bearing_lunge_cm"]["right"] = -3
    exam["leg_length"]["block_test_level_mm"] = 150
    fs, problems = findings_and_problems({"exam": exam})
    msgs = {p.field: p.message for p in problems}
    assert set(msgs) == {"exam.neuro.strength_mrc.ankle_dorsiflexon",
                         "exam.neuro.strength_mrc.hip_flexion.left", "exam.neuro.reflexes.achiles",
                         "exam.neuro.babinski.left", "exam.neuro.sensation[1].area",
                         "exam.rom.modified_schober_cm", "exam.rom.weight_bearing_lunge_cm.right",
                         "exam.leg_length.block_test_level_mm"}
    assert "did you mean 'ankle_dorsiflexion'" in msgs["exam.neuro.strength_mrc.ankle_dorsiflexon"]
    assert "did you mean 'achilles'" in msgs["exam.neuro.reflexes.achiles"]
    assert "0..15 cm" in msgs["exam.rom.modified_schober_cm"]
    # nothing else is lost: the valid side and the other fields are kept
    assert _get(fs, "exam.neuro.strength_mrc.hip_flexion")["right"].value == 4.0
    assert _get(fs, "exam.rom.weight_bearing_lunge_cm")["left"].value == 6.0
    assert not _get(fs, "exam.derived.modified_schober_flag")
    assert not _get(fs, "exam.derived.block_test_leg_length_difference_mm")
    assert _get(fs, "exam.derived.fpi6_category")["left"].value == "pronated"
