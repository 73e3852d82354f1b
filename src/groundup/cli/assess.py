"""``groundup assess``: one case file -> assessment, care plan, reports and FHIR bundle."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from groundup.cli.app import app, console
from groundup.errors import GroundupError

JSON_KEYS = ("status", "conditions", "link", "link_detail", "red_flag", "red_flags",
             "urgent_referral", "referrals", "amber_flags", "next_tests", "plan", "plan_detail",
             "explanations", "warnings", "disclaimer")


def _print(result, name: str) -> None:
    a = result.assessment
    for d in a.get("red_flag_details") or []:
        r = d.get("referral") or {}
        console.print(f"[bold red]RED FLAG {d.get('id')}[/bold red]: "
                      f"{str(r.get('priority', '')).upper()} referral to {r.get('to')} - "
                      f"{r.get('reason', '')}")
        if d.get("triggers"):
            console.print(f"  triggered by: {'; '.join(map(str, d['triggers']))}")
    ld = a.get("link_detail") or {}
    console.print(f"[bold]{name}[/bold]: status [bold]{a.get('status')}[/bold], link "
                  f"[bold]{a.get('link')}[/bold] ({ld.get('mechanism')})")
    table = Table(title="Conditions (most likely first; red-flag conditions ranked first)")
    for col in ("condition", "probability", "side", "root/level/stage", "role"):
        table.add_column(col)
    for c in (a.get("conditions") or [])[:6]:
        extra = " ".join(str(c[k]) for k in ("root", "level", "stage", "magnitude_mm") if k in c)
        table.add_row(c["id"], f"{c['probability']:.3f}", str(c.get("side", "")), extra,
                      str(c.get("role", "")))
    console.print(table)
    if a.get("next_tests"):
        console.print("next tests: " + ", ".join(a["next_tests"]))
    ptable = Table(title="Care plan")
    for col in ("item", "category", "reason", "source"):
        ptable.add_column(col)
    for item in result.plan.get("items") or []:
        ptable.add_row(item["id"], str(item.get("category", "")), str(item.get("reason") or ""),
                       str(item.get("source") or ""))
    console.print(ptable)
    for note in (result.plan.get("notes") or []) + (a.get("warnings") or []):
        console.print(f"[yellow]note:[/yellow] {note}")
    for left in result.omitted:
        console.print(f"[yellow]left out:[/yellow] {left}")
    console.print(f"[dim]{a.get('disclaimer', '')}[/dim]")


@app.command()
def assess(
    case: Path = typer.Argument(..., help="Case file (YAML/JSON; docs/case-format.md)."),
    out: Path | None = typer.Option(None, help="Output folder (default: out/<case id>)."),
    json_out: str | None = typer.Option(None, "--json", help="Write JSON here ('-' = stdout)."),
) -> None:
    """Assess one case: recordings, findings, red flags, ranked conditions, foot-back link,
    next tests, care plan; writes reports (HTML, PDF, patient version) and a FHIR bundle."""
    from groundup.motion.video.quiet import native_stderr_off_for_command

    native_stderr_off_for_command()
    from groundup.case.format import read_case
    from groundup.case.run import run_case

    try:
        case_file = read_case(case)
        folder = out or Path("out") / case_file.case_id
        with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                      console=console, transient=True) as progress:
            task = progress.add_task("starting", total=None)

            def step(msg: str) -> None:
                progress.update(task, description=msg)

            def frames(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total or None)

            result = run_case(case_file, folder, step=step, frames=frames)
    except GroundupError as exc:
        msg = str(exc)
        console.print(f"[red]error:[/red] {msg if case.name in msg else f'{case.name}: {msg}'}")
        raise typer.Exit(1) from None
    _print(result, case.name)
    console.print(f"\nClinician report: [bold]{result.outputs['report_pdf'].resolve()}[/bold]")
    console.print(f"Patient report:   [bold]{result.outputs['patient_pdf'].resolve()}[/bold]")
    console.print(f"All outputs in:   {folder.resolve()}")
    if json_out is not None:
        doc = {k: result.assessment.get(k) for k in JSON_KEYS}
        doc.update({"case": result.case_id, "omitted": result.omitted,
                    "outputs": {k: str(v) for k, v in result.outputs.items()}})
        payload = json.dumps(doc, indent=1, default=str)
        if json_out == "-":
            sys.stdout.write(payload + "\n")
        else:
            Path(json_out).write_text(payload)
            console.print(f"JSON: {json_out}")
