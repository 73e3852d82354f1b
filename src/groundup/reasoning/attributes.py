"""Qualifiers of a diagnosis: side, root, disc level, PTTD stage, LLD magnitude, web space."""

from __future__ import annotations

from typing import Any

from groundup.reasoning.evidence import FindingIndex, _num
from groundup.reasoning.inference import ConditionResult

BILATERAL = ("peripheral_neuropathy", "lumbar_spinal_stenosis")


def pttd_stage(index: FindingIndex, side: str) -> str:
    """PTTD stage (Johnson & Strom 1989; Myerson IV not assessed).

    III rigid hindfoot, IIA flexible deformity, I no deformity (tenosynovitis).
    """
    for code in (
        "exam.foot_posture.arch_flexible",
        "exam.foot_posture.hindfoot_valgus_correctable",
    ):
        if index.value(code, side) is False:
            return "III"
    fpi = _num(index.value("exam.foot_posture.fpi6", side))
    deformity = (
        (fpi is not None and fpi >= 6)
        or index.value("exam.special_tests.too_many_toes", side) == "positive"
        or index.value("exam.special_tests.heel_inverts_on_raise", side) is False
    )
    return "IIA" if deformity else "I"


def attributes(result: ConditionResult, index: FindingIndex) -> dict[str, Any]:
    """Qualifiers for one condition result (only those that apply)."""
    hyp = result.best.hypothesis
    out: dict[str, Any] = {}
    if hyp.side != "none":
        out["side"] = hyp.side
    elif hyp.condition in BILATERAL:
        out["side"] = "bilateral"
    if hyp.root:
        out["root"] = hyp.root
    if hyp.condition == "lumbar_disc_herniation":
        for f in index.get("imaging.mri_lumbar.disc"):
            q = f.qualifiers
            if str(q.get("root_contact", q.get("root", ""))).upper() == hyp.root and f.side in (
                hyp.side,
                "bilateral",
            ):
                out["level"] = q.get("level")
                break
    if hyp.condition == "pttd_flatfoot":
        out["stage"] = pttd_stage(index, hyp.side)
    if hyp.condition.startswith("leg_length_discrepancy"):
        # structural: radiograph when reported, else tape (derive_limb); functional: apparent
        code = (
            "derived.structural_lld_mm"
            if hyp.condition.endswith("structural")
            else "derived.apparent_lld_mm"
        )
        mm = next((f.value for f in index.get(code) if f.side == hyp.side), None)
        if mm is not None:
            out["magnitude_mm"] = round(float(mm))
    if hyp.condition == "mortons_neuroma":
        for f in index.get("pain.forefoot_web_space_3") + index.get(
            "exam.neuro.sensation.interdigital_3rd_web_space"
        ):
            out["web_space"] = int(f.qualifiers.get("web_space", 3))
            break
    return out
