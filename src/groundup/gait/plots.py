"""Clinician-facing gait figures, written as SVG (and PNG on request).

Uses matplotlib's object API with the Agg canvas only (no pyplot, no GUI, no global state), so
it is safe in servers and batch workers. Text is rendered as paths: the SVGs need no fonts.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from groundup.gait.norms import curve_variables, norm_curve, symmetry_thresholds

COLOURS = {"left": "#c62828", "right": "#1565c0"}
STYLES = {"left": "-", "right": "--"}
NORM_GREY = "#bdbdbd"
#: variable -> (title, y-axis label)
CURVE_LABELS = {
    "hip_flexion": ("Hip flexion / extension", "Flexion (+) / extension (−) [deg]"),
    "knee_flexion": ("Knee flexion / extension", "Flexion (+) / extension (−) [deg]"),
    "ankle_dorsiflexion": ("Ankle dorsiflexion / plantarflexion",
                           "Dorsiflexion (+) / plantarflexion (−) [deg]"),
    "pelvic_tilt": ("Pelvic tilt", "Anterior (+) / posterior (−) [deg]"),
    "pelvic_obliquity": ("Pelvic obliquity", "Up (+) / down (−) [deg]"),
    "pelvic_rotation": ("Pelvic rotation", "Internal (+) / external (−) [deg]"),
    "trunk_lateral_lean": ("Lateral trunk lean", "Lean [deg]"),
    "foot_progression": ("Foot progression angle", "Internal (+) / external (−) [deg]"),
}
#: metric id -> plain-language label with unit
METRIC_LABELS = {
    "speed_m_s": "Walking speed [m/s]", "cadence_steps_min": "Cadence [steps/min]",
    "stride_length_m": "Stride length [m]", "step_length_m": "Step length [m]",
    "step_time_s": "Step time [s]", "stride_time_s": "Stride time [s]",
    "step_width_m": "Step width [m]", "stance_pct": "Stance [% of cycle]",
    "swing_pct": "Swing [% of cycle]", "double_support_pct": "Double support [% of cycle]",
    "single_support_pct": "Single support [% of cycle]",
    "stride_time_cv_pct": "Stride-time variability CV [%]",
    "step_time_cv_pct": "Step-time variability CV [%]",
    "stride_length_cv_pct": "Stride-length variability CV [%]",
    "pelvic_obliquity_range_deg": "Pelvic obliquity range [deg]",
    "foot_progression_deg": "Foot progression angle [deg]",
    "knee_peak_swing_flexion_deg": "Peak knee flexion in swing [deg]",
    "hip_peak_extension_deg": "Peak hip extension [deg]",
    "ankle_peak_dorsiflexion_deg": "Peak ankle dorsiflexion [deg]",
    "hip_flexion_ic_deg": "Hip flexion at contact [deg]",
}
_RC = {"svg.hashsalt": "groundup", "svg.fonttype": "path", "font.size": 10}


def metric_label(metric: str) -> str:
    """Plain-language label of a metric id (the id itself when unknown)."""
    return METRIC_LABELS.get(metric, metric.replace("_", " "))


def _save(fig: Figure, out_dir: Path, stem: str, formats: Iterable[str]) -> Path:
    """Save ``fig`` as ``out_dir/stem.<fmt>`` for each format; return the first path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    FigureCanvasAgg(fig)
    paths = []
    for fmt in formats:
        path = out_dir / f"{stem}.{fmt}"
        meta = {"Date": None} if fmt == "svg" else {}
        fig.savefig(path, format=fmt, metadata=meta, dpi=150 if fmt == "png" else None)
        paths.append(path)
    return paths[0]


def _toe_off_pct(result, side: str) -> float | None:
    s = result.strides
    if s is None or s.empty or "stance_pct" not in s or "side" not in s:
        return None
    v = s.loc[s.side == side, "stance_pct"].astype(float)
    return float(v.mean()) if v.notna().any() else None


