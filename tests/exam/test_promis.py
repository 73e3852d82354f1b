"""PROMIS short forms: raw score from the shipped definition, T-score only from a clinic table.

The T-score tables below are MADE-UP TEST FIXTURES, not real PROMIS values (the HealthMeasures
tables are licensed and not in the repository).
"""

from __future__ import annotations

import pytest
import yaml

from groundup.exam.common import Builder
from groundup.exam.questionnaires import (
    QuestionnaireError,
    change,
    definition,
    load_item_text,
    load_t_table,
    score,
    score_findings,
)

PI_ITEMS = ["PAININ9", "PAININ22", "PAININ31", "PAININ34"]


def _fake_table(lo=4, hi=20, **extra):
    """TEST FIXTURE, NOT PROMIS DATA: T = 30 + 2 x raw, se 3."""
    return {"instrument": "promis_pi_4a", "version": "1.0",
            "source": "made-up test fixture - NOT a PROMIS table",
            "table": {r: {"t_score": 30.0 + 2 * r, "se": 3.0} for r in range(lo, hi + 1)},
            **extra}


def test_definitions_ship_item_ids_and_no_wording():
    for inst, n in (("promis_pi_4a", 4), ("promis_pf_6b", 6)):
        d = definition(inst)
        assert len(d["items"]) == n and d["licence"]["text_shipped"] is False
        assert all("text" not in i for i in d["items"])
        assert d["scoring"]["method"] == "raw_sum_t_table"
    assert [i["id"] for i in definition("promis_pi_4a")["items"]] == PI_ITEMS


def test_raw_score_without_table_says_t_score_needs_it():
    s = score("promis_pi_4a", dict(zip(PI_ITEMS, [3, 4, 2, 5], strict=True)))
    assert s.value == 14 and s.t_score is None
    assert "needs the HealthMeasures raw-score-to-T-score table" in s.notes[0]
    b = Builder(source="questionnaire")
    score_findings(s, b)
    assert [(f.code, f.value) for f in b.findings] == [("questionnaire.promis_pi_4a.raw_score",
                                                        14)]
    assert "not a T-score" in b.findings[0].interpretation["note"]


def test_t_score_from_clinic_table_file(tmp_path):
    path = tmp_path / "pi4a_table.yaml"
    path.write_text(yaml.safe_dump(_fake_table()))
    s = score("promis_pi_4a", dict(zip(PI_ITEMS, [3, 4, 2, 5], strict=True)), t_table=path)
    assert (s.value, s.t_score, s.t_score_se) == (14, 58.0, 3.0)  # fixture: 30 + 2 x 14
    table = load_t_table("promis_pi_4a", path)
    assert table["table"][4] == (38.0, 3.0)
    s = score("promis_pi_4a", dict.fromkeys(PI_ITEMS, 1), t_table=table)
    assert (s.value, s.t_score) == (4, 38.0)
    b = Builder(source="questionnaire")
    score_findings(s, b)
    got = {f.code: (f.value, f.unit) for f in b.findings}
    assert got["questionnaire.promis_pi_4a.t_score"] == (38.0, "{T-score}")


def test_pf_6b_raw_range_and_missing_item():
    items = [i["id"] for i in definition("promis_pf_6b")["items"]]
    assert score("promis_pf_6b", dict(zip(items, [5, 5, 4, 4, 3, 2], strict=True))).value == 23
    answers = dict.fromkeys(items, 5)
    answers["PFB1"] = None
    with pytest.raises(QuestionnaireError, match=r"items not answered: \['PFB1'\]"):
        score("promis_pf_6b", answers)
    with pytest.raises(QuestionnaireError, match=r"PFA11: 0 must be a whole number 1..5"):
        score("promis_pf_6b", dict.fromkeys(items, 0))


def test_bad_tables_are_rejected_with_every_row_named(tmp_path):
    bad = _fake_table(lo=5)  # raw 4 missing
    bad["table"][6] = {"t_score": 95.0}
    bad["table"][25] = {"t_score": 60.0}
    with pytest.raises(QuestionnaireError) as err:
        load_t_table("promis_pi_4a", bad)
    text = str(err.value)
    assert "raw score 25 is outside 4..20" in text and "raw 6: T-score 95.0" in text
    assert "raw score(s) [4] missing" in text
    falling = _fake_table()
    falling["table"][10] = {"t_score": 40.0}  # below raw 9 (48)
    with pytest.raises(QuestionnaireError, match="fall as the raw score rises"):
        load_t_table("promis_pi_4a", falling)
    with pytest.raises(QuestionnaireError, match="unknown version '2.0'"):
        load_t_table("promis_pi_4a", _fake_table() | {"version": "2.0"})
    with pytest.raises(QuestionnaireError, match="not for 'promis_pf_6b'"):
        load_t_table("promis_pf_6b", _fake_table())
    with pytest.raises(QuestionnaireError, match="'source' must say"):
        load_t_table("promis_pi_4a", _fake_table() | {"source": ""})
    with pytest.raises(QuestionnaireError, match="cannot read"):
        load_t_table("promis_pi_4a", tmp_path / "absent.yaml")
    with pytest.raises(QuestionnaireError, match="not scored with a T-score table"):
        load_t_table("odi", {"instrument": "odi", "version": "2.1a", "source": "x", "table": {}})


def test_item_wording_from_clinic_file_and_no_unverified_mcid(tmp_path):
    path = tmp_path / "pi_text.yaml"
    path.write_text("instrument: promis_pi_4a\nversion: '1.0'\n"
                    "items:\n  PAININ9: {text: licensed wording}\n")
    assert load_item_text("promis_pi_4a", path) == {"PAININ9": {"text": "licensed wording"}}
    with pytest.raises(QuestionnaireError, match="has no MCID"):
        change("promis_pi_4a", 60, 55)  # 2-6 T-points is UNVERIFIED: not encoded
