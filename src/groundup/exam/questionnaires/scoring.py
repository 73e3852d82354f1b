"""Scoring one administration from item responses, as the definition file prescribes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from groundup.exam.common import is_number
from groundup.exam.questionnaires.definitions import (
    QuestionnaireError,
    band,
    check_items,
    definition,
)
from groundup.exam.questionnaires.promis import t_score


@dataclass(frozen=True)
class Score:
    """A scored administration.

    ``value`` is the total (or ``None`` when only subscales exist); ``subscales`` maps a subscale
    to its score; ``band`` is the interpretation band; ``answered``/``missing`` list item ids.
    PROMIS: ``value`` is the raw score; ``t_score``/``t_score_se`` come from the clinic's table
    (``None`` without it) and ``notes`` says which.
    """

    instrument: str
    version: str
    value: float | None
    unit: str
    subscales: dict[str, float | None] = field(default_factory=dict)
    band: str | None = None
    answered: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    t_score: float | None = None
    t_score_se: float | None = None
    notes: tuple[str, ...] = ()


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


def start_back_risk(total: int, distress: int) -> str:
    """Hill 2008 risk group: distress >= 4 high; else total >= 4 medium; else low."""
    if distress >= 4:
        return "high"
    return "medium" if total >= 4 else "low"


def score(instrument: str, responses: dict, *, version: str | None = None,
          t_table: Any = None) -> Score:
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
    t_table
        PROMIS only: the clinic's raw-to-T-score table (a path, or the result of
        :func:`~groundup.exam.questionnaires.promis.load_t_table`). Without it the raw score is
        returned and ``notes`` says that the T-score needs the table.

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
    if "subscales" in d:  # FAAM, MOXFQ, FFI: subscales, each percent of answered
        items = {s: [{"id": i, "min": 0, "max": rule["item_max"]} for i in sub["items"]]
                 for s, sub in d["subscales"].items()}
        check_items(instrument, [i["id"] for its in items.values() for i in its], responses)
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
        total = None
        if rule.get("total"):  # FFI: total % over all applicable items (outcome-measures §5)
            all_items = [i for its in items.values() for i in its]
            total, _, _ = _percent(instrument, all_items, responses, rule["item_max"],
                                   rule["total"]["min_answered"], rule.get("decimals", 1), None,
                                   f"{instrument} total")
        return Score(instrument, version, total, d["unit"], subs, None, tuple(answered),
                     tuple(missing))
    items = d["items"]
    check_items(instrument, [i["id"] for i in items], responses)
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
    if rule["method"] == "raw_sum_t_table":  # PROMIS short forms
        scores = {i["id"]: _item_score(instrument, i, responses.get(i["id"]), None) for i in items}
        missing = [k for k, v in scores.items() if v is None]
        if len(items) - len(missing) < rule["min_answered"]:
            raise QuestionnaireError(f"{instrument}: items not answered: {missing}",
                                     hint=rule.get("min_answered_source"))
        raw = int(sum(v for v in scores.values() if v is not None))
        t, se, notes = t_score(d, version, raw, t_table)
        return Score(instrument, version, raw, d["unit"], answered=tuple(scores),
                     t_score=t, t_score_se=se, notes=notes)
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
