"""Intake: patient details, symptoms, onset and timeline, as findings.

The symptom ids are the clinic's structured vocabulary (``../shared/cases/vocabulary.yaml``);
the display texts below are written in the project's own words. Two ids used by the clinic's
intake form but not by the case files are added: ``hip_pain_with_foot_stiffness`` and
``radiating_pain_foot_to_back`` (pain travelling in either direction between foot and back).
"""

from __future__ import annotations

from typing import Any

from groundup.exam.common import NOT_DONE, Builder, is_number, suggest
from groundup.exam.validation import check_value

#: symptom id -> short display (project wording)
SYMPTOMS: dict[str, str] = {
    "first_step_heel_pain": "Heel pain on the first steps in the morning",
    "heel_pain_after_rest": "Heel pain on standing up after rest, easing after a few minutes",
    "heel_pain_prolonged_weight_bearing": "Heel pain building up with long standing or walking",
    "plantar_heel_pain": "Pain under the heel",
    "medial_arch_pain": "Ache along the inner arch",
    "medial_ankle_pain_swelling": "Pain or swelling behind the inner ankle bone",
    "lateral_hindfoot_pain": "Pain on the outer side of the hindfoot",
    "progressive_arch_collapse": "Arch flattening over months",
    "forefoot_burning_web_space": "Burning or sharp pain between the toes",
    "pebble_in_shoe_sensation": "Feels like a pebble in the shoe",
    "relief_removing_shoe": "Eased by taking the shoe off",
    "foot_pain_after_sitting": "Foot pain on getting up after long sitting or driving",
    "radiating_pain_back_to_foot": "Pain travelling from the back down into the foot",
    "radiating_pain_foot_to_back": "Pain travelling from the foot up towards the back",
    "leg_pain_below_knee": "Leg pain reaching below the knee",
    "leg_pain_worse_than_back": "Leg or foot pain worse than the back pain",
    "pain_worse_cough_sneeze": "Pain worse with coughing, sneezing or straining",
    "paraesthesia_sole": "Tingling or numbness under the foot",
    "paraesthesia_lateral_foot": "Tingling or numbness along the outer border of the foot",
    "paraesthesia_dorsum_foot": "Tingling or numbness on top of the foot or big toe",
    "paraesthesia_medial_ankle_shin": "Tingling or numbness of the inner shin, ankle or arch",
    "numbness_toes_web_space": "Numbness of the facing sides of two toes",
    "burning_feet_bilateral": "Burning in both feet",
    "numbness_stocking_bilateral": "Numbness of both feet in a sock pattern",
    "night_foot_pain": "Foot pain or tingling at night",
    "foot_drop_tripping": "Toes catch, tripping, foot slaps",
    "calf_weakness_push_off": "Weak push-off, cannot rise on the toes",
    "knee_giving_way": "Knee gives way",
    "anterior_thigh_pain": "Ache at the front of the thigh",
    "low_back_pain_standing_walking": "Low back pain when standing or walking",
    "low_back_pain_sitting_bending": "Low back pain when sitting or bending",
    "low_back_pain_after_lifting": "Low back pain that started with a lift or strain",
    "low_back_pain_constant_night": "Constant back pain, not eased by rest, wakes at night",
    "buttock_pain_unilateral": "Pain in one buttock",
    "groin_pain": "Groin or front-of-hip pain",
    "hip_stiffness_morning": "Hip stiffness after rest, under an hour",
    "hip_pain_with_foot_stiffness": "Hip pain together with a stiff foot",
    "bilateral_leg_symptoms_walking": "Both legs heavy, numb or painful on walking or standing",
    "relief_sitting_flexion": "Relieved by sitting or bending forward",
    "no_pain_when_seated": "No leg or foot symptoms when seated",
    "calf_cramp_walking_relieved_standing": "Calf cramp on walking, eased by standing still",
    "warm_swollen_foot": "Warm, swollen, red foot",
    "limp": "Limps",
    "leg_feels_short": "Feels that one leg is shorter",
    "bilateral_sciatica": "Sciatic pain in both legs",
    "saddle_numbness": "Numbness in the saddle or perianal area",
    "urinary_hesitancy_or_retention": "New difficulty starting or finishing passing urine",
    "weight_loss_unexplained": "Weight loss without trying",
}


def symptom_findings(symptoms: Any, b: Builder, *, denied: list | None = None) -> None:
    """``symptom.<id>`` = True for each reported id (False for each explicitly denied id)."""
    if symptoms is None:
        return
    if not isinstance(symptoms, list):
        b.problem("history.symptoms", "must be a list of symptom ids")
        return
    for value, ids in ((True, symptoms), (False, denied or [])):
        for sid in ids:
            if sid not in SYMPTOMS:
                b.problem("history.symptoms", f"unknown symptom id {sid!r}{suggest(sid, SYMPTOMS)}")
                continue
            b.add(f"symptom.{sid}", value, display=SYMPTOMS[sid], field_path="history.symptoms")


def patient_findings(patient: Any, b: Builder) -> None:
    """``patient.age/sex/height_m/mass_kg/bmi``; checks that BMI agrees with mass and height."""
    if not isinstance(patient, dict):
        if patient is not None:
            b.problem("patient", "must be a mapping")
        return
    units = {"age": "a", "height_m": "m", "mass_kg": "kg", "bmi": "kg/m2", "sex": None}
    for key, unit in units.items():
        if key not in patient:
            continue
        code = f"patient.{key}"
        msg = check_value(code, patient[key])
        if msg:
            b.problem(code, msg)
            continue
        b.add(code, patient[key], unit=unit, confidence="high")
    h, m, bmi = patient.get("height_m"), patient.get("mass_kg"), patient.get("bmi")
    if all(is_number(x) for x in (h, m, bmi)) and h > 0 and abs(m / h**2 - bmi) > 0.2:
        b.problem("patient.bmi", f"{bmi} does not match mass/height^2 = {m / h**2:.1f}")


def timeline_findings(history: dict, b: Builder) -> None:
    """``history.onset.<problem>`` (weeks ago, per side) and ``history.onset_weeks``."""
    onset = history.get("onset_weeks")
    if onset is not None:
        msg = check_value("history.onset_weeks", onset)
        if msg:
            b.problem("history.onset_weeks", msg)
        else:
            b.add("history.onset_weeks", onset, unit="wk",
                  display="Duration of the presenting complaint")
    timeline = history.get("timeline")
    if timeline in (None, NOT_DONE):
        return
    if not isinstance(timeline, list):
        b.problem("history.timeline", "must be a list of {problem, side, onset_weeks_ago}")
        return
    # rank 1 = earliest onset; the order of onset matters for the foot->back rule
    dated = [e for e in timeline if isinstance(e, dict) and is_number(e.get("onset_weeks_ago"))]
    order = sorted(dated, key=lambda e: -e["onset_weeks_ago"])
    for i, entry in enumerate(timeline):
        path = f"history.timeline[{i}]"
        if entry not in dated:
            b.problem(path, "needs a problem and a number onset_weeks_ago >= 0")
            continue
        if entry["onset_weeks_ago"] < 0 or not entry.get("problem"):
            b.problem(path, "needs a problem and a number onset_weeks_ago >= 0")
            continue
        b.add(f"history.onset.{entry['problem']}", entry["onset_weeks_ago"], unit="wk",
              side=entry.get("side", "none"),
              display=f"Onset of {str(entry['problem']).replace('_', ' ')} (weeks ago)",
              qualifiers={"order": order.index(entry) + 1}, field_path=path)
