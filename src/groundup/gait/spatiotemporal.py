"""Strides and spatio-temporal parameters from events and foot positions.

Definitions (Perry & Burnfield 2010; as in Vicon Nexus' gait cycle parameters):

- stride: from an IC to the next IC of the same foot (at most 2.5 s apart, so a stop or a
  turn out of view ends the sequence); stride time in s; stride length is the horizontal
  distance travelled by the foot's rearfoot marker between the two ICs (overground), or belt
  speed x stride time on a treadmill.
- stance % = (FO - IC) / stride time x 100; swing % = 100 - stance %.
- double support % = time both feet are down within the stride (IC -> opposite FO, and
  opposite IC -> FO) / stride time x 100.
- step (of a foot, within its stride): from the opposite foot's IC to the IC that ends the
  stride; step length is the distance from the opposite foot (where it landed) to this foot
  (where it lands) along the walking direction, step width the distance across (as Vicon
  Nexus defines them).
- cadence = 120 / mean stride time (steps/min); speed = stride length / stride time.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from groundup.gait.geometry import (
    FOREFOOT,
    REARFOOT,
    WalkingFrame,
    foot_marker,
)
from groundup.gait.tables import from_rows, typed_columns
from groundup.motion.trial import GaitEvent, Trial
from groundup.signal import fill_gaps, percentile

MAX_STRIDE_S = 2.5
SIDE_LETTER = {"left": "L", "right": "R"}


def _times(events: list[GaitEvent], side: str, etype: str) -> np.ndarray:
    return np.array(sorted(e.time_s for e in events if e.side == side and e.type == etype))


def _between(times: np.ndarray, a: float, b: float) -> float:
    inside = times[(times > a) & (times < b)]
    return float(inside[0]) if inside.size else np.nan


def _foot_tracks(trial: Trial) -> dict[str, np.ndarray | None]:
    """Gap-filled rearfoot (or forefoot) trajectory per side, ``(n, 3)`` metres."""
    out: dict[str, np.ndarray | None] = {}
    for side, s in SIDE_LETTER.items():
        m = foot_marker(trial, s, REARFOOT) or foot_marker(trial, s, FOREFOOT)
        out[side] = fill_gaps(trial.points[m])[0] if m else None
    return out


def _foot_position(trial: Trial, track: np.ndarray | None, t: float) -> np.ndarray:
    """Position on a foot track at time ``t`` (linear interpolation), metres."""
    if track is None:
        return np.full(3, np.nan)
    f = trial.frame_of(t)
    i = int(np.floor(f))
    if not 0 <= f <= trial.n_frames - 1:
        return np.full(3, np.nan)
    if i >= trial.n_frames - 1:
        return track[-1].copy()
    w = f - i
    return (1 - w) * track[i] + w * track[i + 1]


def stride_table(trial: Trial, events: list[GaitEvent], wf: WalkingFrame) -> pd.DataFrame:
    """One row per complete stride of either foot (columns in :class:`GaitResult`)."""
    rows = []
    belt = _belt_speed(trial, wf) if wf.treadmill else None
    tracks = _foot_tracks(trial)
    for side in ("left", "right"):
        other = "right" if side == "left" else "left"
        ics, fos = _times(events, side, "IC"), _times(events, side, "FO")
        o_ics, o_fos = _times(events, other, "IC"), _times(events, other, "FO")
        for a, b in zip(ics[:-1], ics[1:], strict=True):
            st = b - a
            if st > MAX_STRIDE_S or st <= 0:
                continue
            fo = _between(fos, a, b)
            o_fo = _between(o_fos, a, b)
            o_ic = _between(o_ics, a, b)
            step_t = b - o_ic if np.isfinite(o_ic) else np.nan
            ds = np.nan
            if np.isfinite([fo, o_fo, o_ic]).all() and a < o_fo < o_ic < fo:
                ds = ((o_fo - a) + (fo - o_ic)) / st * 100
            p0, p1 = _foot_position(trial, tracks[side], a), _foot_position(trial, tracks[side], b)
            h = [k for k in range(3) if k != wf.vertical]
            stride_len = (belt * st if belt is not None
                          else float(np.linalg.norm((p1 - p0)[h])))
            step_len = step_w = np.nan
            if np.isfinite(step_t):
                q = _foot_position(trial, tracks[other], o_ic)
                fwd = wf.forward[int(np.clip(round(trial.frame_of(b)), 0, trial.n_frames - 1))]
                d = p1 - q
                d[wf.vertical] = 0.0
                along = float(d @ fwd)
                step_len = along if belt is None else along + belt * step_t
                step_w = float(np.linalg.norm(d - along * fwd))
            stance = (fo - a) / st * 100 if np.isfinite(fo) else np.nan
            rows.append({"side": side, "start_s": a, "end_s": b, "foot_off_s": fo,
                         "stride_time_s": st, "stance_pct": stance, "swing_pct": 100 - stance,
                         "double_support_pct": ds, "stride_length_m": stride_len,
                         "step_time_s": step_t, "step_length_m": step_len,
                         "step_width_m": step_w, "speed_m_s": stride_len / st,
                         "cadence_steps_min": 120.0 / st})
    return _table(rows)


STRIDE_COLUMNS = ("side", "start_s", "end_s", "foot_off_s", "stride_time_s", "stance_pct",
                  "swing_pct", "double_support_pct", "stride_length_m", "step_time_s",
                  "step_length_m", "step_width_m", "speed_m_s", "cadence_steps_min")
_TYPES = {c: object if c == "side" else float for c in STRIDE_COLUMNS}


def _table(rows: list[dict]) -> pd.DataFrame:
    """The stride rows as a table sorted by start time (``DataFrame.sort_values``' order: a
    quicksort of the start times)."""
    if not rows:
        return from_rows(rows, _TYPES)
    table = typed_columns(rows, _TYPES)
    if not np.isfinite(table["start_s"]).all():
        return pd.DataFrame(table).sort_values("start_s", ignore_index=True)
    order = np.argsort(table["start_s"], kind="quicksort")
    return pd.DataFrame({c: v[order] for c, v in table.items()})


def _belt_speed(trial: Trial, wf: WalkingFrame) -> float | None:
    """Treadmill belt speed from the stance feet's backward velocity (m/s)."""
    speeds = []
    for s in "LR":
        m = foot_marker(trial, s, REARFOOT) or foot_marker(trial, s, FOREFOOT)
        if m:
            v = np.gradient(fill_gaps(trial.points[m])[0], axis=0) * trial.rate
            fwd = np.sum(v * wf.forward, axis=1)
            speeds.append(-np.nanmedian(fwd[fwd < percentile(fwd, 40)]))
    return float(np.mean(speeds)) if speeds else None


