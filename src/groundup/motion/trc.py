"""Read and write OpenSim / Motion Analysis marker files (``.trc``).

Conventions: OpenSim's lab frame is **Y-up** (``metadata["vertical_axis"] = 1``); points are
returned in metres whatever the TRC's ``Units``; the time axis is the file's,
``t = (Frame# - 1) / DataRate`` (``first_frame`` = first ``Frame#`` - 1, or the ``Time``
column's start when it is not zero). The GRF ``.mot`` beside a TRC is attached by
:func:`groundup.motion.grf.read_trc_with_grf`.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from groundup.errors import GroundupError, RecordingError
from groundup.motion.text_table import cells, number_table, read_lines
from groundup.motion.trial import Trial
from groundup.motion.vocabulary import Vocabulary, default_vocabulary

_UNIT_TO_M = {"mm": 1e-3, "millimeters": 1e-3, "cm": 1e-2, "centimeters": 1e-2, "m": 1.0,
              "meters": 1.0, "metres": 1.0}
_TRC_KEYS = ("DataRate", "CameraRate", "NumFrames", "NumMarkers", "Units", "OrigDataRate",
             "OrigDataStartFrame", "OrigNumFrames")


def read_trc(path: str | Path, *, vocabulary: Vocabulary | None = None) -> Trial:
    """Read an OpenSim/Motion Analysis TRC marker file.

    Parameters
    ----------
    path
        The ``.trc`` file (tab-separated; header values may be padded with spaces/tabs).
    vocabulary
        Marker vocabulary; the shipped one by default.

    Returns
    -------
    Trial
        Points in metres (blank cells -> ``NaN``), ``rate`` = DataRate in Hz, ``first_frame``
        so that ``trial.time`` equals the file's time axis; ``labels`` maps canonical names to
        the file's labels; ``metadata``: ``source="trc"``, ``path``, ``units_in_file``,
        ``vertical_axis=1``, ``trc_header``, ``warnings``.

    Raises
    ------
    RecordingError
        When the file is missing, empty, not a TRC, truncated (fewer rows than NumFrames), or
        its NumMarkers disagrees with the marker-name line.
    """
    path = Path(path)
    name = path.name
    lines = read_lines(path, "TRC")
    if not lines[0].split() or lines[0].split()[0] != "PathFileType" or len(lines) < 5:
        raise RecordingError(f"{name}: not a TRC file (no 'PathFileType' header)")
    keys, values = lines[1].split(), [c for c in cells(lines[2]) if c]
    if len(values) != len(keys):
        raise RecordingError(f"{name}: header line 2 names {len(keys)} fields but line 3 "
                             f"holds {len(values)} values")
    header = dict(zip(keys, values, strict=True))
    try:
        rate = float(header["DataRate"])
        declared = int(float(header["NumFrames"]))
        n_markers = int(float(header["NumMarkers"]))
    except (KeyError, ValueError) as exc:
        raise RecordingError(f"{name}: header lacks a valid DataRate/NumFrames/NumMarkers "
                             f"({exc})") from None
    if rate <= 0:
        raise RecordingError(f"{name}: DataRate is {rate} Hz")
    names = cells(lines[3])
    if names[:2] != ["Frame#", "Time"]:
        raise RecordingError(f"{name}: line 4 should start with 'Frame#' and 'Time'")
    labels = [c for c in names[2:] if c]
    if len(labels) != n_markers:
        raise RecordingError(f"{name}: header says NumMarkers={n_markers} but line 4 names "
                             f"{len(labels)} markers", hint="correct NumMarkers or re-export")
    rows = [(k + 1, cells(ln)) for k, ln in enumerate(lines[5:], start=5) if ln.strip()]
    if len(rows) < declared:
        raise RecordingError(f"{name}: truncated: header declares {declared} frames but the "
                             f"file holds {len(rows)}", hint="re-export the file")
    warnings: list[str] = []
    if len(rows) > declared:
        warnings.append(f"header declares {declared} frames but the file holds {len(rows)}")
    data, short = number_table(rows, 2 + 3 * n_markers, name)
    if short:
        warnings.append(f"{short} data line(s) have fewer values than {n_markers} markers "
                        "need; the missing values were read as NaN")
    if not np.isfinite(data[:, :2]).all():
        raise RecordingError(f"{name}: some data lines have no Frame# or Time")
    unit = header.get("Units", "mm").strip().lower()
    scale = _UNIT_TO_M.get(unit)
    if scale is None:
        warnings.append(f"unknown marker unit {unit!r}; assumed millimetres")
        scale = 1e-3
    vocab = vocabulary or default_vocabulary()
    points: dict[str, np.ndarray] = {}
    label_map: dict[str, str] = {}
    for k, label in enumerate(labels):
        key = vocab.canonical(label) or label
        if key in points:
            warnings.append(f"markers {label_map[key]!r} and {label!r} both map to {key}; "
                            f"{label!r} kept under its own label")
            key = label if label not in points else f"{label}#{k + 1}"
        points[key] = data[:, 2 + 3 * k: 5 + 3 * k] * scale
        label_map[key] = label
    first = _first_frame(data[:, 0], data[:, 1], rate, warnings)
    return Trial(points=points, rate=rate, first_frame=first, labels=label_map,
                 metadata={"source": "trc", "path": str(path), "units_in_file": unit,
                           "vertical_axis": 1, "trc_header": header, "warnings": warnings})


def _first_frame(frames: np.ndarray, times: np.ndarray, rate: float, warnings: list[str]) -> int:
    """0-based first frame on the file axis, from Frame# (or the Time column when non-zero)."""
    by_frame, t0 = int(round(frames[0])) - 1, float(times[0])
    if abs(t0) > 1e-9:
        first = int(round(t0 * rate))
        if abs(t0 * rate - first) > 0.01:
            warnings.append(f"Time starts at {t0:.6g} s, between frames at {rate:g} Hz")
        if first != by_frame:
            warnings.append(f"Frame# starts at {by_frame + 1} but Time at {t0:.6g} s; the Time "
                            f"column sets the time axis (first frame {first})")
    else:
        first = max(by_frame, 0)
        if by_frame != 0:
            warnings.append(f"Frame# starts at {by_frame + 1} but Time at 0 s; first frame "
                            f"taken as {first}")
    if len(times) > 1:
        dt = float(times[-1] - times[0]) / (len(times) - 1)  # mean: Time is often rounded
        if dt > 0 and abs(dt * rate - 1.0) > 0.01:
            warnings.append(f"the Time column steps at {1 / dt:.4g} Hz but DataRate says "
                            f"{rate:g} Hz; DataRate used")
    return first


