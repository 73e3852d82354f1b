"""The built-in example: the pipeline recovers what the synthetic trial was built with."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from groundup.cli import app
from groundup.gait.analyse import analyse_trial
from groundup.gait.evaluation import match_events
from groundup.motion.synthetic.walk import synthetic_walk


def test_pipeline_recovers_synthetic_truth():
    trial = synthetic_walk(cadence_steps_min=108, speed_m_s=1.2, seed=3, force_plates=False)
    result = analyse_trial(trial, events="kinematic")
    truth = [e for e in trial.events if e.method == "synthetic-truth"]
    m = match_events(result.events, truth, tolerance_s=0.05)
    end = trial.time[-1]
    missed = m[m.status == "miss"]
    # only an event in the last 0.3 s may be missed: its swing runs past the recording
    assert (missed.ref_s > end - 0.3).all() and len(missed) <= 1
    assert (m.status == "false").sum() == 0
    assert m.error_ms.abs().max() < 25
    assert result.spatiotemporal["cadence_steps_min"] == pytest.approx(108, abs=1.0)
    assert result.spatiotemporal["speed_m_s"] == pytest.approx(1.2, abs=0.05)


def test_demo_runs_the_whole_assessment_marked_synthetic(tmp_path):
    res = CliRunner(mix_stderr=False).invoke(
        app, ["demo", "--out", str(tmp_path), "--shared", str(tmp_path / "no-shared")])
    assert res.exit_code == 0, res.stderr
    assert "SYNTHETIC" in res.stderr
    for name in ("assessment.json", "report.html", "report.pdf", "patient.html", "patient.pdf",
                 "bundle.fhir.json"):
        assert (tmp_path / name).stat().st_size > 1000, name
    doc = json.loads((tmp_path / "assessment.json").read_text())
    assert doc["synthetic"] is True
    html = (tmp_path / "report.html").read_text()
    assert "SYNTHETIC" in html
    cadence = doc["gait"][0]["spatiotemporal"]["cadence_steps_min"]
    assert f"{cadence:.1f}" in html
    # the invented patient was built as left plantar fasciitis feeding the back ache
    assert doc["conditions"][0]["id"] == "plantar_fasciitis"
    assert doc["conditions"][0]["side"] == "left"
    assert doc["link"] == "foot_to_back"
