"""The built-in example case of ``make demo``: an invented patient with synthetic data.

The patient (46-year-old retail worker with left plantar heel pain and a low-back ache that
followed it) is invented; her walking trial is synthesised by groundup from normative joint
angles with a mild left antalgic pattern and written as a C3D file. Everything is labelled
synthetic. When ``../shared/data`` sits beside the repository, the public demo video
(sports2d) is added as an extra recording to show the video pipeline — a real person, but not
this patient, and labelled so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SHARED_VIDEO = Path("shared/data/video/sports2d-demo/demo.mp4")


def _case(c3d_name: str) -> dict[str, Any]:
    return {
        "id": "demo-synthetic",
        "visit": {"date": "2026-12-01", "clinician": "demo clinician"},
        "patient": {"age": 46, "sex": "female", "height_m": 1.65, "mass_kg": 78, "bmi": 28.7,
                    "activity": "retail assistant, stands most of the day (INVENTED PATIENT)"},
        "history": {
            "chief_complaint": "Pain under the left heel for 3 months; the low back aches at "
                               "the end of a shift for 6 weeks.",
            "symptoms": ["first_step_heel_pain", "heel_pain_after_rest", "plantar_heel_pain",
                         "low_back_pain_standing_walking", "limp"],
            "pain_map": [{"region": "heel_plantar", "side": "left", "nrs": 7},
                         {"region": "low_back", "side": "left", "nrs": 4}],
            "timeline": [{"problem": "heel_pain", "side": "left", "onset_weeks_ago": 14},
                         {"problem": "low_back_pain", "side": "left", "onset_weeks_ago": 6}],
            "onset_weeks": 14,
            "red_flag_screen": {k: False for k in (
                "saddle_anaesthesia", "bladder_bowel_change", "sexual_dysfunction",
                "bilateral_neurological_symptoms", "progressive_weakness", "fever",
                "iv_drug_use", "immunosuppression", "weight_loss_unexplained",
                "cancer_history", "night_pain_constant", "significant_trauma",
                "long_term_corticosteroids", "osteoporosis", "warm_swollen_foot",
                "rest_pain_foot", "calf_claudication")},
        },
        "questionnaires": {"pain_nrs": 6, "first_step_pain_nrs": 7, "odi_percent": 22,
                           "start_back": {"total": 3, "distress": 1, "risk": "low"},
                           "faam_adl_percent": 66},
        "previous_visits": [{"date": "2026-10-20",
                             "questionnaires": {"pain_nrs": 8, "first_step_pain_nrs": 9,
                                                "odi_percent": 30, "faam_adl_percent": 55}}],
        "exam": {
            "foot_posture": {"fpi6": {"left": 5, "right": 4},
                             "navicular_drop_mm": {"left": 8, "right": 7}},
            "palpation": [{"site": "medial_calcaneal_tubercle", "side": "left",
                           "finding": "tender"}],
            "rom": {"ankle_dorsiflexion_knee_extended_deg": {"left": 3, "right": 8}},
            "special_tests": {
                "windlass_weight_bearing": {"left": "positive", "right": "negative"},
                "single_leg_heel_raise_reps": {"left": 14, "right": 22},
                "too_many_toes": {"left": "negative", "right": "negative"},
                "calcaneal_squeeze": {"left": "negative", "right": "negative"},
                "tarsal_tunnel_tinel": {"left": "negative", "right": "negative"},
                "slr": {"left": "negative", "right": "negative"},
                "slr_angle_deg": {"left": 85, "right": 85},
                "slump": {"left": "negative", "right": "negative"}},
            "neuro": {"reflexes": {"achilles": {"left": "normal", "right": "normal"},
                                   "patellar": {"left": "normal", "right": "normal"}},
                      "strength_mrc": {"ehl": {"left": 5, "right": 5},
                                       "ankle_dorsiflexion": {"left": 5, "right": 5},
                                       "ankle_plantarflexion": {"left": 5, "right": 5}},
                      "sensation": []},
            "vascular": {"dorsalis_pedis": {"left": "palpable", "right": "palpable"},
                         "posterior_tibial": {"left": "palpable", "right": "palpable"}},
            "leg_length": {"true_tape_mm": {"left": 858, "right": 856}},
        },
        "imaging": {},
        "recordings": [{"kind": "c3d", "path": c3d_name, "name": "synthetic-walk"}],
    }


def write_demo_case(folder: str | Path, *, shared: Path | None = None) -> Path:
    """Write the example case (YAML) and its synthetic C3D recording into ``folder``.

    Parameters
    ----------
    folder
        Where the inputs go (created).
    shared
        The ``shared`` folder beside the repository, if present: its demo video is added.

    Returns
    -------
    Path
        The case file.
    """
    from groundup.motion.c3d_writer import write_c3d
    from groundup.motion.synthetic.walk import synthetic_walk

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    trial = synthetic_walk(asymmetry=0.06, seed=1, height_m=1.65, mass_kg=78)
    write_c3d(trial, folder / "synthetic-walk.c3d")
    case = _case("synthetic-walk.c3d")
    video = shared / SHARED_VIDEO.relative_to("shared") if shared else None
    if video is not None and video.is_file():
        case["recordings"].append({"kind": "video", "path": str(video.resolve()),
                                   "name": "public-demo-video-not-this-patient",
                                   "height_m": 1.65, "view": "side"})
    path = folder / "demo-case.yaml"
    header = ("# groundup demo case: an INVENTED patient with SYNTHETIC data (not clinical "
              "advice).\n")
    path.write_text(header + yaml.safe_dump(case, sort_keys=False), encoding="utf-8")
    return path
