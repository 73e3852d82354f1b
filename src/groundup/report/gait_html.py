"""The clinician's gait report: one self-contained HTML file.

Figures are inline SVG (text drawn as paths, no fonts); styles are inline; there are no scripts,
no links and no network fetches, so the file opens the same anywhere, offline. Every text that
comes from data is escaped with :func:`html.escape`.
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

from groundup import __version__
from groundup.gait import plots
from groundup.gait.norms import compare
from groundup.gait.symmetry import symmetry_table

#: (metric, sides) shown in the summary table, in this order
SUMMARY = [("speed_m_s", ("none",)), ("cadence_steps_min", ("none",)),
           ("stride_length_m", ("left", "right")), ("stance_pct", ("left", "right")),
           ("step_time_s", ("left", "right"))]
DECIMALS = {"m/s": 2, "steps/min": 1, "m": 2, "s": 3, "%": 1, "deg": 1}
FOOTER = ("groundup supports clinical judgement and does not replace it. Measurements, "
          "reference bands and flags must be interpreted by a qualified clinician together with "
          "the history and examination. Reference values marked UNVERIFIED are provisional.")
SYMMETRY_NOTE = (
    '<p class="meta">SI = (R − L) / (0.5 (R + L)) × 100 (Robinson 1987); ratio = larger / smaller'
    " (Patterson 2010). Flags on |SI|: ≤ 5 % normal, &gt; 5 % mild, &gt; 10 % clear, &gt; 20 %"
    ' marked (engine thresholds, <span class="unverified">UNVERIFIED</span>).</p>')
CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;margin:2em auto;
max-width:64em;color:#212121;line-height:1.4;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.6em;
border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0;font-size:.92em}
th,td{border:1px solid #d0d0d0;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
.banner{background:#b71c1c;color:#fff;padding:.8em 1em;font-weight:bold;font-size:1.1em;
border-radius:4px;margin:1em 0}
.flag-low,.flag-high,.flag-mild{background:#fff3e0}.flag-clear,.flag-marked{background:#ffebee}
.flag-normal{background:#e8f5e9}.unverified{color:#8d4e00;font-weight:bold;font-size:.85em}
.meta{color:#555}.figure{margin:1em 0}.figure svg{max-width:100%;height:auto}
footer{margin-top:2.5em;border-top:1px solid #ccc;padding-top:.8em;color:#444;font-size:.9em}
"""


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _num(v: Any, unit: str = "", decimals: int | None = None) -> str:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return "—"
    if not math.isfinite(f):
        return "—"
    return f"{f:.{DECIMALS.get(unit, 2) if decimals is None else decimals}f}"


def is_synthetic(result) -> bool:
    """Whether the result comes from synthetic data (metadata ``synthetic`` or source)."""
    return bool((result.metadata or {}).get("synthetic")) or result.source == "synthetic"


def inline_svg(svg_text: str, prefix: str) -> str:
    """SVG file text -> an ``<svg>`` element for inlining in HTML5.

    Drops the XML prolog, DOCTYPE, RDF metadata and namespace declarations (none is needed
    inline, and none is fetched), and prefixes every ``id`` and its references with ``prefix``
    so several figures can share one document.
    """
    s = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<metadata>.*?</metadata>", "", svg_text,
               flags=re.S)
    s = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", s)
    s = re.sub(r'(\bid="|url\(#|href="#)([^")]+)', lambda m: m.group(1) + prefix + m.group(2), s)
    return s.strip()


def _norm_table(result, age, sex) -> pd.DataFrame:
    if result.norms is not None and not result.norms.empty:
        return result.norms
    return compare(result.spatiotemporal or {}, age=age, sex=sex)


def _value(st: dict, metric: str, side: str) -> Any:
    return st.get(metric) if side == "none" else (st.get(side) or {}).get(metric)


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
                    f"{_num(r['mean'], unit)} ± {_num(r['sd'], unit)} "
                    f"({_num(r['lower'], unit)}–{_num(r['upper'], unit)})")
            flag = str(r.get("flag", "n/a"))
            unver = "" if r.get("verified", True) else ' <span class="unverified">UNVERIFIED</span>'
            rows.append(
                f"<tr><td>{_e(plots.metric_label(metric))}</td>"
                f"<td>{_e(side.capitalize() if side != 'none' else '—')}</td>"
                f'<td class="num">{_e(_num(r["value"], unit))}</td><td>{_e(band)}</td>'
                f'<td class="num">{_e(_num(r.get("z"), decimals=2))}</td>'
                f'<td class="flag-{_e(flag)}">{_e(flag)}</td>'
                f"<td title=\"{_e(r.get('note') or '')}\">{_e(r.get('source') or '—')}{unver}"
                "</td></tr>")
    head = ("<tr><th>Measure</th><th>Side</th><th>Value</th><th>Reference mean ± SD (band)</th>"
            "<th>z</th><th>Flag</th><th>Source</th></tr>")
    note = ('<p class="meta">UNVERIFIED: the band rests on a value the evidence file does not '
            "verify or on an assumed SD (hover the source for how the band was built).</p>")
    return f"<table>{head}{''.join(rows)}</table>{note}" if rows else "<p>No summary values.</p>"


