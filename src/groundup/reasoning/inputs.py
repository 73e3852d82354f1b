"""Input handling of ``assess``: type checks, patient basics, and finding codes not used."""

from __future__ import annotations

from typing import Any

from groundup.errors import GroundupError
from groundup.findings import Finding

#: code prefixes that are read indirectly (derived observations, amber flags, screens), so they
#: are never reported as unused even when no feature names them
INDIRECT_INPUTS = (
    "gait.",
    "exam.leg_length.",
    "exam.special_tests.single_leg_heel_raise_reps",
    "exam.foot_posture.",
    "exam.neuro.monofilament",
    "exam.foot_skin.",
    "history.onset.",
    "pain.",
    "patient.",
    "redflag.",
    "amberflag.",
    "exam.neuro.sensation",
    "imaging.mri_lumbar",
    "imaging.scanogram_long_leg.leg_length_difference_mm",
    "imaging.xray_pelvis_ap.leg_length_difference_mm",
    "exam.derived.",
    "pain.derived.",
    "questionnaire.",
    "history.onset_weeks",
)


def known_codes(kb) -> set[str]:
    """Finding codes that a feature or a red-flag clause of the knowledge names."""
    codes = {c for f in kb.features.values() for c in f.codes}
    for rule in list(kb.red_flags.values()):
        stack = list(rule["fires_when"])
        while stack:
            c = stack.pop()
            stack += c.get("all_of", []) + c.get("any_of", [])
            if "code" in c:
                codes.add(c["code"])
    return codes


def unused_codes(findings: list[Finding], kb) -> list[str]:
    """Recorded finding codes the reasoning does not read (reported, never an error)."""
    known = known_codes(kb)
    return sorted(
        {
            f.code
            for f in findings
            if f.code not in known
            and f.value != "not_done"
            and not f.code.startswith(INDIRECT_INPUTS)
        }
    )


def check_input(findings: Any) -> list[Finding]:
    """The findings as a list; raises :class:`GroundupError` for anything but Findings."""
    if findings is None:
        return []
    if not isinstance(findings, list | tuple):
        raise GroundupError(
            f"assess() needs a list of Finding objects, not {type(findings).__name__}"
        )
    bad = [i for i, f in enumerate(findings) if not isinstance(f, Finding)]
    if bad:
        raise GroundupError(
            f"assess() input items {bad[:5]} are not Finding objects",
            hint="build findings with groundup.exam.case.findings_from_case",
        )
    return list(findings)


def patient_findings(findings: list[Finding], age: float | None, sex: str | None) -> list[Finding]:
    """``patient.age`` / ``patient.sex`` findings from the keyword arguments, when missing."""
    extra = []
    have = {f.code for f in findings}
    if age is not None and "patient.age" not in have:
        if not isinstance(age, int | float) or isinstance(age, bool) or not 0 <= age <= 120:
            raise GroundupError(f"age must be a number of years between 0 and 120, not {age!r}")
        extra.append(
            Finding(
                code="patient.age",
                display="Age",
                value=float(age),
                unit="a",
                source="intake",
                confidence="high",
            )
        )
    if sex is not None and "patient.sex" not in have:
        if sex not in ("female", "male"):
            raise GroundupError(f"sex must be 'female' or 'male', not {sex!r}")
        extra.append(
            Finding(
                code="patient.sex", display="Sex", value=sex, source="intake", confidence="high"
            )
        )
    return extra
