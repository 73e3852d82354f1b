"""Questionnaire scoring on hand-computed administrations, incl. missing-item rules."""

from __future__ import annotations

import pytest

from groundup.exam.common import Builder
from groundup.exam.questionnaires import (
    QuestionnaireError,
    change,
    definition,
    instruments,
    load_item_text,
    score,
    score_findings,
    series_change,
)

ODI_SECTIONS = ["pain_intensity", "personal_care", "lifting", "walking", "sitting", "standing",
                "sleeping", "sex_life", "social_life", "travelling"]


def test_shipped_definitions():
    assert {"pain_nrs", "odi", "start_back", "faam", "rmdq"} <= set(instruments())
    for inst in instruments():
        d = definition(inst)
        assert d["licence"]["status"] in ("free", "restricted")
        if d["licence"]["status"] == "restricted":  # no item wording shipped
            assert d["licence"]["text_shipped"] is False
            assert all("text" not in i for i in d.get("items", []))


def test_odi_all_sections():
    answers = dict(zip(ODI_SECTIONS, [3, 1, 4, 2, 3, 3, 1, 0, 2, 2], strict=True))  # sum 21
    s = score("odi", answers, version="2.1a")
    assert s.value == 42.0  # 21 / 50 * 100
    assert s.band == "severe"


def test_odi_missing_section_removed_from_denominator():
    answers = dict(zip(ODI_SECTIONS, [3, 1, 4, 2, 3, 3, 1, None, 2, 2], strict=True))  # 21 of 45
    s = score("odi", answers)
    assert s.value == pytest.approx(46.7)  # 21 / 45 * 100 = 46.67
    assert s.missing == ("sex_life",)
    answers["sleeping"] = [1, 3]  # two statements ticked -> the highest counts
    assert score("odi", answers).value == pytest.approx(51.1)  # 23 / 45


def test_odi_bands_edges():
    base = dict.fromkeys(ODI_SECTIONS, 1)  # 10 / 50 = 20 %
    assert score("odi", base).band == "minimal"
    base["lifting"] = 2  # 22 %
    assert score("odi", base).band == "moderate"


def test_odi_too_few_sections_and_bad_values():
    with pytest.raises(QuestionnaireError, match="only 4 of 10 items answered"):
        score("odi", dict(zip(ODI_SECTIONS[:4], [1, 1, 1, 1], strict=True)))
    with pytest.raises(QuestionnaireError, match=r"odi.walking: 6 must be a whole number 0..5"):
        score("odi", dict.fromkeys(ODI_SECTIONS, 1) | {"walking": 6})
    with pytest.raises(QuestionnaireError, match="unknown item"):
        score("odi", dict.fromkeys(ODI_SECTIONS, 1) | {"walkng": 1})


def test_unknown_instrument_and_version():
    with pytest.raises(QuestionnaireError, match="unknown version '2.0' of odi"):
        score("odi", {}, version="2.0")
    with pytest.raises(QuestionnaireError, match="did you mean 'odi'"):
        score("odii", {})


def _start_back(items8, item9):
    ids = [i["id"] for i in definition("start_back")["items"]]
    return dict(zip(ids, [*items8, item9], strict=True))


def test_start_back_risk_groups_hill_2008():
    low = score("start_back", _start_back([1, 1, 0, 0, 0, 0, 1, 0], "moderately"))
    assert (low.value, low.subscales["distress"], low.band) == (3, 1, "low")
    medium = score("start_back", _start_back([1, 1, 1, 1, 1, 0, 0, 0], "very_much"))
    assert (medium.value, medium.subscales["distress"], medium.band) == (6, 2, "medium")
    high = score("start_back", _start_back([0, 0, 0, 0, 1, 1, 1, 0], "extremely"))
    assert (high.value, high.subscales["distress"], high.band) == (4, 4, "high")


def test_start_back_missing_item_and_bad_option():
    answers = _start_back([1, 1, 0, 0, 0, 0, 1, 0], "moderately")
    answers["low_mood"] = None
    with pytest.raises(QuestionnaireError, match="low_mood"):
        score("start_back", answers)
    with pytest.raises(QuestionnaireError, match="'very' is not one of"):
        score("start_back", _start_back([0] * 8, "very"))


