"""Analyse the recordings of a case: motion-capture files and phone videos.

Each recording is analysed on its own; one that is missing or unreadable is reported (by its
path and the reason) and the others, and the rest of the assessment, go on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from groundup.errors import GroundupError


@dataclass
class RecordingOutcome:
    """What became of one recording."""

    name: str
    kind: str
    result: Any | None = None  # GaitResult
    overlay: Path | None = None
    keypoints: Path | None = None
    problem: str | None = None
    notes: list[str] = field(default_factory=list)


def analyse_recording(rec: dict[str, Any], path: Path, out_dir: Path, *,
                      patient: dict[str, Any],
                      progress: Callable[[int, int], None] | None = None) -> RecordingOutcome:
    """Analyse one recording of the case; never raises on bad input.

    Parameters
    ----------
    rec
        The case's recording entry (``kind``, ``path``, options).
    path
        The resolved path of the file.
    out_dir
        Output folder (overlay video and keypoint table are written here).
    patient
        The case's patient section (age, sex, height for normative bands and video scale).
    progress
        Called with (done, total) frames for videos.
    """
    name = str(rec.get("name") or path.stem)
    out = RecordingOutcome(name=name, kind=rec["kind"])
    if not path.is_file():
        where = f"recordings.{rec.get('index', '?')}"
        out.problem = f"recording {rec['path']} ({where}): file not found"
        return out
    age, sex = patient.get("age"), patient.get("sex")
    try:
        if rec["kind"] in ("c3d", "trc"):
            out.result = _motion_capture(rec, path, age, sex, name)
        else:
            _video(rec, path, out_dir, out, patient, progress)
    except GroundupError as exc:
        out.problem = f"recording {rec['path']}: {exc}"
        out.result = None
    except (OSError, ValueError) as exc:  # a file the readers could not make sense of
        out.problem = f"recording {rec['path']}: could not be analysed ({exc})"
        out.result = None
    return out


def _motion_capture(rec: dict[str, Any], path: Path, age, sex, name: str):
    from groundup.gait.analyse import analyse_trial
    from groundup.motion.load import load_trial

    trial = load_trial(path)
    return analyse_trial(trial, events=rec.get("events", "auto"), age=age, sex=sex, name=name)


def _video(rec: dict[str, Any], path: Path, out_dir: Path, out: RecordingOutcome,
           patient: dict[str, Any], progress) -> None:
    from groundup.gait.video import analyse_video_keypoints
    from groundup.motion.video.keypoints import load_keypoints, run_pose, save_keypoints

    height = rec.get("height_m") or patient.get("height_m")
    if height is None:
        out.notes.append(f"{out.name}: no height given; lengths and speed are not scaled")
    if rec["kind"] == "keypoints":
        df, meta = load_keypoints(path)
    else:
        region = tuple(rec["region"]) if rec.get("region") else None
        df, meta = run_pose(path, region=region, progress=progress)
        out.keypoints = out_dir / f"{out.name}.keypoints.parquet"
        save_keypoints(df, meta, out.keypoints)
    known = rec.get("known_distance_m")
    out.result = analyse_video_keypoints(
        df, meta, height_m=height, view=rec.get("view", "auto"),
        known_distance=tuple(known) if known else None, age=patient.get("age"),
        sex=patient.get("sex"), name=out.name)
    if rec["kind"] == "video":
        from groundup.motion.video.overlay import write_overlay

        out.overlay = out_dir / f"{out.name}.overlay.mp4"
        events = [e.to_dict() for e in out.result.events]
        write_overlay(path, df, out.overlay, events=events)
