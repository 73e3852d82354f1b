"""OpenSim TRC/MOT/GRF reading and TRC writing, checked against the files' own text."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from groundup.errors import RecordingError
from groundup.motion.grf import grf_body_hints, grf_force_plates, grf_side_hint, read_trc_with_grf
from groundup.motion.mot import read_mot
from groundup.motion.trc import read_trc, write_trc

DATA = Path(__file__).parents[1].parent / "shared" / "data"
OS = DATA / "opensim"
GAIT = OS / "Gait2354_Simbody"
RAJ = OS / "Rajagopal_walk"
pytestmark = pytest.mark.skipif(not OS.is_dir(), reason=f"shared data not found at {OS}")


def _text_row(path: Path, line_index: int) -> list[str]:
    return path.read_text().splitlines()[line_index].split("\t")


def _onsets(fz: np.ndarray, t: np.ndarray, thr: float = 20.0) -> np.ndarray:
    d = np.diff((fz > thr).astype(int))
    return t[1:][d == 1]


def _gold_ic(name: str) -> list[dict]:
    gold = json.loads((DATA / "gold" / name).read_text())
    return [e for e in gold["events"] if e["type"] == "IC" and e["plate_confirmed"]]


def test_subject01_trc_shape_labels_and_values():
    path = GAIT / "subject01_walk1.trc"
    trial = read_trc(path)
    assert (trial.n_frames, trial.rate, len(trial.points)) == (151, 60.0, 41)
    assert trial.first_frame == 0 and trial.time[-1] == pytest.approx(2.5)
    assert trial.labels["R_HEEL"] == "R.Heel" and trial.labels["SACRUM"] == "V.Sacral"
    assert trial.vertical_axis == 1 and trial.metadata["source"] == "trc"
    assert trial.metadata["units_in_file"] == "mm" and trial.metadata["warnings"] == []
    row = _text_row(path, 6)  # first data line: Frame#, Time, R.ASIS X Y Z, ...
    assert row[0] == "1"
    expected = np.array([float(v) for v in row[2:5]]) / 1000.0
    np.testing.assert_allclose(trial.points["R_ASIS"][0], expected, atol=1e-12)
    heel = 2 + 3 * 15  # R.Heel is the 16th marker on line 4
    assert _text_row(path, 3)[heel] == "R.Heel"
    np.testing.assert_allclose(trial.points["R_HEEL"][0],
                               np.array([float(v) for v in row[heel:heel + 3]]) / 1000.0)


def test_rajagopal_trc_padded_header():
    path = RAJ / "motion_capture_walk.trc"
    trial = read_trc(path)
    assert (trial.n_frames, trial.rate, len(trial.points)) == (238, 100.0, 41)
    assert trial.labels["SACRUM"] == "S2" and trial.labels["L_TOE"] == "L.Toe"
    last = _text_row(path, 5 + 238)
    assert last[0] == "238"
    assert trial.time[-1] == pytest.approx(float(last[1]))
    np.testing.assert_allclose(trial.points["R_SHOULDER"][-1],
                               np.array([float(v) for v in last[2:5]]) / 1000.0)


def test_mot_ik_attrs_and_values():
    path = GAIT / "subject01_walk1_ik.mot"
    df = read_mot(path)
    assert df.shape == (73, 24) and df.attrs["inDegrees"] is True
    lines = path.read_text().splitlines()
    names = lines[10].split("\t")
    first = [float(v) for v in lines[11].split("\t")]
    assert list(df.columns) == names
    assert df["time"].iloc[0] == pytest.approx(0.4)
    assert df["knee_angle_r"].iloc[0] == pytest.approx(first[names.index("knee_angle_r")])
    assert df["knee_angle_r"].min() < -60  # OpenSim: knee flexion is negative
    assert read_mot(RAJ / "grf_walk.mot").attrs["inDegrees"] is False


def test_subject01_grf_plates_and_contacts_match_gold():
    df = read_mot(GAIT / "subject01_walk1_grf.mot")
    plates = {p.name: p for p in grf_force_plates(df)}
    assert set(plates) == {"ground_force", "1_ground_force"}
    hints = grf_body_hints(GAIT / "subject01_walk1_grf.xml")
    assert hints == {"ground_force": "right", "1_ground_force": "left"}
    by_side = {hints[n]: p for n, p in plates.items()}
    for p in plates.values():
        assert p.rate == pytest.approx(600.0)  # 1501 samples over 2.5 s (time rounded to 0.1 ms)
        assert np.isnan(p.corners).all() and p.corners.shape == (4, 3)
        assert np.max(p.force[:, 1]) > 500.0  # Y is vertical in OpenSim
        np.testing.assert_allclose(p.vertical_force, p.force[:, 1])
        loaded = p.force[:, 1] > 20
        assert np.isfinite(p.cop[loaded]).all()
    ics = _gold_ic("subject01_walk1.json")
    assert len(ics) >= 3
    for e in ics:
        p = by_side["right" if e["side"] == "R" else "left"]
        on = _onsets(p.force[:, 1], p.time)
        assert np.min(np.abs(on - e["time"])) <= 1 / 60.0, e


def test_rajagopal_grf_names_sides_and_cop():
    plates = {p.name: p for p in grf_force_plates(read_mot(RAJ / "grf_walk.mot"))}
    assert set(plates) == {"ground_force_r", "ground_force_l"}
    assert {n: grf_side_hint(n) for n in plates} == {"ground_force_r": "right",
                                                    "ground_force_l": "left"}
    assert grf_side_hint("1_ground_force") is None and grf_side_hint("calcn_l") == "left"
    for p in plates.values():
        assert p.rate == pytest.approx(2000.0) and p.moment is not None
        # the file's COP runs to hundreds of metres when unloaded; it must be NaN there
        assert np.nanmax(np.abs(p.cop)) < 3.0
    for e in _gold_ic("Rajagopal_walk_motion_capture_walk.json"):
        p = plates["ground_force_r" if e["side"] == "R" else "ground_force_l"]
        assert np.min(np.abs(_onsets(p.force[:, 1], p.time) - e["time"])) <= 0.01, e


def test_read_trc_with_grf_finds_siblings():
    trial = read_trc_with_grf(GAIT / "subject01_walk1.trc")
    assert len(trial.force_plates) == 2
    assert trial.metadata["force_plate_sides"] == {"ground_force": "right",
                                                   "1_ground_force": "left"}
    assert trial.force_plates[0].first_time_s == 0.0
    raj = read_trc_with_grf(RAJ / "motion_capture_walk.trc")
    assert raj.metadata["grf_path"].endswith("grf_walk.mot")
    assert raj.metadata["force_plate_sides"] == {"ground_force_r": "right",
                                                 "ground_force_l": "left"}
    static = read_trc_with_grf(RAJ / "static_walk_1.trc")  # no grf_static... beside it
    assert static.force_plates == [] and "no GRF" in static.metadata["warnings"][-1]


def test_trc_round_trip(tmp_path):
    trial = read_trc(GAIT / "subject01_walk1.trc")
    out = tmp_path / "rt.trc"
    write_trc(trial, out)
    back = read_trc(out)
    assert back.labels == trial.labels and back.first_frame == trial.first_frame
    assert back.rate == trial.rate and back.metadata["warnings"] == []
    for k, v in trial.points.items():
        np.testing.assert_allclose(back.points[k], v, atol=1e-6)


def test_trc_round_trip_with_gaps_and_offset(tmp_path):
    trial = read_trc(GAIT / "subject01_walk1.trc")
    trial.first_frame = 49
    trial.points["L_TOE"][10:20] = np.nan
    trial.points["HEAD_TOP"][:] = np.nan  # the last marker: trailing empty cells
    out = tmp_path / "gaps.trc"
    write_trc(trial, out)
    row = out.read_text().splitlines()[6].split("\t")
    assert row[0] == "50" and float(row[1]) == pytest.approx(49 / 60)
    back = read_trc(out)
    assert back.first_frame == 49 and back.time[0] == pytest.approx(49 / 60)
    for k, v in trial.points.items():
        np.testing.assert_allclose(back.points[k], v, atol=1e-6)  # NaN where NaN
    assert np.isnan(back.points["HEAD_TOP"]).all()


def _edit(src: Path, dst: Path, fn) -> Path:
    dst.write_text("\n".join(fn(src.read_text().splitlines())) + "\n")
    return dst


def test_blank_cells_units_and_time_offset(tmp_path):
    src = GAIT / "subject01_walk1.trc"

    def blank_and_cm(lines):
        lines[2] = lines[2].replace("\tmm\t", "\tcm\t")
        cells = lines[6].split("\t")
        cells[2:5] = ["", "", ""]
        lines[6] = "\t".join(cells)
        return lines

    trial = read_trc(_edit(src, tmp_path / "b.trc", blank_and_cm))
    assert np.isnan(trial.points["R_ASIS"][0]).all()
    ref = read_trc(src)
    np.testing.assert_allclose(trial.points["L_ASIS"], ref.points["L_ASIS"] * 10.0)

    def shift(lines):  # Frame# kept at 1.., Time starting at 0.5 s
        for i in range(6, len(lines)):
            c = lines[i].split("\t")
            c[1] = f"{float(c[1]) + 0.5:.6f}"
            lines[i] = "\t".join(c)
        return lines

    shifted = read_trc(_edit(src, tmp_path / "s.trc", shift))
    assert shifted.first_frame == 30 and shifted.time[0] == pytest.approx(0.5)
    assert any("Time column sets" in w for w in shifted.metadata["warnings"])


def test_bad_trc_inputs(tmp_path):
    src = GAIT / "subject01_walk1.trc"
    truncated = _edit(src, tmp_path / "t.trc", lambda ls: ls[:80] + [ls[80][:40]])
    with pytest.raises(RecordingError, match="truncated"):
        read_trc(truncated)

    def wrong_count(lines):
        lines[2] = lines[2].replace("\t41\t", "\t40\t")
        return lines

    with pytest.raises(RecordingError, match="NumMarkers=40"):
        read_trc(_edit(src, tmp_path / "n.trc", wrong_count))
    (tmp_path / "e.trc").write_text("")
    with pytest.raises(RecordingError, match="empty"):
        read_trc(tmp_path / "e.trc")
    with pytest.raises(RecordingError, match="PathFileType"):
        read_trc(GAIT / "subject01_walk1_grf.mot")
    with pytest.raises(RecordingError, match="no such file"):
        read_trc(tmp_path / "missing.trc")
    with pytest.raises(RecordingError, match="endheader"):
        read_mot(src)
