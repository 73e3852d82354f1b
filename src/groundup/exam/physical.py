"""Physical examination record -> findings, with range checks and derived side-to-side findings.

The record follows the ``exam`` section of the case format (``../shared/cases/README.md``):
blocks ``foot_posture, palpation, rom, special_tests, neuro, vascular, leg_length`` (and free
text). Every structured value becomes ``exam.<block>.<key>`` (per side where given); lists become
``exam.palpation.<site>`` and ``exam.neuro.sensation.<area>``. Text values of keys without a range
spec are free text for human readers and produce no finding.
"""

from __future__ import annotations

from typing import Any

from groundup.exam.common import NOT_DONE, Builder, is_number, suggest, unit_of
from groundup.exam.exam_derived import (  # noqa: F401  (lld_band re-exported)
    LLD_BANDS_MM,
    extra_derived,
    leg_length_derived,
    lld_band,
)
from groundup.exam.foot_posture import fpi6_category, navicular_drop_flag
from groundup.exam.neuro import MUSCLE_ROOTS, REFLEXES, neuro_derived
from groundup.exam.validation import check_value, spec_for

BLOCKS = ("foot_posture", "palpation", "rom", "special_tests", "special_test_notes", "lumbar",
          "neuro", "vascular", "leg_length", "foot_skin", "observation", "skin", "examiner_note",
          "notes")
LIST_BLOCKS = {"palpation": "site", "sensation": "area"}

#: single-leg heel raise: fewer than this many repetitions, or fewer than this fraction of the
#: other side, is clearly abnormal (heuristic in clinical-evidence.md §5; norm 27.9, Lunsford &
#: Perry 1995)
HEEL_RAISE_MIN_REPS = 10
HEEL_RAISE_MIN_RATIO = 0.5
#: side-to-side difference in a flexibility/ROM measure reported as an asymmetry (heuristic,
#: UNVERIFIED: no source in the research pack gives a threshold)
ROM_ASYMMETRY = {"ankle_dorsiflexion_knee_extended_deg": 5.0, "hip_internal_rotation_deg": 10.0,
                 "popliteal_angle_deg": 10.0, "weight_bearing_lunge_cm": 2.0,
                 "slr_angle_deg": 20.0, "hip_fixed_flexion_deg": 10.0}
#: measures where a larger value means less range (popliteal angle = knee-extension deficit with
#: the hip at 90 deg; fixed flexion = Thomas-test angle)
DEFICIT_MEASURES = ("popliteal_angle_deg", "hip_fixed_flexion_deg")


def _unit(code: str) -> str | None:
    spec = spec_for(code) or {}
    if spec.get("kind") in ("integer", "number"):
        return spec.get("unit") or unit_of(code)
    return None


def _value(code: str, value: Any, side: str, path: str, b: Builder, **kw) -> None:
    msg = check_value(code, value)
    if msg:
        b.problem(path, msg)
        return
    b.add(code, value, side=side, unit=_unit(code), field_path=path, **kw)


#: closed sets of names inside a block: muscle (MRC) keys, reflexes, sensation areas
SENSATION_AREAS = (
    "dorsum_foot_first_web_space", "lateral_border_foot_and_sole", "heel_plantar",
    "medial_shin_and_malleolus", "medial_plantar_nerve_territory",
    "lateral_plantar_nerve_territory", "whole_sole", "interdigital_3rd_web_space",
    "stocking_to_midfoot", "stocking_to_ankle", "stocking_to_mid_shin", "saddle_perianal",
    "lateral_leg", "anterior_thigh")  # ../shared/cases/vocabulary.yaml sensation_areas
NAMED = {"exam.neuro.strength_mrc": ("muscle", tuple(MUSCLE_ROOTS)),
         "exam.neuro.reflexes": ("reflex", REFLEXES)}


def _name_problem(code: str) -> str | None:
    """Message for an unknown muscle or reflex name (``exam.neuro.strength_mrc.<muscle>``)."""
    parent, _, name = code.rpartition(".")
    if parent not in NAMED:
        return None
    what, known = NAMED[parent]
    if name in known:
        return None
    return f"unknown {what} {name!r}{suggest(name, known)}; known: {', '.join(known)}"


