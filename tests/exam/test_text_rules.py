"""Small free-text rules (diabetes, report leg-length) and the "normal throughout" sensation."""

from __future__ import annotations

import pytest

from groundup.exam import findings_from_case, load_case
from groundup.exam.history_facts import diabetes_status
from groundup.exam.imaging.report_text import leg_length_from_report
from tests.conftest import data_file


def _by_code(findings, code):
    return [f for f in findings if f.code == code]


@pytest.mark.parametrize(("history", "value", "dtype"), [
    ({"past": ["type 2 diabetes for 14 years"], "medications": []}, True, "2"),
    ({"past": ["hypertension"], "medications": ["insulin glargine"]}, True, None),
    ({"past": [], "medications": ["Metformin 500 mg twice daily"]}, True, None),
    ({"past": ["T1DM since childhood"]}, True, "1"),
    ({"past": ["not diabetic (HbA1c normal last year)"]}, False, None),
    ({"past": ["non-diabetic"]}, False, None),
    ({"past": ["no diabetes"]}, False, None),
    ({"past": ["pre-diabetes (HbA1c 44 mmol/mol last year)"]}, None, None),
    ({"past": ["gestational diabetes in 2015"]}, None, None),
    ({"past": ["family history of diabetes (mother)"]}, None, None),
    ({"past": ["hypertension"], "medications": ["ramipril"]}, None, None),
    ({"past": "type 2 diabetes"}, True, "2"),  # a single string is read as one line
    ({}, None, None),
])
def test_diabetes_keyword_rule(history, value, dtype):
    got, quals = diabetes_status(history)
    assert got is value
    assert quals.get("type") == dtype
    if value is not None:
        assert quals["derived_from"] == "free_text" and quals["matched"]


def test_diabetes_stated_and_denied_keeps_both():
    got, quals = diabetes_status({"past": ["not diabetic"], "medications": ["metformin"]})
    assert got is True
    assert quals["contradicted_by"] == ["history.past[0]: not diabetic"]


def test_diabetes_finding_on_the_cases():
    values = {}
    for n in ("11", "12", "17", "22", "24", "29", "01"):
        fs = findings_from_case(load_case(data_file(f"../cases/case-{n}.yaml")))
        found = _by_code(fs, "history.diabetes")
        values[n] = found[0].value if found else None
        if found:
            assert found[0].confidence == "low"
    assert values == {"11": False, "12": True, "17": False, "22": None, "24": True,
                      "29": False, "01": None}


@pytest.mark.parametrize(("report", "expected"), [
    ("right femur 11 mm shorter than left, tibiae equal within 1 mm; total right limb 12 mm "
     "short; healed femoral shaft fracture", ("right", 12.0, "limb")),
    ("right tibia 14 mm shorter than left; femora equal", ("right", 14.0,
                                                           "tibia (femur stated equal)")),
    ("left limb 24 mm short (femur 19 mm, tibia 5 mm); no other abnormality",
     ("left", 24.0, "limb")),
    ("Right leg 12 mm shorter", ("right", 12.0, "limb")),
    ("left leg is longer by 8.5 mm", ("right", 8.5, "limb")),
])
def test_leg_length_from_report(report, expected):
    lld = leg_length_from_report(report)
    assert (lld["short_side"], lld["mm"], lld["basis"]) == expected


@pytest.mark.parametrize("report", [
    "no pelvic obliquity on the supine film beyond 3 mm",  # case 15: not a leg length
    "right tibia 14 mm shorter than left",  # femora not stated equal: not the limb length
    "right femur 6 mm short, right tibia 5 mm short",  # never added up
    "right leg 12 mm short; left leg 4 mm short",  # contradictory
    "no leg-length discrepancy",
    "",
])
def test_leg_length_from_report_states_nothing(report):
    assert leg_length_from_report(report) is None


def test_report_leg_length_findings_on_the_cases():
    got = {}
    for n in ("05", "15", "18", "25"):
        fs = findings_from_case(load_case(data_file(f"../cases/case-{n}.yaml")))
        found = [f for f in fs if f.code.endswith("leg_length_difference_mm")
                 and f.code.startswith("imaging.")]
        got[n] = [(f.code, f.value, f.side, f.unit) for f in found]
    assert got == {
        "05": [("imaging.scanogram_long_leg.leg_length_difference_mm", 12.0, "right", "mm")],
        "15": [],
        "18": [("imaging.scanogram_long_leg.leg_length_difference_mm", 14.0, "right", "mm")],
        "25": [("imaging.scanogram_long_leg.leg_length_difference_mm", 24.0, "left", "mm")],
    }
    fs = findings_from_case(load_case(data_file("../cases/case-25.yaml")))
    (lld,) = [f for f in fs if f.code == "imaging.scanogram_long_leg.leg_length_difference_mm"]
    assert lld.interpretation["band"] == "clinically_significant"
    assert lld.qualifiers["derived_from"] == "free_text"


def test_empty_sensation_list_is_normal_throughout():
    fs = findings_from_case({"exam": {"neuro": {"sensation": []}}})
    (normal,) = _by_code(fs, "exam.neuro.sensation")
    assert (normal.value, normal.side) == ("normal", "bilateral")
    fs = findings_from_case({"exam": {"neuro": {"sensation": "not_done"}}})
    assert [f.value for f in _by_code(fs, "exam.neuro.sensation")] == ["not_done"]
    fs = findings_from_case({"exam": {"neuro": {"sensation": [
        {"area": "lateral_leg", "side": "left", "finding": "reduced"}]}}})
    assert _by_code(fs, "exam.neuro.sensation") == []  # recorded areas, no blanket "normal"
    assert _by_code(fs, "exam.neuro.sensation.lateral_leg")[0].value == "reduced"


def test_morning_stiffness_number_only():
    fs = findings_from_case({"history": {"morning_stiffness_minutes": 20}})
    assert [(f.value, f.unit) for f in _by_code(fs, "history.morning_stiffness_minutes")] == [
        (20.0, "min")]
    fs = findings_from_case({"history": {"morning_stiffness_minutes": "about an hour"}})
    assert _by_code(fs, "history.morning_stiffness_minutes") == []  # free text: no value