def test_faam_adl_with_na_and_sports():
    adl = definition("faam")["subscales"]["adl"]["items"]
    answers = dict.fromkeys(adl, 3)
    answers[adl[0]] = 1
    answers[adl[1]] = "n/a"  # excluded: 20 answered, sum 3*19 + 1 = 58
    s = score("faam", answers)
    assert s.subscales["adl"] == pytest.approx(72.5)  # 58 / 80 * 100
    assert s.subscales["sports"] is None
    sports = definition("faam")["subscales"]["sports"]["items"]
    s = score("faam", dict.fromkeys(sports, 2) | {sports[0]: 4})
    assert s.subscales["sports"] == pytest.approx(56.2)  # 18 / 32 * 100 = 56.25


def test_faam_below_90_percent_answered():
    adl = definition("faam")["subscales"]["adl"]["items"]
    answers = dict.fromkeys(adl[:18], 4)  # 18 of 21 < 19
    with pytest.raises(QuestionnaireError, match="only 18 of 21 items answered, 19 needed"):
        score("faam", answers)


def test_rmdq_and_nrs():
    ids = [i["id"] for i in definition("rmdq")["items"]]
    assert score("rmdq", dict(zip(ids, [1] * 7 + [0] * 17, strict=True))).value == 7
    with pytest.raises(QuestionnaireError, match="not answered"):
        score("rmdq", dict(zip(ids[:23], [0] * 23, strict=True)))
    assert score("pain_nrs", {"pain_now": 7}).value == 7
    with pytest.raises(QuestionnaireError, match="0..10"):
        score("pain_nrs", {"pain_now": 11})


def test_change_against_mcid():
    odi = change("odi", 40, 32)  # 8 points = 20 %: below both MCIDs (Ostelo 2008)
    assert (odi["improvement"], odi["relative_pct"], odi["important"]) == (8, 20.0, False)
    assert change("odi", 40, 28)["important"] is True  # 12 points
    assert change("odi", 20, 14)["meets_relative"] is True  # 6 points but 30 %
    nrs = change("pain_nrs", 7, 5)
    assert nrs["meets_absolute"] is True and nrs["mcid"]["absolute"] == 2
    faam = change("faam", 60, 67, subscale="adl")  # higher is better: +7 < 8
    assert (faam["improvement"], faam["important"]) == (7, False)
    assert change("faam", 60, 68, subscale="adl")["important"] is True
    worse = change("odi", 30, 44)
    assert worse["improvement"] == -14 and worse["important"] is False
    series = series_change("pain_nrs", [8, 7, 5, 3])
    assert [c["improvement"] for c in series] == [1, 3, 5]
    assert [c["important"] for c in series] == [False, True, True]


def test_score_findings_use_case_codes():
    b = Builder(source="questionnaire")
    score_findings(score("odi", dict.fromkeys(ODI_SECTIONS, 2)), b)
    score_findings(score("start_back", _start_back([1, 1, 1, 1, 1, 0, 0, 0], "very_much")), b)
    got = {f.code: f.value for f in b.findings}
    assert got == {"questionnaire.odi_percent": 40.0, "questionnaire.start_back.total": 6,
                   "questionnaire.start_back.distress": 2,
                   "questionnaire.start_back.risk": "medium"}


def test_licensed_item_text_from_clinic_file(tmp_path):
    good = tmp_path / "odi_text.yaml"
    good.write_text("instrument: odi\nversion: '2.1a'\n"
                    "items:\n  walking: {text: 'licensed text'}\n")
    assert load_item_text("odi", good)["walking"]["text"] == "licensed text"
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("instrument: odi\nversion: '2.0'\nitems: {}\n")
    with pytest.raises(QuestionnaireError, match="unknown version"):
        load_item_text("odi", wrong)
    with pytest.raises(QuestionnaireError, match="not for 'faam'"):
        load_item_text("faam", good)
    with pytest.raises(QuestionnaireError, match="cannot read"):
        load_item_text("odi", tmp_path / "absent.yaml")


