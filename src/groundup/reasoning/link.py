"""The direction of the foot-back link (link_rules.yaml; cases README clinical definitions)."""

from __future__ import annotations

from typing import Any

from groundup.reasoning.evidence import FindingIndex, _num, evaluate
from groundup.reasoning.knowledge import Knowledge

BACK_WORDS = ("back", "lumbar", "spine", "sciatica", "disc", "l4", "l5", "s1")
FOOT_REGIONS = ("foot", "limb")


def _onsets(index: FindingIndex) -> tuple[float | None, float | None]:
    """Earliest onset (weeks ago) of a back problem and of a foot/limb problem in the timeline."""
    back, foot = [], []
    for f in index.findings:
        if f.code.startswith("history.onset.") and _num(f.value) is not None:
            name = f.code[len("history.onset.") :].lower()
            (back if any(w in name for w in BACK_WORDS) else foot).append(float(f.value))
    return (max(back) if back else None), (max(foot) if foot else None)


def mechanisms(
    kb: Knowledge, index: FindingIndex, condition: str, side: str, attrs: dict[str, Any]
) -> list[str]:
    """Measured mechanisms by which a foot/limb problem on ``side`` could load the spine."""
    m = kb.link["mechanism"]
    out = []
    for f in index.get("derived.stance_shorter_si_pct"):
        if f.side == side and f.value > m["stance_si_pct"]:
            out.append(f"shorter stance on the {side} (stance-time asymmetry {f.value:g} %)")
    drop = _num(index.value("gait.pelvic_drop_deg", side)) if side != "none" else None
    if drop is not None and drop > m["pelvic_drop_deg"]:
        out.append(f"contralateral pelvic drop {drop:g} degrees in {side} stance")
    if (
        condition == "leg_length_discrepancy_structural"
        and attrs.get("magnitude_mm", 0) >= m["structural_lld_mm"]
    ):
        out.append(f"structural leg-length difference {attrs['magnitude_mm']} mm, {side} short")
    asym = [f for f in index.get("derived.fpi6_asymmetry") if f.side == side and f.value >= 3]
    if asym and index.value("exam.leg_length.levels_with_arch_support") is True:
        out.append(f"unilateral pronation on the {side} whose correction levels the pelvis")
    return out


def decide(
    kb: Knowledge,
    index: FindingIndex,
    primary: dict | None,
    secondaries: list[dict],
    red_flags: list,
    insufficient: bool,
) -> dict[str, Any]:
    """Link direction, confidence, arrows with mechanism and evidence."""
    src = kb.link["sources"]
    if insufficient or primary is None:
        return {
            "direction": "undetermined",
            "confidence": None,
            "arrows": [],
            "mechanism": "cannot be decided from the data given; see next_tests",
        }
    cond = kb.conditions[primary["id"]]
    back_pain = bool(evaluate(kb.features["low_back_pain"], index, "none").state)
    lld = next((f.value for f in index.get("derived.structural_lld_mm")), 0) or 0
    limb_findings = (
        any(kb.conditions[s["id"]].region in FOOT_REGIONS for s in secondaries)
        or bool(evaluate(kb.features["foot_or_leg_pain_same_side"], index, "none").state)
        or any(
            (_num(v) or 0) >= kb.link["mechanism"]["pronated_fpi"]
            for v in index.sided("exam.foot_posture.fpi6").values()
        )
        or lld >= kb.link["mechanism"]["incidental_lld_mm"]
    )
    if cond.region == "back_radicular":
        arrows = [
            {
                "from": f"{primary['id']}"
                + (f"_{primary.get('root')}" if primary.get("root") else ""),
                "to": "leg_and_foot_symptoms",
                "via": "root compression / neural tension pattern",
                "confidence": "high",
                "source": src["back_to_foot"],
            }
        ]
        for s in secondaries:
            if s["id"] == "leg_length_discrepancy_structural" and back_pain and not red_flags:
                mech = mechanisms(kb, index, s["id"], s.get("side", "none"), s)
                if mech:
                    arrows.append(
                        {
                            "from": s["id"],
                            "to": "low_back_pain",
                            "via": "; ".join(mech),
                            "confidence": "low",
                            "source": src["lld"],
                        }
                    )
        direction = "both" if len(arrows) > 1 else "back_to_foot"
        return {
            "direction": direction,
            "confidence": "low" if direction == "both" else "high",
            "arrows": arrows,
            "mechanism": "; ".join(a["via"] for a in arrows),
        }
    if cond.region == "proximal" or cond.id in kb.link.get("outside_chain", ()):
        return {
            "direction": "not_applicable",
            "confidence": None,
            "arrows": [],
            "mechanism": f"{primary['id']} lies outside the foot-back chain and explains "
            + ("the gait" if cond.region == "proximal" else "both regions"),
        }
    if cond.region in FOOT_REGIONS and not red_flags:
        if not back_pain:
            return {
                "direction": "not_applicable",
                "confidence": None,
                "arrows": [],
                "mechanism": "only the foot/limb is involved (no low back pain recorded)",
            }
        mech = mechanisms(kb, index, cond.id, primary.get("side", "none"), primary)
        back_on, foot_on = _onsets(index)
        first = cond.id == "leg_length_discrepancy_structural" or (
            foot_on is not None and (back_on is None or foot_on > back_on)
        )
        if mech and first:
            return {
                "direction": "foot_to_back",
                "confidence": "low",
                "arrows": [
                    {
                        "from": f"{cond.id}_{primary.get('side', 'none')}",
                        "to": "low_back_pain",
                        "via": "; ".join(mech),
                        "confidence": "low",
                        "source": src["lld"]
                        if cond.id.startswith("leg_length")
                        else src["foot_to_back"],
                    }
                ],
                "mechanism": "contributing factor only: " + "; ".join(mech),
            }
        why = (
            "no measured mechanism (gait asymmetry, pelvic drop, structural LLD)"
            if not mech
            else "the back pain did not follow the foot/limb problem"
        )
        return {
            "direction": "unrelated",
            "confidence": None,
            "arrows": [],
            "mechanism": f"foot/limb and back problems coexist; {why}",
        }
    if back_pain and (limb_findings or cond.region in FOOT_REGIONS):
        return {
            "direction": "unrelated",
            "confidence": None,
            "arrows": [],
            "mechanism": "foot/limb findings and back pain are both present; "
            "no causal link asserted",
        }
    if cond.region == "systemic" and back_pain:
        return {
            "direction": "unrelated",
            "confidence": None,
            "arrows": [],
            "mechanism": "a systemic/peripheral problem coexists with back pain",
        }
    return {
        "direction": "not_applicable",
        "confidence": None,
        "arrows": [],
        "mechanism": "only one region is involved",
    }
