"""Questionnaire scoring from definition files in ``knowledge/questionnaires/*.yaml``.

Definitions hold items, answer options, scoring rule, missing-item rule, bands, MCID (with
source) and licence; the code here only applies them. Licensed instruments (ODI, RMDQ, STarT
Back) ship no item wording: the clinician enters the item scores from the paper form, or the
wording is loaded from the clinic's licensed file with :func:`load_item_text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from groundup.errors import GroundupError
from groundup.exam.common import NOT_DONE, Builder, is_number, load_knowledge, suggest


class QuestionnaireError(GroundupError):
    """Responses that cannot be scored (missing, out of range, unknown item or version)."""


@cache
def instruments() -> tuple[str, ...]:
    """Ids of the shipped questionnaire definitions."""
    folder = resources.files("groundup") / "knowledge" / "questionnaires"
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml")))


def definition(instrument: str, version: str | None = None) -> dict:
    """The definition of ``instrument``; ``version`` must be one it declares."""
    if instrument not in instruments():
        raise QuestionnaireError(f"unknown questionnaire {instrument!r}"
                                 f"{suggest(instrument, instruments())}",
                                 hint=f"known: {', '.join(instruments())}")
    d = load_knowledge(f"questionnaires/{instrument}.yaml")
    if version is not None and str(version) not in d["versions"]:
        raise QuestionnaireError(f"unknown version {version!r} of {instrument}",
                                 hint=f"groundup scores version(s) {d['versions']}; scores of "
                                      "different versions must not be mixed")
    return d


@dataclass(frozen=True)
class Score:
    """A scored administration.

    ``value`` is the total (or ``None`` when only subscales exist); ``subscales`` maps a subscale
    to its score; ``band`` is the interpretation band; ``answered``/``missing`` list item ids.
    """

    instrument: str
    version: str
    value: float | None
    unit: str
    subscales: dict[str, float | None] = field(default_factory=dict)
    band: str | None = None
    answered: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


def _item_score(instrument: str, item: dict, raw: Any, multiple: str | None) -> float | None:
    """Numeric score of one response; ``None`` for n/a or blank."""
    if raw is None or raw == "n/a":
        return None
    if isinstance(raw, list) and multiple == "highest" and raw:
        return max(_item_score(instrument, item, r, None) for r in raw)
    if "options" in item:
        if raw not in item["options"]:
            raise QuestionnaireError(f"{instrument}.{item['id']}: {raw!r} is not one of "
                                     f"{item['options']}")
        return float(item["option_scores"][item["options"].index(raw)])
    if not is_number(raw) or raw != int(raw) or not item["min"] <= raw <= item["max"]:
        raise QuestionnaireError(f"{instrument}.{item['id']}: {raw!r} must be a whole number "
                                 f"{item['min']}..{item['max']}")
    return float(raw)


def _check_items(instrument: str, known: list[str], responses: dict) -> None:
    unknown = [k for k in responses if k not in known]
    if unknown:
        raise QuestionnaireError(
            f"{instrument}: unknown item(s) {unknown}{suggest(unknown[0], known)}",
            hint=f"items are {known}")


def _percent(instrument: str, items: list[dict], responses: dict, item_max: float,
             min_answered: int, decimals: int, multiple: str | None, label: str):
    scores = {i["id"]: _item_score(instrument, i, responses.get(i["id"]), multiple) for i in items}
    answered = [k for k, v in scores.items() if v is not None]
    missing = [k for k, v in scores.items() if v is None]
    if len(answered) < min_answered:
        raise QuestionnaireError(
            f"{label}: only {len(answered)} of {len(items)} items answered, {min_answered} "
            f"needed; missing: {missing}")
    total = sum(scores[k] for k in answered)
    return round(100.0 * total / (item_max * len(answered)), decimals), answered, missing


def band(d: dict, value: float) -> str | None:
    """Label of the first band whose ``max`` is >= value."""
    for b in d.get("bands") or []:
        if value <= b["max"]:
            return b["label"]
    return None


def start_back_risk(total: int, distress: int) -> str:
    """Hill 2008 risk group: distress >= 4 high; else total >= 4 medium; else low."""
    if distress >= 4:
        return "high"
    return "medium" if total >= 4 else "low"


def score(instrument: str, responses: dict, *, version: str | None = None) -> Score:
    """Score one administration from item responses.

    Parameters
    ----------
    instrument
        Definition id (:func:`instruments`), e.g. ``"odi"``, ``"faam"``, ``"start_back"``.
    responses
        Item id -> score (numbers), option id (items with ``options``), ``None``/``"n/a"`` for
        missing; ODI accepts a list (several statements ticked -> highest).
    version
        Instrument version; defaults to the only/first declared version.

    Raises
    ------
    QuestionnaireError
        Unknown instrument, version or item; out-of-range answer; too many missing items. The
        message names the item.
    """
    d = definition(instrument, version)
    version = str(version or d["versions"][0])
    rule = d["scoring"]
    if not isinstance(responses, dict):
        raise QuestionnaireError(f"{instrument}: responses must map item ids to answers")
    if "subscales" in d:  # FAAM: independent subscales, each percent of answered
        items = {s: [{"id": i, "min": 0, "max": rule["item_max"]} for i in sub["items"]]
                 for s, sub in d["subscales"].items()}
        _check_items(instrument, [i["id"] for its in items.values() for i in its], responses)
        subs, answered, missing = {}, [], []
        for s, its in items.items():
            if not any(responses.get(i["id"]) not in (None,) for i in its):
                subs[s] = None
                continue
            subs[s], a, m = _percent(instrument, its, responses, rule["item_max"],
                                     d["subscales"][s]["min_answered"], rule.get("decimals", 1),
                                     None, f"{instrument} {s}")
            answered += a
            missing += m
        return Score(instrument, version, None, d["unit"], subs, None, tuple(answered),
                     tuple(missing))
    items = d["items"]
    _check_items(instrument, [i["id"] for i in items], responses)
    if rule["method"] == "single":
        raw = responses.get(items[0]["id"])
        if raw is None:
            raise QuestionnaireError(f"{instrument}: {items[0]['id']} not answered")
        value = _item_score(instrument, items[0], raw, None)
        return Score(instrument, version, value, d["unit"], answered=(items[0]["id"],))
    if rule["method"] == "percent_of_answered":
        value, answered, missing = _percent(
            instrument, items, responses, max(i["max"] for i in items), rule["min_answered"],
            rule.get("decimals", 1), rule.get("multiple_answers"), instrument)
        return Score(instrument, version, value, d["unit"], band=band(d, value),
                     answered=tuple(answered), missing=tuple(missing))
    if rule["method"] == "sum":
        scores = {i["id"]: _item_score(instrument, i, responses.get(i["id"]), None) for i in items}
        missing = [k for k, v in scores.items() if v is None]
        if len(items) - len(missing) < rule["min_answered"]:
            raise QuestionnaireError(f"{instrument}: items not answered: {missing}",
                                     hint=rule.get("min_answered_source"))
        total = sum(v for v in scores.values() if v is not None)
        subs = {s: sum(scores[i] or 0 for i in ids) for s, ids in
                (rule.get("subscales") or {}).items()}
        risk = None
        if rule.get("risk_rule") == "hill_2008":
            risk = start_back_risk(int(total), int(subs["distress"]))
        return Score(instrument, version, total, d["unit"], subs, risk or band(d, total),
                     tuple(k for k in scores if k not in missing), tuple(missing))
    raise QuestionnaireError(f"{instrument}: unknown scoring method {rule['method']!r}")


def mcid_for(instrument: str, subscale: str | None = None) -> dict:
    """``{absolute, relative_pct?, source}`` of an instrument or FAAM subscale."""
    d = definition(instrument)
    m = d["subscales"][subscale]["mcid"] if subscale else d.get("mcid")
    if not m:
        raise QuestionnaireError(f"{instrument}{'.' + subscale if subscale else ''} has no MCID"
                                 " in its definition")
    return m


def change(instrument: str, baseline: float, follow_up: float, *,
           subscale: str | None = None) -> dict:
    """Change between two administrations against the MCID (absolute and relative).

    Returns ``{change, improvement, relative_pct, meets_absolute, meets_relative, important,
    mcid}``: ``improvement`` is positive when the patient got better (sign set by
    ``higher_is_better``); ``important`` is true when the improvement reaches the absolute MCID
    or (where defined) the relative one (Ostelo 2008: report both).
    """
    d = definition(instrument)
    m = mcid_for(instrument, subscale)
    for name, v in (("baseline", baseline), ("follow_up", follow_up)):
        if not is_number(v):
            raise QuestionnaireError(f"{instrument} {name} score must be a number, not {v!r}")
    delta = follow_up - baseline
    improvement = delta if d["higher_is_better"] else -delta
    rel = None if baseline == 0 else round(100.0 * improvement / abs(baseline), 1)
    meets_abs = improvement >= m["absolute"]
    meets_rel = None if "relative_pct" not in m or rel is None else rel >= m["relative_pct"]
    return {"change": round(delta, 2), "improvement": round(improvement, 2), "relative_pct": rel,
            "meets_absolute": meets_abs, "meets_relative": meets_rel,
            "important": bool(meets_abs or meets_rel), "mcid": m}


def series_change(instrument: str, scores: list[float], *, subscale: str | None = None) -> list:
    """:func:`change` of every later administration against the first (baseline)."""
    if len(scores) < 2:
        raise QuestionnaireError(f"{instrument}: need at least two administrations")
    return [change(instrument, scores[0], s, subscale=subscale) for s in scores[1:]]


def load_item_text(instrument: str, path: str | Path) -> dict[str, dict]:
    """Item wording from a clinic-supplied, licensed file (YAML).

    The file holds ``{instrument, version, items: {item_id: {text, options?}}}``. Every item id
    must belong to the definition; the version must be one groundup scores.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise QuestionnaireError(f"cannot read item-text file {path.name}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise QuestionnaireError(f"item-text file {path.name} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or data.get("instrument") != instrument:
        raise QuestionnaireError(f"item-text file {path.name} is not for {instrument!r}")
    d = definition(instrument, data.get("version"))
    known = [i["id"] for i in d.get("items", [])] or \
        [i for s in d.get("subscales", {}).values() for i in s["items"]]
    items = data.get("items")
    if not isinstance(items, dict):
        raise QuestionnaireError(f"item-text file {path.name}: 'items' must map item ids to text")
    _check_items(instrument, known, items)
    return items


def score_findings(s: Score, b: Builder) -> None:
    """Findings for a :class:`Score` (same codes as the case file's questionnaire values)."""
    d = definition(s.instrument)
    q = {"version": s.version, "answered": len(s.answered), "missing": list(s.missing)}
    if s.instrument == "start_back":
        _start_back(int(s.value), int(s.subscales["distress"]), b, q)
    elif "subscales" in d:
        for sub, value in s.subscales.items():
            if value is not None:
                _add_value(d["subscales"][sub]["finding_code"], value, b, qualifiers=q)
    else:
        _add_value(d["finding_code"], s.value, b, qualifiers=q)


#: case-file key -> (definition id, subscale)
CASE_KEYS = {
    "pain_nrs": ("pain_nrs", None), "first_step_pain_nrs": ("first_step_pain_nrs", None),
    "odi_percent": ("odi", None), "rmdq": ("rmdq", None),
    "faam_adl_percent": ("faam", "adl"), "faam_sports_percent": ("faam", "sports"),
}
RANGES = {"pain_nrs": (0, 10), "first_step_pain_nrs": (0, 10), "odi_percent": (0, 100),
          "rmdq": (0, 24), "faam_adl_percent": (0, 100), "faam_sports_percent": (0, 100)}


def _add_value(code: str, value: float, b: Builder, qualifiers: dict | None = None) -> None:
    key = code.split(".", 1)[1]
    inst, sub = CASE_KEYS[key]
    d = definition(inst)
    interp = {"mcid": mcid_for(inst, sub), "higher_is_better": d["higher_is_better"],
              "licence": d["licence"]["status"]}
    if band(d, value):
        interp.update(band=band(d, value), source=d.get("bands_source"))
    b.add(code, value, unit=d["unit"], display=d["name"] + (f" ({sub})" if sub else ""),
          source="questionnaire", confidence="high", interpretation=interp,
          qualifiers=qualifiers)


def _start_back(total: int, distress: int, b: Builder, qualifiers: dict | None = None,
                stated_risk: str | None = None, path: str = "questionnaires.start_back") -> None:
    if not (0 <= distress <= 5 and 0 <= total <= 9 and distress <= total
            and total - distress <= 4):
        b.problem(path, f"total {total} / distress {distress} impossible: total 0-9, distress "
                        "0-5, distress <= total, and items 1-4 add at most 4")
        return
    risk = start_back_risk(total, distress)
    if stated_risk is not None and stated_risk != risk:
        b.problem(f"{path}.risk", f"{stated_risk!r} contradicts Hill 2008 for total {total}, "
                                  f"distress {distress} (-> {risk!r})")
        return
    common = dict(source="questionnaire", confidence="high", qualifiers=qualifiers)
    b.add("questionnaire.start_back.total", total, unit="{score}",
          display="STarT Back total score", **common)
    b.add("questionnaire.start_back.distress", distress, unit="{score}",
          display="STarT Back distress subscale", **common)
    b.add("questionnaire.start_back.risk", risk, display="STarT Back risk group",
          interpretation={"source": "Hill 2008 (outcome-measures.md §4)"}, **common)


def case_questionnaire_findings(q: Any, b: Builder) -> None:
    """Findings from a case file's ``questionnaires`` section (already-computed scores)."""
    if q is None:
        return
    if q == NOT_DONE:
        b.add("questionnaire", NOT_DONE, source="questionnaire")
        return
    if not isinstance(q, dict):
        b.problem("questionnaires", "must be a mapping")
        return
    for key, value in q.items():
        path = f"questionnaires.{key}"
        if value == NOT_DONE:
            b.add(f"questionnaire.{key}", NOT_DONE, source="questionnaire", field_path=path)
        elif key == "start_back":
            sb = value if isinstance(value, dict) else {}
            t, dist = sb.get("total"), sb.get("distress")
            if not (is_number(t) and is_number(dist)):
                b.problem(path, "needs numbers total and distress")
                continue
            _start_back(int(t), int(dist), b, stated_risk=sb.get("risk"), path=path)
        elif key in RANGES:
            lo, hi = RANGES[key]
            if not is_number(value) or not lo <= value <= hi:
                b.problem(path, f"{value!r} is outside {lo}..{hi}")
                continue
            if key == "rmdq" and value != int(value):
                b.problem(path, f"{value!r} must be a whole number")
                continue
            _add_value(f"questionnaire.{key}", value, b)
        else:
            b.problem(path, f"unknown questionnaire{suggest(key, list(RANGES) + ['start_back'])}")
