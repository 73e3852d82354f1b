"""Exam signs shared by the red- and amber-flag rules, read from the raw ``exam`` section.

Every helper tolerates missing or malformed blocks (they were already reported as problems by
:mod:`groundup.exam.physical`) and returns reasons as short ``field=value`` strings.
"""

from __future__ import annotations

from typing import Any

from groundup.exam.common import SIDES, is_number

#: key lower-limb myotome muscles and their root(s) (clinical-evidence.md §1 root map). Only these
#: count for severe, multi-root and "stable 4/5" weakness: inversion or hip-abduction weakness is
#: often tendon (PTTD) or hip disease, not root.
KEY_MUSCLE_ROOTS = {"knee_extension": {"L4"}, "ankle_dorsiflexion": {"L4", "L5"},
                    "ehl": {"L5"}, "ankle_plantarflexion": {"S1"}}
#: monofilament: fewer than this fraction of tested sites felt = loss of protective sensation.
#: groundup convention (same cut-off as the reasoning feature ``monofilament_reduced``, 8 of 10):
#: the research pack gives no site-count cut-off for LOPS (UNVERIFIED)
MONOFILAMENT_LOPS_FRACTION = 0.8
#: resting ABI bands (AHA/ACC 2016 PAD guideline, verified; clinical-evidence.md §15):
#: abnormal <= 0.90, borderline 0.91-0.99, normal 1.00-1.40, non-compressible > 1.40
ABI_ABNORMAL_MAX = 0.90
ABI_BANDS = ((0.90, "abnormal"), (0.99, "borderline"), (1.40, "normal"),
             (float("inf"), "non_compressible"))
ABI_SOURCE = ("AHA/ACC 2016 PAD guideline: abnormal <=0.90, borderline 0.91-0.99, normal "
              "1.00-1.40, non-compressible >1.40 (use toe-brachial index)")
STOCKING_AREAS = ("stocking_to_midfoot", "stocking_to_ankle", "stocking_to_mid_shin")
ABNORMAL = ("reduced", "absent", "paraesthesia", "reduced_reported")


def block(exam: Any, name: str) -> dict:
    """``exam[name]`` if it is a mapping, else ``{}``."""
    value = exam.get(name) if isinstance(exam, dict) else None
    return value if isinstance(value, dict) else {}


def sensation(exam: Any) -> list[dict]:
    """The ``exam.neuro.sensation`` entries that are mappings."""
    sens = block(exam, "neuro").get("sensation")
    return [s for s in sens if isinstance(s, dict)] if isinstance(sens, list) else []


def per_side(blk: dict, key: str) -> dict[str, Any]:
    """``{left: x, right: y}`` of a per-side key (only the sides present)."""
    value = blk.get(key)
    return {s: v for s, v in value.items() if s in SIDES} if isinstance(value, dict) else {}


def key_muscle_grades(exam: Any) -> dict[str, dict[str, float]]:
    """side -> key muscle -> MRC grade, for the :data:`KEY_MUSCLE_ROOTS` muscles recorded."""
    mrc = block(exam, "neuro").get("strength_mrc")
    out: dict[str, dict[str, float]] = {s: {} for s in SIDES}
    if not isinstance(mrc, dict):
        return out
    for muscle in KEY_MUSCLE_ROOTS:
        for side, grade in per_side(mrc, muscle).items():
            if is_number(grade) and 0 <= grade <= 5:
                out[side][muscle] = grade
    return out


def multi_root_weakness(exam: Any) -> list[str]:
    """Reasons for multi-root weakness (MRC <= 4 in key muscles), or ``[]``.

    Multi-root = the weak key muscles cannot come from one root on one side: weakness on both
    sides, or on one side in muscles that share no root (e.g. EHL L5 + plantarflexion S1).
    clinical-evidence.md §15 lists multi-root weakness as a progressive-deficit trigger.
    """
    weak = {s: {m: g for m, g in grades.items() if g <= 4}
            for s, grades in key_muscle_grades(exam).items()}
    sides = [s for s in SIDES if weak[s]]
    reasons = []
    if len(sides) == 2:
        reasons.append("key-muscle weakness on both sides: " + ", ".join(
            f"{m}.{s}={g:g}" for s in sides for m, g in weak[s].items()))
    for s in sides:
        common = set.intersection(*(KEY_MUSCLE_ROOTS[m] for m in weak[s]))
        if not common:
            reasons.append(f"weakness of {', '.join(sorted(weak[s]))} ({s}) spans more than "
                           "one root")
    return reasons


def neuropathy_signs(exam: Any) -> list[str]:
    """Exam evidence of neuropathy: monofilament LOPS, stocking sensory loss, absent vibration."""
    neuro = block(exam, "neuro")
    out = [f"monofilament {f:g}/{neuro['monofilament_sites_tested']:g} sites felt ({s})"
           for s, f in lops_sides(exam).items()]
    out += [f"exam.neuro.sensation.{e['area']}={e.get('finding')}" for e in sensation(exam)
            if e.get("area") in STOCKING_AREAS and e.get("finding") in ABNORMAL]
    out += [f"exam.neuro.vibration_128hz.{s}={v}"
            for s, v in per_side(neuro, "vibration_128hz").items()
            if v in ("absent_hallux", "absent_to_ankle")]
    return out


def lops_sides(exam: Any) -> dict[str, float]:
    """side -> sites felt, for the sides with loss of protective sensation on monofilament."""
    neuro = block(exam, "neuro")
    tested = neuro.get("monofilament_sites_tested")
    if not is_number(tested) or tested <= 0:
        return {}
    return {s: f for s, f in per_side(neuro, "monofilament_sites_felt").items()
            if is_number(f) and 0 <= f <= tested and f / tested < MONOFILAMENT_LOPS_FRACTION}


def pad_signs(exam: Any) -> dict[str, list[str]]:
    """side -> peripheral arterial signs: both pedal pulses absent, ABI <= 0.90 (AHA/ACC 2016)."""
    vascular = block(exam, "vascular")
    out: dict[str, list[str]] = {s: [] for s in SIDES}
    for side in SIDES:
        pulses = [per_side(vascular, p).get(side) for p in ("dorsalis_pedis", "posterior_tibial")]
        if pulses == ["absent", "absent"]:
            out[side].append(f"both pedal pulses absent ({side})")
        abi = per_side(vascular, "abi").get(side)
        if is_number(abi) and 0 < abi <= ABI_ABNORMAL_MAX:
            out[side].append(f"exam.vascular.abi.{side}={abi:g} (<= {ABI_ABNORMAL_MAX})")
    return {s: r for s, r in out.items() if r}
