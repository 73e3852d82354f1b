"""Read C3D files into a :class:`~groundup.motion.trial.Trial`.

The data come from groundup's vectorised reader (:mod:`groundup.motion.c3d_fast`, checked
value for value against ezc3d on every shared file); layouts it does not handle (rotation
data, mixed storage, plate types above 4) fall back to ezc3d itself.

What is read: marker points (converted to metres; Qualisys' exact ``(0, 0, 0)`` and negative
residuals become ``NaN``), model outputs stored as points (Plug-in Gait ``LKneeAngles`` ...),
analog channels, force plates (force, centre of pressure, corners, origin, computed with
ezc3d's formulas), the EVENT group (labels in LABELS or, as Motion Analysis stores them, in
CONTEXTS), PROCESSING subject parameters, SUBJECTS names and the ANALYSIS group.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import Any

import numpy as np

from groundup.errors import RecordingError
from groundup.motion.c3d_fast import UnsupportedC3D, read_c3d_dict
from groundup.motion.trial import ForcePlate, GaitEvent, Trial
from groundup.motion.vocabulary import Vocabulary, default_vocabulary, strip_prefix

_UNIT_TO_M = {"mm": 1e-3, "cm": 1e-2, "m": 1.0, "dm": 0.1, "in": 0.0254}


def _param(params: dict, group: str, name: str, default: Any = None) -> Any:
    try:
        return params[group][name]["value"]
    except KeyError:
        return default


def _first_number(value: Any) -> float | None:
    if value is None:
        return None
    arr = np.asarray(value).ravel()
    if arr.size == 0:
        return None
    try:
        return float(arr[0])
    except (TypeError, ValueError):
        return None


def read_c3d(path: str | Path, *, vocabulary: Vocabulary | None = None) -> Trial:
    """Read a C3D file.

    Parameters
    ----------
    path
        The ``.c3d`` file.
    vocabulary
        Marker vocabulary; the shipped one by default.

    Returns
    -------
    Trial
        Points in metres on the file's own time axis (``first_frame`` from the header).

    Raises
    ------
    RecordingError
        When the file is missing, not a C3D file, or truncated.
    """
    path = Path(path)
    if not path.is_file():
        raise RecordingError(f"{path}: no such file")
    try:
        c3d = read_c3d_dict(path)
    except UnsupportedC3D:
        c3d = _read_with_ezc3d(path)
    vocab = vocabulary or default_vocabulary()
    header, params, data = c3d["header"], c3d["parameters"], c3d["data"]
    rate = float(header["points"]["frame_rate"])
    first = int(header["points"]["first_frame"])
    declared = int(header["points"].get("declared_frames") or _declared_frames(path))
    raw = data["points"]
    n_frames = raw.shape[2]
    warnings: list[str] = []
    if n_frames < declared:
        warnings.append(f"file declares {declared} frames but holds {n_frames}: it is truncated")
        if n_frames < 2:
            raise RecordingError(f"{path.name}: truncated, only {n_frames} frame(s) of "
                                 f"{declared} could be read")
    if rate <= 0:
        raise RecordingError(f"{path.name}: point rate is {rate} Hz")

    unit = str((_param(params, "POINT", "UNITS", ["mm"]) or ["mm"])[0]).strip().lower()
    scale = _UNIT_TO_M.get(unit)
    if scale is None:
        warnings.append(f"unknown point unit {unit!r}; assumed millimetres")
        scale = 1e-3
    labels = [str(x) for x in _param(params, "POINT", "LABELS", [])]
    labels += [str(x) for x in _param(params, "POINT", "LABELS2", [])]
    labels = labels[: raw.shape[1]]
    non_markers: set[str] = set()
    for group in ("ANGLES", "FORCES", "MOMENTS", "POWERS", "SCALARS", "REACTIONS"):
        non_markers.update(strip_prefix(str(x)) for x in _param(params, "POINT", group, []) or [])
    residuals = data.get("meta_points", {}).get("residuals")

    points: dict[str, np.ndarray] = {}
    label_map: dict[str, str] = {}
    model_outputs: dict[str, np.ndarray] = {}
    xyz_all = np.asarray(raw[:3, : len(labels), :], dtype=float).transpose(1, 2, 0)
    missing_all = np.all(xyz_all == 0.0, axis=2)
    if residuals is not None:
        missing_all |= residuals[0, : len(labels), :n_frames] < 0
    # every label in metres in one pass, laid out (label, coordinate, frame): each point is then
    # a column-major (n_frames, 3) view of its own block, the layout a per-label copy would give
    metres = (np.asarray(raw[:3, : len(labels), :], dtype=float) * scale).transpose(1, 0, 2) \
        .copy().transpose(0, 2, 1)
    metres[missing_all] = np.nan
    for i, label in enumerate(labels):
        bare = strip_prefix(label)
        if vocab.is_model_output(bare) or bare in non_markers:
            model_outputs[bare] = xyz_all[i].copy()
            continue
        if re.fullmatch(r"\*\d+", bare) or not bare:
            continue
        xyz = metres[i]
        name = vocab.canonical(bare) or bare
        if name in points and np.isfinite(points[name]).any():
            continue  # duplicate label (e.g. MAC_Walk1): keep the first one holding data
        points[name] = xyz
        label_map[name] = bare

    trial = Trial(points=points, rate=rate, first_frame=first, labels=label_map,
                  model_outputs=model_outputs)
    _read_analogs(trial, c3d)
    _read_force_plates(trial, data, path.name, warnings)
    trial.events = _read_events(params, first / rate)
    trial.metadata.update(_read_subject(params))
    trial.metadata.update({"source": "c3d", "path": str(path), "units_in_file": unit,
                           "vertical_axis": 2, "warnings": warnings,
                           "analysis": _read_analysis(params)})
    return trial


def _read_with_ezc3d(path: Path) -> dict:
    """The reference reader, for the layouts the fast reader does not handle."""
    import ezc3d

    try:
        return ezc3d.c3d(str(path), extract_forceplat_data=True)
    except (OSError, RuntimeError, ValueError, IndexError) as exc:
        raise RecordingError(f"{path.name}: not a readable C3D file ({exc})",
                             hint="re-export it from the capture software") from None


def _declared_frames(path: Path) -> int:
    """Frame count declared in the 512-byte C3D header (ezc3d reports what it could read)."""
    head = path.read_bytes()[:12]
    if len(head) < 12:
        return 0
    for order in ("<", ">"):
        first, last = struct.unpack(order + "HH", head[6:10])
        if 0 < first <= last:
            return last - first + 1
    return 0


def _read_analogs(trial: Trial, c3d: dict) -> None:
    analogs = c3d["data"]["analogs"]
    if analogs.size == 0:
        return
    labels = [str(x) for x in _param(c3d["parameters"], "ANALOG", "LABELS", [])]
    trial.analog_rate = float(c3d["header"]["analogs"]["frame_rate"])
    rows = np.asarray(analogs[0], dtype=float)  # one conversion; channels are row views
    for i, label in enumerate(labels[: analogs.shape[1]]):
        trial.analogs[label.strip() or f"analog{i + 1}"] = rows[i]


def _read_force_plates(trial: Trial, data: dict, name: str, warnings: list[str]) -> None:
    plates = data.get("platform") or []
    for k, pf in enumerate(plates):
        force = np.asarray(pf["force"], dtype=float).T
        if force.size == 0:
            continue
        unit = str(pf.get("unit_position", "mm")).lower()
        pscale = _UNIT_TO_M.get(unit, 1e-3)
        cop = np.asarray(pf["center_of_pressure"], dtype=float).T * pscale
        corners = np.asarray(pf["corners"], dtype=float).T * pscale
        origin = np.asarray(pf["origin"], dtype=float).ravel() * pscale
        moment = np.asarray(pf.get("moment"), dtype=float).T if "moment" in pf else None
        rate = trial.analog_rate or trial.rate
        if not np.isfinite(force).all():
            warnings.append(f"force plate {k + 1} has non-finite samples; they were set to 0")
            force = np.nan_to_num(force)
        trial.force_plates.append(ForcePlate(
            name=f"FP{k + 1}", rate=rate, force=force, cop=cop, corners=corners,
            origin=origin, moment=moment, first_time_s=trial.first_frame / trial.rate))


_SIDE_WORDS = {"left": "left", "right": "right", "l": "left", "r": "right",
               "gauche": "left", "droite": "right"}


def _event_type(text: str) -> str | None:
    t = text.lower().replace("_", " ")
    if any(w in t for w in ("foot strike", "heel strike", "initial contact", "contact")):
        return "IC"
    if any(w in t for w in ("foot off", "toe off", "foot-off")):
        return "FO"
    compact = t.replace(" ", "")
    if re.fullmatch(r"[lr]?(hs|fs|ic)", compact):
        return "IC"
    if re.fullmatch(r"[lr]?(to|fo)", compact):
        return "FO"
    return None


def _event_side(context: str, label: str) -> str | None:
    for text in (context, label):
        t = text.strip().lower()
        if t in _SIDE_WORDS:
            return _SIDE_WORDS[t]
        m = re.fullmatch(r"([lr])(hs|fs|ic|to|fo)", t.replace(" ", ""))
        if m:
            return _SIDE_WORDS[m.group(1)]
        for word, side in (("left", "left"), ("right", "right")):
            if word in t:
                return side
    return None


def _read_events(params: dict, t0: float) -> list[GaitEvent]:
    times = _param(params, "EVENT", "TIMES")
    if times is None:
        return []
    times = np.asarray(times, dtype=float)
    if times.ndim != 2 or times.shape[1] == 0:
        return []
    n = times.shape[1]
    labels = [str(x) for x in (_param(params, "EVENT", "LABELS", []) or [])] + [""] * n
    contexts = [str(x) for x in (_param(params, "EVENT", "CONTEXTS", []) or [])] + [""] * n
    events = []
    for i in range(n):
        label, context = labels[i], contexts[i]
        etype = _event_type(label) or _event_type(context)
        side = _event_side(context, label)
        if etype is None or side is None:
            continue
        t = times[0, i] * 60.0 + times[1, i]
        events.append(GaitEvent(side=side, type=etype, time_s=float(t), method="file",
                                detail={"label": label or context}))
    return sorted(events, key=lambda e: e.time_s)


def _read_subject(params: dict) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    names = _param(params, "SUBJECTS", "NAMES")
    if names:
        meta["subject"] = str(names[0])
    proc = params.get("PROCESSING", {})
    h = _first_number(proc.get("Height", {}).get("value"))
    if h:
        meta["height_m"] = h / 1000.0 if h > 3 else h
    m = _first_number(proc.get("Bodymass", {}).get("value"))
    if m:
        meta["mass_kg"] = m
    for side, key in (("left", "LLegLength"), ("right", "RLegLength")):
        v = _first_number(proc.get(key, {}).get("value"))
        if v:
            meta.setdefault("leg_length_m", {})[side] = v / 1000.0 if v > 3 else v
    return meta


def _read_analysis(params: dict) -> list[dict[str, Any]]:
    names = _param(params, "ANALYSIS", "NAMES")
    values = _param(params, "ANALYSIS", "VALUES")
    if not names or values is None:
        return []
    contexts = _param(params, "ANALYSIS", "CONTEXTS", [""] * len(names))
    units = _param(params, "ANALYSIS", "UNITS", [""] * len(names))
    values = np.asarray(values, dtype=float).ravel()
    return [{"name": str(n), "context": str(c), "unit": str(u), "value": float(v)}
            for n, c, u, v in zip(names, contexts, units, values, strict=False)]
