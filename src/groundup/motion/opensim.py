"""Read and write OpenSim files: markers (``.trc``), tables (``.mot``/``.sto``) and GRF.

Conventions: OpenSim's lab frame is **Y-up** (``metadata["vertical_axis"] = 1``); points are
returned in metres whatever the TRC's ``Units``; the time axis is the file's,
``t = (Frame# - 1) / DataRate`` (``first_frame`` = first ``Frame#`` - 1, or the ``Time``
column's start when it is not zero). Ground reaction forces from a ``.mot`` are in newtons with
the centre of pressure in metres; their plate corners are unknown (``NaN``), so assigning a
contact to a foot must rely on the centre of pressure or on :func:`grf_body_hints`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from groundup.errors import GroundupError, RecordingError
from groundup.motion.trial import ForcePlate, Side, Trial
from groundup.motion.vocabulary import Vocabulary, default_vocabulary

_UNIT_TO_M = {"mm": 1e-3, "millimeters": 1e-3, "cm": 1e-2, "centimeters": 1e-2, "m": 1.0,
              "meters": 1.0, "metres": 1.0}
_TRC_KEYS = ("DataRate", "CameraRate", "NumFrames", "NumMarkers", "Units", "OrigDataRate",
             "OrigDataStartFrame", "OrigNumFrames")
COP_MIN_FORCE_N = 5.0
"""Below this force magnitude (N) the centre of pressure of a GRF is undefined (set to NaN)."""


@dataclass(kw_only=True)
class GrfForcePlate(ForcePlate):
    """A :class:`ForcePlate` from an OpenSim GRF file: corners unknown, vertical axis known.

    ``vertical_force`` is the component along ``vertical_axis`` (1 = Y in OpenSim), since the
    plate normal cannot be computed from unknown (``NaN``) corners.
    """

    vertical_axis: int = 1

    @property
    def vertical_force(self) -> np.ndarray:
        """Force along the lab vertical (newtons, positive when loaded)."""
        fz = self.force[:, self.vertical_axis].copy()
        if np.nanmax(fz) < -np.nanmin(fz):
            fz = -fz
        return fz


def _lines(path: Path, kind: str) -> list[str]:
    if not path.is_file():
        raise RecordingError(f"{path}: no such file")
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise RecordingError(f"{path.name}: cannot read the {kind} file ({exc})") from None
    if not text.strip():
        raise RecordingError(f"{path.name}: the {kind} file is empty")
    return text.splitlines()


def _cells(line: str) -> list[str]:
    """Tab-separated cells (whitespace-separated when the line has no tab), stripped."""
    return [c.strip() for c in (line.split("\t") if "\t" in line else line.split())]


def _table(rows: list[tuple[int, list[str]]], width: int, name: str) -> tuple[np.ndarray, int]:
    """Numbers of ``width`` columns; blank cells are NaN. Returns (data, number of short rows)."""
    data = np.full((len(rows), width), np.nan)
    short = 0
    for i, (lineno, cells) in enumerate(rows):
        if any(cells[width:]):
            raise RecordingError(f"{name}: line {lineno} has {len(cells)} values, more than the "
                                 f"{width} columns the header announces")
        short += len(cells) < width
        for j, cell in enumerate(cells[:width]):
            if cell:
                try:
                    data[i, j] = float(cell)
                except ValueError:
                    raise RecordingError(f"{name}: line {lineno}, column {j + 1}: {cell!r} is "
                                         "not a number") from None
    return data, short


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
    lines = _lines(path, "TRC")
    if not lines[0].split() or lines[0].split()[0] != "PathFileType" or len(lines) < 5:
        raise RecordingError(f"{name}: not a TRC file (no 'PathFileType' header)")
    keys, values = lines[1].split(), [c for c in _cells(lines[2]) if c]
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
    names = _cells(lines[3])
    if names[:2] != ["Frame#", "Time"]:
        raise RecordingError(f"{name}: line 4 should start with 'Frame#' and 'Time'")
    labels = [c for c in names[2:] if c]
    if len(labels) != n_markers:
        raise RecordingError(f"{name}: header says NumMarkers={n_markers} but line 4 names "
                             f"{len(labels)} markers", hint="correct NumMarkers or re-export")
    rows = [(k + 1, _cells(ln)) for k, ln in enumerate(lines[5:], start=5) if ln.strip()]
    if len(rows) < declared:
        raise RecordingError(f"{name}: truncated: header declares {declared} frames but the "
                             f"file holds {len(rows)}", hint="re-export the file")
    warnings: list[str] = []
    if len(rows) > declared:
        warnings.append(f"header declares {declared} frames but the file holds {len(rows)}")
    data, short = _table(rows, 2 + 3 * n_markers, name)
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


def read_mot(path: str | Path) -> pd.DataFrame:
    """Read an OpenSim ``.mot``/``.sto`` table (IK joint angles, GRF, ID moments, ...).

    Parameters
    ----------
    path
        The file: header lines up to ``endheader``, a line of column names, then numbers.

    Returns
    -------
    pandas.DataFrame
        One column per name (``time`` in seconds first); blank cells are ``NaN``. ``df.attrs``
        holds ``name`` (first header line), ``header`` (``key=value`` lines), ``inDegrees``
        (``True``/``False``, ``None`` when absent), ``path`` and ``warnings``.

    Raises
    ------
    RecordingError
        When the file is missing, empty, has no ``endheader`` or ``time`` column, or is
        truncated (fewer rows than ``nRows``, or a row with too few values).
    """
    path = Path(path)
    lines = _lines(path, "OpenSim table")
    end = next((i for i, ln in enumerate(lines) if ln.strip().lower() == "endheader"), None)
    if end is None:
        raise RecordingError(f"{path.name}: no 'endheader' line: not an OpenSim .mot/.sto file")
    header = {k.strip(): v.strip() for k, _, v in
              (ln.strip().partition("=") for ln in lines[:end] if "=" in ln)}
    body = [(k + 1, ln) for k, ln in enumerate(lines[end + 1:], start=end + 1) if ln.strip()]
    if not body:
        raise RecordingError(f"{path.name}: no column names after 'endheader'")
    names = [c for c in _cells(body[0][1]) if c]
    if "time" not in names:
        lower = [n.lower() for n in names]
        if "time" not in lower:
            raise RecordingError(f"{path.name}: no 'time' column (columns: {names[:5]}...)")
        names[lower.index("time")] = "time"
    rows = [(k, _cells(ln)) for k, ln in body[1:]]
    data, short = _table(rows, len(names), path.name)
    if short:
        raise RecordingError(f"{path.name}: truncated: {short} row(s) hold fewer than the "
                             f"{len(names)} values named in the header")
    warnings: list[str] = []
    declared = header.get("nRows", "")
    if declared.isdigit() and int(declared) != len(rows):
        if int(declared) > len(rows):
            raise RecordingError(f"{path.name}: truncated: nRows={declared} but the file holds "
                                 f"{len(rows)} rows")
        warnings.append(f"nRows={declared} but the file holds {len(rows)} rows")
    df = pd.DataFrame(data, columns=names)
    degrees = header.get("inDegrees", "").lower()
    df.attrs.update({"name": lines[0].strip() if "=" not in lines[0] else "",
                     "header": header, "path": str(path), "warnings": warnings,
                     "inDegrees": {"yes": True, "no": False}.get(degrees)})
    return df


def grf_force_plates(df: pd.DataFrame, *, first_time_s: float | None = None,
                     cop_min_force_n: float = COP_MIN_FORCE_N) -> list[ForcePlate]:
    """Force plates from an OpenSim GRF table (see :func:`read_mot`).

    Force groups are found by their shared column prefix: ``<p>vx, <p>vy, <p>vz`` (force, N),
    ``<p>px, <p>py, <p>pz`` (centre of pressure, m) and the torque with ``force`` replaced by
    ``torque`` (``ground_torque_x``, ``1_ground_torque_x``, ``ground_torque_r_x``; N m).

    Parameters
    ----------
    df
        The GRF table, with a ``time`` column in seconds.
    first_time_s
        Time of the first sample on the trial's axis; the table's first ``time`` by default.
    cop_min_force_n
        The centre of pressure is set to ``NaN`` where the force magnitude is below this (N).

    Returns
    -------
    list of ForcePlate
        :class:`GrfForcePlate` objects named by the prefix without its trailing ``_``
        (``"ground_force"``, ``"1_ground_force"``, ``"ground_force_r"``), in the file's Y-up
        frame, ``rate`` from the time column (Hz), ``corners`` and ``origin`` all ``NaN``.
        Empty when the table holds no force columns.

    Raises
    ------
    RecordingError
        When the time column is too short or not evenly spaced.
    """
    cols = list(df.columns)
    bases = [c[:-2] for c in cols if c.endswith("vx") and "force" in c.lower()
             and {c[:-2] + "vy", c[:-2] + "vz"} <= set(cols)]
    if not bases:
        return []
    t = df["time"].to_numpy(float)
    if len(t) < 2 or not t[-1] > t[0]:
        raise RecordingError("GRF table: the time column needs at least two increasing values")
    rate = (len(t) - 1) / (t[-1] - t[0])
    if np.max(np.abs(t - (t[0] + np.arange(len(t)) / rate))) > 0.5 / rate:
        raise RecordingError(f"GRF table: the time column is not evenly spaced (~{rate:.4g} Hz)")
    n = len(t)
    plates: list[ForcePlate] = []
    for base in bases:
        force = df[[base + a for a in ("vx", "vy", "vz")]].to_numpy(float)
        cop_cols = [base + a for a in ("px", "py", "pz")]
        cop = df[cop_cols].to_numpy(float) if set(cop_cols) <= set(cols) else np.full((n, 3),
                                                                                      np.nan)
        cop[~(np.linalg.norm(force, axis=1) >= cop_min_force_n)] = np.nan
        moment = None
        for word in ("torque", "moment"):
            m_cols = [base.replace("force", word) + a for a in "xyz"]
            if set(m_cols) <= set(cols):
                moment = df[m_cols].to_numpy(float)
                break
        plates.append(GrfForcePlate(
            name=base.rstrip("_"), rate=rate, force=force, cop=cop,
            corners=np.full((4, 3), np.nan), origin=np.full(3, np.nan), moment=moment,
            first_time_s=float(t[0] if first_time_s is None else first_time_s)))
    return plates


def grf_side_hint(name: str) -> Side | None:
    """The foot a GRF group or body name points to (``"ground_force_r"``, ``"calcn_l"``).

    Returns ``"left"``/``"right"``, or ``None`` when the name does not say (``"1_ground_force"``).
    """
    tokens = set(re.split(r"[^a-z0-9]+", name.lower()))
    right, left = bool(tokens & {"r", "right"}), bool(tokens & {"l", "left"})
    return "right" if right and not left else "left" if left and not right else None


def grf_body_hints(xml_path: str | Path) -> dict[str, Side]:
    """Which foot each force group of an OpenSim ExternalLoads ``.xml`` is applied to.

    Parameters
    ----------
    xml_path
        The ExternalLoads file (e.g. ``subject01_walk1_grf.xml``).

    Returns
    -------
    dict
        Group prefix as in :func:`grf_force_plates` names (``force_identifier`` without its
        trailing ``v``/``_``) -> ``"left"``/``"right"``, from ``applied_to_body`` (``calcn_r``)
        or, failing that, the ExternalForce's name.

    Raises
    ------
    RecordingError
        When the file is missing or not XML.
    """
    path = Path(xml_path)
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise RecordingError(f"{path.name}: cannot read ExternalLoads XML ({exc})") from None
    hints: dict[str, Side] = {}
    for ef in root.iter("ExternalForce"):
        ident = (ef.findtext("force_identifier") or "").strip()
        side = grf_side_hint((ef.findtext("applied_to_body") or "").strip()) or \
            grf_side_hint(ef.get("name", ""))
        if ident and side:
            hints[ident.removesuffix("v").rstrip("_")] = side
    return hints


def _find_grf(trc: Path) -> Path | None:
    """The sibling GRF file of a TRC: ``<stem>_grf.mot``, ``grf_<stem>.mot`` or a name match."""
    stem, best, best_len = trc.stem, None, -1
    for p in sorted(trc.parent.glob("*_grf.mot")) + sorted(trc.parent.glob("grf_*.mot")):
        core = p.stem[:-4] if p.stem.endswith("_grf") else p.stem[4:]
        if (stem == core or stem.endswith("_" + core) or core.endswith("_" + stem)) \
                and len(core) > best_len:
            best, best_len = p, len(core)
    return best


def read_trc_with_grf(trc_path: str | Path, grf_path: str | Path | None = None, *,
                      vocabulary: Vocabulary | None = None) -> Trial:
    """Read a TRC and attach the force plates of its GRF ``.mot``.

    Parameters
    ----------
    trc_path
        The ``.trc`` file.
    grf_path
        The GRF ``.mot``; by default a sibling ``<stem>_grf.mot``/``grf_<stem>.mot`` or one
        whose name ends the TRC's (``grf_walk.mot`` for ``motion_capture_walk.trc``).
    vocabulary
        Marker vocabulary; the shipped one by default.

    Returns
    -------
    Trial
        As :func:`read_trc`, with ``force_plates`` (times from the ``.mot`` time column),
        ``metadata["grf_path"]`` and ``metadata["force_plate_sides"]`` (plate name ->
        ``"left"``/``"right"`` from the names and a sibling ExternalLoads ``.xml``).
    """
    trial = read_trc(trc_path, vocabulary=vocabulary)
    warnings = trial.metadata["warnings"]
    grf = Path(grf_path) if grf_path is not None else _find_grf(Path(trc_path))
    if grf is None:
        warnings.append("no GRF .mot found beside the TRC: no force plates")
        return trial
    df = read_mot(grf)
    warnings.extend(f"{grf.name}: {w}" for w in df.attrs["warnings"])
    trial.force_plates = grf_force_plates(df)
    if not trial.force_plates:
        warnings.append(f"{grf.name}: no force columns (<prefix>vx/vy/vz): no force plates")
    names = {p.name for p in trial.force_plates}
    sides = {n: s for n in names if (s := grf_side_hint(n))}
    xml = grf.with_suffix(".xml")
    if xml.is_file():
        sides.update({k: v for k, v in grf_body_hints(xml).items() if k in names})
    trial.metadata.update({"grf_path": str(grf), "force_plate_sides": sides})
    t = trial.time
    if trial.force_plates and len(t) and not (df["time"].iloc[0] <= t[-1]
                                               and df["time"].iloc[-1] >= t[0]):
        warnings.append(f"{grf.name}: GRF time range does not overlap the markers'")
    return trial


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
        cells = "".join("\t" if np.isnan(v) else f"{v:.6f}\t" for v in mm[i])
        out.append(f"{first + i + 1}\t{(first + i) / rate:.8f}\t{cells}")
    try:
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
    except OSError as exc:
        raise GroundupError(f"cannot write {path}: {exc}") from None
