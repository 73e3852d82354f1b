"""C3D reading: time axis, units, labels, plates, events, subject parameters, bad files."""

from __future__ import annotations

import ezc3d
import numpy as np
import pytest

from groundup.errors import RecordingError
from groundup.motion.c3d import read_c3d
from tests.conftest import data_file


def test_first_frame_and_units_follow_the_file():
    path = data_file("c3d/c3dorg/sample03/gait-pig-nz.c3d")
    trial = read_c3d(path)
    raw = ezc3d.c3d(str(path))
    assert trial.first_frame == raw["header"]["points"]["first_frame"] == 299
    assert trial.time[0] == pytest.approx(299 / 120.0)
    labels = [lab.strip() for lab in raw["parameters"]["POINT"]["LABELS"]["value"]]
    i = labels.index("LTOE")
    # metres in the Trial, millimetres in the file
    expected = raw["data"]["points"][:3, i, 10] / 1000.0
    np.testing.assert_allclose(trial.points["L_TOE"][10], expected)
    assert trial.labels["L_TOE"] == "LTOE"


def test_markers_in_metres_are_not_rescaled():
    trial = read_c3d(data_file("c3d/c3dorg/sample00/IST_Gait_with_EMG.c3d"))
    assert trial.metadata["units_in_file"] == "m"
    pelvis_height = np.nanmedian(trial.points["L_ASIS"][:, 2])
    assert 0.7 < pelvis_height < 1.2


def test_subject_prefix_stripped_and_model_outputs_kept():
    trial = read_c3d(data_file("c3d/c3dorg/sample03/gait-pig.c3d"))
    assert "L_ASIS" in trial.points and trial.labels["L_ASIS"] == "LASI"
    assert "LKneeAngles" in trial.model_outputs
    assert not any(k.startswith("A22:") for k in trial.points)


def test_qualisys_zeros_become_missing():
    trial = read_c3d(data_file("c3d/c3dorg/sample26/Walking_Hybrid_1_1.c3d"))
    for x in trial.points.values():
        assert not np.any(np.all(x == 0.0, axis=1))


def test_events_read_from_contexts_when_labels_are_empty():
    trial = read_c3d(data_file("c3d/c3dorg/sample00/MAC_Walk1.c3d"))
    kinds = sorted((e.side, e.type) for e in trial.events)
    assert kinds == sorted([("left", "IC")] * 2 + [("right", "IC")] * 2
                           + [("left", "FO")] * 2 + [("right", "FO")] * 2)
    first_left_ic = min(e.time_s for e in trial.events if e.side == "left" and e.type == "IC")
    assert first_left_ic == pytest.approx(0.56666666, abs=1e-6)


def test_event_times_use_the_file_axis():
    trial = read_c3d(data_file("c3d/ensink-overground/exampleOverground.c3d"))
    ic = [e.time_s for e in trial.events if e.side == "right" and e.type == "IC"]
    assert ic[0] == pytest.approx(1.194583, abs=1e-5)


def test_force_plates_have_corners_in_metres():
    trial = read_c3d(data_file("c3d/ensink-overground/exampleOverground.c3d"))
    assert len(trial.force_plates) == 2
    fp = trial.force_plates[0]
    size = np.ptp(fp.corners, axis=0)
    assert sorted(np.round(size[:2], 3)) == [0.4, 0.6]
    assert fp.rate == 2400.0
    assert np.max(fp.vertical_force) > 300


def test_analysis_group_is_read():
    trial = read_c3d(data_file("c3d/ensink-overground/exampleOverground.c3d"))
    cadence = [a["value"] for a in trial.metadata["analysis"] if a["name"] == "Cadence"]
    assert cadence and cadence[0] == pytest.approx(123.0, abs=0.5)


def test_truncated_file_is_reported(tmp_path):
    src = data_file("c3d/ensink-overground/exampleOverground.c3d")
    cut = tmp_path / "cut.c3d"
    cut.write_bytes(src.read_bytes()[:300_000])
    trial = read_c3d(cut)
    assert trial.n_frames < 459
    assert any("truncated" in w for w in trial.metadata["warnings"])


@pytest.mark.parametrize("content", [b"", b"not a c3d file at all", b"\x02\x50" + b"\0" * 600])
def test_garbage_raises_a_clear_error(tmp_path, content):
    bad = tmp_path / "bad.c3d"
    bad.write_bytes(content)
    with pytest.raises(RecordingError, match="bad.c3d"):
        read_c3d(bad)


def test_missing_file():
    with pytest.raises(RecordingError, match="no such file"):
        read_c3d("does-not-exist.c3d")
