"""``groundup video``: gait from one phone video (side pass and/or back/front pass)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from groundup.cli.app import app, console
from groundup.cli.gait import summary_table
from groundup.errors import GroundupError


def _region(text: str | None) -> tuple[float, float, float, float] | None:
    if not text:
        return None
    try:
        x, y, w, h = (float(v) for v in text.split(","))
    except ValueError:
        raise GroundupError(f"--region {text!r} must be x,y,w,h in pixels") from None
    return x, y, w, h


@app.command()
def video(
    path: Path = typer.Argument(..., help="Video file (MP4/MOV), or a saved keypoint file."),
    height: float | None = typer.Option(None, help="Subject's standing height in metres."),
    view: str = typer.Option("auto", help="auto | side | back | front"),
    overlay: Path | None = typer.Option(None, help="Write an overlay video here (MP4)."),
    json_out: str | None = typer.Option(None, "--json", help="Write JSON here ('-' = stdout)."),
    keypoints: Path | None = typer.Option(
        None, help="Keypoint file (.parquet/.csv): loaded if it exists, else saved after pose."),
    region: str | None = typer.Option(None, help="x,y,w,h around the walking subject (px)."),
    age: float | None = typer.Option(None, help="Age in years, for normative bands."),
    sex: str | None = typer.Option(None, help="male | female, for normative bands."),
) -> None:
    """Analyse gait in a phone video: events, cadence, steps, angles, confidence grades."""
    from groundup.gait.video import analyse_video_keypoints
    from groundup.motion.video.keypoints import load_keypoints, run_pose, save_keypoints

    try:
        if keypoints is not None and keypoints.exists():
            df, meta = load_keypoints(keypoints)
        elif path.suffix.lower() in (".parquet", ".csv"):
            df, meta = load_keypoints(path)
        else:
            with Progress(TextColumn("pose"), BarColumn(), TextColumn("{task.completed} frames"),
                          TimeRemainingColumn(), console=console, transient=True) as progress:
                task = progress.add_task("pose", total=None)

                def tick(done: int, total: int) -> None:
                    progress.update(task, completed=done, total=total or None)

                df, meta = run_pose(path, region=_region(region), progress=tick)
            if keypoints is not None:
                save_keypoints(df, meta, keypoints)
                console.print(f"keypoints: {keypoints}")
        meta = {**meta, "path": path.name, "name": path.stem}
        result = analyse_video_keypoints(df, meta, height_m=height, view=view, age=age,
                                         sex=sex, name=path.stem)
    except GroundupError as exc:
        console.print(f"[red]error:[/red] {path.name}: {exc}")
        raise typer.Exit(1) from None
    console.print(summary_table(result))
    conf = result.metadata.get("confidence", {})
    if conf:
        console.print("confidence: " + ", ".join(f"{k} {v}" for k, v in sorted(conf.items())))
    for w in result.warnings:
        console.print(f"[yellow]note:[/yellow] {w}")
    if overlay is not None:
        try:
            from groundup.motion.video import overlay as ov
        except ImportError:
            console.print("[yellow]note:[/yellow] overlay video not available in this version")
        else:
            ov.write_overlay(path, df, meta, overlay, events=result.events)
            console.print(f"overlay: {overlay}")
    if json_out is not None:
        payload = json.dumps(result.to_json(), indent=1)
        if json_out == "-":
            sys.stdout.write(payload + "\n")
        else:
            Path(json_out).write_text(payload)
            console.print(f"JSON: {json_out}")
