"""The patient's version of the assessment: short, plain language, what to do and when to worry.

Texts come from ``knowledge/patient_texts.yaml`` (written for a reading age of about 12); the
numbers a patient needs (exercise dosage, heel-lift height, when to come back) come from the
care plan. Warning signs that need urgent care are always printed, and come first when a red
flag fired.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from groundup.case.result import CaseResult
from groundup.report.html import esc, page

EXTRA_CSS = """
body{font-size:1.08em;max-width:44em}
.urgent{border:3px solid #b71c1c;background:#ffebee;padding:.6em 1em;margin:1em 0}
.urgent h2{color:#b71c1c;border:none}
.warn{border:2px solid #e65100;background:#fff8e1;padding:.4em 1em;margin:1.5em 0}
li{margin:.3em 0}
"""
#: Conditions shown to the patient: the leading one, and others at least this likely.
SHOW_PROBABILITY = 0.3


@lru_cache(maxsize=1)
def texts() -> dict[str, Any]:
    """The patient texts (conditions, links, warning signs, plan items)."""
    raw = resources.files("groundup.knowledge").joinpath("patient_texts.yaml").read_text(
        encoding="utf-8")
    return yaml.safe_load(raw)


def _found(a: dict[str, Any]) -> str:
    t = texts()["conditions"]
    conds = a.get("conditions") or []
    if a.get("status") != "determined" or not conds:
        return ("<p>We do not have enough information yet to say what is causing your pain. "
                "Your clinician will do a few more tests; the plan below is what we can already "
                "start.</p>")
    shown = [conds[0]] + [c for c in conds[1:3] if float(c.get("probability", 0))
                          >= SHOW_PROBABILITY]
    items = []
    for c in shown:
        entry = t.get(c["id"], {})
        side = f" ({c['side']} side)" if c.get("side") in ("left", "right") else ""
        items.append(f"<li><b>{esc(entry.get('name', c['id'].replace('_', ' ')))}{esc(side)}"
                     f"</b><br>{esc(entry.get('text', ''))}</li>")
    return f"<p>What most likely explains your symptoms:</p><ul>{''.join(items)}</ul>"


def _heel_lift(params: dict[str, Any]) -> str:
    """The heel-raise prescription in plain words."""
    side = params.get("side")
    start, target = params.get("start_mm"), params.get("target_mm")
    text = f"start with a {start} mm raise" if start else "a small raise"
    if side in ("left", "right"):
        text += f" in your {side} shoe"
    if target and target != start:
        text += f"; your clinician will build it up slowly to about {target} mm"
    return text


def _todo(plan: dict[str, Any]) -> str:
    names, cats = texts()["plan_items"], texts()["categories"]
    groups: dict[str, list[str]] = {}
    for it in plan.get("items") or []:
        if it.get("category") == "follow_up":
            continue  # said under "When to come back"
        name = names.get(it["id"], it["id"].replace("_", " ").capitalize())
        detail = it.get("patient_text") or it.get("dosage") or ""
        params = it.get("parameters") or {}
        if it["id"] in ("heel_lift_short_side", "external_sole_buildup") and params:
            detail = _heel_lift(params)
        groups.setdefault(cats.get(it.get("category"), "Other"), []).append(
            f"<li><b>{esc(name)}</b>{': ' + esc(detail) if detail else ''}</li>")
    if not groups:
        return "<p>Your clinician will talk you through the next steps.</p>"
    return "".join(f"<h3>{esc(g)}</h3><ul>{''.join(v)}</ul>" for g, v in groups.items())


def _come_back(plan: dict[str, Any]) -> str:
    fu = plan.get("follow_up") or {}
    weeks = fu.get("weeks") if isinstance(fu, dict) else None
    plain = texts().get("measures", {})
    measures: list[str] = []
    for m in (fu.get("measures") or [] if isinstance(fu, dict) else []):
        key = str(m.get("measure", "")) if isinstance(m, dict) else ""
        word = plain.get(key) or plain.get(key.split("_")[0]) or key.replace("_", " ")
        if word and word not in measures:
            measures.append(word)
    when = f"in about {weeks} weeks" if weeks else "in about 6 weeks"
    again = (f" We will then repeat: {', '.join(measures[:4])}." if measures else "")
    return (f"<p>Come back {esc(when)} so we can check your progress, or sooner if things get "
            f"worse.{esc(again)}</p>")


def _warning_signs(urgent: bool) -> str:
    w = texts()["warning_signs"]
    items = "".join(f"<li>{esc(x)}</li>" for x in w["items"])
    return (f'<div class="{"urgent" if urgent else "warn"}"><h2>Warning signs: get help at once'
            f"</h2><ul>{items}</ul><p><b>{esc(w['action'])}</b></p></div>")


def patient_html(result: CaseResult) -> str:
    """The complete patient report."""
    a = result.assessment
    urgent = bool(a.get("urgent_referral") or a.get("red_flag"))
    head = ""
    if urgent:
        head = ('<div class="urgent"><h2>You need to be seen urgently</h2><p>Some of your '
                "answers or test results can be a sign of a problem that must be checked "
                "quickly. Your clinician is arranging this now. Please follow the referral "
                "below and do not start the exercises until you have been seen.</p></div>")
    synthetic = ('<p class="banner">Example report made from invented data — not a real '
                 "patient.</p>" if result.synthetic else "")
    link = texts()["links"].get(a.get("link", "undetermined"), "")
    body = (f"<h1>Your foot and back assessment</h1>{synthetic}"
            f'<p class="meta">Visit: {esc(result.visit.get("date") or "today")}</p>{head}'
            f"<h2>What we found</h2>{_found(a)}"
            f"<h2>Are your foot and back connected?</h2><p>{esc(link)}</p>"
            f"<h2>What to do</h2>{_todo(result.plan)}"
            f"<h2>When to come back</h2>{_come_back(result.plan)}"
            f"{_warning_signs(urgent)}"
            "<footer>This summary was prepared with groundup to support your clinician, who "
            "makes the diagnosis and the plan with you. Ask them about anything that is not "
            "clear.</footer>")
    return page("Your foot and back assessment", body, extra_css=EXTRA_CSS)
