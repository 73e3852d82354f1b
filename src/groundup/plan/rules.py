"""Plan safety rules and parameter calculations (heel lift, gait cues, follow-up)."""

from __future__ import annotations

from typing import Any

from groundup.reasoning.evidence import FindingIndex, _num

#: never recommended (NICE NG59; APTA CPGs; cases vocabulary "must not" items)
FORBIDDEN = frozenset(
    {
        "orthoses_for_low_back_pain_alone",
        "orthoses_for_asymptomatic_flat_feet",
        "rocker_soles_for_lbp",
        "lumbar_imaging_routine",
        "foot_imaging_routine",
        "passive_modalities_tens_traction_belts",
        "gabapentinoids_for_sciatica",
        "oral_corticosteroids_for_sciatica",
        "opioids_for_chronic_sciatica",
        "plantar_fascia_corticosteroid_injection",
        "weight_bearing_exercise",
    }
)


def heel_lift(lld: dict | None, rule: dict) -> tuple[dict | None, list[str], str | None]:
    """Heel-lift parameters by partial correction of a measured structural LLD.

    Start at ``start_fraction`` (at most the in-shoe limit), target ``partial_correction`` of the
    difference, titrate every 2-4 weeks; above the detached-lift limit add an outer-sole build-up
    (Rannisto 2019 70 % correction; treatment-evidence §8 shoe limits).
    """
    if not lld or "magnitude_mm" not in lld or lld.get("side") not in ("left", "right"):
        return None, [], "no heel lift: no measured structural leg-length difference"
    mm = float(lld["magnitude_mm"])
    if mm < rule["min_mm"]:
        return None, [], f"no heel lift: {mm:g} mm is within normal variation (Knutson 2005)"
    target = round(rule["partial_correction"] * mm)
    start = min(rule["in_shoe_max_mm"], round(rule["start_fraction"] * mm))
    extra = []
    if target > rule["detached_max_mm"]:
        extra.append("external_sole_buildup")
    if mm > rule["referral_mm"]:
        extra.append("orthopaedic_lld_referral")
    params = {
        "side": lld["side"],
        "measured_mm": mm,
        "start_mm": start,
        "target_mm": target,
        "in_shoe_max_mm": rule["in_shoe_max_mm"],
        "titrate": "add a few mm every 2-4 weeks as tolerated",
        "note": f"about {rule['in_shoe_max_mm']} mm fits inside a normal shoe; more needs a deep "
        "shoe or a tapered build-up on the outer sole",
        "source": rule["source"],
    }
    return params, extra, None


def gait_cues(index: FindingIndex, side: str | None, mech: dict) -> list[str]:
    """Gait-retraining cues from the measured deviations on the affected side."""
    cues = []
    for f in index.get("derived.stance_shorter_si_pct"):
        if f.side == side and f.value > 2 * mech["stance_si_pct"]:
            cues.append(
                f"even out stance time: stance {f.value:g} % shorter on the {side}; "
                "cue an equal rhythm and full heel contact"
            )
    drop = _num(index.value("gait.pelvic_drop_deg", side)) if side in ("left", "right") else None
    if drop is not None and drop > mech["pelvic_drop_deg"]:
        cues.append(
            f"level pelvis in {side} stance (drop {drop:g} degrees): hip-abductor activation cue"
        )
    return cues


QUESTIONNAIRE_CODES = {
    "pain_nrs": "questionnaire.pain_nrs",
    "odi_percent": "questionnaire.odi_percent",
    "rmdq": "questionnaire.rmdq",
    "faam_adl_percent": "questionnaire.faam_adl_percent",
    "faam_sports_percent": "questionnaire.faam_sports_percent",
    "first_step_pain_nrs": "questionnaire.first_step_pain_nrs",
}


def follow_up(index: FindingIndex, rule: dict) -> dict[str, Any]:
    """Which outcome measures to repeat when, with baseline and the change that counts (MCID)."""
    measures = []
    for key, code in QUESTIONNAIRE_CODES.items():
        baseline = _num(index.value(code))
        if baseline is not None:
            measures.append({"measure": key, "baseline": baseline, **rule["measures"][key]})
    si = next((f.value for f in index.get("derived.stance_shorter_si_pct")), None)
    if si is not None:
        measures.append(
            {
                "measure": "gait_stance_asymmetry",
                "baseline": si,
                **rule["measures"]["gait_stance_asymmetry"],
            }
        )
    return {"weeks": rule["weeks"], "measures": measures}


#: items whose indication assumes peripheral arterial disease has been excluded
NEEDS_VASCULAR_SCREEN = ("cycling_walking_programme",)
VASCULAR_CODES = (
    "exam.vascular.abi",
    "exam.vascular.dorsalis_pedis",
    "exam.vascular.posterior_tibial",
)


def vascular_screen_missing(index: FindingIndex) -> bool:
    """True when neither pulses nor ABI were recorded (missing or ``not_done``).

    A walking/cycling programme for neurogenic claudication presumes the claudication is not
    vascular; stenosis and PAD are told apart by pulses and the ABI (clinical-evidence §3, §15;
    AHA/ACC 2016: ABI <= 0.90 abnormal), so the programme waits for that screen.
    """
    return not any(
        f.value not in (None, "not_done") for code in VASCULAR_CODES for f in index.get(code)
    )
