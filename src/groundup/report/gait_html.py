"""The clinician's gait report: one self-contained HTML file.

Figures are inline SVG (text drawn as paths, no fonts); styles are inline; there are no scripts,
no links and no network fetches, so the file opens the same anywhere, offline. Every text that
comes from data is escaped with :func:`html.escape`.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from groundup import __version__
from groundup.gait import plots
from groundup.gait.norms import compare
from groundup.gait.symmetry import symmetry_table
from groundup.report.html import esc, inline_svg, num, page

#: (metric, sides) shown in the summary table, in this order
SUMMARY = [("speed_m_s", ("none",)), ("cadence_steps_min", ("none",)),
           ("stride_length_m", ("left", "right")), ("stance_pct", ("left", "right")),
           ("step_time_s", ("left", "right"))]
FOOTER = ("groundup supports clinical judgement and does not replace it. Measurements, "
          "reference bands and flags must be interpreted by a qualified clinician together with "
          "the history and examination. Reference values marked UNVERIFIED are provisional.")
SYMMETRY_NOTE = (
    '<p class="meta">SI = (R − L) / (0.5 (R + L)) × 100 (Robinson 1987); ratio = larger / smaller'
    " (Patterson 2010). Flags on |SI|: ≤ 5 % normal, &gt; 5 % mild, &gt; 10 % clear, &gt; 20 %"
    ' marked (engine thresholds, <span class="unverified">UNVERIFIED</span>).</p>')



def is_synthetic(result) -> bool:
    """Whether the result comes from synthetic data (metadata ``synthetic`` or source)."""
    return bool((result.metadata or {}).get("synthetic")) or result.source == "synthetic"


def _norm_table(result, age, sex) -> pd.DataFrame:
    if result.norms is not None and not result.norms.empty:
        return result.norms
    return compare(result.spatiotemporal or {}, age=age, sex=sex)


def _value(st: dict, metric: str, side: str) -> Any:
    return st.get(metric) if side == "none" else (st.get(side) or {}).get(metric)


def confidence_of(result, metric: str, side: str = "none") -> str:
    """Confidence grade of a metric: per metric (and per side, ``"left"``/``"right"``) for
    video, per trial otherwise."""
    meta = result.metadata or {}
    by_side = (meta.get("confidence_by_side") or {}).get(side) or {}
    if metric in by_side:
        return str(by_side[metric])
    grades = meta.get("confidence") or {}
    if metric in grades:
        return str(grades[metric])
    for f in result.findings or []:
        if f.code.endswith(metric):
            return f.confidence
    return "—"


def _summary_rows(result, age, sex) -> str:
    nt, st, rows = _norm_table(result, age, sex), result.spatiotemporal or {}, []
    for metric, sides in SUMMARY:
        for side in sides:
            hit = nt[(nt.metric == metric) & (nt.side == side)] if not nt.empty else nt
            if len(hit):
                r = hit.iloc[0].to_dict()
            elif _value(st, metric, side) is not None:
                r = {"value": _value(st, metric, side), "flag": "n/a", "verified": True}
            else:
                continue
            unit = r.get("unit") or ""
            band = ("no reference band" if not math.isfinite(float(r.get("mean", math.nan))) else
                    f"{num(r['mean'], unit)} ± {num(r['sd'], unit)} "
                    f"({num(r['lower'], unit)}–{num(r['upper'], unit)})")
            flag = str(r.get("flag", "n/a"))
            unver = "" if r.get("verified", True) else ' <span class="unverified">UNVERIFIED</span>'
            rows.append(
                f"<tr><td>{esc(plots.metric_label(metric))}</td>"
                f"<td>{esc(side.capitalize() if side != 'none' else '—')}</td>"
                f'<td class="num">{esc(num(r["value"], unit))}</td><td>{esc(band)}</td>'
                f'<td class="num">{esc(num(r.get("z"), decimals=2))}</td>'
                f'<td class="flag-{esc(flag)}">{esc(flag)}</td>'
                f"<td>{esc(confidence_of(result, metric, side))}</td>"
                f"<td title=\"{esc(r.get('note') or '')}\">{esc(r.get('source') or '—')}{unver}"
                "</td></tr>")
    head = ("<tr><th>Measure</th><th>Side</th><th>Value</th><th>Reference mean ± SD (band)</th>"
            "<th>z</th><th>Flag</th><th>Confidence</th><th>Source</th></tr>")
    note = ('<p class="meta">UNVERIFIED: the band rests on a value the evidence file does not '
            "verify or on an assumed SD (hover the source for how the band was built).</p>")
    return f"<table>{head}{''.join(rows)}</table>{note}" if rows else "<p>No summary values.</p>"


def _symmetry_rows(result) -> str:
    sym = result.symmetry
    if sym is None or sym.empty:
        st = result.spatiotemporal or {}
        values = {s: {k: v for k, v in (st.get(s) or {}).items() if isinstance(v, int | float)}
               for s in ("left", "right")}
        sym = symmetry_table(values["left"], values["right"]) if values["left"] else pd.DataFrame()
    if sym.empty:
        return "<p>No bilateral measures.</p>"
    rows = []
    for r in sym.to_dict(orient="records"):
        flag = str(r.get("flag", "n/a"))
        rows.append(
            f"<tr><td>{esc(plots.metric_label(r['metric']))}</td>"
            f'<td class="num">{esc(num(r["left"], decimals=3))}</td>'
            f'<td class="num">{esc(num(r["right"], decimals=3))}</td>'
            f'<td class="num">{esc(num(r["si_pct"], decimals=1))}</td>'
            f'<td class="num">{esc(num(r["ratio"], decimals=3))}</td>'
            f"<td>{esc(r.get('larger_side') or '—')}</td>"
            f'<td class="flag-{esc(flag)}">{esc(flag)}</td></tr>')
    return ("<table><tr><th>Measure</th><th>Left</th><th>Right</th><th>SI %</th>"
            "<th>Ratio</th><th>Larger side</th><th>Flag</th></tr>" + "".join(rows) + "</table>"
            + SYMMETRY_NOTE)


def _events_rows(result) -> str:
    evs = sorted(result.events or [], key=lambda e: e.time_s)
    if not evs:
        return "<p>No gait events.</p>"
    names = {"IC": "Initial contact", "FO": "Foot-off"}
    methods = sorted({e.method for e in evs})
    rows = "".join(f"<tr><td>{esc(e.side.capitalize())}</td><td>{esc(names.get(e.type, e.type))}"
                   f'</td><td class="num">{esc(num(e.time_s, decimals=3))}</td>'
                   f"<td>{esc(e.method)}</td></tr>" for e in evs)
    return (f"<p>{len(evs)} events; methods: {esc(', '.join(methods))}.</p><table><tr><th>Side"
            f"</th><th>Event</th><th>Time [s]</th><th>Method</th></tr>{rows}</table>")


def _figures(result, fig_dir: Path, prefix: str = "f") -> str:
    paths = plots.plot_curves(result, fig_dir)
    paths += [p for p in (plots.plot_symmetry(result, fig_dir), plots.plot_events(result, fig_dir))
              if p is not None]
    parts = [f'<div class="figure">{inline_svg(p.read_text(encoding="utf-8"), f"{prefix}{i}-")}'
             "</div>" for i, p in enumerate(paths)]
    return "".join(parts) if parts else "<p>No figures (no curves, symmetry or events).</p>"


def gait_sections(result, fig_dir: Path, *, age: float | None = None, sex: str | None = None,
                  level: int = 2, prefix: str = "f") -> str:
    """The gait part of a report (summary, symmetry, events, figures, warnings) as HTML.

    Parameters
    ----------
    result
        The gait analysis (:class:`~groundup.gait.result.GaitResult`).
    fig_dir
        Folder for the SVG figures (also inlined into the HTML).
    age, sex
        Used only when ``result.norms`` is empty, to choose the reference bands.
    level
        Heading level of the section titles.
    prefix
        Prefix of SVG ids, unique per trial when several share one document.
    """
    h = f"h{level}"
    warnings = "".join(f"<li>{esc(w)}</li>" for w in result.warnings or [])
    banner = ('<div class="banner">SYNTHETIC DATA — generated from normative curves, not a real '
              "patient. Not for clinical decisions.</div>" if is_synthetic(result) else "")
    return (f"{banner}"
            f'<p class="meta">Source: {esc(result.source)} · {len(result.events or [])} events'
            f" · generated by groundup {esc(__version__)}</p>"
            f"<{h}>Summary</{h}>{_summary_rows(result, age, sex)}"
            f"<{h}>Symmetry</{h}>{_symmetry_rows(result)}"
            f"<{h}>Gait events</{h}>{_events_rows(result)}"
            f"<{h}>Figures</{h}>{_figures(result, fig_dir, prefix)}"
            f"<{h}>Warnings</{h}>{f'<ul>{warnings}</ul>' if warnings else '<p>None.</p>'}")


def write_gait_report(result, out_dir: str | Path, *, age: float | None = None,
                      sex: str | None = None) -> Path:
    """Write ``gait_report.html`` (self-contained) for one :class:`GaitResult`.

    Parameters
    ----------
    result
        The gait analysis (:class:`~groundup.gait.result.GaitResult`).
    out_dir
        Folder for the report; the SVG files also land in ``out_dir/figures``.
    age, sex
        Used only when ``result.norms`` is empty, to choose the reference bands.

    Returns
    -------
    Path
        Path of ``gait_report.html``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    body = (f"<h1>Gait analysis — {esc(result.trial)}</h1>"
            + gait_sections(result, out_dir / "figures", age=age, sex=sex)
            + f"<footer>{esc(FOOTER)}</footer>")
    path = out_dir / "gait_report.html"
    path.write_text(page(f"Gait analysis — {result.trial}", body), encoding="utf-8")
    return path
