"""Spatio-temporal parameters against the files' own Vicon ANALYSIS values (same events)."""

from __future__ import annotations

import pytest

from groundup.gait.geometry import walking_frame
from groundup.gait.spatiotemporal import stride_table, summarise
from groundup.motion.c3d import read_c3d
from tests.conftest import data_file


def _analysis(trial, name, context):
    return next(a["value"] for a in trial.metadata["analysis"]
                if a["name"] == name and a["context"] == context)


@pytest.fixture(scope="module")
def pig_nz():
    trial = read_c3d(data_file("c3d/c3dorg/sample03/gait-pig-nz.c3d"))
    strides = stride_table(trial, trial.events, walking_frame(trial))
    return trial, strides


@pytest.mark.parametrize("side, context", [("left", "Left"), ("right", "Right")])
def test_against_vicon_analysis(pig_nz, side, context):
    trial, strides = pig_nz
    row = strides[strides.side == side].iloc[0]
    assert row.stride_time_s == pytest.approx(_analysis(trial, "Stride Time", context), abs=1e-4)
    assert row.step_time_s == pytest.approx(_analysis(trial, "Step Time", context), abs=1e-4)
    assert row.stance_pct == pytest.approx(_analysis(trial, "Foot Off", context), abs=0.05)
    ds_s = row.double_support_pct / 100 * row.stride_time_s
    assert ds_s == pytest.approx(_analysis(trial, "Double Support", context), abs=1e-3)
    assert row.stride_length_m == pytest.approx(_analysis(trial, "Stride Length", context),
                                                abs=0.005)
    assert row.step_length_m == pytest.approx(_analysis(trial, "Step Length", context),
                                              abs=0.01)
    assert row.speed_m_s == pytest.approx(_analysis(trial, "Walking Speed", context), abs=0.01)
    assert row.cadence_steps_min == pytest.approx(_analysis(trial, "Cadence", context), abs=0.1)


def test_example_overground_published_values():
    # SOURCE.md: Vicon ANALYSIS cadence 123.0, speed 0.987 m/s, stride 0.962 m.
    trial = read_c3d(data_file("c3d/ensink-overground/exampleOverground.c3d"))
    s = summarise(stride_table(trial, trial.events, walking_frame(trial)))
    assert s["cadence_steps_min"] == pytest.approx(123.0, abs=1.0)
    assert s["speed_m_s"] == pytest.approx(0.987, abs=0.02)
    assert s["right"]["stride_length_m"] == pytest.approx(0.962, abs=0.01)