def _walk(code: str, value: Any, b: Builder) -> None:
    path = code
    bad_name = _name_problem(code)
    if bad_name:
        b.problem(path, bad_name)
    elif value == NOT_DONE:
        b.add(code, NOT_DONE, field_path=path)
    elif isinstance(value, dict) and value and set(value) <= {"left", "right"}:
        if spec_for(code) is None:
            b.problem(path, f"unknown field{_suggest_key(code)}")
            return
        muscle = code.removeprefix("exam.neuro.strength_mrc.")
        kw = {"qualifiers": {"myotome": list(MUSCLE_ROOTS[muscle])}} \
            if muscle in MUSCLE_ROOTS and muscle != code else {}
        for side, v in value.items():
            _value(code, v, side, f"{path}.{side}", b, **kw)
    elif isinstance(value, dict):
        for key, v in value.items():
            _walk(f"{code}.{key}", v, b)
    elif isinstance(value, list):
        key = LIST_BLOCKS.get(code.rsplit(".", 1)[-1])
        if key is None:
            b.problem(path, "a list is not expected here")
            return
        if code == "exam.neuro.sensation" and not value:
            # the case format defines ``sensation: []`` as "normal throughout"
            # (../shared/cases/README.md, exam.neuro); an empty list must not read as "not done"
            b.add(code, "normal", side="bilateral", display="Sensation normal throughout",
                  field_path=path)
            return
        for i, entry in enumerate(value):
            if not isinstance(entry, dict) or key not in entry or "finding" not in entry:
                b.problem(f"{path}[{i}]", f"must be {{{key}, side, finding}}")
                continue
            msg = check_value(code, entry["finding"]) if code.endswith("sensation") else None
            if code.endswith("sensation") and entry[key] not in SENSATION_AREAS:
                msg = (f"unknown sensation area {entry[key]!r}"
                       f"{suggest(entry[key], SENSATION_AREAS)}")
                b.problem(f"{path}[{i}].area", msg)
                continue
            if msg:
                b.problem(f"{path}[{i}].finding", msg)
                continue
            b.add(f"{code}.{entry[key]}", entry["finding"], side=entry.get("side", "none"),
                  field_path=f"{path}[{i}]")
    elif spec_for(code) is None or code.count(".") < 2:
        if not isinstance(value, str):
            b.problem(path, f"unknown field{_suggest_key(code)}")
    else:
        _value(code, value, "none", path, b)


def _suggest_key(code: str) -> str:
    from groundup.exam.common import load_knowledge

    return suggest(code, load_knowledge("exam_ranges.yaml")["fields"])


def exam_findings(exam: Any, b: Builder) -> None:
    """All findings of an ``exam`` section: recorded values, then derived findings."""
    if exam is None:
        return
    if exam == NOT_DONE:
        b.add("exam", NOT_DONE)
        return
    if not isinstance(exam, dict):
        b.problem("exam", "must be a mapping of exam blocks or 'not_done'")
        return
    for block, value in exam.items():
        if block not in BLOCKS:
            if not isinstance(value, str):
                b.problem(f"exam.{block}", f"unknown exam block{suggest(block, BLOCKS)}")
            continue
        if isinstance(value, str) and value != NOT_DONE:
            continue  # free text
        _walk(f"exam.{block}", value, b)
    _cross_checks(exam, b)
    derived_findings(exam, b)


def _sides(block: Any, key: str) -> dict:
    v = block.get(key) if isinstance(block, dict) else None
    return {s: x for s, x in v.items() if is_number(x)} if isinstance(v, dict) else {}


