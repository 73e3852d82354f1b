"""Derived exam findings for leg length (tape, blocks) and lumbar mobility (modified Schober).

Thresholds and their sources:

- Leg-length difference bands (mm): Knutson 2005 Chiropr Osteopat 13:11 and Defrin 2005 Arch
  Phys Med Rehabil 86:2075, clinical-evidence.md §8 (verified). Tape accuracy (+/-5-10 mm) is
  UNVERIFIED there, so tape and block findings carry confidence ``low``.
- Modified Schober: an increase of less than 5 cm on forward flexion is commonly read as reduced
  lumbar flexion (Macrae & Wright 1969 convention). This cut-off is **not in the research pack
  (UNVERIFIED)**; the finding is marked ``verified: False``.
"""

from __future__ import annotations

from typing import Any

from groundup.exam.common import Builder, is_number
from groundup.exam.validation import check_value

#: leg-length difference bands (Knutson 2005, clinical-evidence.md §8): (upper limit mm, band)
LLD_BANDS_MM = ((5.0, "normal_variation"), (10.0, "may_matter_trial_of_lift"),
                (20.0, "mild_to_moderate"), (float("inf"), "clinically_significant"))
LLD_SOURCE = ("Knutson 2005 (<5 mm normal variation, ~20 mm clinically significant); "
              "Defrin 2005 (5-10 mm trial); tape accuracy +/-5-10 mm UNVERIFIED")
#: modified Schober: increase (cm) below which lumbar flexion is called reduced (UNVERIFIED)
SCHOBER_REDUCED_CM = 5.0
SCHOBER_SOURCE = ("Macrae & Wright 1969 convention (<5 cm increase = reduced lumbar flexion); "
                  "not in the research pack, UNVERIFIED")


def lld_band(diff_mm: float) -> str:
    """Band of a leg-length difference (mm) per Knutson 2005 (see :data:`LLD_BANDS_MM`)."""
    for upper, name in LLD_BANDS_MM:
        if diff_mm < upper:
            return name
    return LLD_BANDS_MM[-1][1]  # pragma: no cover


def _sides(block: Any, key: str) -> dict:
    v = block.get(key) if isinstance(block, dict) else None
    return {s: x for s, x in v.items() if is_number(x)} if isinstance(v, dict) else {}


def leg_length_derived(ll: Any, b: Builder) -> None:
    """True/apparent tape differences and the block-test height, each with its Knutson band.

    ``exam.derived.leg_length_difference_mm`` (true tape, ASIS to medial malleolus) and
    ``exam.derived.apparent_leg_length_difference_mm`` (umbilicus to medial malleolus): side =
    short side. ``exam.derived.block_test_leg_length_difference_mm``: the block height (mm)
    that levelled the iliac crests, side = the side the block was under (the short side);
    ``qualifiers.agrees_with_true_tape`` says whether the tape names the same short side.
    """
    short_by_tape = None
    for key, code in (("true_tape_mm", "exam.derived.leg_length_difference_mm"),
                      ("apparent_tape_mm", "exam.derived.apparent_leg_length_difference_mm")):
        vals = _sides(ll, key)
        if len(vals) != 2 or any(check_value(f"exam.leg_length.{key}", v) for v in vals.values()):
            continue
        diff = abs(vals["left"] - vals["right"])
        side = "none" if diff == 0 else ("left" if vals["left"] < vals["right"] else "right")
        if key == "true_tape_mm":
            short_by_tape = side
        b.add(code, float(diff), unit="mm", side=side, confidence="low",
              display=("True" if key.startswith("true") else "Apparent")
              + " leg-length difference by tape (short side)",
              field_path=f"exam.leg_length.{key}",
              interpretation={"band": lld_band(diff), "source": LLD_SOURCE})
    level = ll.get("block_test_level_mm") if isinstance(ll, dict) else None
    side = ll.get("block_test_side") if isinstance(ll, dict) else None
    if (is_number(level) and check_value("exam.leg_length.block_test_level_mm", level) is None
            and (side in ("left", "right") or level == 0)):
        q = {}
        if short_by_tape in ("left", "right") and level > 0:
            q["agrees_with_true_tape"] = short_by_tape == side
        b.add("exam.derived.block_test_leg_length_difference_mm", float(level), unit="mm",
              side=side if level > 0 else "none", confidence="low", qualifiers=q,
              display="Leg-length difference by blocks (short side)",
              field_path="exam.leg_length.block_test_level_mm",
              interpretation={"band": lld_band(level), "source": LLD_SOURCE})


def extra_derived(exam: dict, b: Builder) -> None:
    """``exam.derived.modified_schober_flag``: ``reduced`` (< 5 cm) or ``within_convention``."""
    rom = exam.get("rom") if isinstance(exam.get("rom"), dict) else {}
    schober = rom.get("modified_schober_cm")
    if is_number(schober) and check_value("exam.rom.modified_schober_cm", schober) is None:
        flag = "reduced" if schober < SCHOBER_REDUCED_CM else "within_convention"
        b.add("exam.derived.modified_schober_flag", flag, confidence="low",
              display="Modified Schober: lumbar flexion", field_path="exam.rom.modified_schober_cm",
              interpretation={"threshold_cm": SCHOBER_REDUCED_CM, "verified": False,
                              "source": SCHOBER_SOURCE})
