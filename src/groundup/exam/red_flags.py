"""Red-flag screen: the 17 screen answers as findings, and the red flags they raise.

Rules follow clinical-evidence.md §15 (NICE NG59; ACR 2021; Downie 2013 BMJ f7095; IWGDF 2023;
AHA/ACC 2016). Screen questions are individually of low sensitivity (Downie 2013; Cook 2018):
they are management triggers, so any one high-weight answer raises its flag, and a flag is never
suppressed by another explanation.
"""

from __future__ import annotations

from typing import Any

from groundup.exam.common import Builder, is_number, suggest

SCREEN_KEYS = (
    "saddle_anaesthesia", "bladder_bowel_change", "sexual_dysfunction",
    "bilateral_neurological_symptoms", "progressive_weakness", "fever", "iv_drug_use",
    "immunosuppression", "weight_loss_unexplained", "cancer_history", "night_pain_constant",
    "significant_trauma", "long_term_corticosteroids", "osteoporosis", "warm_swollen_foot",
    "rest_pain_foot", "calf_claudication",
)

#: red-flag id -> (display, source)
FLAGS = {
    "cauda_equina_syndrome": ("Possible cauda equina syndrome: emergency MRI and spinal referral",
                              "clinical-evidence.md §15: NICE NG59, ACR 2021, UK CES pathways"),
    "progressive_motor_deficit": ("Progressive or severe motor deficit: urgent spinal assessment",
                                  "clinical-evidence.md §15: NICE/ACR; foot drop MRC <=3/5"),
    "suspected_malignancy": ("Possible spinal malignancy: urgent MRI and oncology pathway",
                             "Downie 2013 BMJ f7095: cancer history post-test probability 33%"),
    "suspected_infection": ("Possible spinal infection: same-day assessment, CRP/ESR, MRI",
                            "clinical-evidence.md §15: NICE NG59 1.1.1, ACR (qualitative)"),
    "suspected_fracture": ("Possible vertebral fracture: imaging",
                           "Downie 2013 BMJ f7095: prolonged steroids 33%, trauma 11%"),
    "active_charcot_foot": ("Possible active Charcot foot: offload now, diabetic foot team <=48 h",
                            "IWGDF 2023; temperature difference >2 C (clinical-evidence.md §15)"),
    "critical_limb_ischaemia": ("Possible critical limb ischaemia: urgent vascular referral",
                                "AHA/ACC 2016 PAD guideline (clinical-evidence.md §15)"),
}

#: temperature difference (affected minus other foot) above which Charcot activity is supported
CHARCOT_TEMP_DIFF_C = 2.0  # "more than 2 C" (IWGDF 2023; JFAR 2020), clinical-evidence.md §15
#: MRC grade at or below which weakness of a key lower-limb muscle is "severe"
SEVERE_MRC = 3  # "dorsiflexion <=3/5" (NICE/ACR, clinical-evidence.md §15)
SEVERE_MUSCLES = ("ankle_dorsiflexion", "ehl", "knee_extension", "ankle_plantarflexion")


def screen_findings(screen: Any, b: Builder) -> dict[str, Any]:
    """``redflag.<key>`` for each answered screen key; returns the valid answers."""
    answers: dict[str, Any] = {}
    if screen is None:
        return answers
    if not isinstance(screen, dict):
        b.problem("history.red_flag_screen", "must be a mapping of the 17 screen keys")
        return answers
    for key, value in screen.items():
        path = f"history.red_flag_screen.{key}"
        if key not in SCREEN_KEYS:
            b.problem(path, f"unknown screen key{suggest(key, SCREEN_KEYS)}")
            continue
        if value not in (True, False, "unknown"):
            b.problem(path, f"must be true, false or unknown, not {value!r}")
            continue
        answers[key] = value
        b.add(f"redflag.{key}", value, source="intake", confidence="moderate", field_path=path)
    return answers


def _sens(exam: dict) -> list[dict]:
    neuro = exam.get("neuro") if isinstance(exam, dict) else None
    sens = neuro.get("sensation") if isinstance(neuro, dict) else None
    return [s for s in sens if isinstance(s, dict)] if isinstance(sens, list) else []


