"""Case files -> findings: the 30 development cases, metadata ignored, bad input collected."""

from __future__ import annotations

import copy
import glob

import pytest
import yaml

from groundup.errors import GroundupError
from groundup.exam import CaseError, findings_and_problems, findings_from_case, load_case
from tests.conftest import data_file


def _cases():
    folder = data_file("../cases/README.md").parent
    return sorted(glob.glob(str(folder / "case-*.yaml")))


def _by_code(findings, code):
    return [f for f in findings if f.code == code]


def test_all_cases_load_without_problems():
    paths = _cases()
    assert len(paths) == 30
    for path in paths:
        findings, problems = findings_and_problems(load_case(path))
        assert problems == [], (path, problems)
        assert len(findings) > 40


def test_root_level_matches_expected_root_on_the_cases():
    checked = 0
    for path in _cases():
        case = load_case(path)
        primary = case["expected"].get("primary") or {}
        roots = {(f.value, f.side)
                 for f in _by_code(findings_from_case(case), "exam.derived.root_level")}
        if primary.get("root"):
            assert (primary["root"], primary["side"]) in roots, (path, roots)
            checked += 1
        elif primary.get("condition") not in ("cauda_equina_syndrome",):
            assert roots <= {("none", "none")}, (path, roots)
    assert checked == 6  # cases 02, 03, 07, 08, 18, 23


def test_red_flags_match_expected_on_the_cases():
    for path in _cases():
        case = load_case(path)
        raised = {f.code.removeprefix("redflag.derived.") for f in findings_from_case(case)
                  if f.code.startswith("redflag.derived.")}
        assert raised == set(case["expected"]["red_flags"]), path


def test_metadata_and_answer_key_are_ignored():
    case = load_case(_cases()[2])
    stripped = {k: v for k, v in case.items() if k not in ("id", "title", "pattern", "tags",
                                                           "expected")}
    changed = copy.deepcopy(case)
    changed["expected"] = {"primary": {"root": "L4"}}
    changed["title"] = "something else"
    a = [f.to_dict() for f in findings_from_case(case)]
    assert a == [f.to_dict() for f in findings_from_case(stripped)]
    assert a == [f.to_dict() for f in findings_from_case(changed)]


def test_case_03_values_and_codes():
    fs = findings_from_case(load_case(_cases()[2]))
    (odi,) = _by_code(fs, "questionnaire.odi_percent")
    assert odi.value == 46.0 and odi.unit == "%"
    assert odi.interpretation["band"] == "severe"
    disc = [f for f in _by_code(fs, "imaging.mri_lumbar.disc") if f.value == "extrusion"]
    assert disc[0].side == "right"
    assert disc[0].qualifiers["level"] == "L5-S1" and disc[0].qualifiers["root_contact"] == "S1"
    (pattern,) = _by_code(fs, "pain.derived.dermatomal_pattern")
    assert (pattern.value, pattern.side) == ("S1", "right")
    achilles = {f.side: f.value for f in _by_code(fs, "exam.neuro.reflexes.achilles")}
    assert achilles == {"left": "normal", "right": "absent"}
    asym = _by_code(fs, "gait.asymmetry.stance_pct")
    assert asym and asym[0].side == "bilateral"


def test_not_done_is_kept_apart_from_normal():
    case = load_case(data_file("../cases/case-22.yaml"))
    fs = findings_from_case(case)
    assert _by_code(fs, "exam.special_tests.slr")[0].value == "not_done"
    assert _by_code(fs, "exam.neuro.reflexes")[0].value == "not_done"
    assert _by_code(fs, "gait")[0].value == "not_done"
    assert not _by_code(fs, "exam.derived.root_level")  # neuro not examined: no claim


def test_leg_length_difference_case_05():
    fs = findings_from_case(load_case(data_file("../cases/case-05.yaml")))
    (lld,) = _by_code(fs, "exam.derived.leg_length_difference_mm")
    assert lld.value == 12.0 and lld.side == "right" and lld.unit == "mm"
    assert lld.interpretation["band"] == "mild_to_moderate"


