"""Derived leg-length observations: tape, crest and block measurements, and the radiograph.

``derived.true_lld_mm`` is the true (tape) difference, ``derived.apparent_lld_mm`` the largest
apparent shortening (apparent tape, low iliac crest, block test), ``derived.block_test_mm`` the
block that levels the crests, ``derived.imaging_lld_mm`` the radiograph's difference.
``derived.structural_lld_mm`` is the best measurement of the
anatomic difference: a radiograph (scanogram / standing long-leg film, or an AP pelvis report,
``imaging.<study>.leg_length_difference_mm`` from the exam package) when there is one, else the
tape. Radiographic measurement is the reference method (Knutson 2005 Chiropr Osteopat 13:11,
clinical-evidence.md §8); tape accuracy is only about 5-10 mm (UNVERIFIED). Side = short side.
"""

from __future__ import annotations

from groundup.findings import Finding
from groundup.reasoning.evidence import OTHER, FindingIndex, _num

#: report-derived leg-length codes, preferred in this order (whole-limb films first)
IMAGING_LLD_CODES = (
    "imaging.scanogram_long_leg.leg_length_difference_mm",
    "imaging.xray_pelvis_ap.leg_length_difference_mm",
)


def derived(
    code: str, value, side: str = "none", *, display: str, unit: str | None = None,
    method: str = "groundup.reasoning.derive",
) -> Finding:
    """A ``derived.*`` finding computed by the reasoning (moderate confidence)."""
    return Finding(
        code=code,
        display=display,
        value=value,
        unit=unit,
        side=side,
        source="derived",
        confidence="moderate",
        provenance={"method": method},
    )


def side_diff(index: FindingIndex, code: str) -> tuple[str, float] | None:
    """``(smaller side, |left - right|)`` of a per-side number, or ``None``."""
    v = {s: _num(x) for s, x in index.sided(code).items()}
    if v.get("left") is None or v.get("right") is None:
        return None
    diff = v["left"] - v["right"]
    return ("right" if diff > 0 else "left" if diff < 0 else "none"), abs(diff)


def imaging_lld(index: FindingIndex) -> tuple[float, str] | None:
    """``(mm, short side)`` from a radiograph report, or ``None``."""
    for code in IMAGING_LLD_CODES:
        for f in index.get(code):
            mm = _num(f.value)
            if mm is not None and (f.side in OTHER or mm == 0):
                return mm, f.side if f.side in OTHER else "none"
    return None


def _tape_and_block(index: FindingIndex, out: list[Finding]) -> None:
    true = side_diff(index, "exam.leg_length.true_tape_mm")
    if true:
        side, diff = true  # the side with the smaller length is short
        out.append(
            derived(
                "derived.true_lld_mm",
                diff,
                side,
                display="True leg-length difference, short side",
                unit="mm",
            )
        )
    block_side = index.value("exam.leg_length.block_test_side")
    block_mm = _num(index.value("exam.leg_length.block_test_level_mm"))
    if block_side in OTHER and block_mm is not None:
        out.append(
            derived(
                "derived.block_test_mm",
                block_mm,
                block_side,
                display="Block test: block under this side levels the crests",
                unit="mm",
            )
        )
    candidates: list[tuple[float, str]] = []
    app = side_diff(index, "exam.leg_length.apparent_tape_mm")
    if app and app[0] != "none":
        candidates.append((app[1], app[0]))
    for side_code, mm_code in (
        (
            "exam.leg_length.standing_iliac_crest_low_side",
            "exam.leg_length.standing_iliac_crest_diff_mm",
        ),
        ("exam.leg_length.block_test_side", "exam.leg_length.block_test_level_mm"),
        ("exam.leg_length.apparent_supine_short_side", "exam.leg_length.apparent_supine_diff_mm"),
    ):
        side, mm = index.value(side_code), _num(index.value(mm_code))
        if side in OTHER and mm is not None:
            candidates.append((mm, side))
    if candidates:
        mm, side = max(candidates)
        out.append(
            derived(
                "derived.apparent_lld_mm",
                mm,
                side,
                display="Apparent shortening (tape, crest or block), short side",
                unit="mm",
            )
        )


def leg_length(index: FindingIndex, out: list[Finding]) -> None:
    """All leg-length derived findings (see the module docstring)."""
    _tape_and_block(index, out)
    best = imaging_lld(index)
    method = "radiograph"
    if best is not None:
        out.append(
            derived(
                "derived.imaging_lld_mm",
                best[0],
                best[1],
                display="Leg-length difference on a radiograph, short side",
                unit="mm",
            )
        )
    if best is None:
        tape = side_diff(index, "exam.leg_length.true_tape_mm")
        best, method = ((tape[1], tape[0]) if tape else None), "tape"
    if best is not None:
        mm, side = best
        out.append(
            derived(
                "derived.structural_lld_mm",
                mm,
                side,
                display=f"Structural leg-length difference ({method}), short side",
                unit="mm",
            )
        )
