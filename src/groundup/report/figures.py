"""Report figures beyond gait: outcome measures over visits against their MCID.

matplotlib, SVG with text as paths (no fonts needed when the report is opened or printed).
"""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

plt.rcParams["svg.fonttype"] = "path"


def follow_up_svg(rows: list[dict[str, Any]]) -> str | None:
    """One small panel per repeated measure: score per visit, and the MCID from the baseline.

    Parameters
    ----------
    rows
        :func:`groundup.case.follow_up.follow_up_changes` rows (with ``series``).

    Returns
    -------
    str or None
        The SVG text, or ``None`` when no measure was repeated.
    """
    rows = [r for r in rows if len(r.get("series") or []) >= 2]
    if not rows:
        return None
    fig, axes = plt.subplots(1, len(rows), figsize=(2.6 * len(rows), 2.4), squeeze=False)
    for ax, r in zip(axes[0], rows, strict=True):
        dates = [d for d, _ in r["series"]]
        values = [v for _, v in r["series"]]
        ax.plot(range(len(values)), values, "o-", color="#1565c0")
        mcid = r.get("mcid")
        if isinstance(mcid, int | float):
            better_up = r.get("higher_is_better")
            target = r["baseline"] + (mcid if better_up else -mcid)
            ax.axhline(target, color="#2e7d32", ls="--", lw=1, label="MCID from baseline")
            ax.legend(fontsize=6, loc="best")
        ax.set_xticks(range(len(values)), dates, fontsize=6, rotation=20)
        ax.set_title(r["measure"].replace("_", " "), fontsize=8)
        ax.tick_params(labelsize=6)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    return buf.getvalue()
