"""The gait pipeline: ``Trial`` -> events -> strides -> kinematics -> norms -> ``GaitResult``."""

from __future__ import annotations

import warnings as _warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from groundup import __version__
from groundup.errors import InsufficientDataError
from groundup.gait import kinematics, norms, symmetry
from groundup.gait.events.detect import Mode, detect_events
from groundup.gait.findings import findings_from_rows
from groundup.gait.geometry import FOREFOOT, REARFOOT, foot_marker, walking_frame
from groundup.gait.result import GaitResult
from groundup.gait.spatiotemporal import stride_table, summarise
from groundup.motion.trial import Trial

CURVE_VARIABLES = ("hip_flexion", "knee_flexion", "ankle_dorsiflexion", "pelvic_tilt",
                   "pelvic_obliquity", "pelvic_rotation", "trunk_lateral_lean",
                   "foot_progression")


@contextmanager
def warnings_off():
    """Silence numpy's "mean of empty slice" where all-NaN columns are expected."""
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore", RuntimeWarning)
        yield


def check_walking(trial: Trial) -> None:
    """Raise :class:`InsufficientDataError` with a clear message when no gait can be analysed."""
    feet = {s: [foot_marker(trial, s, REARFOOT), foot_marker(trial, s, FOREFOOT)] for s in "LR"}
    if not any(m for ms in feet.values() for m in ms):
        names = ", ".join(sorted(trial.points)[:12]) or "none"
        raise InsufficientDataError(
            "no heel, ankle or toe markers found, so no gait events can be detected",
            hint=f"points in the file: {names}; add your labels with --markers FILE")
    if trial.n_frames < 3 or trial.duration_s < 0.3:
        raise InsufficientDataError(f"the recording is only {trial.duration_s:.2f} s long")


def analyse_trial(trial: Trial, *, events: Mode = "auto", age: float | None = None,
                  sex: str | None = None, name: str | None = None) -> GaitResult:
    """Run the whole gait analysis on one trial.

    Parameters
    ----------
    trial
        The recording.
    events
        Event source (see :func:`groundup.gait.events.detect.detect_events`).
    age, sex
        For the normative bands (years; ``"male"``/``"female"``); optional.
    name
        Trial name for the result (the file stem by default).
    """
    check_walking(trial)
    warnings = list(trial.metadata.get("warnings", []))
    wf = walking_frame(trial)
    evs, notes = detect_events(trial, wf, events)
    warnings += notes
    if wf.treadmill:
        warnings.append("the pelvis hardly travels: treated as treadmill walking "
                        "(lengths and speed from the belt speed)")
    if wf.turns:
        warnings.append(f"the walking direction reverses {wf.turns} time(s): turns are "
                        "followed, strides across a turn are kept only if complete")
    strides = stride_table(trial, evs, wf)
    summary = summarise(strides)
    if strides.empty:
        n_ic = sum(e.type == "IC" for e in evs)
        warnings.append(
            f"no complete stride (found {n_ic} initial contact(s)): a stride needs two "
            "contacts of the same foot; only events are reported" if evs else
            "no gait events found: is the subject walking (a static trial)?")
    angles, kin_warnings = kinematics.marker_angles(trial)
    warnings += kin_warnings
    model = kinematics.model_output_angles(trial)
    curves, own = _curves(trial, strides, angles, model)
    for side, values in _curve_metrics(own).items():
        summary.setdefault(side, {}).update(values)
    left, right = summary.get("left", {}), summary.get("right", {})
    sym_rows = symmetry.symmetry_rows(
        {k: v for k, v in left.items() if isinstance(v, float)},
        {k: v for k, v in right.items() if isinstance(v, float)})
    norm_rows = norms.compare_rows(summary, age=age, sex=sex)
    source = str(trial.metadata.get("source", "unknown"))
    provenance = {"file": Path(str(trial.metadata.get("path", ""))).name or None,
                  "events": events, "software": f"groundup {__version__}"}
    n = summary.get("n_strides", 0)
    confidence = "high" if n >= 4 else "moderate" if n >= 2 else "low"
    findings = findings_from_rows(summary, sym_rows, norm_rows, source=source,
                                  confidence=confidence, provenance=provenance)
    meta = {"rate_hz": trial.rate, "first_frame": trial.first_frame,
            "n_frames": trial.n_frames, "treadmill": wf.treadmill, "turns": wf.turns,
            "pelvis_speed_m_s": round(wf.pelvis_speed_m_s, 3), "event_mode": events,
            "synthetic": bool(trial.metadata.get("synthetic", False)),
            "subject": {k: trial.metadata[k] for k in ("height_m", "mass_kg", "leg_length_m")
                        if k in trial.metadata}}
    return GaitResult(trial=name or Path(str(trial.metadata.get("path", "trial"))).stem,
                      source=source, events=evs, strides=strides, spatiotemporal=summary,
                      kinematics=curves, symmetry=symmetry.table_from_rows(sym_rows),
                      norms=norms.table_from_rows(norm_rows), findings=findings,
                      warnings=warnings, metadata=meta)