def test_bad_fields_are_all_reported_and_good_ones_kept():
    case = {
        "patient": {"age": 40, "sex": "female", "height_m": 1.6, "mass_kg": 60, "bmi": 30.0},
        "questionnaires": {"pain_nrs": 11, "odi_percent": 30,
                           "start_back": {"total": 2, "distress": 1, "risk": "high"}},
        "exam": {"special_tests": {"slr": {"left": "postive", "right": "negative"},
                                   "slr_angle_deg": {"left": 120, "right": 80}},
                 "neuro": {"strength_mrc": {"ehl": {"left": 6, "right": 5}}},
                 "foot_posture": {"fpi6": {"left": 13, "right": 4}}},
    }
    with pytest.raises(CaseError) as err:
        findings_from_case(case)
    fields = {p.field for p in err.value.problems}
    assert fields == {"patient.bmi", "questionnaires.pain_nrs", "questionnaires.start_back.risk",
                      "exam.special_tests.slr.left", "exam.special_tests.slr_angle_deg.left",
                      "exam.neuro.strength_mrc.ehl.left", "exam.foot_posture.fpi6.left"}
    text = str(err.value)
    assert "did you mean 'positive'" in text and "120" in text and "0..110" in text
    kept = {(f.code, f.side) for f in err.value.findings}
    assert ("questionnaire.odi_percent", "none") in kept
    assert ("exam.special_tests.slr_angle_deg", "right") in kept
    assert ("exam.foot_posture.fpi6", "right") in kept
    assert ("exam.special_tests.slr_angle_deg", "left") not in kept


def test_impossible_combinations():
    case = {"exam": {"neuro": {"monofilament_sites_tested": 10,
                               "monofilament_sites_felt": {"left": 11, "right": 9}},
                     "special_tests": {"sij_provocation_positive": 3,
                                       "sij_provocation_tests": {"distraction": "positive",
                                                                 "thigh_thrust": "negative"}}},
            "questionnaires": {"start_back": {"total": 3, "distress": 5}}}
    _, problems = findings_and_problems(case)
    fields = {p.field for p in problems}
    assert fields == {"exam.neuro.monofilament_sites_felt.left",
                      "exam.special_tests.sij_provocation_positive",
                      "questionnaires.start_back"}


def test_unknown_keys_inside_sections_are_named():
    case = {"exam": {"special_tests": {"slr_angel_deg": {"left": 40, "right": 80}},
                     "nuero": {"reflexes": {}}},
            "history": {"symptoms": ["first_step_heel_pian"], "red_flag_screen": {"fevr": True}}}
    _, problems = findings_and_problems(case)
    msgs = {p.field: p.message for p in problems}
    assert "did you mean 'exam.special_tests.slr_angle_deg'" in \
        msgs["exam.special_tests.slr_angel_deg"]
    assert "did you mean 'neuro'" in msgs["exam.nuero"]
    assert "first_step_heel_pain" in msgs["history.symptoms"]
    assert "did you mean 'fever'" in msgs["history.red_flag_screen.fevr"]


def test_load_case_names_unknown_top_level_key_and_line(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text("id: x\npatient: {age: 40}\nquestionaires:\n  pain_nrs: 3\n")
    with pytest.raises(GroundupError) as err:
        load_case(path)
    assert "'questionaires' (line 3)" in str(err.value)
    assert "did you mean 'questionnaires'" in str(err.value)


def test_load_case_bad_yaml_and_non_mapping(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("patient: {age: 40\nexam: [\n")
    with pytest.raises(GroundupError, match="not valid YAML at line"):
        load_case(bad)
    lst = tmp_path / "list.yaml"
    lst.write_text(yaml.safe_dump([1, 2]))
    with pytest.raises(GroundupError, match="must hold a mapping"):
        load_case(lst)
    with pytest.raises(GroundupError, match="cannot read case file"):
        load_case(tmp_path / "missing.yaml")


def test_findings_from_case_rejects_non_mapping():
    with pytest.raises(GroundupError, match="must be a mapping"):
        findings_from_case(["patient"])
