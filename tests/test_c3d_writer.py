"""C3D writing: what read_c3d reads back must equal what was written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from groundup.errors import GroundupError
from groundup.motion.c3d import read_c3d
from groundup.motion.c3d_writer import write_c3d
from groundup.motion.trc import read_trc
from groundup.motion.trial import GaitEvent, Trial

DATA = Path(__file__).parents[1].parent / "shared" / "data"
OVERGROUND = DATA / "c3d" / "ensink-overground" / "exampleOverground.c3d"
TRC = DATA / "opensim" / "Gait2354_Simbody" / "subject01_walk1.trc"
needs_data = pytest.mark.skipif(not OVERGROUND.is_file(), reason=f"shared data not at {DATA}")


def _assert_points_equal(a: dict, b: dict, atol: float) -> None:
    assert set(a) == set(b)
    for k, v in a.items():
        np.testing.assert_array_equal(np.isnan(b[k]), np.isnan(v), err_msg=k)
        np.testing.assert_allclose(b[k], v, atol=atol, err_msg=k)


@needs_data
def test_overground_round_trip(tmp_path):
    import ezc3d

    trial = read_c3d(OVERGROUND)
    assert trial.first_frame == 1 and trial.events  # the case that shifts times by a frame
    out = tmp_path / "overground.c3d"
    notes = write_c3d(trial, out)
    assert any("force plate" in n for n in notes)
    back = read_c3d(out)
    assert back.first_frame == trial.first_frame and back.rate == trial.rate
    assert back.labels == trial.labels
    _assert_points_equal(trial.points, back.points, 1e-4)
    _assert_points_equal(trial.model_outputs, back.model_outputs, 1e-4)
    assert [(e.side, e.type) for e in back.events] == [(e.side, e.type) for e in trial.events]
    np.testing.assert_allclose([e.time_s for e in back.events],
                               [e.time_s for e in trial.events], atol=1e-5)
    assert back.metadata["subject"] == trial.metadata["subject"]
    assert back.analog_rate == trial.analog_rate and set(back.analogs) == set(trial.analogs)
    raw = ezc3d.c3d(str(out))
    assert raw["header"]["points"]["first_frame"] == trial.first_frame
    assert list(raw["parameters"]["TRIAL"]["ACTUAL_START_FIELD"]["value"]) == [2, 0]
    assert list(raw["parameters"]["EVENT"]["CONTEXTS"]["value"])[:2] == ["Right", "Left"]
    assert list(raw["parameters"]["EVENT"]["LABELS"]["value"])[:2] == ["Foot Strike", "Foot Off"]


@needs_data
def test_trc_to_c3d_keeps_labels(tmp_path):
    trial = read_trc(TRC)
    out = tmp_path / "subject01.C3D"  # not a lower-case .c3d suffix: written all the same
    write_c3d(trial, out)
    back = read_c3d(out)
    assert back.n_frames == 151 and back.rate == 60.0 and back.first_frame == 0
    assert back.labels["R_HEEL"] == "R.Heel"
    _assert_points_equal(trial.points, back.points, 1e-4)


def test_synthetic_offset_events_and_gaps(tmp_path):
    n, first, rate = 120, 299, 120.0
    t = (np.arange(n) + first) / rate
    heel = np.column_stack([t, np.zeros(n), 0.05 + 0.02 * np.sin(t)])
    heel[30:40] = np.nan
    events = [GaitEvent(side="left", type="IC", time_s=2.6, method="zeni"),
              GaitEvent(side="right", type="FO", time_s=2.75125, method="zeni"),
              GaitEvent(side="left", type="FO", time_s=61.5, method="zeni")]  # minutes row
    trial = Trial(points={"L_HEEL": heel, "R_TOE": heel + 0.1}, rate=rate, first_frame=first,
                  labels={"L_HEEL": "LHEE", "R_TOE": "RTOE"}, events=events)
    out = tmp_path / "synthetic.c3d"
    assert write_c3d(trial, out) == []
    back = read_c3d(out)
    assert back.first_frame == first
    np.testing.assert_allclose(back.time, trial.time)
    _assert_points_equal(trial.points, back.points, 1e-4)
    assert [(e.side, e.type) for e in back.events] == [(e.side, e.type) for e in events]
    np.testing.assert_allclose([e.time_s for e in back.events], [2.6, 2.75125, 61.5], atol=1e-5)


def test_rejects_image_points(tmp_path):
    trial = Trial(points={"nose": np.zeros((5, 2))}, rate=30.0)
    with pytest.raises(GroundupError, match="3-D"):
        write_c3d(trial, tmp_path / "x.c3d")
    with pytest.raises(GroundupError, match="no frames"):
        write_c3d(Trial(points={}, rate=30.0), tmp_path / "y.c3d")
