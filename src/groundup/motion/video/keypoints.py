"""The raw keypoint table: one row per (frame, landmark), kept so analysis re-runs without a model.

Columns (exactly, in this order): ``frame`` (int, 0-based as OpenCV's ``CAP_PROP_POS_FRAMES``
counts), ``time_s`` (float, seconds from the first frame), ``landmark`` (BlazePose name),
``x_px``, ``y_px`` (original-frame pixels, y down), ``z_rel`` (BlazePose relative depth, same
pixel scale), ``visibility`` (0–1), ``wx_m``, ``wy_m``, ``wz_m`` (BlazePose world coordinates,
metres, origin at the hip midpoint). Frames where no pose was found have no rows.

Table-level metadata (a plain dict) goes into the Parquet schema metadata (key ``groundup``) or
into a sidecar JSON beside a CSV (``NAME.csv.meta.json``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from groundup.errors import GroundupError, RecordingError
from groundup.motion.video.pose import LANDMARK_NAMES

__all__ = ["COLUMNS", "FORMAT_VERSION", "build_table", "save_keypoints", "load_keypoints",
           "run_pose", "progress_bar"]

COLUMNS: tuple[str, ...] = ("frame", "time_s", "landmark", "x_px", "y_px", "z_rel",
                            "visibility", "wx_m", "wy_m", "wz_m")
FORMAT_VERSION = 1
_FLOATS = COLUMNS[3:]
_META_KEY = b"groundup"


def build_table(frames: list[int], times: list[float], poses: list) -> pd.DataFrame:
    """Long keypoint table from per-frame pose results.

    Parameters
    ----------
    frames, times
        Frame indices and times (s from the first frame) of the frames that have a pose.
    poses
        One :class:`~groundup.motion.video.pose.PoseResult` per frame.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`, 33 rows per frame, sorted by frame then landmark order.
    """
    n = len(frames)
    if n == 0:
        return _empty()
    xy = np.stack([p.xy_px for p in poses]).reshape(-1, 2)
    world = np.stack([p.world_m for p in poses]).reshape(-1, 3)
    df = pd.DataFrame({
        "frame": np.repeat(np.asarray(frames, np.int64), 33),
        "time_s": np.repeat(np.asarray(times, np.float64), 33),
        "landmark": np.tile(np.array(LANDMARK_NAMES, dtype=object), n),
        "x_px": xy[:, 0], "y_px": xy[:, 1],
        "z_rel": np.concatenate([p.z_rel for p in poses]),
        "visibility": np.concatenate([p.visibility for p in poses]),
        "wx_m": world[:, 0], "wy_m": world[:, 1], "wz_m": world[:, 2],
    })
    return _normalise(df)


def _empty() -> pd.DataFrame:
    return _normalise(pd.DataFrame({c: [] for c in COLUMNS}))


def _normalise(df: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise RecordingError(f"Keypoint table lacks columns {missing}",
                             hint="was it written by groundup?")
    df = df.loc[:, list(COLUMNS)].copy()
    df["frame"] = df["frame"].astype(np.int64)
    df["time_s"] = df["time_s"].astype(np.float64)
    df["landmark"] = df["landmark"].astype(object)
    for c in _FLOATS:
        df[c] = df[c].astype(np.float64)
    return df.reset_index(drop=True)


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".meta.json")


def save_keypoints(df: pd.DataFrame, meta: dict, path: str | Path) -> Path:
    """Write a keypoint table and its metadata (``.parquet`` or ``.csv`` by suffix).

    Parameters
    ----------
    df
        Table with columns :data:`COLUMNS`.
    meta
        JSON-serialisable metadata (video name, size, rate, rotation, model, selection, ...).
    path
        ``*.parquet`` (metadata inside the file) or ``*.csv`` (metadata in
        ``*.csv.meta.json`` beside it).

    Returns
    -------
    pathlib.Path
        The table's path.
    """
    path = Path(path)
    df = _normalise(df)
    meta = {**meta, "format_version": FORMAT_VERSION}
    text = json.dumps(meta, sort_keys=True, allow_nan=True)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(df, preserve_index=False)
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               _META_KEY: text.encode()})
        pq.write_table(table, path)
    elif suffix == ".csv":
        df.to_csv(path, index=False, float_format="%.17g")
        _sidecar(path).write_text(text, encoding="utf-8")
    else:
        raise GroundupError(f"Unknown keypoint file type {path.suffix!r}",
                            hint="use .parquet or .csv")
    return path


def load_keypoints(path: str | Path) -> tuple[pd.DataFrame, dict]:
    """Read a keypoint table written by :func:`save_keypoints`.

    Parameters
    ----------
    path
        ``*.parquet`` or ``*.csv`` file.

    Returns
    -------
    tuple
        ``(df, meta)``: the table (exact dtypes of :data:`COLUMNS`) and its metadata dict
        (empty when a CSV has no sidecar).

    Raises
    ------
    RecordingError
        Missing file, unreadable file or missing columns.
    """
    path = Path(path)
    if not path.is_file():
        raise RecordingError(f"Keypoint file not found: {path.name}")
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            table = pq.read_table(path)
            raw = (table.schema.metadata or {}).get(_META_KEY, b"{}")
            return _normalise(table.to_pandas()), json.loads(raw)
        if suffix == ".csv":
            df = pd.read_csv(path, float_precision="round_trip",
                             dtype={"landmark": object})
            side = _sidecar(path)
            meta = json.loads(side.read_text(encoding="utf-8")) if side.is_file() else {}
            return _normalise(df), meta
    except (OSError, ValueError) as exc:
        raise RecordingError(f"{path.name} cannot be read as a keypoint table",
                             hint=str(exc)[:200]) from exc
    raise GroundupError(f"Unknown keypoint file type {path.suffix!r}",
                        hint="use .parquet or .csv")


def run_pose(
    video_path: str | Path, *, backend=None,
    region: tuple[float, float, float, float] | None = None, person: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    start: int = 0, stop: int | None = None, max_side: int = 1920,
) -> tuple[pd.DataFrame, dict]:
    """Video → raw keypoint table of the walking subject (see :mod:`.pipeline`).

    Parameters
    ----------
    video_path
        Video file (any resolution, rotation metadata honoured).
    backend
        A :class:`~groundup.motion.video.pose.PoseBackend`; default BlazePose full.
    region
        ``(x, y, w, h)`` in original-frame pixels around the subject at frame ``start``
        (overrides automatic selection).
    person
        Index of a candidate listed in ``meta["subject"]["candidates"]`` of an earlier run.
    progress
        Called as ``progress(frames_done, frames_total)`` after each frame.
    start, stop
        Frame range ``[start, stop)`` to process.
    max_side
        Frames are shrunk to this longer side (pixels) before detection and pose;
        coordinates are returned in original pixels.

    Returns
    -------
    tuple
        ``(df, meta)``.

    Raises
    ------
    RecordingError
        Unreadable video.
    InsufficientDataError
        No person found in any frame.
    """
    from groundup.motion.video.pipeline import track_video

    frames, times, poses, meta = track_video(
        video_path, backend=backend, region=region, person=person, progress=progress,
        start=start, stop=stop, max_side=max_side)
    meta = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in meta.items()}
    return build_table(frames, times, poses), meta


@contextmanager
def progress_bar(description: str = "pose") -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar as a ``progress(done, total)`` callback for :func:`run_pose`.

    Examples
    --------
    >>> with progress_bar("walk.mp4") as progress:  # doctest: +SKIP
    ...     df, meta = run_pose("walk.mp4", progress=progress)
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn(), transient=True) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=max(total, done))

        yield update