def _ffi(pain, disability, activity):
    r = {f"pain_{i}": v for i, v in enumerate(pain, 1)}
    r |= {f"disability_{i}": v for i, v in enumerate(disability, 1)}
    return r | {f"activity_limitation_{i}": v for i, v in enumerate(activity, 1)}


def test_ffi_subscales_and_total_with_not_applicable_items():
    r = _ffi([5, 6, 7, 4, 3, 8, 2, 5, 5], [3, 4, 2, 1, 0, 5, 6, 3, "n/a"], [1, 0, 2, None, 3])
    s = score("ffi", r)
    # pain 45/90; disability 24/(10 x 8); activity 6/(10 x 4); total 75/(10 x 21) = 35.71
    assert s.subscales == {"pain": 50.0, "disability": 30.0, "activity_limitation": 15.0}
    assert s.value == pytest.approx(35.7)
    assert s.missing == ("disability_9", "activity_limitation_4")
    b = Builder(source="questionnaire")
    score_findings(s, b)
    got = {f.code: (f.value, (f.interpretation["mcid"] or {}).get("absolute")) for f in b.findings}
    assert got == {"questionnaire.ffi_pain_percent": (50.0, 12),
                   "questionnaire.ffi_disability_percent": (30.0, 7),
                   "questionnaire.ffi_activity_limitation_percent": (15.0, None),
                   "questionnaire.ffi_total_percent": (pytest.approx(35.7), 7)}


def test_ffi_missing_rules_and_range():
    r = _ffi([5, 5, 5, 5, None, None, None, None, None], [1] * 9, [1] * 5)
    with pytest.raises(QuestionnaireError, match="ffi pain: only 4 of 9 items answered"):
        score("ffi", r)
    with pytest.raises(QuestionnaireError, match=r"ffi.pain_1: 11 must be a whole number 0..10"):
        score("ffi", _ffi([11] + [0] * 8, [0] * 9, [0] * 5))
    with pytest.raises(QuestionnaireError, match="unknown version"):
        score("ffi", _ffi([0] * 9, [0] * 9, [0] * 5), version="1991-0to9")
    assert change("ffi", 60, 50, subscale="pain")["important"] is False  # 10 < 12
    assert change("ffi", 40, 32)["important"] is True  # total: 8 >= 7


def test_moxfq_domains():
    r = {f"walking_standing_{i}": v for i, v in enumerate([4, 3, 2, 4, 1, 0, 2], 1)}
    r |= {f"pain_{i}": v for i, v in enumerate([2, 3, 1, 0, 4], 1)}
    s = score("moxfq", r)  # social interaction left blank: not scored
    # 16/28 = 57.14, 10/20 = 50, 0 = best
    assert s.subscales == {"walking_standing": pytest.approx(57.1), "pain": 50.0,
                           "social_interaction": None}
    assert s.value is None
    r["walking_standing_7"] = None
    with pytest.raises(QuestionnaireError, match="walking_standing: only 6 of 7"):
        score("moxfq", r)
    with pytest.raises(QuestionnaireError, match=r"moxfq.pain_1: 5 must be a whole number 0..4"):
        score("moxfq", {"pain_1": 5})
    assert change("moxfq", 60, 40, subscale="walking_standing")["important"] is True  # 20 >= 16


def test_moxfq_item_text_comes_from_the_clinic_file(tmp_path):
    assert "text" not in str(definition("moxfq")["subscales"])
    path = tmp_path / "moxfq.yaml"
    path.write_text("instrument: moxfq\nversion: '2006'\nitems:\n  pain_1: {text: licensed}\n")
    assert load_item_text("moxfq", path) == {"pain_1": {"text": "licensed"}}
    path.write_text("instrument: moxfq\nversion: '2006'\nitems:\n  pain_9: {text: x}\n")
    with pytest.raises(QuestionnaireError, match="unknown item"):
        load_item_text("moxfq", path)
