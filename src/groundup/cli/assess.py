"""``groundup assess``: reasoning and care plan for one case file (../shared/cases format)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.table import Table

from groundup.cli.app import app, console
from groundup.errors import GroundupError


def assessment_json(assessment, plan) -> dict:
    """The JSON document of ``groundup assess --json`` (docs/reasoning.md)."""
    doc = assessment.to_json()
    doc["plan"] = [i["id"] for i in plan.to_json()["items"]]
    doc["plan_detail"] = plan.to_json()
    referrals = doc["referrals"] + [r for r in plan.referrals if r not in assessment.referrals]
    doc["referrals"] = referrals
    return doc


def _print(assessment, plan, name: str) -> None:
    if assessment.red_flag:
        for d in assessment.red_flag_details:
            r = d["referral"]
            console.print(
                f"[bold red]RED FLAG {d['id']}[/bold red]: {r['priority'].upper()} referral to "
                f"{r['to']} - {r['reason']}"
            )
            console.print(f"  triggered by: {'; '.join(d['triggers'])}")
    console.print(
        f"[bold]{name}[/bold]: status [bold]{assessment.status}[/bold], link "
        f"[bold]{assessment.link}[/bold] ({assessment.link_detail.get('mechanism')})"
    )
    table = Table(title="Conditions (most likely first; red-flag conditions ranked first)")
    for col in ("condition", "probability", "side", "root/level/stage", "role"):
        table.add_column(col)
    for c in assessment.conditions[:6]:
        extra = " ".join(str(c[k]) for k in ("root", "level", "stage", "magnitude_mm") if k in c)
        table.add_row(
            c["id"],
            f"{c['probability']:.3f}",
            str(c.get("side", "")),
            extra,
            c.get("role", c.get("rank_reason", "")),
        )
    console.print(table)
    if assessment.next_tests:
        console.print("next tests: " + ", ".join(assessment.next_tests))
    ptable = Table(title="Care plan")
    for col in ("item", "category", "reason", "source"):
        ptable.add_column(col)
    for item in plan.items:
        ptable.add_row(item.id, item.category, item.reason, item.source)
    console.print(ptable)
    for note in plan.notes + assessment.warnings:
        console.print(f"[yellow]note:[/yellow] {note}")
    console.print(f"[dim]{assessment.disclaimer}[/dim]")


@app.command()
def assess(
    case: Path = typer.Argument(..., help="Case file (YAML, ../shared/cases format)."),
    json_out: str | None = typer.Option(None, "--json", help="Write JSON here ('-' = stdout)."),
) -> None:
    """Assess one case: ranked conditions, foot-back link, red flags, next tests and care plan."""
    from groundup.plan import care_plan
    from groundup.reasoning import assess as run_assess
    from groundup.reasoning.case_adapter import load_for_reasoning

    try:
        _, findings = load_for_reasoning(case)
        assessment = run_assess(findings)
        plan = care_plan(assessment, findings)
    except GroundupError as exc:
        msg = str(exc)
        console.print(f"[red]error:[/red] {msg if case.name in msg else f'{case.name}: {msg}'}")
        raise typer.Exit(1) from None
    _print(assessment, plan, case.name)
    if json_out is not None:
        payload = json.dumps(assessment_json(assessment, plan), indent=1)
        if json_out == "-":
            sys.stdout.write(payload + "\n")
        else:
            Path(json_out).write_text(payload)
            console.print(f"JSON: {json_out}")
