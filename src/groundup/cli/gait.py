"""``groundup gait``: analyse motion-capture files."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.progress import Progress
from rich.table import Table

from groundup.cli.app import app, console
from groundup.errors import GroundupError

EVENT_MODES = ("auto", "force-plate", "kinematic", "zeni", "oconnor", "file")


def _fmt(x: object, digits: int = 2) -> str:
    return f"{x:.{digits}f}" if isinstance(x, int | float) else "–"


def summary_table(result) -> Table:
    st = result.spatiotemporal
    table = Table(title=f"{result.trial} — {st.get('n_strides', 0)} strides"
                        + ("  (SYNTHETIC DATA)" if result.metadata.get("synthetic") else ""))
    table.add_column("metric")
    table.add_column("left", justify="right")
    table.add_column("right", justify="right")
    table.add_column("both", justify="right")
    table.add_row("cadence (steps/min)", _fmt((st.get("left") or {}).get("cadence_steps_min"), 1),
                  _fmt((st.get("right") or {}).get("cadence_steps_min"), 1),
                  _fmt(st.get("cadence_steps_min"), 1))
    table.add_row("speed (m/s)", _fmt((st.get("left") or {}).get("speed_m_s")),
                  _fmt((st.get("right") or {}).get("speed_m_s")), _fmt(st.get("speed_m_s")))
    for key, label, d in (("stride_length_m", "stride length (m)", 2),
                          ("step_length_m", "step length (m)", 2),
                          ("step_time_s", "step time (s)", 3),
                          ("stance_pct", "stance (%)", 1),
                          ("double_support_pct", "double support (%)", 1),
                          ("step_width_m", "step width (m)", 2),
                          ("knee_peak_swing_flexion_deg", "peak swing knee flexion (°)", 1),
                          ("pelvic_obliquity_range_deg", "pelvic obliquity range (°)", 1)):
        table.add_row(label, _fmt((st.get("left") or {}).get(key), d),
                      _fmt((st.get("right") or {}).get(key), d), "")
    return table


@app.command()
def gait(
    files: list[Path] = typer.Argument(..., help="C3D or TRC recordings (several for a batch)."),
    events: str = typer.Option("auto", help="auto | force-plate | kinematic | zeni | oconnor "
                                            "| file"),
    json_out: str | None = typer.Option(None, "--json", help="Write JSON here ('-' = stdout)."),
    plots: Path | None = typer.Option(None, help="Write plots (SVG) and an HTML report here."),
    markers: Path | None = typer.Option(None, help="Extra marker vocabulary (YAML)."),
    age: float | None = typer.Option(None, help="Age in years, for normative bands."),
    sex: str | None = typer.Option(None, help="male | female, for normative bands."),
) -> None:
    """Analyse gait in motion-capture files: events, spatio-temporal parameters, angles."""
    from groundup.gait.analyse import analyse_trial
    from groundup.motion.load import load_trial

    if events not in EVENT_MODES:
        console.print(f"[red]error:[/red] --events must be one of {', '.join(EVENT_MODES)}")
        raise typer.Exit(2)
    results, failed = [], 0
    with Progress(console=console, transient=True, disable=len(files) < 2) as progress:
        task = progress.add_task("analysing", total=len(files))
        for path in files:
            try:
                trial = load_trial(path, markers=markers)
                result = analyse_trial(trial, events=events, age=age, sex=sex)
            except GroundupError as exc:
                failed += 1
                msg = str(exc)
                msg = msg if path.name in msg else f"{path.name}: {msg}"
                console.print(f"[red]error:[/red] {msg}")
                progress.advance(task)
                continue
            results.append(result)
            progress.advance(task)
    for result in results:
        console.print(summary_table(result))
        for w in result.warnings:
            console.print(f"[yellow]note:[/yellow] {w}")
        if plots is not None:
            from groundup.report.gait_html import write_gait_report

            out = plots / result.trial if len(results) > 1 else plots
            report = write_gait_report(result, out)
            console.print(f"report: {report}")
    if json_out is not None:
        doc = [r.to_json() for r in results]
        payload = json.dumps(doc[0] if len(doc) == 1 else doc, indent=1)
        if json_out == "-":
            sys.stdout.write(payload + "\n")
        else:
            Path(json_out).write_text(payload)
            console.print(f"JSON: {json_out}")
    if failed:
        console.print(f"[red]{failed} of {len(files)} file(s) could not be analysed[/red]")
        raise typer.Exit(1)
