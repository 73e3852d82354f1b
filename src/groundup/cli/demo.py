"""``groundup demo``: the built-in example."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from groundup.cli.app import app, console
from groundup.cli.gait import summary_table


@app.command()
def demo(out: Path = typer.Option(Path("out/demo"), help="Output folder.")) -> None:
    """Analyse a built-in SYNTHETIC walking trial and write a gait report."""
    from groundup.gait.analyse import analyse_trial
    from groundup.motion.synthetic import synthetic_walk
    from groundup.report.gait_html import write_gait_report

    console.print("[bold]groundup demo[/bold]: a SYNTHETIC walking trial generated from "
                  "normative joint-angle curves, with a mild left antalgic pattern "
                  "— not a real patient.")
    trial = synthetic_walk(asymmetry=0.06, seed=1)
    result = analyse_trial(trial, events="auto", age=45, sex="female", name="synthetic-walk")
    console.print(summary_table(result))
    out.mkdir(parents=True, exist_ok=True)
    (out / "gait.json").write_text(json.dumps(result.to_json(), indent=1))
    report = write_gait_report(result, out)
    console.print(f"\nGait report: [bold]{report.resolve()}[/bold]")
    console.print(f"JSON: {(out / 'gait.json').resolve()}")
