"""Red-flag screen: the 17 screen answers as findings, and the red flags they raise.

Rules follow clinical-evidence.md §15 (NICE NG59; ACR 2021; Downie 2013 BMJ f7095; IWGDF 2023;
AHA/ACC 2016). Screen questions are individually of low sensitivity (Downie 2013; Cook 2018):
they are management triggers, so any one high-weight answer raises its flag, and a flag is never
suppressed by another explanation.

Coverage beyond the screen answers: severe (MRC <= 3) or multi-root weakness of the key muscles
(:mod:`groundup.exam.flag_signs`); a foot more than 2 C warmer with neuropathy signs (monofilament,
stocking loss, absent vibration) for Charcot; rest pain or an ulcer with PAD signs (absent pulses,
ABI <= 0.90) for critical limb ischaemia; an infected ulcer or positive probe-to-bone
(``exam.foot_skin``, a groundup extension of the case format) for diabetic foot infection.
Amber flags (monitor, do not stop the pathway) are in :mod:`groundup.exam.amber_flags`.
"""

from __future__ import annotations

from typing import Any

from groundup.exam.common import Builder, is_number, suggest
from groundup.exam.flag_signs import (
    KEY_MUSCLE_ROOTS,
    block,
    key_muscle_grades,
    multi_root_weakness,
    neuropathy_signs,
    pad_signs,
    per_side,
    sensation,
)

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
                                  "clinical-evidence.md §15: NICE/ACR; foot drop MRC <=3/5 or "
                                  "worsening, multi-root weakness"),
    "suspected_malignancy": ("Possible spinal malignancy: urgent MRI and oncology pathway",
                             "Downie 2013 BMJ f7095: cancer history post-test probability 33%"),
    "suspected_infection": ("Possible spinal infection: same-day assessment, CRP/ESR, MRI",
                            "clinical-evidence.md §15: NICE NG59 1.1.1, ACR (qualitative)"),
    "suspected_fracture": ("Possible vertebral fracture: imaging",
                           "Downie 2013 BMJ f7095: prolonged steroids 33%, trauma 11%"),
    "active_charcot_foot": ("Possible active Charcot foot: offload now, diabetic foot team <=48 h",
                            "IWGDF 2023; temperature difference >2 C (clinical-evidence.md §15)"),
    "critical_limb_ischaemia": ("Possible critical limb ischaemia: urgent vascular referral",
                                "AHA/ACC 2016 PAD guideline (clinical-evidence.md §15): rest "
                                "pain or ulcer with PAD = critical limb ischaemia"),
    "diabetic_foot_infection": ("Possible diabetic foot infection: urgent diabetic foot service",
                                "IWGDF (clinical-evidence.md §15): ulcer with purulence/"
                                "cellulitis, probe-to-bone"),
}

#: temperature difference (affected minus other foot) above which Charcot activity is supported
CHARCOT_TEMP_DIFF_C = 2.0  # "more than 2 C" (IWGDF 2023; JFAR 2020), clinical-evidence.md §15
#: MRC grade at or below which weakness of a key lower-limb muscle is "severe"
SEVERE_MRC = 3  # "dorsiflexion <=3/5" (NICE/ACR, clinical-evidence.md §15)
SEVERE_MUSCLES = tuple(KEY_MUSCLE_ROOTS)
#: ``exam.foot_skin.ulcer`` values (groundup extension of the case format)
ULCER_VALUES = ("absent", "present", "infected")


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


def _motor(yes: set, exam: Any) -> list[str]:
    """Progressive weakness, severe (MRC <= 3) key-muscle weakness, multi-root weakness."""
    severe = [f"exam.neuro.strength_mrc.{m}.{s}={g:g}"
              for s, grades in key_muscle_grades(exam).items() for m, g in grades.items()
              if g <= SEVERE_MRC]
    return ((["redflag.progressive_weakness"] if "progressive_weakness" in yes else [])
            + severe + multi_root_weakness(exam))