def _cross_checks(exam: dict, b: Builder) -> None:
    """Impossible combinations between fields."""
    neuro = exam.get("neuro") if isinstance(exam.get("neuro"), dict) else {}
    tested = neuro.get("monofilament_sites_tested")
    for side, felt in _sides(neuro, "monofilament_sites_felt").items():
        if is_number(tested) and felt > tested:
            b.problem(f"exam.neuro.monofilament_sites_felt.{side}",
                      f"{felt} sites felt but only {tested} tested")
    st = exam.get("special_tests") if isinstance(exam.get("special_tests"), dict) else {}
    for key, items, count in (("sij_provocation_positive", "sij_provocation_tests", None),
                              ("hip_oa_sutlive_positive", "hip_oa_sutlive_items", None)):
        n, detail = st.get(key), st.get(items)
        if is_number(n) and isinstance(detail, dict):
            count = sum(1 for v in detail.values() if v == "positive")
            if count != n:
                b.problem(f"exam.special_tests.{key}",
                          f"{n} does not match the {count} positive item(s) in {items}")


def derived_findings(exam: dict, b: Builder) -> None:
    """FPI-6 category, navicular drop flag, root level, and side-to-side asymmetries."""
    fp = exam.get("foot_posture") if isinstance(exam.get("foot_posture"), dict) else {}
    for side, total in _sides(fp, "fpi6").items():
        if check_value("exam.foot_posture.fpi6", total) is None:
            cat = fpi6_category(total)
            b.add("exam.derived.fpi6_category", cat["category"], side=side,
                  display="FPI-6 category", field_path=f"exam.foot_posture.fpi6.{side}",
                  interpretation=cat)
    for side, drop in _sides(fp, "navicular_drop_mm").items():
        if check_value("exam.foot_posture.navicular_drop_mm", drop) is None:
            flag = navicular_drop_flag(drop)
            b.add("exam.derived.navicular_drop_flag", flag["flag"], side=side,
                  display="Navicular drop interpretation", confidence="low",
                  field_path=f"exam.foot_posture.navicular_drop_mm.{side}", interpretation=flag)
    neuro_derived(exam.get("neuro"), b)
    st = exam.get("special_tests") if isinstance(exam.get("special_tests"), dict) else {}
    reps = _sides(st, "single_leg_heel_raise_reps")
    if len(reps) == 2:
        low = min(reps, key=reps.get)
        other = reps["right" if low == "left" else "left"]
        abnormal = reps[low] < HEEL_RAISE_MIN_REPS or (other > 0 and
                                                        reps[low] / other < HEEL_RAISE_MIN_RATIO)
        b.add("exam.derived.heel_raise_asymmetry", float(other - reps[low]),
              unit="{repetitions}", side=low,
              display="Single-leg heel raise deficit (weaker side)",
              field_path="exam.special_tests.single_leg_heel_raise_reps",
              interpretation={"flag": "abnormal" if abnormal else "within_heuristic",
                              "ratio": round(reps[low] / other, 2) if other else None,
                              "source": "clinical-evidence.md §5 heuristic (<10 reps or <50% "
                                        "of the other side); norm 27.9 (Lunsford & Perry 1995)"})
    rom = exam.get("rom") if isinstance(exam.get("rom"), dict) else {}
    for block, key in [("rom", k) for k in ROM_ASYMMETRY if k in rom] + \
            [("special_tests", "slr_angle_deg")]:
        vals = _sides(exam.get(block), key)
        if len(vals) == 2 and abs(vals["left"] - vals["right"]) >= ROM_ASYMMETRY[key]:
            # the more restricted side: the lower range, or the higher deficit angle
            higher = "left" if vals["left"] > vals["right"] else "right"
            lower = "right" if higher == "left" else "left"
            side = higher if key in DEFICIT_MEASURES else lower
            b.add(f"exam.derived.asymmetry.{key}", float(abs(vals["left"] - vals["right"])),
                  unit=unit_of(key), side=side, confidence="low",
                  display=f"Side-to-side difference: {key.replace('_', ' ')} "
                          "(more restricted side)",
                  field_path=f"exam.{block}.{key}",
                  interpretation={"threshold": ROM_ASYMMETRY[key],
                                  "source": "groundup heuristic, UNVERIFIED"})
    leg_length_derived(exam.get("leg_length"), b)
    extra_derived(exam, b)
