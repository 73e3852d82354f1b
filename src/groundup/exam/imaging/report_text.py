"""Numbers stated in a radiology report string, by small documented text rules.

Leg-length difference (``imaging.<study>.leg_length_difference_mm``, studies
:data:`LLD_STUDIES`). A statement is ``<left|right> <limb|leg|lower limb|femur|tibia>
[is] <N> mm short[er]|long[er]`` or ``<side> <segment> [is] short[er]|long[er] by <N> mm``:

1. a whole-limb statement (``limb``/``leg``) gives the value; several whole-limb statements
   that disagree give nothing;
2. otherwise one segment statement (``right tibia 14 mm shorter``) gives the value only when
   the report states the other segment equal (``femora equal``);
3. anything else (two segments, no equality statement, "no discrepancy") gives nothing:
   segments are never added up, and no value is produced that the text does not state.

``longer`` makes the other side the short side. The finding is marked
``qualifiers.derived_from = "free_text"`` and keeps the matched statement.
"""

from __future__ import annotations

import re

LLD_STUDIES = ("scanogram_long_leg", "xray_pelvis_ap")
_SEG = r"(?P<seg>lower\s+limb|limb|leg|femur|tibia)"
_NUM = r"(?P<mm>\d+(?:\.\d+)?)\s*mm"
_STATEMENTS = (
    re.compile(rf"\b(?P<side>left|right)\s+{_SEG}\s+(?:is\s+)?{_NUM}\s+"
               r"(?P<dir>shorter|short|longer|long)\b"),
    re.compile(rf"\b(?P<side>left|right)\s+{_SEG}\s+(?:is\s+)?(?P<dir>shorter|longer)\s+by\s+"
               rf"{_NUM}"),
)
_EQUAL = {"femur": re.compile(r"\b(?:femora|femurs|femoral lengths?)\s+(?:are\s+)?equal"),
          "tibia": re.compile(r"\b(?:tibiae|tibias|tibial lengths?)\s+(?:are\s+)?equal")}
RULE = "groundup.exam.imaging.report_text leg-length rule on free text"


def _statements(text: str) -> list[dict]:
    found = []
    for pattern in _STATEMENTS:
        for m in pattern.finditer(text):
            side = m["side"]
            if m["dir"].startswith("long"):
                side = "left" if side == "right" else "right"
            seg = "limb" if m["seg"] in ("leg", "limb", "lower limb") else m["seg"]
            found.append({"short_side": side, "mm": float(m["mm"]), "segment": seg,
                          "statement": m.group(0)})
    return found


def leg_length_from_report(report: str) -> dict | None:
    """The leg-length difference a report states: ``{short_side, mm, basis, statement}``.

    Parameters
    ----------
    report
        Radiology report text (scanogram or standing AP pelvis).

    Returns
    -------
    dict or None
        ``mm`` in millimetres, ``short_side`` ``left``/``right``, ``basis`` ``"limb"`` or e.g.
        ``"tibia (femur stated equal)"``; ``None`` when the report states no usable value.
    """
    if not isinstance(report, str):
        return None
    text = report.lower()
    found = _statements(text)
    limb = [s for s in found if s["segment"] == "limb"]
    if limb:
        if len({(s["short_side"], s["mm"]) for s in limb}) > 1:
            return None
        return {**limb[0], "basis": "limb"}
    if len(found) != 1:
        return None
    seg = found[0]["segment"]
    other = "tibia" if seg == "femur" else "femur"
    if not _EQUAL[other].search(text):
        return None
    return {**found[0], "basis": f"{seg} ({other} stated equal)"}
