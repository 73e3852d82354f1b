"""Questionnaire findings: scored administrations and the case file's already-computed scores."""

from __future__ import annotations

from typing import Any

from groundup.exam.common import NOT_DONE, Builder, is_number, suggest
from groundup.exam.questionnaires.definitions import band, definition
from groundup.exam.questionnaires.scoring import Score, start_back_risk


def score_findings(s: Score, b: Builder) -> None:
    """Findings for a :class:`Score` (same codes as the case file's questionnaire values)."""
    d = definition(s.instrument)
    q = {"version": s.version, "answered": len(s.answered), "missing": list(s.missing)}
    if s.instrument == "start_back":
        _start_back(int(s.value), int(s.subscales["distress"]), b, q)
        return
    if d["scoring"]["method"] == "raw_sum_t_table":  # PROMIS: raw score, T-score only from a table
        common = dict(source="questionnaire", confidence="high", qualifiers=q)
        b.add(f"{d['finding_code']}.raw_score", s.value, unit="{score}",
              display=f"{d['name']} raw score", interpretation={
                  "note": " ".join(s.notes), "licence": d["licence"]["status"]}, **common)
        if s.t_score is not None:
            b.add(f"{d['finding_code']}.t_score", s.t_score, unit="{T-score}",
                  display=f"{d['name']} T-score", interpretation={
                      "se": s.t_score_se, "source": " ".join(s.notes),
                      "higher_is_better": d["higher_is_better"]}, **common)
        return
    for sub, value in s.subscales.items():
        if value is not None:
            _add_value(d["subscales"][sub]["finding_code"], value, b, qualifiers=q,
                       instrument=(s.instrument, sub))
    if s.value is not None:
        _add_value(d["finding_code"], s.value, b, qualifiers=q, instrument=(s.instrument, None))


#: case-file key -> (definition id, subscale)
CASE_KEYS = {
    "pain_nrs": ("pain_nrs", None), "first_step_pain_nrs": ("first_step_pain_nrs", None),
    "odi_percent": ("odi", None), "rmdq": ("rmdq", None),
    "faam_adl_percent": ("faam", "adl"), "faam_sports_percent": ("faam", "sports"),
}
RANGES = {"pain_nrs": (0, 10), "first_step_pain_nrs": (0, 10), "odi_percent": (0, 100),
          "rmdq": (0, 24), "faam_adl_percent": (0, 100), "faam_sports_percent": (0, 100)}


def _add_value(code: str, value: float, b: Builder, qualifiers: dict | None = None,
               instrument: tuple[str, str | None] | None = None) -> None:
    inst, sub = instrument or CASE_KEYS[code.split(".", 1)[1]]
    d = definition(inst)
    m = d["subscales"][sub].get("mcid") if sub else d.get("mcid")
    interp = {"mcid": m, "higher_is_better": d["higher_is_better"],
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
