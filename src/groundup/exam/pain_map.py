"""Pain map: body regions with side and NRS, and recognition of a dermatomal pattern.

Root map (clinical-evidence.md §1, textbook consensus; individual overlap is common — Iversen
2013 BMC Musculoskelet Disord 14:206 found clinical level prediction only modest):
L4 anterior thigh, medial shin, medial malleolus, medial arch; L5 lateral leg, dorsum of the foot,
first web space, great toe; S1 posterior calf, lateral border and sole of the foot, heel.
"""

from __future__ import annotations

from typing import Any

from groundup.exam.common import Builder, suggest
from groundup.exam.validation import check_value

#: pain region id -> (display, body part, dermatome or None when not dermatome-specific)
REGIONS: dict[str, tuple[str, str, str | None]] = {
    "heel_plantar": ("Heel, underside", "foot", "S1"),
    "arch_medial": ("Inner arch", "foot", "L4"),
    "medial_ankle_retromalleolar": ("Behind the inner ankle bone", "foot", "L4"),
    "lateral_hindfoot": ("Outer hindfoot", "foot", None),
    "forefoot_web_space_3": ("Third web space", "foot", None),
    "forefoot_plantar": ("Ball of the foot", "foot", None),
    "dorsum_foot": ("Top of the foot", "foot", "L5"),
    "sole_lateral": ("Outer sole", "foot", "S1"),
    "sole_whole": ("Whole sole", "foot", None),
    "sole_medial": ("Inner sole", "foot", None),
    "toes": ("Toes", "foot", None),
    "midfoot": ("Midfoot", "foot", None),
    "posterior_calf": ("Back of the calf", "leg", "S1"),
    "lateral_leg": ("Outer lower leg", "leg", "L5"),
    "medial_shin": ("Inner shin", "leg", "L4"),
    "knee": ("Knee", "leg", None),
    "anterior_thigh": ("Front of the thigh", "thigh", "L4"),
    "posterior_thigh": ("Back of the thigh", "thigh", None),
    "buttock": ("Buttock", "pelvis", None),
    "groin": ("Groin", "pelvis", None),
    "lateral_hip": ("Outer hip", "pelvis", None),
    "low_back": ("Low back", "spine", None),
    "thoracolumbar": ("Thoracolumbar junction", "spine", None),
}

PATTERN_SOURCE = "clinical-evidence.md §1 root map (textbook consensus); Iversen 2013"


def pain_findings(pain_map: Any, b: Builder) -> None:
    """``pain.<region>`` (NRS 0-10, per side) for each entry, then the dermatomal pattern."""
    if pain_map is None:
        return
    if not isinstance(pain_map, list):
        b.problem("history.pain_map", "must be a list of {region, side, nrs}")
        return
    valid = []
    for i, entry in enumerate(pain_map):
        path = f"history.pain_map[{i}]"
        if not isinstance(entry, dict):
            b.problem(path, "must be {region, side, nrs}")
            continue
        region, side, nrs = entry.get("region"), entry.get("side"), entry.get("nrs")
        if region not in REGIONS:
            b.problem(f"{path}.region", f"unknown region {region!r}{suggest(region, REGIONS)}")
            continue
        if side not in ("left", "right", "bilateral", "central"):
            b.problem(f"{path}.side", f"{side!r} is not left/right/bilateral/central")
            continue
        msg = check_value("pain", nrs)
        if msg:
            b.problem(f"{path}.nrs", msg)
            continue
        valid.append(entry)
        b.add(f"pain.{region}", nrs, side=side, unit="{score}",
              display=f"Pain NRS: {REGIONS[region][0].lower()}", field_path=path,
              source="intake")
    for root, side, regions in dermatomal_patterns(valid):
        b.add("pain.derived.dermatomal_pattern", root, side=side, source="intake",
              display="Pain map follows a dermatome", confidence="low",
              qualifiers={"regions": regions}, interpretation={"source": PATTERN_SOURCE},
              field_path="history.pain_map")


def dermatomal_patterns(pain_map: list[dict]) -> list[tuple[str, str, list[str]]]:
    """``(root, side, regions)`` for each side whose pain follows one dermatome.

    A pattern needs at least two painful regions of the same dermatome on one side, at least one
    of them below the knee (a single painful heel is not a dermatomal pattern: plantar heel pain
    is usually local). A bilateral entry counts for both sides.
    """
    out = []
    for side in ("left", "right"):
        by_root: dict[str, list[str]] = {}
        for e in pain_map:
            if e["side"] not in (side, "bilateral") or e.get("nrs", 0) <= 0:
                continue
            root = REGIONS[e["region"]][2]
            if root:
                by_root.setdefault(root, []).append(e["region"])
        below_knee = {r for r, v in REGIONS.items() if v[1] in ("foot", "leg")}
        best = [(len(regs), root, regs) for root, regs in by_root.items()
                if len(regs) >= 2 and below_knee & set(regs)]
        if best:
            best.sort(reverse=True)
            if len(best) == 1 or best[0][0] > best[1][0]:
                out.append((best[0][1], side, best[0][2]))
    return out