def plot_curves(result, out_dir: str | Path, *, formats: Iterable[str] = ("svg",)) -> list[Path]:
    """One figure per kinematic variable: left/right mean ± 1 SD over cycles vs the norm band.

    Parameters
    ----------
    result
        A :class:`~groundup.gait.result.GaitResult`; uses ``result.kinematics`` (tidy: variable,
        side, cycle, pct, value_deg, origin; marker-based curves preferred over model outputs)
        and ``result.strides`` (mean toe-off, dotted line).
    out_dir
        Folder to write ``curve_<variable>.<fmt>`` into (created if needed).
    formats
        File formats, e.g. ``("svg", "png")``.

    Returns
    -------
    list of Path
        The file of the first format for each variable drawn.

    Notes
    -----
    The grey band is the normative mean ± 1 SD reconstructed from textbook key values
    (Kadaba 1990; Perry & Burnfield 2010) — unverified, see ``knowledge/gait_norm_curves.yaml``.
    """
    kin, out_dir, paths = result.kinematics, Path(out_dir), []
    if kin is None or kin.empty:
        return paths
    with mpl.rc_context(_RC):
        for var in sorted(kin["variable"].unique()):
            rows = kin[kin.variable == var]
            origins = list(rows["origin"].unique())
            origin = "markers" if "markers" in origins else origins[0]
            rows = rows[rows.origin == origin]
            fig = Figure(figsize=(6.4, 4.0))
            ax = fig.add_subplot()
            if var in curve_variables():
                pct, mean, sd = norm_curve(var)
                ax.fill_between(pct, mean - sd, mean + sd, color=NORM_GREY, alpha=0.6, lw=0,
                                label="Normative mean ± 1 SD (reconstruction, UNVERIFIED)")
            for side in ("left", "right"):
                g = rows[rows.side == side]
                if g.empty:
                    continue
                wide = g.pivot_table(index="pct", columns="cycle", values="value_deg")
                m, s = wide.mean(axis=1), wide.std(axis=1, ddof=0).fillna(0.0)
                c = COLOURS[side]
                ax.fill_between(wide.index, m - s, m + s, color=c, alpha=0.15, lw=0)
                ax.plot(wide.index, m, STYLES[side], color=c, lw=2,
                        label=f"{side.capitalize()} (mean ± SD, {wide.shape[1]} cycles)")
                to = _toe_off_pct(result, side)
                if to is not None:
                    ax.axvline(to, color=c, ls=":", lw=1)
            title, ylabel = CURVE_LABELS.get(var, (var.replace("_", " ").capitalize(), "[deg]"))
            src = "" if origin == "markers" else f" ({origin})"
            ax.set(title=title + src, xlabel="Gait cycle [%] (dotted: toe-off)", ylabel=ylabel,
                   xlim=(0, 100))
            ax.axhline(0, color="black", lw=0.5)
            ax.legend(loc="best", fontsize=8, frameon=False)
            ax.grid(alpha=0.3)
            fig.tight_layout()
            paths.append(_save(fig, out_dir, f"curve_{var}", formats))
    return paths


