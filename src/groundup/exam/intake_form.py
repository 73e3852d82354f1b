"""The structured intake form: what a foot/back clinic asks before the exam, as findings.

The case files carry most of these items as free text (``aggravating``, ``easing``,
``prior_treatment``, ``activity``); the form records them in structured form. It is read from
``history.intake_form`` of a case record (a groundup extension of the case format) or passed to
:func:`intake_form_findings` directly. All keys are optional; each bad entry gives one problem
naming its field and the other entries are kept.

=====================  ========================================================================
key                    value
=====================  ========================================================================
``symptoms``           symptom ids (:data:`groundup.exam.intake.SYMPTOMS`): low-back pain when
                       standing or walking, hip pain with foot stiffness, foot pain after long
                       sitting, pain radiating back->foot or foot->back, first-step heel pain...
``duration_weeks``     how long the presenting complaint has lasted (weeks, 0-5200)
``onset``              ``{mode: sudden|gradual|after_injury|unknown, trigger: text}``
``aggravating``,       lists of :data:`FACTORS` (standing, walking, sitting, first steps,
``easing``             night, ...)
``numbness_tingling``  list of ``{area, side, kind: numbness|tingling|both}``; area = a pain-map
                       region or a sensation area (``numbness_areas`` = older alias)
``old_injuries``       list of ``{site, side, years_ago, changed_gait: bool}``
``activity_level``     :data:`ACTIVITY_LEVELS`
``sports``             list of sport names, or ``{sport, hours_per_week}``
``footwear``           text, or ``{usual: text, orthoses: bool, heel_drop_mm: number}``
``prior_treatments``   list of ``{treatment, response: better|same|worse}``
=====================  ========================================================================
"""

from __future__ import annotations

from typing import Any

from groundup.exam.common import Builder, is_number, suggest
from groundup.exam.intake import symptom_findings
from groundup.exam.pain_map import REGIONS
from groundup.exam.physical import SENSATION_AREAS

FACTORS = ("standing", "walking", "sitting", "first_steps", "night", "bending", "lifting",
           "cough_sneeze", "rest", "stairs", "running")
ACTIVITY_LEVELS = ("sedentary", "light", "moderate", "vigorous")
ONSET_MODES = ("sudden", "gradual", "after_injury", "unknown")
NUMBNESS_KINDS = ("numbness", "tingling", "both")
SIDES = ("left", "right", "bilateral", "central")
AREAS = tuple(REGIONS) + tuple(a for a in SENSATION_AREAS if a not in REGIONS)
#: plausibility limits (groundup): they catch typing errors only
MAX_WEEKS = 5200
MAX_YEARS = 100
MAX_SPORT_HOURS = 60
MAX_HEEL_DROP_MM = 100
KEYS = ("symptoms", "duration_weeks", "onset", "aggravating", "easing", "numbness_tingling",
        "numbness_areas", "old_injuries", "activity_level", "sports", "footwear",
        "prior_treatments")


def _list(form: dict, key: str, path: str, b: Builder) -> list:
    value = form.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        b.problem(path, "must be a list")
        return []
    return value


def _number(value: Any, hi: float, path: str, b: Builder, unit: str) -> bool:
    if not is_number(value) or not 0 <= value <= hi:
        b.problem(path, f"{value!r} must be a number 0..{hi} {unit}")
        return False
    return True


def intake_form_findings(form: Any, b: Builder, *, prefix: str = "intake") -> None:
    """Findings of a structured intake form (see the module docstring for the keys).

    Codes: ``symptom.<id>``, ``history.onset_weeks`` (duration), ``history.onset_mode``,
    ``history.aggravating.<factor>``, ``history.easing.<factor>``,
    ``symptom.numbness.<area>`` / ``symptom.tingling.<area>`` (per side),
    ``history.old_injury.<site>`` (value: changed the gait), ``history.activity_level``,
    ``history.sport.<sport>``, ``history.footwear`` (+ ``history.footwear.orthoses``,
    ``history.footwear.heel_drop_mm``), ``history.prior_treatment.<treatment>`` (response).
    """
    if not isinstance(form, dict):
        if form is not None:
            b.problem(prefix, "the intake form must be a mapping")
        return
    for key in form:
        if key not in KEYS:
            b.problem(f"{prefix}.{key}", f"unknown intake item{suggest(key, KEYS)}")
    if form.get("symptoms") is not None:
        before = len(b.problems)
        symptom_findings(form["symptoms"], b)
        for i in range(before, len(b.problems)):  # name the form's field, not the case's
            p = b.problems[i]
            b.problems[i] = type(p)(f"{prefix}.symptoms", p.message, p.line)
    _timing(form, b, prefix)
    for key in ("aggravating", "easing"):
        for factor in _list(form, key, f"{prefix}.{key}", b):
            if factor not in FACTORS:
                b.problem(f"{prefix}.{key}", f"unknown factor {factor!r}{suggest(factor, FACTORS)}"
                          f"; use one of {list(FACTORS)}")
                continue
            b.add(f"history.{key}.{factor}", True, display=f"{key.capitalize()}: {factor}",
                  field_path=f"{prefix}.{key}", source="intake")
    _numbness(form, b, prefix)
    _injuries_and_treatments(form, b, prefix)
    _activity_and_footwear(form, b, prefix)


