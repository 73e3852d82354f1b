"""HTML report -> PDF with WeasyPrint, offline.

Only ``data:`` URIs may be fetched while rendering: reports carry their figures inline, and a
stray link to the network or to a local file is refused instead of followed (no fetch at render
time, nothing leaks from the machine). Figures stay vector (inline SVG).
"""

from __future__ import annotations

import logging
from pathlib import Path

from groundup.errors import GroundupError

PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
  @bottom-center { content: "page " counter(page) " of " counter(pages); font-size: 8pt;
                   color: #666 } }
body { max-width: none; margin: 0; padding: 0; font-size: 10pt }
h2 { break-after: avoid } table, .figure, .box { break-inside: avoid }
"""


def write_pdf(html_text: str, path: str | Path) -> Path:
    """Render a self-contained HTML document to a PDF file.

    Parameters
    ----------
    html_text
        The complete HTML document (inline styles and SVG).
    path
        Where to write the PDF.

    Returns
    -------
    Path
        The PDF path.
    """
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    # WeasyPrint logs every refused fetch and font fallback at WARNING: keep them out of the
    # clinic's logs (they can quote text from the report).
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    path = Path(path)
    fetcher = URLFetcher(allowed_protocols=("data",))
    try:
        HTML(string=html_text, base_url=None, url_fetcher=fetcher).write_pdf(
            path, stylesheets=[CSS(string=PRINT_CSS)])
    except OSError as exc:
        raise GroundupError(f"cannot write the PDF report {path.name}: {exc}") from None
    return path
