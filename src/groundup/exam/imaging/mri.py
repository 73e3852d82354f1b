"""Structured radiology findings: MRI lumbar spine and the other studies of the case format.

MRI findings are coded ``imaging.mri_lumbar.<type>`` (``disc`` for herniation types) with
``level``, ``herniation_type``, ``position``, ``root_contact``, ``stenosis_grade``, ``modic`` in
``Finding.qualifiers`` (docs/finding-codes.md). An MRI finding alone never establishes cause:
the reasoning must check concordance with the clinical root (clinical-evidence.md §0, §2;
Brinjikji 2015: bulges in ~30% of asymptomatic 20-year-olds).
"""

from __future__ import annotations

from typing import Any

from groundup.exam.common import NOT_DONE, Builder, is_number, suggest
from groundup.exam.imaging.report_text import LLD_STUDIES, RULE, leg_length_from_report

STUDIES = ("mri_lumbar", "xray_foot", "xray_foot_weight_bearing", "ultrasound_plantar_fascia",
           "ultrasound_pt_tendon", "xray_pelvis_ap", "scanogram_long_leg")
LEVELS = ("L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1")
DISC_TYPES = ("bulge", "protrusion", "extrusion", "sequestration")
OTHER_TYPES = ("disc_degeneration", "facet_arthropathy", "stenosis", "modic", "spondylolisthesis",
               "annular_fissure")
ROOTS = ("L3", "L4", "L5", "S1", "none")
STENOSIS_GRADES = ("none", "mild", "moderate", "severe")
MODIC = (0, 1, 2, 3)
#: plantar fascia thickness above which plantar fasciitis is supported (single-centre study,
#: PMC7425221: Sn 0.96, Sp 1.00; normal 2-4 mm) - clinical-evidence.md §4
FASCIA_THICK_MM = 4.0


def mri_finding(entry: dict, path: str, b: Builder, effective_weeks: Any) -> None:
    """One structured MRI finding -> ``imaging.mri_lumbar.<disc|type>`` with qualifiers."""
    level, kind = entry.get("level"), entry.get("type")
    if level not in LEVELS:
        b.problem(f"{path}.level",
                  f"{level!r} is not one of {list(LEVELS)}{suggest(level, LEVELS)}")
        return
    if kind not in DISC_TYPES + OTHER_TYPES:
        b.problem(f"{path}.type", f"{kind!r} is not one of {list(DISC_TYPES + OTHER_TYPES)}")
        return
    root = entry.get("root_compressed", entry.get("root_contact"))
    if root is not None and root not in ROOTS:
        b.problem(f"{path}.root_compressed", f"{root!r} is not one of {list(ROOTS)}")
        return
    grade = entry.get("stenosis_grade")
    if grade is not None and grade not in STENOSIS_GRADES:
        b.problem(f"{path}.stenosis_grade", f"{grade!r} is not one of {list(STENOSIS_GRADES)}")
        return
    modic = entry.get("modic")
    if modic is not None and modic not in MODIC:
        b.problem(f"{path}.modic", f"{modic!r} is not a Modic type 0-3")
        return
    quals = {"level": level, "position": entry.get("position"),
             "root_contact": root if root is not None else None,
             "stenosis_grade": grade, "modic": modic, "weeks_ago": effective_weeks}
    if kind in DISC_TYPES:
        quals["herniation_type"] = kind
    code = "imaging.mri_lumbar.disc" if kind in DISC_TYPES else f"imaging.mri_lumbar.{kind}"
    b.add(code, kind, side=entry.get("side", "none"), source="imaging", confidence="high",
          display=f"Lumbar MRI: {kind.replace('_', ' ')} at {level}",
          qualifiers={k: v for k, v in quals.items() if v is not None}, field_path=path)


def _report_lld(study: str, report: str, weeks: Any, b: Builder) -> None:
    """``imaging.<study>.leg_length_difference_mm`` when the report states it (short side)."""
    from groundup.exam.exam_derived import LLD_SOURCE, lld_band

    lld = leg_length_from_report(report)
    if lld is None:
        return
    quals = {"basis": lld["basis"], "statement": lld["statement"], "derived_from": "free_text"}
    if weeks is not None:
        quals["weeks_ago"] = weeks
    b.add(f"imaging.{study}.leg_length_difference_mm", lld["mm"], unit="mm",
          side=lld["short_side"], source="imaging", confidence="moderate",
          display=f"Leg-length difference stated in the {study.replace('_', ' ')} report "
                  "(short side)", qualifiers=quals,
          interpretation={"band": lld_band(lld["mm"]), "source": LLD_SOURCE},
          field_path=f"imaging.{study}.report", provenance={"method": RULE})


def imaging_findings(imaging: Any, b: Builder) -> None:
    """Findings of a case ``imaging`` section (``{}`` = nothing imaged: no finding)."""
    if imaging in (None, {}):
        return
    if not isinstance(imaging, dict):
        b.problem("imaging", "must be a mapping of study -> details")
        return
    for study, details in imaging.items():
        path = f"imaging.{study}"
        if study not in STUDIES:
            b.problem(path, f"unknown imaging study{suggest(study, STUDIES)}")
            continue
        if details == NOT_DONE:
            b.add(f"imaging.{study}", NOT_DONE, source="imaging", field_path=path)
            continue
        if not isinstance(details, dict):
            b.problem(path, "must be a mapping")
            continue
        weeks = details.get("weeks_ago")
        if weeks is not None and (not is_number(weeks) or weeks < 0):
            b.problem(f"{path}.weeks_ago", f"{weeks!r} must be a number >= 0")
            continue
        side = details.get("side", "none")
        if "report" in details:
            b.add(f"imaging.{study}.report", str(details["report"]), side=side, source="imaging",
                  display=f"{study.replace('_', ' ')} report", confidence="moderate",
                  qualifiers={"weeks_ago": weeks} if weeks is not None else {},
                  field_path=f"{path}.report")
            if study in LLD_STUDIES:
                _report_lld(study, details["report"], weeks, b)
        if study == "mri_lumbar":
            findings = details.get("findings") or []
            if not isinstance(findings, list):
                b.problem(f"{path}.findings", "must be a list")
                continue
            for i, entry in enumerate(findings):
                if not isinstance(entry, dict):
                    b.problem(f"{path}.findings[{i}]", "must be {level, type, side, ...}")
                    continue
                mri_finding(entry, f"{path}.findings[{i}]", b, weeks)
        thick = details.get("thickness_mm")
        if isinstance(thick, dict):
            for s, t in thick.items():
                if not is_number(t) or not 0 < t < 20:
                    b.problem(f"{path}.thickness_mm.{s}", f"{t!r} must be a number 0..20 mm")
                    continue
                b.add(f"imaging.{study}.thickness_mm", float(t), unit="mm", side=s,
                      source="imaging", confidence="high",
                      display="Plantar fascia thickness (ultrasound)",
                      interpretation={"threshold_mm": FASCIA_THICK_MM,
                                      "flag": "thickened" if t > FASCIA_THICK_MM else "normal",
                                      "source": "PMC7425221 single-centre study (Sn 0.96, "
                                                "Sp 1.00), clinical-evidence.md §4"},
                      field_path=f"{path}.thickness_mm.{s}")
