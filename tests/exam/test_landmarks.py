"""Landmarks supplied in a file, with the pixel spacing of a constructed DICOM of known geometry."""

from __future__ import annotations

import math

import pytest
import yaml

from groundup.exam.imaging.dicom import read_dicom
from groundup.exam.imaging.landmarks import LandmarkError, load_landmarks, measure_landmarks
from tests.exam.test_imaging import _markers, _write


def test_landmark_file_with_dicom_spacing(tmp_path):
    img = read_dicom(_write(tmp_path / "pelvis.dcm", _markers((400, 300), [(100, 300)]),
                            spacing=(0.5, 0.25)))
    path = tmp_path / "landmarks.yaml"
    path.write_text(yaml.safe_dump({"study": "xray_pelvis_ap", "landmarks": {
        "left_femoral_head": [100, 300], "right_femoral_head": [260, 280],
        "cobb_upper_1": [0, 100], "cobb_upper_2": [100, 100],
        "cobb_lower_1": [0, 200], "cobb_lower_2": [100, 100],
        "talus_posterior": [1, 2], "femoral_head_left": [1, 1]}}))
    findings, problems = measure_landmarks(load_landmarks(path), spacing_mm=img.spacing_mm)
    got = {f.code: f for f in findings}
    lld = got["imaging.xray_pelvis_ap.leg_length_difference_mm"]
    # 20 rows x 0.5 mm = 10 mm; the left head is lower (larger row) -> left short
    assert (lld.value, lld.side, lld.unit) == (10.0, "left", "mm")
    assert lld.qualifiers["pelvic_obliquity_deg"] == pytest.approx(
        math.degrees(math.atan(10 / 40)), abs=0.01)  # 160 columns x 0.25 mm = 40 mm
    assert lld.provenance["spacing_source"] == "dicom"
    # lower line: 25 mm across, 50 mm up -> atan(2) = 63.43 deg against a horizontal upper line
    assert got["imaging.xray_pelvis_ap.scoliosis_cobb_deg"].value == pytest.approx(63.43,
                                                                                  abs=0.01)
    assert any(p.startswith("meary_angle_deg: landmark(s)") for p in problems)
    assert any("landmarks.femoral_head_left: unknown landmark" in p for p in problems)


def test_landmark_file_without_spacing_keeps_the_angles(tmp_path):
    data = {"study": "xray_foot_weight_bearing", "side": "right", "landmarks": {
        "left_femoral_head": [100, 300], "right_femoral_head": [260, 280],
        "calcaneus_plantar_posterior": [0, 100], "calcaneus_plantar_anterior": [100, 80],
        "floor_a": [0, 100], "floor_b": [200, 100]}}
    findings, problems = measure_landmarks(data)
    (pitch,) = findings
    assert pitch.value == pytest.approx(math.degrees(math.atan(20 / 100)), abs=0.01)  # 11.31
    assert pitch.side == "right" and pitch.interpretation["verified"] is False
    assert problems == ["leg_length_difference_mm: the image has no pixel spacing, so lengths "
                        "cannot be measured"]


def test_bad_landmark_files(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("study: x\nlandmarks: [1, 2]\n")
    with pytest.raises(LandmarkError, match="needs a mapping"):
        load_landmarks(bad)
    bad.write_text("landmarks: {a: [1, 2]\n")
    with pytest.raises(LandmarkError, match="not valid YAML"):
        load_landmarks(bad)
    with pytest.raises(LandmarkError, match="cannot read"):
        load_landmarks(tmp_path / "absent.yaml")
    _, problems = measure_landmarks({"study": "xray_pelvis_ap", "landmarks": {
        "left_femoral_head": ["a", 3], "right_femoral_head": [1, 2]}}, spacing_mm=(1, 1))
    assert problems == ["leg_length_difference_mm: landmark 'left_femoral_head' must be (x, y) "
                        "in pixels, not ['a', 3]"]
