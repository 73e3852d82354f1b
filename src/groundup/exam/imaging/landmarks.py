"""Landmarks supplied in a file (instead of clicked in a viewer) -> measurement findings.

File format (YAML or JSON), one image per file:

.. code-block:: yaml

    study: xray_pelvis_ap          # imaging.<study>.<measure> finding codes
    side: right                    # optional: the foot of a lateral foot film
    spacing_mm: [0.5, 0.25]        # (row, column) mm per pixel; or take it from the DICOM
    landmarks:                     # (x, y) = (column, row) in pixels, y down
      left_femoral_head: [120, 410]
      right_femoral_head: [380, 400]

Each measurement is computed when all its landmarks are present (:data:`MEASURES`); a
measurement with only some of its landmarks, an unknown landmark name or a bad coordinate is
reported by name, and the other measurements are still computed (nothing entered is lost).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from groundup.errors import GroundupError
from groundup.exam.common import suggest
from groundup.exam.imaging import measure as m

#: measure id -> (landmark names, function, unit)
MEASURES: dict[str, tuple[tuple[str, ...], Any, str]] = {
    "leg_length_difference_mm": (("left_femoral_head", "right_femoral_head"), None, "mm"),
    "scoliosis_cobb_deg": (("cobb_upper_1", "cobb_upper_2", "cobb_lower_1", "cobb_lower_2"),
                           lambda p, s: m.cobb_angle((p[0], p[1]), (p[2], p[3]), spacing_mm=s),
                           "deg"),
    "lordosis_l1_s1_deg": (("l1_superior_1", "l1_superior_2", "s1_superior_1", "s1_superior_2"),
                           lambda p, s: m.cobb_angle((p[0], p[1]), (p[2], p[3]), spacing_mm=s),
                           "deg"),
    "calcaneal_pitch_deg": (("calcaneus_plantar_posterior", "calcaneus_plantar_anterior",
                             "floor_a", "floor_b"),
                            lambda p, s: m.calcaneal_pitch(*p, spacing_mm=s), "deg"),
    "meary_angle_deg": (("talus_posterior", "talus_anterior", "mt1_proximal", "mt1_distal"),
                        None, "deg"),
}
KNOWN = sorted({n for names, _, _ in MEASURES.values() for n in names})


class LandmarkError(GroundupError):
    """A landmark file that cannot be read at all (the per-measure problems are returned)."""


def load_landmarks(path: str | Path) -> dict:
    """Read a landmark file (format in the module docstring)."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LandmarkError(f"cannot read landmark file {path.name}: {exc.strerror}") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise LandmarkError(f"landmark file {path.name} is not valid YAML/JSON") from exc
    if not isinstance(data, dict) or not isinstance(data.get("landmarks"), dict):
        raise LandmarkError(f"landmark file {path.name} needs a mapping 'landmarks: {{name: "
                            "[x, y]}}'")
    if not isinstance(data.get("study"), str):
        raise LandmarkError(f"landmark file {path.name} needs 'study' (e.g. xray_pelvis_ap)")
    return data


def measure_landmarks(data: dict, *, spacing_mm=None, provenance: dict | None = None
                      ) -> tuple[list, list[str]]:
    """Every measurement the landmarks allow, as findings, plus one message per problem.

    Parameters
    ----------
    data
        A parsed landmark file (:func:`load_landmarks`).
    spacing_mm
        ``(row_mm, col_mm)`` from the DICOM (:class:`~groundup.exam.imaging.dicom.DicomImage`);
        overrides the file's ``spacing_mm``. Angles need no spacing when pixels are square.

    Returns
    -------
    (list of Finding, list of str)
        ``imaging.<study>.<measure>`` findings and the problems (landmark or measure named).
    """
    points, problems, findings = dict(data["landmarks"]), [], []
    for name in points:
        if name not in KNOWN:
            problems.append(f"landmarks.{name}: unknown landmark{suggest(name, KNOWN)}")
    spacing = spacing_mm if spacing_mm is not None else data.get("spacing_mm")
    prov = {"landmarks": "file", "spacing_source": "dicom" if spacing_mm is not None
            else ("file" if spacing is not None else "none"), **(provenance or {})}
    study, side = data["study"], data.get("side", "none")
    for measure, (names, fn, unit) in MEASURES.items():
        have = [n for n in names if n in points]
        if not have:
            continue
        if len(have) < len(names):
            problems.append(f"{measure}: landmark(s) {[n for n in names if n not in points]} "
                            "missing")
            continue
        p = [points[n] for n in names]
        try:
            if measure == "leg_length_difference_mm":
                r = m.leg_length_difference(*p, spacing_mm=spacing)
                findings.append(m.measurement_finding(
                    study, measure, r["difference_mm"], unit=unit, side=r["short_side"] or "none",
                    qualifiers={"pelvic_obliquity_deg": r["pelvic_obliquity_deg"]},
                    provenance=prov))
            elif measure == "meary_angle_deg":
                r = m.meary_angle(*p, spacing_mm=spacing or (1.0, 1.0))
                findings.append(m.measurement_finding(
                    study, measure, r["angle_deg"], unit=unit, side=side,
                    qualifiers={"apex": r["apex"]}, provenance=prov))
            else:
                findings.append(m.measurement_finding(
                    study, measure, fn(p, spacing or (1.0, 1.0)), unit=unit, side=side,
                    provenance=prov))
        except GroundupError as exc:
            problems.append(f"{measure}: {exc.message}")
    return findings, problems
