"""The `groundup gait` command: JSON contract and bad input (clear messages, no traceback)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from groundup.cli import app
from groundup.motion.c3d import read_c3d
from groundup.motion.c3d_writer import write_c3d
from tests.conftest import data_file

runner = CliRunner(mix_stderr=False)


def _run(*args):
    result = runner.invoke(app, list(map(str, args)))
    assert "Traceback" not in (result.stdout + result.stderr)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception,
                                                                      SystemExit)
    return result


def test_json_contract_and_file_time_axis():
    path = data_file("c3d/c3dorg/sample03/gait-pig-nz.c3d")
    res = _run("gait", path, "--json", "-")
    assert res.exit_code == 0
    doc = json.loads(res.stdout)
    assert doc["schema"] == "groundup.gait/1"
    ev = doc["events"]
    assert ev and {"side", "type", "time_s", "method"} <= set(ev[0])
    # gait-pig-nz starts at frame 299 (2.49 s): every event lies on the file's own axis
    assert min(e["time_s"] for e in ev) > 299 / 120
    st = doc["spatiotemporal"]
    assert 100 < st["cadence_steps_min"] < 120
    for side in ("left", "right"):
        assert {"stride_length_m", "step_time_s", "stance_pct"} <= set(st[side])


def test_events_file_mode_reproduces_stored_events():
    path = data_file("c3d/c3dorg/sample03/gait-pig-nz.c3d")
    doc = json.loads(_run("gait", path, "--events", "file", "--json", "-").stdout)
    times = sorted(e["time_s"] for e in doc["events"])
    stored = sorted(e.time_s for e in read_c3d(path).events)
    np.testing.assert_allclose(times, stored, atol=1e-5)


def test_garbage_file_gives_a_message_and_the_batch_goes_on(tmp_path):
    bad = tmp_path / "broken.c3d"
    bad.write_bytes(b"this is not a c3d file")
    good = data_file("c3d/ensink-overground/exampleOverground.c3d")
    res = _run("gait", bad, good, "--json", tmp_path / "out.json")
    assert res.exit_code == 1
    assert "broken.c3d" in res.stderr and "not a readable C3D" in res.stderr
    doc = json.loads((tmp_path / "out.json").read_text())
    assert doc["trial"] == "exampleOverground"


def test_unknown_file_type_and_missing_file(tmp_path):
    f = tmp_path / "walk.xyz"
    f.write_text("1 2 3")
    res = _run("gait", f)
    assert res.exit_code == 1 and "unsupported file type" in res.stderr
    res = _run("gait", tmp_path / "nothing.c3d")
    assert res.exit_code == 1 and "no such file" in res.stderr


def test_static_trial_says_what_it_could_compute():
    res = _run("gait", data_file("c3d/c3dorg/sample26/Standing_Hybrid_1.c3d"), "--json", "-")
    assert res.exit_code == 0
    doc = json.loads(res.stdout)
    assert doc["spatiotemporal"]["n_strides"] == 0
    assert any("static" in w or "no complete stride" in w for w in doc["warnings"])


def test_no_foot_markers(tmp_path):
    trial = read_c3d(data_file("c3d/ensink-overground/exampleOverground.c3d"))
    trial.points = {k: v for k, v in trial.points.items() if "ASIS" in k or "PSIS" in k}
    trial.force_plates = []
    out = tmp_path / "pelvis_only.c3d"
    write_c3d(trial, out)
    res = _run("gait", out)
    assert res.exit_code == 1
    assert "no heel, ankle or toe markers" in res.stderr


def test_truncated_file_still_analysed_with_a_warning(tmp_path):
    src = data_file("c3d/ensink-overground/exampleOverground.c3d")
    cut = tmp_path / "cut.c3d"
    cut.write_bytes(src.read_bytes()[:1_200_000])
    doc = json.loads(_run("gait", cut, "--json", "-").stdout)
    assert any("truncated" in w for w in doc["warnings"])


def test_one_step_trial(tmp_path):
    trial = read_c3d(data_file("c3d/ensink-overground/exampleOverground.c3d"))
    keep = slice(100, 150)  # 0.5 s: one contact, no complete stride
    trial.points = {k: v[keep] for k, v in trial.points.items()}
    trial.model_outputs = {}
    trial.force_plates = []
    trial.first_frame += 100
    out = tmp_path / "one_step.c3d"
    write_c3d(trial, out)
    doc = json.loads(_run("gait", out, "--json", "-").stdout)
    assert doc["spatiotemporal"]["n_strides"] == 0
    assert any("no complete stride" in w or "no gait events" in w for w in doc["warnings"])


@pytest.mark.parametrize("path", ["c3d/c3dorg/sample00/IST_Gait_with_EMG.c3d",
                                  "c3d/c3dorg/sample00/MAC_Walk1.c3d"])
def test_metres_and_millimetres_give_lengths_in_metres(path):
    doc = json.loads(_run("gait", data_file(path), "--json", "-").stdout)
    stride = doc["spatiotemporal"]["left"]["stride_length_m"]
    assert 0.8 < stride < 1.8