def _timing(form: dict, b: Builder, prefix: str) -> None:
    weeks = form.get("duration_weeks")
    if weeks is not None and _number(weeks, MAX_WEEKS, f"{prefix}.duration_weeks", b, "weeks"):
        b.add("history.onset_weeks", weeks, unit="wk", source="intake",
              display="Duration of the presenting complaint",
              field_path=f"{prefix}.duration_weeks")
    onset = form.get("onset")
    if onset is None:
        return
    if not isinstance(onset, dict) or onset.get("mode") not in ONSET_MODES:
        mode = onset.get("mode") if isinstance(onset, dict) else onset
        b.problem(f"{prefix}.onset.mode", f"{mode!r} is not one of {list(ONSET_MODES)}"
                  f"{suggest(mode, ONSET_MODES)}")
        return
    b.add("history.onset_mode", onset["mode"], display="How the complaint started",
          qualifiers={"trigger": str(onset["trigger"])} if onset.get("trigger") else None,
          field_path=f"{prefix}.onset", source="intake")


def _numbness(form: dict, b: Builder, prefix: str) -> None:
    for key in ("numbness_tingling", "numbness_areas"):
        for i, entry in enumerate(_list(form, key, f"{prefix}.{key}", b)):
            path = f"{prefix}.{key}[{i}]"
            if not isinstance(entry, dict) or "area" not in entry:
                b.problem(path, "needs an area (and side, kind)")
                continue
            area, side = entry["area"], entry.get("side", "none")
            kind = entry.get("kind", "numbness")
            if area not in AREAS:
                b.problem(f"{path}.area", f"unknown area {area!r}{suggest(area, AREAS)}")
            elif side not in SIDES + ("none",):
                b.problem(f"{path}.side", f"{side!r} is not one of {list(SIDES)}")
            elif kind not in NUMBNESS_KINDS:
                b.problem(f"{path}.kind", f"{kind!r} is not one of {list(NUMBNESS_KINDS)}")
            else:
                for k in (("numbness", "tingling") if kind == "both" else (kind,)):
                    b.add(f"symptom.{k}.{area}", True, side=side, field_path=path,
                          display=f"{k.capitalize()}: {area.replace('_', ' ')}",
                          source="intake")


def _injuries_and_treatments(form: dict, b: Builder, prefix: str) -> None:
    for i, injury in enumerate(_list(form, "old_injuries", f"{prefix}.old_injuries", b)):
        path = f"{prefix}.old_injuries[{i}]"
        if not isinstance(injury, dict) or not injury.get("site"):
            b.problem(path, "needs at least a site")
            continue
        changed = injury.get("changed_gait", False)
        if not isinstance(changed, bool):
            b.problem(f"{path}.changed_gait", f"must be true or false, not {changed!r}")
            continue
        years = injury.get("years_ago")
        if years is not None and not _number(years, MAX_YEARS, f"{path}.years_ago", b, "years"):
            continue
        b.add(f"history.old_injury.{injury['site']}", changed, source="intake",
              side=injury.get("side", "none"), field_path=path,
              display=f"Old injury: {injury['site']} (value: changed the gait)",
              qualifiers={"years_ago": years} if years is not None else None)
    treatments = _list(form, "prior_treatments", f"{prefix}.prior_treatments", b)
    for i, treatment in enumerate(treatments):
        path = f"{prefix}.prior_treatments[{i}]"
        response = treatment.get("response") if isinstance(treatment, dict) else None
        if response not in ("better", "same", "worse") or not treatment.get("treatment"):
            b.problem(path, "needs a treatment and a response better/same/worse")
            continue
        b.add(f"history.prior_treatment.{treatment['treatment']}", response, field_path=path,
              source="intake", display=f"Prior treatment: {treatment['treatment']} (response)")


def _activity_and_footwear(form: dict, b: Builder, prefix: str) -> None:
    level = form.get("activity_level")
    if level is not None:
        if level in ACTIVITY_LEVELS:
            b.add("history.activity_level", level, field_path=f"{prefix}.activity_level",
                  source="intake")
        else:
            b.problem(f"{prefix}.activity_level",
                      f"{level!r} is not one of {list(ACTIVITY_LEVELS)}"
                      f"{suggest(level, ACTIVITY_LEVELS)}")
    for i, sport in enumerate(_list(form, "sports", f"{prefix}.sports", b)):
        path = f"{prefix}.sports[{i}]"
        name, hours = (sport.get("sport"), sport.get("hours_per_week")) \
            if isinstance(sport, dict) else (sport, None)
        if not isinstance(name, str) or not name:
            b.problem(path, "needs a sport name")
            continue
        if hours is not None and not _number(hours, MAX_SPORT_HOURS, f"{path}.hours_per_week",
                                             b, "h/wk"):
            continue
        b.add(f"history.sport.{name}", True, field_path=path, source="intake",
              qualifiers={"hours_per_week": hours} if hours is not None else None)
    shoes = form.get("footwear")
    if isinstance(shoes, str) and shoes:
        b.add("history.footwear", shoes, field_path=f"{prefix}.footwear", source="intake")
    elif isinstance(shoes, dict):
        if shoes.get("usual"):
            b.add("history.footwear", str(shoes["usual"]), field_path=f"{prefix}.footwear",
                  source="intake")
        orth = shoes.get("orthoses")
        if orth is not None and not isinstance(orth, bool):
            b.problem(f"{prefix}.footwear.orthoses", f"must be true or false, not {orth!r}")
        elif orth is not None:
            b.add("history.footwear.orthoses", orth, source="intake",
                  field_path=f"{prefix}.footwear.orthoses", display="Wears foot orthoses")
        drop = shoes.get("heel_drop_mm")
        if drop is not None and _number(drop, MAX_HEEL_DROP_MM, f"{prefix}.footwear.heel_drop_mm",
                                        b, "mm"):
            b.add("history.footwear.heel_drop_mm", drop, unit="mm", source="intake",
                  field_path=f"{prefix}.footwear.heel_drop_mm", display="Usual shoe heel drop")
    elif shoes is not None:
        b.problem(f"{prefix}.footwear", "must be text or {usual, orthoses, heel_drop_mm}")