def plot_symmetry(result, out_dir: str | Path, *,
                  formats: Iterable[str] = ("svg",)) -> Path | None:
    """Horizontal bars of the symmetry index per metric over the flag zones.

    Uses ``result.symmetry`` (metric, left, right, si_pct, ratio, flag), leaving out the
    variability metrics (``*_cv_pct``). Zones: |SI| ≤ 5 % normal, > 5 % mild, > 10 % clear,
    > 20 % marked (engine thresholds, unverified). Bars beyond the axis are cut and marked ``»``
    with their value. Writes ``symmetry.<fmt>``; returns the first file, or ``None`` when there
    is nothing to draw.
    """
    sym = result.symmetry
    if sym is None or sym.empty or "si_pct" not in sym:
        return None
    keep = np.isfinite(pd.to_numeric(sym["si_pct"], errors="coerce"))
    sym = sym[keep & ~sym["metric"].astype(str).str.endswith("_cv_pct")]
    if sym.empty:
        return None
    t = symmetry_thresholds()["si_flags"]
    limits = (t["mild_above"], t["clear_above"], t["marked_above"])
    si = sym["si_pct"].astype(float).to_numpy()
    span = float(np.clip(np.abs(si).max() * 1.25, 25.0, 50.0))
    with mpl.rc_context(_RC):
        fig = Figure(figsize=(6.4, 0.45 * len(sym) + 1.6))
        ax = fig.add_subplot()
        zones = [(0, limits[0], "#e8f5e9", "normal"), (limits[0], limits[1], "#fff8e1", "mild"),
                 (limits[1], limits[2], "#ffe0b2", "clear"), (limits[2], span, "#ffcdd2",
                                                               "marked")]
        for lo, hi, colour, _ in zones:
            ax.axvspan(lo, hi, color=colour, lw=0)
            ax.axvspan(-hi, -lo, color=colour, lw=0)
        y = np.arange(len(sym))
        colours = [COLOURS["right"] if v > 0 else COLOURS["left"] for v in si]
        shown = np.clip(si, -0.8 * span, 0.8 * span)       # longer bars are cut, value written
        ax.barh(y, shown, color=colours, height=0.6)
        for yi, v, w in zip(y, si, shown, strict=True):
            cut = "» " if abs(v) > abs(w) else ""
            ax.text(w, yi, f" {cut}{v:+.1f} % ", va="center", ha="left" if v >= 0 else "right",
                    fontsize=8)
        ax.set_yticks(y, [metric_label(m) for m in sym["metric"]])
        ax.invert_yaxis()
        ax.axvline(0, color="black", lw=0.8)
        ax.set(xlim=(-span, span), title="Left/right symmetry",
               xlabel="SI = (R − L) / mean × 100 [%]   (− left larger, + right larger)")
        handles = [Patch(color=c, label=f"{name} (|SI| {lo:g}–{hi:g} %)" if name != "marked"
                         else f"marked (|SI| > {lo:g} %)") for lo, hi, c, name in zones]
        ax.legend(handles=handles, fontsize=7, loc="lower right", frameon=True)
        fig.tight_layout()
        return _save(fig, Path(out_dir), "symmetry", formats)


def plot_events(result, out_dir: str | Path, *, formats: Iterable[str] = ("svg",)) -> Path | None:
    """Event timeline per foot: stance bars from initial contact to foot-off, coloured by method.

    Uses ``result.events``. Initial contacts are drawn as ``|`` at the bar start, foot-offs as
    ``|`` at its end; a contact without a following foot-off is a single mark. Writes
    ``events.<fmt>``; returns the first file, or ``None`` without events.
    """
    events = sorted(result.events or [], key=lambda e: e.time_s)
    if not events:
        return None
    methods = sorted({e.method for e in events})
    palette = ["#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037", "#ad1457"]
    colour = {m: palette[i % len(palette)] for i, m in enumerate(methods)}
    with mpl.rc_context(_RC):
        fig = Figure(figsize=(7.5, 2.4))
        ax = fig.add_subplot()
        for row, side in enumerate(("left", "right")):
            own = [e for e in events if e.side == side]
            for i, e in enumerate(own):
                if e.type != "IC":
                    continue
                nxt = next((f for f in own[i + 1:] if f.type in ("IC", "FO")), None)
                if nxt is not None and nxt.type == "FO":
                    ax.broken_barh([(e.time_s, nxt.time_s - e.time_s)], (row - 0.3, 0.6),
                                   facecolors=colour[e.method], alpha=0.8)
                    ax.plot([nxt.time_s] * 2, [row - 0.35, row + 0.35], color=colour[nxt.method],
                            lw=2)
                ax.plot([e.time_s] * 2, [row - 0.35, row + 0.35], color=colour[e.method], lw=2)
        ax.set_yticks([0, 1], ["Left", "Right"])
        ax.set_ylim(-0.6, 1.6)
        ax.invert_yaxis()
        ax.set(xlabel="Time [s]", title="Gait events: stance from initial contact to foot-off")
        ax.grid(axis="x", alpha=0.3)
        ax.legend(handles=[Patch(color=colour[m], label=m) for m in methods], fontsize=8,
                  loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, title="Method")
        fig.tight_layout()
        return _save(fig, Path(out_dir), "events", formats)
