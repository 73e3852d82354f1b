"""Change of the repeated outcome measures since earlier visits, against their MCID.

The case's ``questionnaires`` section is this visit; each entry of ``previous_visits`` holds an
earlier ``questionnaires`` section. Scores are compared with the earliest visit (the baseline),
using the instrument's MCID from its definition file (``knowledge/questionnaires``).
"""

from __future__ import annotations

from typing import Any

from groundup.errors import GroundupError
from groundup.exam.questionnaires import change, definition

#: case questionnaire key -> (instrument definition, subscale)
MEASURES = {
    "pain_nrs": ("pain_nrs", None),
    "first_step_pain_nrs": ("first_step_pain_nrs", None),
    "odi_percent": ("odi", None),
    "rmdq": ("rmdq", None),
    "faam_adl_percent": ("faam", "adl"),
    "faam_sports_percent": ("faam", "sports"),
}


def _score(section: dict[str, Any] | None, key: str) -> float | None:
    v = (section or {}).get(key)
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def follow_up_changes(current: dict[str, Any] | None, previous: list[dict[str, Any]] | None,
                      problems: list[str], *, today: str | None = None) -> list[dict[str, Any]]:
    """One row per measure scored now and at the earliest earlier visit that has it.

    Parameters
    ----------
    current
        This visit's ``questionnaires`` section.
    previous
        The case's ``previous_visits`` (``[{date, questionnaires}]``).
    problems
        Messages about unusable entries are appended here.
    today
        Date of this visit, for the series.

    Each row also holds ``series``: ``[(date, score), ...]`` over every visit that scored the
    measure, oldest first, this visit last.
    """
    rows: list[dict[str, Any]] = []
    visits = [v for v in previous or [] if isinstance(v, dict)]
    visits.sort(key=lambda v: str(v.get("date", "")))
    for key, (instrument, subscale) in MEASURES.items():
        now = _score(current, key)
        if now is None:
            continue
        for visit in visits:
            then = _score(visit.get("questionnaires"), key)
            if then is None:
                continue
            try:
                c = change(instrument, then, now, subscale=subscale)
            except GroundupError as exc:
                problems.append(f"previous_visits ({visit.get('date', '?')}) {key}: {exc}")
                break
            series = [(str(v.get("date", "")), _score(v.get("questionnaires"), key))
                      for v in visits]
            series = [(d, x) for d, x in series if x is not None] + [(today or "now", now)]
            rows.append({"measure": key, "baseline_date": str(visit.get("date", "")),
                         "series": series,
                         "higher_is_better": bool(definition(instrument)["higher_is_better"]),
                         "baseline": then, "current": now, "change": c["change"],
                         "improvement": c["improvement"], "mcid": c["mcid"].get("absolute"),
                         "mcid_source": c["mcid"].get("source"),
                         "verdict": ("important improvement" if c["important"] else
                                     "worse" if c["improvement"] < 0 else
                                     "change below the MCID")})
            break
    return rows