PER_SIDE = ("stride_time_s", "step_time_s", "stance_pct", "swing_pct", "double_support_pct",
            "stride_length_m", "step_length_m", "step_width_m", "speed_m_s")


def summarise(strides: pd.DataFrame) -> dict:
    """Means and variability (CV %) per side and overall cadence/speed."""
    out: dict = {"n_strides": int(len(strides))}
    if strides.empty:
        return out
    stride_t = strides["stride_time_s"].to_numpy(dtype=float)
    out["cadence_steps_min"] = 120.0 / float(stride_t.mean())
    out["speed_m_s"] = float(np.nanmean(strides["speed_m_s"].to_numpy(dtype=float)))
    out["stride_time_s"] = float(stride_t.mean())
    sides = strides["side"].to_numpy()
    columns = {col: strides[col].to_numpy(dtype=float) for col in PER_SIDE}
    for side in ("left", "right"):
        sel = sides == side
        n = int(sel.sum())
        d: dict = {"n_strides": n,
                   "cadence_steps_min": 120.0 / float(stride_t[sel].mean()) if n else None}
        for col in PER_SIDE:
            vals = columns[col][sel]
            vals = vals[np.isfinite(vals)]
            d[col] = float(vals.mean()) if vals.size else None
            if col in ("stride_time_s", "stride_length_m", "step_time_s") and vals.size >= 3:
                d[col.rsplit("_", 1)[0] + "_cv_pct"] = float(vals.std(ddof=1) / vals.mean() * 100)
        out[side] = d
    return out
