"""``groundup video``: gait from one phone video (side pass and/or back/front pass)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
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


def _known_distance(text: str | None) -> tuple[float, float] | None:
    """``x1,y1,x2,y2,metres`` (two image points on the walking line, their real distance) ->
    ``(pixels, metres)``."""
    if not text:
        return None
    try:
        x1, y1, x2, y2, metres = (float(v) for v in text.split(","))
    except ValueError:
        raise GroundupError(f"--distance {text!r} must be x1,y1,x2,y2,metres: two points in "
                            "the image (px) and the distance between them (m)") from None
    return float(np.hypot(x2 - x1, y2 - y1)), metres


def _frames(text: str | None, option: str = "--overlay-frames") -> tuple[int, int | None]:
    if not text:
        return 0, None
    try:
        a, b = text.split(":")
        start, stop = int(a or 0), int(b) if b else None
    except ValueError:
        raise GroundupError(f"{option} {text!r} must be START:STOP (frame numbers)") from None
    if start < 0 or (stop is not None and stop <= start):
        raise GroundupError(f"{option} {text!r}: need 0 <= START < STOP")
    return start, stop


LONG_VIDEO_S = 600.0  # a video longer than this gets a note on the time the pose stage takes


def _long_video_note(path: Path, frames: tuple[int, int | None]) -> None:
    """Say how long the pose stage will take on a long video, and how to analyse a part."""
    from groundup.motion.video.reader import probe_video

    info = probe_video(path)
    stop = min(frames[1] or info.n_frames, info.n_frames)
    n = max(stop - frames[0], 0)
    if info.fps > 0 and n / info.fps > LONG_VIDEO_S:
        console.print(f"[yellow]note:[/yellow] long video ({n / info.fps / 60:.0f} min, {n} "
                      f"frames): the pose stage takes about {n / 50 / 60:.0f} min at ~50 "
                      "frames/s; --frames START:STOP analyses a part")


def _write_overlay(video_path: Path, df, out: Path, events, frames: tuple[int, int | None]
                   ) -> None:
    """Skeleton, side labels and the detected events drawn on the video (``--overlay``)."""
    from groundup.motion.video.overlay import write_overlay

    if video_path.suffix.lower() in (".parquet", ".csv"):
        raise GroundupError("--overlay needs the video itself, not a keypoint file",
                            hint="pass the video and the keypoints with --keypoints FILE")
    marks = [{"side": "L" if e.side == "left" else "R", "type": e.type, "time_s": e.time_s}
             for e in events]
    n = write_overlay(video_path, df, out, events=marks, start=frames[0], stop=frames[1])
    console.print(f"overlay: {out} ({n} frames)")


@app.command()
def video(
    path: Path = typer.Argument(..., help="Video file (MP4/MOV), or a saved keypoint file."),
    height: float | None = typer.Option(None, help="Subject's standing height in metres."),
    view: str = typer.Option("auto", help="auto | side | back | front"),
    overlay: Path | None = typer.Option(
        None, help="Write an overlay video here: .mp4 (desktop players) or .webm (browsers)."),
    overlay_frames: str | None = typer.Option(
        None, help="START:STOP frame range of the overlay (default: the whole video)."),
    json_out: str | None = typer.Option(None, "--json", help="Write JSON here ('-' = stdout)."),
    plots: Path | None = typer.Option(
        None, help="Write plots (SVG: angle curves, events, symmetry) and an HTML report here."),
    keypoints: Path | None = typer.Option(
        None, help="Keypoint file (.parquet/.csv): loaded if it exists, else saved after pose."),
    distance: str | None = typer.Option(
        None, help="x1,y1,x2,y2,metres: two image points on the walking line (e.g. floor "
        "tape) and their distance; sets the scale in place of --height (side view)."),
    region: str | None = typer.Option(None, help="x,y,w,h around the walking subject (px)."),
    person: int | None = typer.Option(
        None, min=0, help="Follow moving person N instead of the one who walks most (0); an "
        "unsure choice lists the candidates."),
    age: float | None = typer.Option(None, help="Age in years, for normative bands."),
    sex: str | None = typer.Option(None, help="male | female, for normative bands."),
    frames: str | None = typer.Option(
        None, help="START:STOP frame range to analyse (default: the whole video)."),
) -> None:
    """Analyse gait in a phone video: events, cadence, steps, angles, confidence grades."""
    from groundup.gait.video import analyse_video_keypoints
    from groundup.motion.video.keypoints import load_keypoints, run_pose, save_keypoints
    from groundup.motion.video.quiet import native_stderr_off_for_command

    native_stderr_off_for_command()

    try:
        start_stop = _frames(overlay_frames)
        pose_range = _frames(frames, "--frames")
        known = _known_distance(distance)
        if keypoints is not None and keypoints.exists():
            df, meta = load_keypoints(keypoints)
        elif path.suffix.lower() in (".parquet", ".csv"):
            df, meta = load_keypoints(path)
        else:
            _long_video_note(path, pose_range)
            with Progress(TextColumn("pose"), BarColumn(), TextColumn("{task.completed} frames"),
                          TimeRemainingColumn(), console=console, transient=True) as progress:
                task = progress.add_task("pose", total=None)

                def tick(done: int, total: int) -> None:
                    progress.update(task, completed=done, total=total or None)

                df, meta = run_pose(path, region=_region(region), person=person, progress=tick,
                                    start=pose_range[0], stop=pose_range[1])
            if keypoints is not None:
                save_keypoints(df, meta, keypoints)
                console.print(f"keypoints: {keypoints}")
        meta = {**meta, "path": path.name, "name": path.stem}
        result = analyse_video_keypoints(df, meta, height_m=height, view=view, age=age,
                                         sex=sex, name=path.stem, known_distance=known)
    except GroundupError as exc:
        console.print(f"[red]error:[/red] {path.name}: {exc}")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        console.print(f"[red]interrupted:[/red] {path.name} was not analysed")
        raise typer.Exit(130) from None
    console.print(summary_table(result))
    conf = result.metadata.get("confidence", {})
    if conf:
        console.print("confidence: " + ", ".join(f"{k} {v}" for k, v in sorted(conf.items())))
    for w in result.warnings:
        console.print(f"[yellow]note:[/yellow] {w}")
    if overlay is not None:
        try:
            _write_overlay(path, df, overlay, result.events, start_stop)
        except GroundupError as exc:
            console.print(f"[red]error:[/red] overlay: {exc}")
            raise typer.Exit(1) from None
    if plots is not None:
        from groundup.report.gait_html import write_gait_report

        console.print(f"report: {write_gait_report(result, plots)}")
    if json_out is not None:
        payload = json.dumps(result.to_json(), indent=1)
        if json_out == "-":
            sys.stdout.write(payload + "\n")
        else:
            Path(json_out).write_text(payload)
            console.print(f"JSON: {json_out}")
