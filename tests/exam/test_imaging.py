"""DICOM import and landmark measurements on constructed images of known geometry and on
pydicom's bundled sample files; structured MRI findings."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

from groundup.errors import GroundupError
from groundup.exam.common import Builder
from groundup.exam.imaging.dicom import DicomError, display_window, read_dicom
from groundup.exam.imaging.measure import (
    calcaneal_pitch,
    cobb_angle,
    leg_length_difference,
    meary_angle,
    measurement_finding,
)
from groundup.exam.imaging.mri import imaging_findings


def _write(path, pixels, *, spacing=(0.5, 0.25), attr="PixelSpacing", name="Doe^Jane"):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.1.1"  # digital X-ray
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.PatientName, ds.PatientID = name, "ID-12345"
    ds.Modality, ds.BodyPartExamined = "DX", "PELVIS"
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Rows, ds.Columns = pixels.shape
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    if spacing is not None:
        setattr(ds, attr, [str(spacing[0]), str(spacing[1])])
    ds.PixelData = pixels.astype(np.uint16).tobytes()
    ds.save_as(path, enforce_file_format=True)
    return path


def _markers(shape, points):
    img = np.full(shape, 100, dtype=np.uint16)
    for x, y in points:
        img[y - 1:y + 2, x - 1:x + 2] = 4000
    return img


def _centroids(pixels, n):
    """Centroids (x, y) of the bright markers, left to right."""
    ys, xs = np.nonzero(pixels > 2000)
    pts = sorted(zip(xs.tolist(), ys.tolist(), strict=True))
    groups: list[list[tuple[int, int]]] = []
    for p in pts:
        if groups and abs(p[0] - groups[-1][-1][0]) <= 2:
            groups[-1].append(p)
        else:
            groups.append([p])
    assert len(groups) == n
    return [(float(np.mean([g[0] for g in grp])), float(np.mean([g[1] for g in grp])))
            for grp in groups]


def test_constructed_ap_pelvis_leg_length(tmp_path):
    # patient's right femoral head on the viewer's left (x=100), 24 rows lower than the left
    right, left = (100, 424), (300, 400)
    path = _write(tmp_path / "pelvis.dcm", _markers((600, 400), [right, left]))
    img = read_dicom(path)
    assert img.shape == (600, 400)
    assert img.spacing_mm == (0.5, 0.25) and img.spacing_source == "PixelSpacing"
    found_right, found_left = _centroids(img.pixels, 2)
    assert found_right == right and found_left == left  # rows/columns not swapped
    r = leg_length_difference(found_left, found_right, spacing_mm=img.spacing_mm)
    assert r["difference_mm"] == 12.0  # 24 rows x 0.5 mm
    assert r["short_side"] == "right"
    # 200 columns x 0.25 mm = 50 mm apart -> atan(12 / 50)
    assert r["pelvic_obliquity_deg"] == pytest.approx(math.degrees(math.atan(12 / 50)), abs=0.01)


def test_metadata_has_no_identifiers_and_errors_do_not_leak_them(tmp_path):
    img = read_dicom(_write(tmp_path / "a.dcm", _markers((50, 60), [(10, 10)])))
    assert "PatientName" not in img.metadata and "PatientID" not in img.metadata
    assert img.metadata["Modality"] == "DX"
    bad = _write(tmp_path / "b.dcm", _markers((50, 60), [(10, 10)]), spacing=(0.0, 0.2))
    with pytest.raises(DicomError) as err:
        read_dicom(bad)
    assert "not plausible" in str(err.value)
    assert "Doe" not in str(err.value) and "12345" not in str(err.value)


def test_imager_pixel_spacing_is_reported(tmp_path):
    img = read_dicom(_write(tmp_path / "c.dcm", _markers((50, 60), [(10, 10)]),
                            spacing=(0.143, 0.143), attr="ImagerPixelSpacing"))
    assert img.spacing_source == "ImagerPixelSpacing" and img.spacing_mm == (0.143, 0.143)
    none = read_dicom(_write(tmp_path / "d.dcm", _markers((50, 60), [(10, 10)]), spacing=None))
    assert none.spacing_mm is None
    with pytest.raises(GroundupError, match="no pixel spacing"):
        leg_length_difference((1, 2), (30, 4), spacing_mm=none.spacing_mm)


def test_bundled_ct_sample():
    path = get_testdata_file("CT_small.dcm", download=False)
    if path is None:
        pytest.skip("pydicom sample CT_small.dcm not bundled")
    img = read_dicom(path)
    assert img.shape == (128, 128)
    assert img.spacing_mm == pytest.approx((0.661468, 0.661468))
    assert img.metadata["Modality"] == "CT"
    assert "PatientName" not in img.metadata
    # 30 rows at 0.661468 mm between two landmarks 40 columns apart
    r = leg_length_difference((90, 40), (50, 70), spacing_mm=img.spacing_mm)
    assert r["difference_mm"] == pytest.approx(30 * 0.661468, abs=0.01)
    assert r["short_side"] == "right"
    assert r["pelvic_obliquity_deg"] == pytest.approx(math.degrees(math.atan(30 / 40)), abs=0.01)
    shown = display_window(img.pixels)
    assert shown.dtype == np.uint8 and shown.min() == 0 and shown.max() == 255


def test_bundled_non_image_and_truncated_files():
    for name in ("test-SR.dcm", "rtplan.dcm"):
        path = get_testdata_file(name, download=False)
        if path is None:
            pytest.skip(f"pydicom sample {name} not bundled")
        with pytest.raises(DicomError, match="holds no image"):
            read_dicom(path)
    path = get_testdata_file("MR_truncated.dcm", download=False)
    if path is None:
        pytest.skip("pydicom sample MR_truncated.dcm not bundled")
    with pytest.raises(DicomError, match="pixel data cannot be decoded"):
        read_dicom(path)


def test_not_dicom_huge_and_missing(tmp_path):
    txt = tmp_path / "notes.dcm"
    txt.write_text("this is not a DICOM file" * 20)
    with pytest.raises(DicomError, match="is not a DICOM file"):
        read_dicom(txt)
    big = _write(tmp_path / "big.dcm", _markers((200, 200), [(10, 10)]))
    with pytest.raises(DicomError, match="above the"):
        read_dicom(big, max_bytes=10_000)
    with pytest.raises(DicomError, match="cannot open"):
        read_dicom(tmp_path / "absent.dcm")
    garbage = tmp_path / "garbage.dcm"
    garbage.write_bytes(b"\0" * 128 + b"DICM" + b"\xff" * 64)
    with pytest.raises(DicomError, match="malformed"):
        read_dicom(garbage)


def _rot(origin, length, angle_deg, spacing=(1.0, 1.0)):
    """A point `length` mm from origin (pixels) at angle (deg, y up), in pixels."""
    a = math.radians(angle_deg)
    return (origin[0] + length * math.cos(a) / spacing[1],
            origin[1] - length * math.sin(a) / spacing[0])


def test_cobb_angle_known_geometry_non_square_pixels():
    sp = (0.5, 0.25)
    upper = ((100, 100), _rot((100, 100), 40, 20, sp))    # endplate tilted +20 deg
    lower = ((100, 400), _rot((100, 400), 40, -25, sp))   # endplate tilted -25 deg
    assert cobb_angle(upper, lower, spacing_mm=sp) == pytest.approx(45.0, abs=0.01)
    # lordosis L1-S1 of 52 deg
    l1 = ((50, 50), _rot((50, 50), 40, -10))
    s1 = ((50, 300), _rot((50, 300), 40, 42))
    assert cobb_angle(l1, s1) == pytest.approx(52.0, abs=0.01)
    with pytest.raises(GroundupError, match="same point"):
        cobb_angle(((1, 1), (1, 1)), lower)


def test_calcaneal_pitch_and_meary_angle():
    floor = ((0, 500), (400, 500))
    tub = (50, 500)
    assert calcaneal_pitch(tub, _rot(tub, 60, 18), *floor) == pytest.approx(18.0, abs=0.01)
    # toes to the right: talus axis 25 deg down, MT1 axis 11 deg down -> 14 deg, apex plantar
    talus0 = (150, 300)
    talus1 = _rot(talus0, 50, -25)
    mt0 = (260, 360)
    flat = meary_angle(talus0, talus1, mt0, _rot(mt0, 60, -11))
    assert flat == {"angle_deg": pytest.approx(14.0, abs=0.01), "apex": "plantar"}
    cavus = meary_angle(talus0, talus1, mt0, _rot(mt0, 60, -35))
    assert cavus == {"angle_deg": pytest.approx(10.0, abs=0.01), "apex": "dorsal"}
    # the same flat foot mirrored (toes to the left) gives the same answer
    mirror = meary_angle((-talus0[0], talus0[1]), (-talus1[0], talus1[1]),
                         (-mt0[0], mt0[1]), (-_rot(mt0, 60, -11)[0], _rot(mt0, 60, -11)[1]))
    assert mirror == {"angle_deg": pytest.approx(14.0, abs=0.01), "apex": "plantar"}
    with pytest.raises(GroundupError, match="landmark 'talus_posterior'"):
        meary_angle((1,), talus1, mt0, mt0)


def test_measurement_finding():
    f = measurement_finding("xray_foot_weight_bearing", "meary_angle_deg", 14.0, unit="deg",
                            side="left", qualifiers={"apex": "plantar"},
                            provenance={"spacing_source": "ImagerPixelSpacing"})
    assert f.code == "imaging.xray_foot_weight_bearing.meary_angle_deg"
    assert f.display == "Meary's angle (talus-first metatarsal)"
    assert f.interpretation["verified"] is False and f.source == "imaging"
    assert f.provenance["spacing_source"] == "ImagerPixelSpacing"


def test_structured_mri_findings_and_bad_levels():
    b = Builder(source="imaging")
    imaging_findings({"mri_lumbar": {"weeks_ago": 3, "findings": [
        {"level": "L4-L5", "type": "extrusion", "position": "left_paracentral",
         "root_compressed": "L5", "side": "left", "modic": 1},
        {"level": "L3-L4", "type": "stenosis", "stenosis_grade": "moderate", "side": "central"},
        {"level": "L6-S1", "type": "protrusion"},
        {"level": "L5-S1", "type": "protrusion", "stenosis_grade": "huge"}]},
        "ultrasound_plantar_fascia": {"thickness_mm": {"left": 5.6, "right": 3.4}},
        "ct_head": {}}, b)
    disc, sten = b.findings[0], b.findings[1]
    assert disc.code == "imaging.mri_lumbar.disc" and disc.side == "left"
    assert disc.qualifiers == {"level": "L4-L5", "position": "left_paracentral",
                               "root_contact": "L5", "modic": 1, "weeks_ago": 3,
                               "herniation_type": "extrusion"}
    assert sten.code == "imaging.mri_lumbar.stenosis" and sten.qualifiers["stenosis_grade"] == \
        "moderate"
    thick = {f.side: f.interpretation["flag"] for f in b.findings
             if f.code.endswith("thickness_mm")}
    assert thick == {"left": "thickened", "right": "normal"}
    assert {p.field for p in b.problems} == {"imaging.mri_lumbar.findings[2].level",
                                             "imaging.mri_lumbar.findings[3].stenosis_grade",
                                             "imaging.ct_head"}