def raised_flags(answers: dict, symptoms: list, exam: dict, patient: dict) -> dict[str, list[str]]:
    """Red-flag id -> the reasons (input fields) that raise it."""
    yes = {k for k, v in answers.items() if v is True}
    sym = set(symptoms or [])
    exam = exam if isinstance(exam, dict) else {}
    reasons: dict[str, list[str]] = {}

    def flag(fid: str, why: list[str]) -> None:
        if why:
            reasons.setdefault(fid, []).extend(why)

    saddle_exam = [f"exam.neuro.sensation.saddle_perianal={s['finding']}" for s in _sens(exam)
                   if s.get("area") == "saddle_perianal" and s.get("finding") != "normal"]
    flag("cauda_equina_syndrome",
         [f"redflag.{k}" for k in ("saddle_anaesthesia", "bladder_bowel_change") if k in yes]
         + [f"symptom.{s}" for s in ("saddle_numbness", "urinary_hesitancy_or_retention")
            if s in sym] + saddle_exam
         + (["redflag.sexual_dysfunction with bilateral neurological symptoms"]
            if {"sexual_dysfunction", "bilateral_neurological_symptoms"} <= yes else []))
    neuro = exam.get("neuro") if isinstance(exam.get("neuro"), dict) else {}
    mrc = neuro.get("strength_mrc")
    severe = []
    if isinstance(mrc, dict):
        for muscle in SEVERE_MUSCLES:
            sides = mrc.get(muscle)
            for side, grade in (sides.items() if isinstance(sides, dict) else []):
                if is_number(grade) and grade <= SEVERE_MRC:
                    severe.append(f"exam.neuro.strength_mrc.{muscle}.{side}={grade}")
    flag("progressive_motor_deficit",
         (["redflag.progressive_weakness"] if "progressive_weakness" in yes else []) + severe)
    if "cancer_history" in yes:
        flag("suspected_malignancy", ["redflag.cancer_history"])
    age = patient.get("age") if isinstance(patient, dict) else None
    if {"weight_loss_unexplained", "night_pain_constant"} <= yes and is_number(age) and age > 50:
        flag("suspected_malignancy", ["weight loss with constant night pain, age > 50"])
    flag("suspected_infection",
         [f"redflag.{k}" for k in ("fever", "iv_drug_use") if k in yes]
         + (["redflag.immunosuppression with redflag.night_pain_constant"]
            if {"immunosuppression", "night_pain_constant"} <= yes else []))
    flag("suspected_fracture", [f"redflag.{k}" for k in
                                ("significant_trauma", "long_term_corticosteroids") if k in yes]
         + (["redflag.osteoporosis, age > 50"]
            if "osteoporosis" in yes and is_number(age) and age > 50 else []))
    temp = (exam.get("vascular") or {}).get("foot_temperature_diff_c") \
        if isinstance(exam.get("vascular"), dict) else None
    warm = "warm_swollen_foot" in yes or "warm_swollen_foot" in sym
    if warm and is_number(temp) and temp > CHARCOT_TEMP_DIFF_C:
        flag("active_charcot_foot", [f"warm swollen foot, temperature difference {temp} C"])
    elif warm and ("bilateral_neurological_symptoms" in yes
                   or sym & {"numbness_stocking_bilateral", "burning_feet_bilateral"}):
        flag("active_charcot_foot", ["warm swollen foot with neuropathic symptoms"])
    absent = []
    vascular = exam.get("vascular") if isinstance(exam.get("vascular"), dict) else {}
    for side in ("left", "right"):
        pulses = [(vascular.get(p) or {}).get(side) if isinstance(vascular.get(p), dict) else None
                  for p in ("dorsalis_pedis", "posterior_tibial")]
        if pulses == ["absent", "absent"]:
            absent.append(f"both pedal pulses absent ({side})")
    flag("critical_limb_ischaemia", (["redflag.rest_pain_foot"] if "rest_pain_foot" in yes else [])
         + (absent if "rest_pain_foot" in yes else []))
    return reasons


def flag_findings(answers: dict, symptoms: list, exam: dict, patient: dict, b: Builder) -> None:
    """``redflag.derived.<flag id>`` = True for every raised red flag, with its reasons."""
    for fid, why in raised_flags(answers, symptoms, exam, patient).items():
        display, source = FLAGS[fid]
        b.add(f"redflag.derived.{fid}", True, display=display, confidence="moderate",
              qualifiers={"reasons": why}, interpretation={"flag": "red", "source": source},
              field_path="history.red_flag_screen", source="intake")
