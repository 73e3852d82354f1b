"""``groundup demo``: the product's main job on a built-in, SYNTHETIC example case."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from groundup.cli.app import app, console
from groundup.cli.gait import summary_table


@app.command()
def demo(
    out: Path = typer.Option(Path("out/demo"), help="Output folder."),
    shared: Path = typer.Option(Path("../shared"), help="Shared data folder; its demo video is "
                                                        "added when present."),
) -> None:
    """Assess a built-in example case (invented patient, synthetic walking trial) end to end."""
    from groundup.case.demo import write_demo_case
    from groundup.case.run import run_case
    from groundup.motion.video.quiet import native_stderr_off_for_command

    native_stderr_off_for_command()

    console.print("[bold]groundup demo[/bold]: an INVENTED patient with a SYNTHETIC walking "
                  "trial generated from normative joint-angle curves (mild left antalgic "
                  "pattern) — not a real patient, not clinical advice.")
    case = write_demo_case(out / "inputs", shared=shared if shared.is_dir() else None)
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("starting", total=None)
        result = run_case(case, out, synthetic=True,
                          step=lambda m: progress.update(task, description=m),
                          frames=lambda d, t: progress.update(task, completed=d, total=t or None))
    for g in result.gait:
        console.print(summary_table(g))
    a = result.assessment
    top = (a.get("conditions") or [{}])[0]
    console.print(f"leading condition: [bold]{top.get('id')}[/bold] "
                  f"(probability {top.get('probability', 0):.2f}); link {a.get('link')}; "
                  f"red flag: {a.get('red_flag')}")
    for left in result.omitted:
        console.print(f"[yellow]note:[/yellow] {left}")
    console.print(f"\nClinician report: [bold]{result.outputs['report_html'].resolve()}[/bold]"
                  f" (PDF: {result.outputs['report_pdf'].name})")
    console.print(f"Patient report:   [bold]{result.outputs['patient_html'].resolve()}[/bold]"
                  f" (PDF: {result.outputs['patient_pdf'].name})")
    console.print(f"FHIR bundle:      {result.outputs['bundle'].resolve()}")
    console.print(f"All outputs in:   {out.resolve()}")
