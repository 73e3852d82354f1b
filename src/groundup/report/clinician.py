"""The clinician's report of one assessment: summary first, then the evidence, then the plan.

Order: red flags (boxed, at the top), leading diagnoses with probabilities and the foot↔back
link, measured gait, clinical findings, imaging, the evidence for each conclusion with its
source, next tests, the care plan, follow-up targets and change since earlier visits, and what
was left out. Self-contained HTML (inline SVG); :mod:`groundup.report.pdf` renders it to PDF.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from groundup import __version__
from groundup.case.result import CaseResult
from groundup.report.figures import follow_up_svg
from groundup.report.findings_html import findings_sections
from groundup.report.gait_html import gait_sections
from groundup.report.html import esc, inline_svg, page

EXTRA_CSS = """
.redbox{border:3px solid #b71c1c;background:#ffebee;padding:.6em 1em;margin:1em 0}
.redbox h2{color:#b71c1c;border:none;margin-top:.2em}
.amber{border:2px solid #e65100;background:#fff3e0;padding:.4em 1em;margin:1em 0}
.box{border:1px solid #90a4ae;background:#f5f8fa;padding:.4em 1em;margin:1em 0}
.prob{font-variant-numeric:tabular-nums}
"""
DISCLAIMER = ("groundup supports clinical judgement and does not replace it: probabilities come "
              "from published test accuracy and stated assumptions, and the clinician makes the "
              "diagnosis and the plan. Values marked UNVERIFIED are provisional.")


def _words(x: Any) -> str:
    return str(x).replace("_", " ")


def _qualifiers(c: dict[str, Any]) -> str:
    keys = ("side", "level", "root", "stage", "magnitude_mm", "web_space", "subtype", "certainty")
    return ", ".join(f"{k.replace('_', ' ')} {c[k]}" for k in keys if c.get(k) not in (None, ""))


def red_flag_box(a: dict[str, Any]) -> str:
    """The boxed red-flag section (empty string when none fired)."""
    if not a.get("red_flag"):
        return ""
    details = {d.get("id"): d for d in a.get("red_flag_details") or [] if isinstance(d, dict)}
    items = []
    for rf in a.get("red_flags") or []:
        d = details.get(rf, {})
        why = d.get("because") or d.get("evidence") or d.get("reason") or ""
        if isinstance(why, list):
            why = "; ".join(map(str, why))
        action = d.get("action") or ""
        items.append(f"<li><b>{esc(_words(rf))}</b>{': ' + esc(why) if why else ''}"
                     f"{' — ' + esc(action) if action else ''}</li>")
    refs = "".join(f"<li>{esc(_words(r.get('to')))} — <b>{esc(r.get('priority'))}</b>"
                   f"{': ' + esc(r.get('reason')) if r.get('reason') else ''}</li>"
                   for r in a.get("referrals") or [])
    urgent = ("<p><b>Urgent referral.</b> The biomechanical plan is deferred until the red flag "
              "is cleared.</p>" if a.get("urgent_referral") else "")
    return (f'<div class="redbox"><h2>RED FLAG</h2><ul>{"".join(items)}</ul>{urgent}'
            f"{f'<p>Referrals:</p><ul>{refs}</ul>' if refs else ''}</div>")


def summary_section(a: dict[str, Any]) -> str:
    """Status, leading diagnoses with probability, the link and amber flags."""
    status = a.get("status", "insufficient_information")
    head = ("<p><b>Insufficient information</b> to commit to a diagnosis; the tests below "
            "would decide it.</p>" if status != "determined" else "")
    rows = "".join(
        f"<tr><td>{i}</td><td>{esc(_words(c.get('id')))}</td><td>{esc(_qualifiers(c))}</td>"
        f'<td class="prob num">{float(c.get("probability", 0)):.2f}</td></tr>'
        for i, c in enumerate((a.get("conditions") or [])[:5], start=1))
    table = (f"<table><tr><th>#</th><th>Condition</th><th>Qualifiers</th><th>Probability</th>"
             f"</tr>{rows}</table>" if rows else "<p>No condition ranked.</p>")
    link = a.get("link", "undetermined")
    ld = a.get("link_detail") or {}
    mech = ld.get("mechanism") or ld.get("explanation") or ""
    conf = ld.get("confidence")
    arrows = "".join(f"<li>{esc(_words(x.get('from')))} → {esc(_words(x.get('to')))}"
                     f"{' via ' + esc(x.get('via')) if x.get('via') else ''}"
                     f"{' (' + esc(x.get('confidence')) + ')' if x.get('confidence') else ''}</li>"
                     for x in ld.get("arrows") or [] if isinstance(x, dict))
    amber = "".join(f"<li>{esc(_words(x))}</li>" for x in a.get("amber_flags") or [])
    return (f"{head}{table}<div class=\"box\"><p><b>Foot ↔ back link: {esc(_words(link))}</b>"
            f"{' (confidence ' + esc(conf) + ')' if conf else ''}</p>"
            f"{'<p>' + esc(mech) + '</p>' if mech else ''}"
            f"{'<ul>' + arrows + '</ul>' if arrows else ''}</div>"
            f"{'<div class=amber><b>Amber flags</b><ul>' + amber + '</ul></div>' if amber else ''}")


def _evidence_rows(items: list[dict[str, Any]]) -> str:
    rows = []
    for e in items:
        lr = e.get("likelihood_ratio")
        unver = "" if e.get("verified", True) else " <b>UNVERIFIED</b>"
        note = f" ({esc(e['note'])})" if e.get("note") else ""
        rows.append(f"<tr><td>{esc(e.get('finding') or e.get('feature'))}</td>"
                    f"<td>{esc(e.get('observed', ''))}</td>"
                    f'<td class="num">{esc(lr if lr is not None else "—")}</td>'
                    f"<td>{esc(e.get('source') or '—')}{unver}{note}</td></tr>")
    return "".join(rows)


def evidence_section(a: dict[str, Any]) -> str:
    """Evidence for and against each leading condition with likelihood ratios and sources."""
    out = []
    for key, ex in list((a.get("explanations") or {}).items())[:3]:
        if not isinstance(ex, dict):
            continue
        body = ""
        for title, items in (("For", ex.get("evidence_for") or []),
                             ("Against", ex.get("evidence_against") or [])):
            if items:
                body += (f"<p><b>{title}</b></p><table><tr><th>Finding</th><th>Observed</th>"
                         f"<th>LR</th><th>Source</th></tr>{_evidence_rows(items)}</table>")
        missing = ", ".join(_words(m.get("finding") or m.get("feature"))
                            for m in ex.get("missing") or [])
        prior, post = ex.get("prior"), ex.get("posterior")
        pp = f" — prior {prior:.3f}, posterior {post:.3f}" if prior is not None and post else ""
        gap = f"<p>Not yet examined, would matter: {esc(missing)}</p>" if missing else ""
        out.append(f"<h3>{esc(_words(key))}{esc(pp)}</h3>{body or '<p>No evidence.</p>'}{gap}")
    return "".join(out) or "<p>No explanation available.</p>"


def next_tests_section(a: dict[str, Any]) -> str:
    """The tests the engine asks for, then the most informative others (information gain)."""
    detail = {t.get("id"): t for t in a.get("next_tests_detail") or [] if isinstance(t, dict)}
    asked = list(a.get("next_tests") or [])
    extra = [t for t, d in detail.items() if t not in asked
             and float(d.get("information_gain_bits") or 0) > 0.05][:3]

    def item(test: str) -> str:
        d = detail.get(test, {})
        gain = d.get("information_gain_bits")
        reveals = "; ".join(map(str, (d.get("reveals") or [])[:2]))
        return (f"<li><b>{esc(_words(test))}</b>{' — ' + esc(reveals) if reveals else ''}"
                f"{f' (expected gain {gain:.2f} bits)' if isinstance(gain, float) else ''}</li>")

    out = (f"<p>Requested to decide the diagnosis:</p><ol>{''.join(map(item, asked))}</ol>"
           if asked else "<p>No further test is needed for the decision.</p>")
    if extra:
        out += f"<p>Most informative of the others:</p><ul>{''.join(map(item, extra))}</ul>"
    return out


def plan_section(plan: dict[str, Any]) -> str:
    """Care plan items grouped by category, each with dosage, parameters, reason and source."""
    items = plan.get("items") or []
    if not items:
        return "<p>No care plan items.</p>"
    rows = []
    for it in items:
        params = it.get("parameters") or {}
        extra = "; ".join(f"{_words(k)}: {v}" for k, v in params.items())
        dose = " ".join(x for x in (it.get("dosage"), it.get("progression")) if x)
        rows.append(f"<tr><td>{esc(_words(it.get('category', '')))}</td>"
                    f"<td><b>{esc(_words(it.get('id')))}</b></td>"
                    f"<td>{esc(dose)}{'<br>' + esc(extra) if extra else ''}</td>"
                    f"<td>{esc(it.get('reason') or '')}</td><td>{esc(it.get('source') or '')}</td>"
                    "</tr>")
    excluded = "".join(
        f"<li>{esc(_words(x.get('id')))}{': ' + esc(x['reason']) if x.get('reason') else ''}</li>"
        if isinstance(x, dict) else f"<li>{esc(_words(x))}</li>"
        for x in plan.get("excluded") or [])
    return ("<table><tr><th>Kind</th><th>Item</th><th>Dosage / parameters</th><th>Reason</th>"
            f"<th>Source</th></tr>{''.join(rows)}</table>"
            + (f"<p>Deliberately not proposed:</p><ul>{excluded}</ul>" if excluded else ""))


def follow_up_section(result: CaseResult) -> str:
    """Follow-up targets (MCID) and change since earlier visits."""
    fu = result.plan.get("follow_up") or {}
    weeks = fu.get("weeks") if isinstance(fu, dict) else None
    targets = "".join(
        f"<tr><td>{esc(_words(t.get('measure')))}</td>"
        f'<td class="num">{esc(t.get("baseline", "—"))}</td><td>{esc(t.get("mcid", "—"))}</td>'
        f"<td>{esc(t.get('source') or '')}</td></tr>"
        for t in (fu.get("measures") or [] if isinstance(fu, dict) else [])
        if isinstance(t, dict))
    plan = (f"<p>Review in {esc(weeks)} weeks. Success = improvement by at least the MCID:</p>"
            if weeks else "")
    if targets:
        plan += ("<table><tr><th>Measure</th><th>Now</th><th>MCID</th><th>Source</th></tr>"
                 f"{targets}</table>")
    rows = "".join(
        f"<tr><td>{esc(_words(c['measure']))}</td><td>{esc(c.get('baseline_date', ''))}</td>"
        f'<td class="num">{esc(c.get("baseline"))}</td>'
        f'<td class="num">{esc(c.get("current"))}</td>'
        f'<td class="num">{esc(c.get("change"))}</td><td class="num">{esc(c.get("mcid"))}</td>'
        f"<td>{esc(c.get('verdict', ''))}</td></tr>" for c in result.follow_up)
    change = ("<table><tr><th>Measure</th><th>Earlier visit</th><th>Then</th><th>Now</th>"
              f"<th>Change</th><th>MCID</th><th>Verdict</th></tr>{rows}</table>" if rows else
              "<p>No earlier visit to compare with.</p>")
    svg = follow_up_svg(result.follow_up)
    figure = f'<div class="figure">{inline_svg(svg, "fu-")}</div>' if svg else ""
    return f"{plan}<h3>Change since earlier visits</h3>{change}{figure}"


def clinician_html(result: CaseResult, fig_dir: Path) -> str:
    """The complete clinician report for one assessment."""
    a, p = result.assessment, result.patient
    who = ", ".join(x for x in (
        f"{p['age']} y" if p.get("age") is not None else "", p.get("sex") or "",
        f"case {result.case_id}") if x)
    synthetic = ('<div class="banner">SYNTHETIC DEMONSTRATION DATA — generated by groundup, '
                 "not a real patient. Not for clinical decisions.</div>"
                 if result.synthetic else "")
    gait = "".join(f"<h3>Recording: {esc(g.trial)}</h3>"
                   + gait_sections(g, fig_dir / f"gait{i}", level=4, prefix=f"g{i}-")
                   for i, g in enumerate(result.gait))
    omitted = "".join(f"<li>{esc(x)}</li>" for x in result.omitted)
    body = (f"<h1>Foot and back assessment</h1>{synthetic}"
            f'<p class="meta">{esc(who)} · visit {esc(result.visit.get("date") or "—")} · '
            f"groundup {esc(__version__)}</p>"
            f"{red_flag_box(a)}<h2>Summary</h2>{summary_section(a)}"
            f"<h2>Gait</h2>{gait or '<p>No recording analysed.</p>'}"
            f"<h2>Clinical findings</h2>{findings_sections(result.findings, level=3)}"
            f"<h2>Evidence for each conclusion</h2>{evidence_section(a)}"
            f"<h2>Next tests</h2>{next_tests_section(a)}"
            f"<h2>Care plan</h2>{plan_section(result.plan)}"
            f"<h2>Follow-up</h2>{follow_up_section(result)}"
            f"<h2>Left out of this assessment</h2>"
            f"{'<ul>' + omitted + '</ul>' if omitted else '<p>Nothing: every input was used.</p>'}"
            f"<footer>{esc(a.get('disclaimer') or DISCLAIMER)}<br>{esc(DISCLAIMER)}</footer>")
    return page("Foot and back assessment", body, extra_css=EXTRA_CSS)