def _foot(yes: set, sym: set, exam: Any) -> dict[str, list[str]]:
    """Charcot foot, critical limb ischaemia and diabetic foot infection."""
    out: dict[str, list[str]] = {}
    temp = block(exam, "vascular").get("foot_temperature_diff_c")
    hot = is_number(temp) and temp > CHARCOT_TEMP_DIFF_C
    warm = "warm_swollen_foot" in yes or "warm_swollen_foot" in sym
    neuropathic = neuropathy_signs(exam) + (
        ["redflag.bilateral_neurological_symptoms"] if "bilateral_neurological_symptoms" in yes
        else []) + [f"symptom.{s}" for s in ("numbness_stocking_bilateral",
                                             "burning_feet_bilateral") if s in sym]
    if warm and hot:
        out["active_charcot_foot"] = [f"warm swollen foot, temperature difference {temp:g} C"]
    elif warm and neuropathic:
        out["active_charcot_foot"] = ["warm swollen foot with neuropathy: "
                                      + ", ".join(neuropathic)]
    elif hot and neuropathic:
        out["active_charcot_foot"] = [f"foot {temp:g} C warmer than the other, with neuropathy: "
                                      + ", ".join(neuropathic)]
    skin = block(exam, "foot_skin")
    ulcers = {s: v for s, v in per_side(skin, "ulcer").items() if v in ("present", "infected")}
    pad = pad_signs(exam)
    cli = (["redflag.rest_pain_foot"] + [r for rs in pad.values() for r in rs]
           if "rest_pain_foot" in yes else [])
    cli += [f"foot ulcer ({s}) with " + ", ".join(pad[s]) for s in ulcers if s in pad]
    if cli:
        out["critical_limb_ischaemia"] = cli
    infection = [f"exam.foot_skin.ulcer.{s}=infected" for s, v in ulcers.items()
                 if v == "infected"]
    infection += [f"exam.foot_skin.probe_to_bone.{s}=positive"
                  for s, v in per_side(skin, "probe_to_bone").items() if v == "positive"]
    if infection:
        out["diabetic_foot_infection"] = infection
    return out


def raised_flags(answers: dict, symptoms: list, exam: dict, patient: dict) -> dict[str, list[str]]:
    """Red-flag id -> the reasons (input fields) that raise it."""
    yes = {k for k, v in answers.items() if v is True}
    sym = set(symptoms or [])
    exam = exam if isinstance(exam, dict) else {}
    reasons: dict[str, list[str]] = {}

    def flag(fid: str, why: list[str]) -> None:
        if why:
            reasons.setdefault(fid, []).extend(why)

    saddle_exam = [f"exam.neuro.sensation.saddle_perianal={s['finding']}" for s in sensation(exam)
                   if s.get("area") == "saddle_perianal" and s.get("finding") != "normal"]
    flag("cauda_equina_syndrome",
         [f"redflag.{k}" for k in ("saddle_anaesthesia", "bladder_bowel_change") if k in yes]
         + [f"symptom.{s}" for s in ("saddle_numbness", "urinary_hesitancy_or_retention")
            if s in sym] + saddle_exam
         + (["redflag.sexual_dysfunction with bilateral neurological symptoms"]
            if {"sexual_dysfunction", "bilateral_neurological_symptoms"} <= yes else []))
    flag("progressive_motor_deficit", _motor(yes, exam))
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
    for fid, why in _foot(yes, sym, exam).items():
        flag(fid, why)
    return reasons


def flag_findings(answers: dict, symptoms: list, exam: dict, patient: dict, b: Builder) -> None:
    """``redflag.derived.<flag id>`` = True for every raised red flag, with its reasons."""
    for fid, why in raised_flags(answers, symptoms, exam, patient).items():
        display, source = FLAGS[fid]
        b.add(f"redflag.derived.{fid}", True, display=display, confidence="moderate",
              qualifiers={"reasons": why}, interpretation={"flag": "red", "source": source},
              field_path="history.red_flag_screen", source="intake")
