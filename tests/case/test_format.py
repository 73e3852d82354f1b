"""The case format: schema and code agree; the example reads cleanly; problems carry lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from groundup.case.format import (
    CLINICAL_KEYS,
    GROUNDUP_KEYS,
    META_KEYS,
    RECORDING_KEYS,
    key_lines,
    read_case,
)
from groundup.errors import GroundupError

ROOT = Path(__file__).resolve().parents[2]


def test_schema_lists_exactly_the_keys_the_reader_accepts():
    schema = json.loads((ROOT / "docs" / "case-schema.json").read_text())
    assert set(schema["properties"]) == set(CLINICAL_KEYS + GROUNDUP_KEYS + META_KEYS)
    rec = schema["properties"]["recordings"]["items"]["properties"]
    assert set(rec) == set(RECORDING_KEYS)


def test_example_case_reads_without_problems():
    case = read_case(ROOT / "examples" / "case-example.yaml")
    assert case.problems == []
    assert case.case_id == "example-left-heel"
    assert case.data["recordings"][0]["kind"] == "video"
    assert case.resolve(case.data["recordings"][0]["path"]).name == "demo.mp4"


def test_key_lines_of_nested_fields():
    text = "patient:\n  age: 40\nexam:\n  neuro:\n    reflexes:\n      achilles: {left: normal}\n"
    lines = key_lines(text)
    assert lines["patient.age"] == 2
    assert lines["exam.neuro.reflexes.achilles"] == 6
    assert lines["exam.neuro.reflexes.achilles.left"] == 6


def test_unknown_keys_are_named_with_line_and_suggestion(tmp_path):
    f = tmp_path / "c.yaml"
    f.write_text("patient: {age: 40}\nrecordngs: []\nvisit: {date: '2026-01-01', clincian: x}\n"
                 "recordings:\n  - {kind: video, path: a.mp4, veiw: side}\n  - {path: b.xyz}\n")
    case = read_case(f)
    msgs = [str(p) for p in case.problems]
    assert "recordngs (line 2): unknown section, left out (did you mean 'recordings'?)" in msgs
    assert any(m.startswith("visit.clincian (line 3)") and "'clinician'" in m for m in msgs)
    assert any(m.startswith("recordings.0.veiw (line 5)") and "'view'" in m for m in msgs)
    assert any(m.startswith("recordings.1.kind") and "unknown kind None" in m for m in msgs)
    assert [r["path"] for r in case.data["recordings"]] == ["a.mp4"]


@pytest.mark.parametrize("text, message", [
    ("patient: [1, 2\n", "not valid YAML at line"),
    ("- just\n- a list\n", "must hold a mapping"),
])
def test_unusable_files_stop_with_one_message(tmp_path, text, message):
    f = tmp_path / "c.yaml"
    f.write_text(text)
    with pytest.raises(GroundupError, match=message):
        read_case(f)


def test_missing_case_file():
    with pytest.raises(GroundupError, match="cannot read case file nope.yaml"):
        read_case("nope.yaml")