def write_trc(trial: Trial, path: str | Path) -> None:
    """Write the trial's points to a TRC that OpenSim reads (millimetres, tab-separated).

    Markers carry their original labels (``trial.labels``) where known; a point with any
    ``NaN`` coordinate is written as three empty cells; ``Frame#`` starts at
    ``first_frame + 1`` and ``Time`` is the file-axis time in seconds. Coordinates are written
    in the trial's frame, not rotated: a Z-up (C3D) trial stays Z-up.

    Parameters
    ----------
    trial
        The trial; all points must be 3-D, in metres.
    path
        Destination ``.trc`` file.

    Raises
    ------
    GroundupError
        When the trial has no points or holds 2-D (image) points.
    """
    path = Path(path)
    names = list(trial.points)
    if not names:
        raise GroundupError("the trial has no points to write to a TRC")
    bad = [n for n in names if trial.points[n].ndim != 2 or trial.points[n].shape[1] != 3]
    if bad:
        raise GroundupError(f"only 3-D points can be written to a TRC ({bad[0]!r} is not)")
    labels: list[str] = []
    for n in names:
        label = re.sub(r"\s+", " ", trial.labels.get(n, n)).strip() or n
        labels.append(label if label not in labels else f"{label}_{len(labels) + 1}")
    n_frames, first, rate = trial.n_frames, trial.first_frame, float(trial.rate)
    mm = np.hstack([trial.points[n] for n in names]) * 1000.0
    for k in range(len(names)):
        mm[~np.isfinite(mm[:, 3 * k: 3 * k + 3]).all(axis=1), 3 * k: 3 * k + 3] = np.nan
    r = f"{rate:.10g}"
    out = [f"PathFileType\t4\t(X/Y/Z)\t{path.name}", "\t".join(_TRC_KEYS),
           "\t".join([r, r, str(n_frames), str(len(names)), "mm", r, str(first + 1),
                      str(n_frames)]),
           "Frame#\tTime\t" + "".join(f"{lab}\t\t\t" for lab in labels),
           "\t\t" + "".join(f"X{i}\tY{i}\tZ{i}\t" for i in range(1, len(names) + 1)), ""]
    for i in range(n_frames):
        row = "".join("\t" if np.isnan(v) else f"{v:.6f}\t" for v in mm[i])
        out.append(f"{first + i + 1}\t{(first + i) / rate:.8f}\t{row}")
    try:
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
    except OSError as exc:
        raise GroundupError(f"cannot write {path}: {exc}") from None
