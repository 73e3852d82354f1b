"""Overlay video: the subject's skeleton, side labels and detected gait events on every frame.

Frames are read, drawn on and written one at a time (bounded memory). Left is drawn in orange,
right in blue (colour-blind-safe pair), the trunk and head in white; each event
``{side, type, time_s}`` is written in large letters at its frame and for a few frames after, and
marked on the foot that made it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import cv2
import numpy as np
import pandas as pd

from groundup.errors import GroundupError
from groundup.motion.video.pose import LANDMARK_NAMES
from groundup.motion.video.reader import iter_frames, probe_video

__all__ = ["write_overlay", "SKELETON", "COLOURS"]
#: Overlay container -> codec (what opencv-python's FFmpeg can encode): MPEG-4 Part 2 plays in
#: desktop players (QuickTime, Windows, VLC); VP8 in WebM plays in web browsers.
CODECS = {".mp4": "mp4v", ".m4v": "mp4v", ".webm": "VP80"}

#: BGR colours by side.
COLOURS = {"L": (0, 140, 255), "R": (255, 120, 0), "C": (235, 235, 235)}

_IDX = {n: i for i, n in enumerate(LANDMARK_NAMES)}
#: Segments drawn, as (landmark, landmark, side).
SKELETON: tuple[tuple[str, str, str], ...] = tuple(
    [(f"{s}_{a}", f"{s}_{b}", s[0].upper()) for s in ("left", "right")
     for a, b in (("shoulder", "elbow"), ("elbow", "wrist"), ("shoulder", "hip"),
                  ("hip", "knee"), ("knee", "ankle"), ("ankle", "heel"),
                  ("heel", "foot_index"), ("ankle", "foot_index"))]
    + [("left_shoulder", "right_shoulder", "C"), ("left_hip", "right_hip", "C"),
       ("nose", "left_shoulder", "C"), ("nose", "right_shoulder", "C")]
)
_HOLD_S = 0.25  # how long an event label stays on screen


def _by_frame(df: pd.DataFrame) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    out = {}
    for frame, g in df.groupby("frame", sort=True):
        idx = g["landmark"].map(_IDX).to_numpy()
        xy = np.full((33, 2), np.nan)
        vis = np.zeros(33)
        xy[idx] = g[["x_px", "y_px"]].to_numpy()
        vis[idx] = g["visibility"].to_numpy()
        out[int(frame)] = (xy, vis)
    return out


def _draw_pose(img: np.ndarray, xy: np.ndarray, vis: np.ndarray, thick: int, min_vis: float):
    for a, b, side in SKELETON:
        i, j = _IDX[a], _IDX[b]
        if vis[i] >= min_vis and vis[j] >= min_vis and np.isfinite(xy[[i, j]]).all():
            cv2.line(img, tuple(np.round(xy[i]).astype(int)), tuple(np.round(xy[j]).astype(int)),
                     COLOURS[side], thick, cv2.LINE_AA)
    for side in ("L", "R"):
        k = _IDX[("left" if side == "L" else "right") + "_ankle"]
        if vis[k] >= min_vis and np.isfinite(xy[k]).all():
            p = np.round(xy[k] + (thick * 4, -thick * 4)).astype(int)
            cv2.putText(img, side, tuple(p), cv2.FONT_HERSHEY_SIMPLEX, thick * 0.45,
                        COLOURS[side], max(1, thick // 2), cv2.LINE_AA)


def _draw_events(img, events, t, xy, thick):
    y = 40 * thick // 3
    for ev in events:
        dt = t - float(ev["time_s"])
        if -1e-6 <= dt <= _HOLD_S:
            side = str(ev.get("side", "?")).upper()[:1]
            colour = COLOURS.get(side, COLOURS["C"])
            text = f"{side} {ev.get('type', '?')}  t={float(ev['time_s']):.3f}s"
            cv2.putText(img, text, (20, y), cv2.FONT_HERSHEY_SIMPLEX, thick * 0.5, colour,
                        max(2, thick // 2), cv2.LINE_AA)
            y += 18 * thick
            foot = ("left" if side == "L" else "right") + (
                "_heel" if str(ev.get("type", "")).upper() == "IC" else "_foot_index")
            if xy is not None and foot in _IDX and np.isfinite(xy[_IDX[foot]]).all():
                cv2.circle(img, tuple(np.round(xy[_IDX[foot]]).astype(int)), thick * 6,
                           colour, thick, cv2.LINE_AA)


def write_overlay(
    video_path: str | Path, keypoints: pd.DataFrame, out_path: str | Path, *,
    events: Iterable[dict] | None = None, min_visibility: float = 0.3,
    start: int = 0, stop: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write an MP4 of the video with the keypoints and events drawn on it.

    Parameters
    ----------
    video_path
        The video the keypoints came from.
    keypoints
        Keypoint table (columns of :data:`~groundup.motion.video.keypoints.COLUMNS`).
    out_path
        Output ``.mp4`` file.
    events
        Gait events, each ``{"side": "L"|"R", "type": "IC"|"FO", "time_s": float}`` with
        ``time_s`` from the first frame of the video.
    min_visibility
        Segments whose ends are less visible than this (0–1) are not drawn.
    start, stop
        Frame range ``[start, stop)`` to write.
    progress
        Called as ``progress(frames_done, frames_total)``.

    Returns
    -------
    int
        Number of frames written.

    Raises
    ------
    GroundupError
        The output file cannot be written.
    """
    info = probe_video(video_path)
    events = sorted(events or [], key=lambda e: float(e["time_s"]))
    poses = _by_frame(keypoints)
    out_path = Path(out_path)
    fps = info.fps if info.fps > 0 else 30.0
    codec = CODECS.get(out_path.suffix.lower())
    if codec is None:
        raise GroundupError(f"Cannot write the overlay video {out_path.name}: unknown format",
                            hint="name it .mp4 (desktop players) or .webm (web browsers)")
    writer = cv2.VideoWriter(str(out_path), cv2.VideoWriter_fourcc(*codec), fps,
                             (info.width, info.height))
    if not writer.isOpened():
        raise GroundupError(f"Cannot write the overlay video {out_path.name}",
                            hint="check that the folder exists and is writable")
    thick = max(2, round(max(info.width, info.height) / 600))
    total = (min(stop, info.n_frames) if stop else info.n_frames) - start
    n = 0
    try:
        for fr in iter_frames(video_path, start=start, stop=stop):
            img = fr.image
            xy, vis = poses.get(fr.index, (None, None))
            if xy is not None:
                _draw_pose(img, xy, vis, thick, min_visibility)
            _draw_events(img, events, fr.time_s, xy, thick)
            cv2.putText(img, f"frame {fr.index}  {fr.time_s:.3f} s", (20, info.height - 20),
                        cv2.FONT_HERSHEY_SIMPLEX, thick * 0.35, COLOURS["C"], 1, cv2.LINE_AA)
            writer.write(img)
            n += 1
            if progress is not None:
                progress(n, total)
    finally:
        writer.release()
    return n
