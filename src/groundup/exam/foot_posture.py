"""Foot posture: FPI-6 items -> total and category; navicular drop interpretation.

FPI-6 (Redmond 2006 Clin Biomech 21:89): six observational criteria, each scored -2..+2,
total -12..+12. The item wording and scoring sheet are Anthony Redmond's copyright and are not
shipped; only the item identifiers below. Category bands from the FPI-6 user guide as given in
clinical-evidence.md §6: 0..+5 normal and +6..+9 pronated verified (secondary); the
highly-pronated (>= +10) and highly-supinated (<= -5) cut-offs are UNVERIFIED.
"""

from __future__ import annotations

from groundup.errors import GroundupError
from groundup.exam.common import is_number

#: FPI-6 item identifiers (Redmond 2006), in the order of the scoring sheet
FPI6_ITEMS = (
    "talar_head_palpation",
    "curves_above_below_lateral_malleoli",
    "calcaneal_frontal_plane_position",
    "talonavicular_prominence",
    "medial_arch_congruence",
    "forefoot_abduction_adduction",
)

#: (lowest total, highest total, category, verified)
FPI6_BANDS = (
    (-12, -5, "highly_supinated", False),
    (-4, -1, "supinated", True),
    (0, 5, "normal", True),
    (6, 9, "pronated", True),
    (10, 12, "highly_pronated", False),
)
FPI6_SOURCE = ("Redmond 2006 Clin Biomech 21:89; bands from the FPI-6 user guide "
               "(clinical-evidence.md §6; >= +10 and <= -5 cut-offs UNVERIFIED)")

#: navicular drop above which pronation is commonly called excessive (Brody 1982 convention,
#: clinical-evidence.md §6; reliability only fair, Kw 0.40 - weight FPI-6 over it)
NAVICULAR_DROP_EXCESSIVE_MM = 10.0
#: below which a rigid/supinated foot is suggested (same source)
NAVICULAR_DROP_RIGID_MM = 5.0


def fpi6_total(items: dict) -> int:
    """Sum of the six FPI-6 item scores.

    Parameters
    ----------
    items
        Item id (:data:`FPI6_ITEMS`) -> integer score -2..+2. All six are required: the FPI-6
        has no rule for a missing item.

    Raises
    ------
    GroundupError
        Naming the missing, unknown or out-of-range item.
    """
    unknown = sorted(set(items) - set(FPI6_ITEMS))
    if unknown:
        raise GroundupError(f"unknown FPI-6 item(s) {unknown}; items are {list(FPI6_ITEMS)}")
    missing = [i for i in FPI6_ITEMS if i not in items]
    if missing:
        raise GroundupError(f"FPI-6 item(s) {missing} missing",
                            hint="the FPI-6 total needs all six items scored -2..+2")
    for item, score in items.items():
        if not is_number(score) or score != int(score) or not -2 <= score <= 2:
            raise GroundupError(f"FPI-6 item {item!r} = {score!r}: must be a whole number -2..+2")
    return int(sum(items.values()))


def fpi6_category(total: float) -> dict:
    """Category of an FPI-6 total: ``{"category", "verified", "source"}``.

    Raises
    ------
    GroundupError
        If the total is outside -12..+12 or not a whole number.
    """
    if not is_number(total) or total != int(total) or not -12 <= total <= 12:
        raise GroundupError(f"FPI-6 total {total!r} must be a whole number -12..+12")
    for lo, hi, name, verified in FPI6_BANDS:
        if lo <= total <= hi:
            return {"category": name, "verified": verified, "source": FPI6_SOURCE}
    raise AssertionError("bands cover -12..12")  # pragma: no cover


def navicular_drop_flag(drop_mm: float) -> dict:
    """``{"flag": "excessive"|"low"|"normal", "source"}`` for a navicular drop in mm."""
    if drop_mm > NAVICULAR_DROP_EXCESSIVE_MM:
        flag = "excessive"
    elif drop_mm < NAVICULAR_DROP_RIGID_MM:
        flag = "low"
    else:
        flag = "normal"
    return {"flag": flag, "source": "Brody 1982 convention (clinical-evidence.md §6); "
                                    "reliability fair (Kw 0.40)"}
