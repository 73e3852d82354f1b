"""Radiographic measurements from landmarks placed on an image (pixel coordinates).

Landmarks are ``(x, y)`` = (column, row) in pixels, as a viewer reports them (y grows downward);
``spacing_mm`` is ``(row_spacing, column_spacing)`` from the DICOM header
(:class:`~groundup.exam.imaging.dicom.DicomImage`). Angles are in degrees, lengths in mm.
Landmark names carry the patient's anatomical side, so the radiological display convention
(patient's right on the viewer's left) cannot swap sides.

Reference bands for these angles are **not in the research pack** (../shared/knowledge); the
values quoted below are common textbook figures marked UNVERIFIED and are only attached as
``interpretation`` with ``verified: False``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from groundup.errors import GroundupError

Point = Sequence[float]

#: UNVERIFIED textbook bands (not in ../shared/knowledge)
BANDS = {
    "calcaneal_pitch_deg": "about 17-32 deg typical; below about 17 deg suggests a low arch "
                           "(textbook figure, UNVERIFIED)",
    "meary_angle_deg": "0 +/- 4 deg typical; apex plantar > 4 deg suggests pes planus "
                       "(textbook figure, UNVERIFIED)",
    "scoliosis_cobb_deg": ">= 10 deg is the usual definition of scoliosis (textbook, UNVERIFIED)",
    "lordosis_l1_s1_deg": "wide normal range, roughly 40-60 deg (textbook, UNVERIFIED)",
}


def _check(points: dict[str, Point], spacing_mm: Sequence[float] | None) -> tuple[float, float]:
    for name, p in points.items():
        if (not isinstance(p, Sequence) or len(p) != 2
                or not all(isinstance(c, int | float) and math.isfinite(c) for c in p)):
            raise GroundupError(f"landmark {name!r} must be (x, y) in pixels, not {p!r}")
    if spacing_mm is None:
        raise GroundupError("the image has no pixel spacing, so lengths cannot be measured",
                            hint="angles still work; give spacing_mm=(row_mm, col_mm) if known")
    row, col = (float(s) for s in spacing_mm)
    if not (row > 0 and col > 0):
        raise GroundupError(f"pixel spacing {spacing_mm!r} must be positive (mm per pixel)")
    return row, col


def _mm(p: Point, spacing: tuple[float, float]) -> tuple[float, float]:
    """(x, y) in mm with y pointing UP (image rows grow downward)."""
    return p[0] * spacing[1], -p[1] * spacing[0]


def _line_angle(a: Point, b: Point, spacing: tuple[float, float], name: str) -> float:
    (ax, ay), (bx, by) = _mm(a, spacing), _mm(b, spacing)
    if ax == bx and ay == by:
        raise GroundupError(f"the two landmarks of {name} are the same point")
    return math.degrees(math.atan2(by - ay, bx - ax))


def angle_between_lines(line1: tuple[Point, Point], line2: tuple[Point, Point], *,
                        spacing_mm: Sequence[float] = (1.0, 1.0), names=("line 1", "line 2")
                        ) -> float:
    """Acute angle (0-90 deg) between two lines, each given by two landmarks.

    Non-square pixels are handled by converting to mm first (``spacing_mm`` only matters for
    its row/column ratio).
    """
    spacing = _check({f"{names[0]} point {i}": p for i, p in enumerate(line1)}
                     | {f"{names[1]} point {i}": p for i, p in enumerate(line2)}, spacing_mm)
    d = abs(_line_angle(*line1, spacing, names[0]) - _line_angle(*line2, spacing, names[1]))
    d = d % 180.0
    return round(min(d, 180.0 - d), 2)


def cobb_angle(upper_endplate: tuple[Point, Point], lower_endplate: tuple[Point, Point], *,
               spacing_mm: Sequence[float] = (1.0, 1.0)) -> float:
    """Cobb angle (deg): angle between the two endplate lines.

    Scoliosis (AP view): superior endplate of the upper end vertebra and inferior endplate of the
    lower end vertebra. Lumbar lordosis L1-S1 (lateral view): superior endplates of L1 and S1.
    """
    return angle_between_lines(upper_endplate, lower_endplate, spacing_mm=spacing_mm,
                               names=("upper endplate", "lower endplate"))


def leg_length_difference(left_femoral_head: Point, right_femoral_head: Point, *,
                          spacing_mm: Sequence[float] | None) -> dict:
    """Leg-length difference from femoral-head heights on a standing AP pelvis.

    Parameters
    ----------
    left_femoral_head, right_femoral_head
        Top of each femoral head (x, y) in pixels.
    spacing_mm
        ``(row_mm, col_mm)``. With ``ImagerPixelSpacing`` the result includes the radiographic
        magnification (typically ~10-15% at the pelvis, UNVERIFIED).

    Returns
    -------
    dict
        ``difference_mm`` (vertical height difference, >= 0), ``short_side`` (the lower femoral
        head, or ``None`` if level) and ``pelvic_obliquity_deg`` (tilt of the line joining the
        two heads from horizontal, >= 0) with ``low_side``.
    """
    spacing = _check({"left_femoral_head": left_femoral_head,
                      "right_femoral_head": right_femoral_head}, spacing_mm)
    (lx, ly), (rx, ry) = _mm(left_femoral_head, spacing), _mm(right_femoral_head, spacing)
    if lx == rx:
        raise GroundupError("left and right femoral heads have the same x position")
    diff = abs(ly - ry)
    short = None if diff == 0 else ("left" if ly < ry else "right")
    obliquity = math.degrees(math.atan2(diff, abs(lx - rx)))
    return {"difference_mm": round(diff, 2), "short_side": short,
            "pelvic_obliquity_deg": round(obliquity, 2), "low_side": short}


def calcaneal_pitch(calcaneus_plantar_posterior: Point, calcaneus_plantar_anterior: Point,
                    floor_a: Point, floor_b: Point, *,
                    spacing_mm: Sequence[float] = (1.0, 1.0)) -> float:
    """Calcaneal pitch (deg) on a lateral weight-bearing foot radiograph.

    Angle between the calcaneal inclination line (plantar tuberosity to the inferior point of the
    calcaneocuboid joint) and the supporting surface (two points on the floor line, or the
    tuberosity and the fifth metatarsal head).
    """
    return angle_between_lines((calcaneus_plantar_posterior, calcaneus_plantar_anterior),
                               (floor_a, floor_b), spacing_mm=spacing_mm,
                               names=("calcaneal inclination line", "floor line"))


def meary_angle(talus_posterior: Point, talus_anterior: Point, mt1_proximal: Point,
                mt1_distal: Point, *, spacing_mm: Sequence[float] = (1.0, 1.0)) -> dict:
    """Meary's (lateral talus-first metatarsal) angle on a lateral weight-bearing radiograph.

    Returns
    -------
    dict
        ``angle_deg`` (>= 0) and ``apex``: ``"plantar"`` when the first metatarsal axis points
        more dorsally than the talar axis (sag at the midfoot, pes planus pattern), ``"dorsal"``
        for the opposite (cavus pattern), ``None`` when collinear.
    """
    spacing = _check({"talus_posterior": talus_posterior, "talus_anterior": talus_anterior,
                      "mt1_proximal": mt1_proximal, "mt1_distal": mt1_distal}, spacing_mm)
    t0, t1 = _mm(talus_posterior, spacing), _mm(talus_anterior, spacing)
    m0, m1 = _mm(mt1_proximal, spacing), _mm(mt1_distal, spacing)
    forward = 1.0 if m1[0] >= t0[0] else -1.0  # toes to the right or to the left of the image

    def elevation(a, b, name):
        dx, dy = (b[0] - a[0]) * forward, b[1] - a[1]
        if dx == 0 and dy == 0:
            raise GroundupError(f"the two landmarks of the {name} axis are the same point")
        return math.degrees(math.atan2(dy, dx))

    diff = elevation(m0, m1, "first metatarsal") - elevation(t0, t1, "talus")
    apex = None if abs(diff) < 1e-9 else ("plantar" if diff > 0 else "dorsal")
    return {"angle_deg": round(abs(diff), 2), "apex": apex}


def measurement_finding(study: str, measure: str, value: float | str, *, unit: str | None,
                        side: str = "none", qualifiers: dict | None = None,
                        provenance: dict | None = None):
    """A :class:`~groundup.findings.Finding` ``imaging.<study>.<measure>`` for a measurement.

    ``provenance`` should say how the landmarks were placed and where the spacing came from
    (e.g. ``{"spacing_source": "ImagerPixelSpacing", "landmarks": "clinician"}``).
    """
    from groundup.exam.common import Builder

    b = Builder(source="imaging", provenance=dict(provenance or {}))
    band = BANDS.get(measure)
    return b.add(f"imaging.{study}.{measure}", value, unit=unit, side=side, confidence="moderate",
                 qualifiers=qualifiers,
                 interpretation={"reference": band, "verified": False} if band else None)
