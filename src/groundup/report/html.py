"""Shared pieces of groundup's HTML reports: styles, escaping, numbers, inline SVG, page.

Reports are self-contained: inline styles and SVG figures, no scripts, no links to fetch, so a
file opens the same anywhere, offline, and renders to PDF without network access.
"""

from __future__ import annotations

import html
import math
import re
from typing import Any

DECIMALS = {"m/s": 2, "steps/min": 1, "m": 2, "s": 3, "%": 1, "deg": 1}
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


def esc(x: Any) -> str:
    return html.escape(str(x), quote=True)


def num(v: Any, unit: str = "", decimals: int | None = None) -> str:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return "—"
    if not math.isfinite(f):
        return "—"
    return f"{f:.{DECIMALS.get(unit, 2) if decimals is None else decimals}f}"


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



def page(title: str, body: str, *, lang: str = "en", extra_css: str = "") -> str:
    """A complete HTML document around ``body`` (already escaped HTML)."""
    return (f'<!DOCTYPE html><html lang="{esc(lang)}"><head><meta charset="utf-8">'
            f"<title>{esc(title)}</title><style>{CSS}{extra_css}</style></head>"
            f"<body>{body}</body></html>\n")