def _symmetry_rows(result) -> str:
    sym = result.symmetry
    if sym is None or sym.empty:
        st = result.spatiotemporal or {}
        num = {s: {k: v for k, v in (st.get(s) or {}).items() if isinstance(v, int | float)}
               for s in ("left", "right")}
        sym = symmetry_table(num["left"], num["right"]) if num["left"] else pd.DataFrame()
    if sym.empty:
        return "<p>No bilateral measures.</p>"
    rows = []
    for r in sym.to_dict(orient="records"):
        flag = str(r.get("flag", "n/a"))
        rows.append(
            f"<tr><td>{_e(plots.metric_label(r['metric']))}</td>"
            f'<td class="num">{_e(_num(r["left"], decimals=3))}</td>'
            f'<td class="num">{_e(_num(r["right"], decimals=3))}</td>'
            f'<td class="num">{_e(_num(r["si_pct"], decimals=1))}</td>'
            f'<td class="num">{_e(_num(r["ratio"], decimals=3))}</td>'
            f"<td>{_e(r.get('larger_side') or '—')}</td>"
            f'<td class="flag-{_e(flag)}">{_e(flag)}</td></tr>')
    return ("<table><tr><th>Measure</th><th>Left</th><th>Right</th><th>SI %</th>"
            "<th>Ratio</th><th>Larger side</th><th>Flag</th></tr>" + "".join(rows) + "</table>"
            + SYMMETRY_NOTE)


def _events_rows(result) -> str:
    evs = sorted(result.events or [], key=lambda e: e.time_s)
    if not evs:
        return "<p>No gait events.</p>"
    names = {"IC": "Initial contact", "FO": "Foot-off"}
    methods = sorted({e.method for e in evs})
    rows = "".join(f"<tr><td>{_e(e.side.capitalize())}</td><td>{_e(names.get(e.type, e.type))}"
                   f'</td><td class="num">{_e(_num(e.time_s, decimals=3))}</td>'
                   f"<td>{_e(e.method)}</td></tr>" for e in evs)
    return (f"<p>{len(evs)} events; methods: {_e(', '.join(methods))}.</p><table><tr><th>Side"
            f"</th><th>Event</th><th>Time [s]</th><th>Method</th></tr>{rows}</table>")


def _figures(result, fig_dir: Path) -> str:
    paths = plots.plot_curves(result, fig_dir)
    paths += [p for p in (plots.plot_symmetry(result, fig_dir), plots.plot_events(result, fig_dir))
              if p is not None]
    parts = [f'<div class="figure">{inline_svg(p.read_text(encoding="utf-8"), f"f{i}-")}</div>'
             for i, p in enumerate(paths)]
    return "".join(parts) if parts else "<p>No figures (no curves, symmetry or events).</p>"


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
    banner = ('<div class="banner">SYNTHETIC DATA — generated from normative curves, not a real '
              "patient. Not for clinical decisions.</div>" if is_synthetic(result) else "")
    warnings = "".join(f"<li>{_e(w)}</li>" for w in result.warnings or [])
    body = (f"<h1>Gait analysis — {_e(result.trial)}</h1>{banner}"
            f'<p class="meta">Source: {_e(result.source)} · {len(result.events or [])} events'
            f" · generated by groundup {_e(__version__)}</p>"
            f"<h2>Summary</h2>{_summary_rows(result, age, sex)}"
            f"<h2>Symmetry</h2>{_symmetry_rows(result)}"
            f"<h2>Gait events</h2>{_events_rows(result)}"
            f"<h2>Figures</h2>{_figures(result, out_dir / 'figures')}"
            f"<h2>Warnings</h2>{f'<ul>{warnings}</ul>' if warnings else '<p>None.</p>'}"
            f"<footer>{_e(FOOTER)}</footer>")
    doc = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
           f"<title>Gait analysis — {_e(result.trial)}</title><style>{CSS}</style></head>"
           f"<body>{body}</body></html>\n")
    path = out_dir / "gait_report.html"
    path.write_text(doc, encoding="utf-8")
    return path