def _curves(trial: Trial, strides: pd.DataFrame, angles: dict, model: dict
            ) -> tuple[pd.DataFrame, dict]:
    """Time-normalised curves per stride of the side's own angles.

    Returns
    -------
    table, own
        The tidy table (``variable, side, cycle, pct, value_deg, origin``) and the
        marker-based curves as ``{(variable, side): array (n_cycles, 101)}``.
    """
    meta: dict[str, list] = {"variable": [], "side": [], "cycle": [], "origin": []}
    values: list[np.ndarray] = []
    own: dict[tuple[str, str], np.ndarray] = {}
    t = trial.time
    sides = strides["side"].to_numpy()
    spans = np.column_stack([strides["start_s"].to_numpy(dtype=float),
                             strides["end_s"].to_numpy(dtype=float)])
    windows = {side: spans[sides == side] for side in ("left", "right")}
    for origin, series in (("markers", angles), ("model:Plug-in Gait", model)):
        usable = [(var, s) for (var, s), y in series.items()
                  if var in CURVE_VARIABLES and np.isfinite(y).any()]
        for side in ("left", "right"):
            spans_side = windows.get(side, [])
            keys = [var for var, s in usable if s == side]
            if len(spans_side) == 0 or not keys:
                continue
            ys = [series[var, side] for var in keys]
            for var, curves in zip(keys, kinematics.time_normalise_many(ys, t, spans_side),
                                   strict=True):
                cycles = np.flatnonzero(np.isfinite(curves).any(axis=1))
                if cycles.size == 0:
                    continue
                kept = curves[cycles]
                for key, value in (("variable", var), ("side", side), ("origin", origin)):
                    meta[key] += [value] * cycles.size
                meta["cycle"] += cycles.tolist()
                values.append(kept.ravel())
                if origin == "markers":
                    own[var, side] = kept
    if not values:
        return pd.DataFrame({k: [] for k in (*meta, "pct", "value_deg")}), own
    n = len(meta["cycle"])
    table = {k: np.repeat(np.asarray(v, dtype=object if k != "cycle" else int), 101)
             for k, v in meta.items()}
    table["pct"] = np.tile(np.linspace(0, 100, 101), n)
    table["value_deg"] = np.concatenate(values)
    cols = ["variable", "side", "cycle", "pct", "value_deg", "origin"]
    # the columns are fresh arrays of this function: no defensive copy needed
    return pd.DataFrame({k: table[k] for k in cols}, copy=False), own


def _nanmean_cycles(curves: np.ndarray) -> np.ndarray:
    """``np.nanmean(curves, axis=0)`` (the same sums and division), ``NaN`` where no cycle has a
    value, without numpy's generic wrapper."""
    ok = ~np.isnan(curves)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ok, curves, 0.0).sum(axis=0) / ok.sum(axis=0)


def _curve_metrics(own: dict[tuple[str, str], np.ndarray]) -> dict:
    """Per-side summary angles from the marker-based curves (mean over cycles)."""
    out: dict = {}
    for side in ("left", "right"):
        d = {}
        names = ("knee_flexion", "hip_flexion", "ankle_dorsiflexion", "pelvic_obliquity",
                 "foot_progression")
        means = [None if own.get((v, side)) is None else _nanmean_cycles(own[v, side])
                 for v in names]
        knee, hip, ankle, obl, fpa = means
        if knee is not None:
            d["knee_peak_swing_flexion_deg"] = float(np.nanmax(knee[60:]))
        if hip is not None:
            d["hip_peak_extension_deg"] = float(-np.nanmin(hip))
            d["hip_flexion_ic_deg"] = float(hip[0])
        if ankle is not None:
            d["ankle_peak_dorsiflexion_deg"] = float(np.nanmax(ankle[:60]))
        if obl is not None:
            d["pelvic_obliquity_range_deg"] = float(np.nanmax(obl) - np.nanmin(obl))
        if fpa is not None:
            d["foot_progression_deg"] = float(np.nanmean(fpa[10:50]))
        if d:
            out[side] = d
    return out
