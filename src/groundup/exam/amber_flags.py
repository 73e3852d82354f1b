"""Amber flags (monitor; they do not stop the pathway) and the resting ABI category.

Amber flags are coded ``amberflag.derived.<id>`` = True with ``qualifiers.reasons`` and the
source in ``interpretation``. The ids are the amber flags of ``../shared/cases/vocabulary.yaml``,
plus ``vascular_claudication`` (the vocabulary's *condition* id: peripheral arterial disease
without critical ischaemia needs ABI/Doppler and a vascular referral, clinical-evidence.md §15,
but is not an emergency). A raised red flag for the same problem replaces its amber flag
(progressive weakness is red, stable 4/5 weakness amber; rest pain is red, claudication amber).

``chronic_sciatica_failed_conservative_care`` needs a diagnosis (radicular pain) and the
adequacy of prior care (free text), so it is left to the reasoning.
"""

from __future__ import annotations

from typing import Any

from groundup.exam.common import Builder, is_number
from groundup.exam.flag_signs import (
    ABI_BANDS,
    ABI_SOURCE,
    STOCKING_AREAS,
    block,
    key_muscle_grades,
    lops_sides,
    multi_root_weakness,
    pad_signs,
    per_side,
    sensation,
)
from groundup.exam.history_facts import diabetes_status

#: amber id -> (display, source)
AMBER = {
    "high_risk_diabetic_foot": (
        "Loss of protective sensation: high-risk foot, foot protection and regular review",
        "IWGDF risk stratification (clinical-evidence.md §11, treatment-evidence.md); LOPS = "
        "fewer than 8 of 10 monofilament sites felt or stocking loss, groundup convention "
        "UNVERIFIED"),
    "stable_motor_deficit_monitor": (
        "Mild non-progressive weakness (MRC 4/5): re-test, escalate if worse",
        "clinical-evidence.md §15 (NICE/ACR): only worsening or <=3/5 weakness is a red flag"),
    "inflammatory_features": (
        "Inflammatory features: consider spondyloarthritis (rheumatology, routine-soon)",
        "clinical-evidence.md §15 amber row (NICE NG59 1.1.1): onset <45 y, morning stiffness "
        ">30 min, bilateral heel enthesitis; 'onset <45 plus one feature' is a groundup "
        "convention, UNVERIFIED"),
    "vascular_claudication": (
        "Possible peripheral arterial disease: ABI/Doppler and vascular referral",
        "clinical-evidence.md §15: calf claudication relieved by standing still, absent pedal "
        "pulses; " + ABI_SOURCE),
}
#: spondyloarthritis features (clinical-evidence.md §15, amber row)
INFLAMMATORY_ONSET_AGE = 45  # years at onset, "age <45 onset"
MORNING_STIFFNESS_MIN = 30  # minutes, "morning stiffness >30 min"
WEEKS_PER_YEAR = 52.18


def abi_category(abi: float) -> str:
    """AHA/ACC 2016 band of a resting ABI (:data:`~groundup.exam.flag_signs.ABI_BANDS`)."""
    for upper, name in ABI_BANDS:
        if abi <= upper:
            return name
    return ABI_BANDS[-1][1]  # pragma: no cover


def _motor(answers: dict, exam: Any) -> list[str]:
    grades = key_muscle_grades(exam)
    if any(g <= 3 for gs in grades.values() for g in gs.values()) or multi_root_weakness(exam):
        return []  # red flag (progressive_motor_deficit) instead
    if answers.get("progressive_weakness") is True:
        return []
    return [f"exam.neuro.strength_mrc.{m}.{s}=4" for s, gs in grades.items()
            for m, g in gs.items() if g == 4]


def _inflammatory(history: dict, patient: dict, answers: dict) -> list[str]:
    age, onset = patient.get("age"), history.get("onset_weeks")
    if not is_number(age):
        return []
    onset_age = age - onset / WEEKS_PER_YEAR if is_number(onset) else age
    if onset_age >= INFLAMMATORY_ONSET_AGE:
        return []
    features = []
    stiff = history.get("morning_stiffness_minutes")
    if is_number(stiff) and stiff > MORNING_STIFFNESS_MIN:
        features.append(f"morning stiffness {stiff:g} min")
    pain = history.get("pain_map") if isinstance(history.get("pain_map"), list) else []
    heel = {e.get("side") for e in pain if isinstance(e, dict)
            and e.get("region") == "heel_plantar" and is_number(e.get("nrs")) and e["nrs"] > 0}
    # heel pain in both feet from both-leg neurological symptoms (e.g. bilateral S1) is not
    # enthesitis
    neuro = answers.get("bilateral_neurological_symptoms") is True
    if ("bilateral" in heel or {"left", "right"} <= heel) and not neuro:
        features.append("heel pain on both sides without neurological symptoms in both legs")
    return ([f"onset at about {onset_age:.0f} y (< {INFLAMMATORY_ONSET_AGE})"] + features
            if features else [])


def amber_reasons(answers: dict, history: Any, exam: Any, patient: Any) -> dict[str, list[str]]:
    """Amber id -> reasons, for the amber flags the record raises."""
    history = history if isinstance(history, dict) else {}
    patient = patient if isinstance(patient, dict) else {}
    symptoms = set(history.get("symptoms") or []) if isinstance(history.get("symptoms"),
                                                                list) else set()
    out: dict[str, list[str]] = {}
    lops = [f"monofilament {f:g}/{block(exam, 'neuro')['monofilament_sites_tested']:g} "
            f"sites felt ({s})" for s, f in lops_sides(exam).items()]
    lops += [f"exam.neuro.sensation.{e['area']}={e.get('finding')}" for e in sensation(exam)
             if e.get("area") in STOCKING_AREAS and e.get("finding") in ("reduced", "absent")]
    if lops:
        diabetic, _ = diabetes_status(history)
        out["high_risk_diabetic_foot"] = lops + (["history.diabetes (from history text)"]
                                                 if diabetic else [])
    out["stable_motor_deficit_monitor"] = _motor(answers, exam)
    out["inflammatory_features"] = _inflammatory(history, patient, answers)
    claud = [f"{k}" for k, hit in (
        ("redflag.calf_claudication", answers.get("calf_claudication") is True),
        ("symptom.calf_cramp_walking_relieved_standing",
         "calf_cramp_walking_relieved_standing" in symptoms)) if hit]
    if answers.get("rest_pain_foot") is not True:  # rest pain: critical limb ischaemia (red)
        out["vascular_claudication"] = claud + [r for rs in pad_signs(exam).values() for r in rs]
    return {k: v for k, v in out.items() if v}


def amber_findings(answers: dict, history: Any, exam: Any, patient: Any, b: Builder) -> None:
    """``amberflag.derived.<id>`` = True per raised amber flag, and
    ``exam.derived.abi_category`` per side with a valid ABI."""
    for aid, why in amber_reasons(answers, history, exam, patient).items():
        display, source = AMBER[aid]
        b.add(f"amberflag.derived.{aid}", True, display=display, confidence="moderate",
              qualifiers={"reasons": why}, interpretation={"flag": "amber", "source": source},
              field_path="history/exam", source="exam")
    for side, abi in per_side(block(exam, "vascular"), "abi").items():
        if is_number(abi) and 0 < abi <= 2.5:
            b.add("exam.derived.abi_category", abi_category(abi), side=side,
                  display="Resting ankle-brachial index category",
                  field_path=f"exam.vascular.abi.{side}", interpretation={"source": ABI_SOURCE})
