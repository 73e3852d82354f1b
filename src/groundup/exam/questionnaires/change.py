"""Change between repeated administrations against the MCID (absolute and relative)."""

from __future__ import annotations

from groundup.exam.common import is_number
from groundup.exam.questionnaires.definitions import QuestionnaireError, definition, mcid_for


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
