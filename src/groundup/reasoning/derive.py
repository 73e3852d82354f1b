"""Derived observations (``derived.*`` findings) computed from the recorded findings.

These are arithmetic on recorded values (side differences, ratios, which side is shorter), so
the knowledge files can refer to them by code. Nothing here is a diagnosis.
"""

from __future__ import annotations

from groundup.findings import Finding
from groundup.reasoning.derive_limb import derived as _d
from groundup.reasoning.derive_limb import leg_length
from groundup.reasoning.derive_limb import side_diff as _side_diff
from groundup.reasoning.derive_sites import derive_sites, onset_problem_sides
from groundup.reasoning.evidence import NOT_DONE, OTHER, FindingIndex, _num

LEG_REGIONS_RADICULAR = ("posterior_calf", "lateral_leg", "dorsum_foot", "sole_lateral")
LEG_REGIONS_BILATERAL = (
    "buttock",
    "posterior_thigh",
    "posterior_calf",
    "lateral_leg",
    "sole_whole",
    "heel_plantar",
    "anterior_thigh",
)
FOOT_REGIONS = (
    "heel_plantar",
    "arch_medial",
    "medial_ankle_retromalleolar",
    "lateral_hindfoot",
    "forefoot_web_space_3",
    "forefoot_plantar",
    "dorsum_foot",
    "sole_lateral",
    "sole_whole",
    "sole_medial",
    "toes",
    "midfoot",
)
LIMB_WORDS = ("femor", "femur", "tibia", "leg", "limb", "fibula")
SHORTENING_WORDS = ("fracture", "congenital", "short", "epiphys", "arthroplasty")
#: single-leg heel raises below this count, or below this fraction of the other side, are weak
HEEL_RAISE_MIN_REPS = 10
HEEL_RAISE_MIN_FRACTION = 0.5


def _gait(index: FindingIndex, out: list[Finding]) -> None:
    stance = _side_diff(index, "gait.stance_pct")
    if stance:
        side, _ = stance  # the side with the smaller stance
        si = _num(index.value("gait.asymmetry.stance_pct", "bilateral"))
        si = si if si is not None else _num(index.value("gait.stance_time_si_pct"))
        st = {s: _num(x) for s, x in index.sided("gait.stance_pct").items()}
        if si is None:
            si = 100 * abs(st["left"] - st["right"]) / (0.5 * (st["left"] + st["right"]))
        out.append(
            _d(
                "derived.stance_shorter_si_pct",
                round(si, 1),
                side if side != "none" else "none",
                display="Stance-time asymmetry, shorter side",
                unit="%",
            )
        )
    push = _side_diff(index, "gait.peak_ankle_plantarflexion_push_off_deg")
    if push:
        weaker, diff = push  # the side with the smaller push-off is the weaker one
        out.append(
            _d(
                "derived.push_off_deficit_deg",
                diff,
                weaker,
                display="Push-off plantarflexion deficit",
                unit="deg",
            )
        )
    low = index.value("gait.pelvic_obliquity_low_side")
    offset = _num(index.value("gait.pelvic_obliquity_offset_deg"))
    if low in OTHER and offset is not None:
        out.append(
            _d(
                "derived.pelvic_obliquity_offset_deg",
                offset,
                low,
                display="Pelvic obliquity in gait, low side",
                unit="deg",
            )
        )


def _exam(index: FindingIndex, out: list[Finding]) -> None:
    reps = {
        s: _num(x) for s, x in index.sided("exam.special_tests.single_leg_heel_raise_reps").items()
    }
    for side in ("left", "right"):
        mine, other = reps.get(side), reps.get(OTHER[side])
        if mine is None:
            continue
        weak = mine < HEEL_RAISE_MIN_REPS or (
            other is not None and other > 0 and mine < HEEL_RAISE_MIN_FRACTION * other
        )
        out.append(
            _d(
                "derived.heel_raise_weak",
                bool(weak),
                side,
                display="Single-leg heel raise weak (< 10 or < 50 % of the other side)",
            )
        )
    fpi = _side_diff(index, "exam.foot_posture.fpi6")
    if fpi:
        side, diff = fpi
        more_pronated = OTHER.get(side, "none")
        out.append(
            _d(
                "derived.fpi6_asymmetry",
                diff,
                more_pronated,
                display="FPI-6 asymmetry, more pronated side",
            )
        )
    felt = {s: _num(x) for s, x in index.sided("exam.neuro.monofilament_sites_felt").items()}
    tested = _num(index.value("exam.neuro.monofilament_sites_tested"))
    for side, n in felt.items():
        if n is not None and tested:
            out.append(
                _d(
                    "derived.monofilament_fraction",
                    round(n / tested, 2),
                    side,
                    display="Monofilament sites felt (fraction)",
                )
            )


def _history(index: FindingIndex, out: list[Finding]) -> None:
    pains = [
        f
        for f in index.findings
        if f.code.startswith("pain.") and "derived" not in f.code and f.value != NOT_DONE
    ]
    if pains:
        sides = {f.code[5:]: set() for f in pains}
        for f in pains:
            sides[f.code[5:]].update(("left", "right") if f.side == "bilateral" else (f.side,))
        legs = set().union(*(sides.get(r, set()) for r in LEG_REGIONS_BILATERAL))
        out.append(
            _d(
                "derived.bilateral_leg_pain",
                {"left", "right"} <= legs,
                display="Buttock/leg pain on both sides",
            )
        )
        feet = set().union(*(sides.get(r, set()) for r in FOOT_REGIONS)) & {"left", "right"}
        if feet:
            out.append(
                _d(
                    "derived.foot_pain_one_side",
                    len(feet) == 1,
                    display="Foot pain on one side only",
                )
            )
    back = bool(index.get("pain.low_back") or index.get("pain.thoracolumbar")) or any(
        f.value is True for f in index.findings if f.code.startswith("symptom.low_back_pain")
    )
    if back and (pains or index.has_prefix("symptom.")):
        radicular = any(index.get(f"pain.{r}") for r in LEG_REGIONS_RADICULAR) or any(
            index.value(f"symptom.{s}") is True
            for s in ("radiating_pain_back_to_foot", "leg_pain_below_knee", "bilateral_sciatica")
        )
        out.append(
            _d(
                "derived.back_pain_without_leg_pain",
                not radicular,
                display="Low back pain without radicular leg pain",
            )
        )
    for side in onset_problem_sides(index, LIMB_WORDS, SHORTENING_WORDS):
        out.append(
            _d(
                "derived.limb_shortening_history",
                True,
                side,
                display="Old fracture / congenital shortening of the limb",
            )
        )


def derive(index: FindingIndex) -> list[Finding]:
    """All derived findings for the recorded findings in ``index``."""
    out: list[Finding] = []
    for step in (_gait, _exam, leg_length, _history, derive_sites):
        step(index, out)
    return out


def contradictions(findings: list[Finding]) -> list[tuple[Finding, Finding]]:
    """Pairs of findings with the same code and side but different categorical values.

    Numbers are not compared (a repeated measurement may differ); ``not_done`` is ignored.
    """
    seen: dict[tuple, Finding] = {}
    pairs = []
    for f in findings:
        if f.value == NOT_DONE or f.value is None or _num(f.value) is not None:
            continue
        quals = tuple(
            sorted((k, str(v)) for k, v in f.qualifiers.items() if k not in ("weeks_ago", "order"))
        )
        key = (f.code, f.side, quals)
        if key in seen and seen[key].value != f.value:
            pairs.append((seen[key], f))
        seen.setdefault(key, f)
    return pairs
