"""Gait events from marker (or keypoint) trajectories, without force plates.

Three detectors, each a small class whose settings go in the constructor and whose ``detect``
returns :class:`~groundup.motion.trial.GaitEvent` objects stamped with the method's name:

- :class:`Zeni` -- Zeni, Richards & Higginson 2008 (Gait Posture 27:710): IC at the most
  anterior position of the heel relative to the pelvis along the walking direction, FO at the
  most posterior position of the toe.
- :class:`OConnor` -- O'Connor et al. 2007 (Gait Posture 25:469), foot velocity algorithm: the
  foot centre (mean of heel and toe) reaches a minimum of vertical velocity just before IC and a
  maximum at FO.
- :class:`FootContact` -- groundup's detector (``"kinematic"``). It first finds each foot's
  swing phases robustly (the foot moves faster than its stance speed: works from standstill,
  across turns, on a treadmill and at the ends of a recording), then times the events where the
  foot's motion changes abruptly, after Hreljac & Marshall 2000 (J Biomech 33:783): IC at the
  peak upward acceleration of the rearfoot marker (the heel's descent being arrested by the
  floor), FO at the peak forward acceleration of the forefoot marker (the toe leaving the floor),
  each with parabolic sub-frame interpolation. Without a heel marker the ankle marker stands in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import find_peaks

from groundup.gait.geometry import (
    FOREFOOT,
    REARFOOT,
    WalkingFrame,
    fill_gaps,
    foot_marker,
    lowpass,
    walking_frame,
)
from groundup.motion.trial import GaitEvent, Trial

SIDES = {"L": "left", "R": "right"}


def _peak_time(trial: Trial, y: np.ndarray, idx: np.ndarray) -> list[float]:
    """Sub-frame times (file axis) of peaks ``idx`` of ``y`` by parabolic interpolation."""
    out = []
    for i in idx:
        off = 0.0
        if 0 < i < len(y) - 1 and np.isfinite(y[i - 1:i + 2]).all():
            a, b, c = y[i - 1], y[i], y[i + 1]
            den = a - 2 * b + c
            if den != 0:
                off = float(np.clip(0.5 * (a - c) / den, -0.5, 0.5))
        out.append((i + off + trial.first_frame) / trial.rate)
    return out


def _project(x: np.ndarray, wf: WalkingFrame) -> np.ndarray:
    return np.sum(x * wf.forward, axis=1)


def _min_distance(trial: Trial) -> int:
    """Fewest frames between two events of one kind on one foot (0.5 s: 120 strides/min)."""
    return max(int(0.5 * trial.rate), 1)


@dataclass(frozen=True)
class Zeni:
    """Zeni et al. 2008 coordinate-based detector.

    Parameters
    ----------
    cutoff_hz
        Low-pass cut-off applied to marker trajectories, Hz.
    """

    cutoff_hz: float = 7.0
    name: str = "zeni"

    def detect(self, trial: Trial, wf: WalkingFrame | None = None) -> list[GaitEvent]:
        """Events of both feet."""
        wf = wf or walking_frame(trial)
        events = []
        for s, side in SIDES.items():
            rear = foot_marker(trial, s, REARFOOT)
            fore = foot_marker(trial, s, FOREFOOT)
            for marker, etype, sign in ((rear, "IC", 1.0), (fore, "FO", -1.0)):
                if marker is None:
                    continue
                x = lowpass(trial.points[marker], trial.rate, self.cutoff_hz)
                rel = sign * _project(x - wf.pelvis, wf)
                ok = np.isfinite(rel)
                if ok.sum() < 3:
                    continue
                prom = 0.25 * np.ptp(rel[ok])
                idx, _ = find_peaks(np.where(ok, rel, -np.inf), distance=_min_distance(trial),
                                    prominence=prom)
                events += [GaitEvent(side=side, type=etype, time_s=t, method=self.name)
                           for t in _peak_time(trial, rel, idx)]
        return sorted(events, key=lambda e: e.time_s)


@dataclass(frozen=True)
class OConnor:
    """O'Connor et al. 2007 foot velocity algorithm.

    Parameters
    ----------
    cutoff_hz
        Low-pass cut-off applied to the foot centre, Hz.
    """

    cutoff_hz: float = 7.0
    name: str = "oconnor"

    def detect(self, trial: Trial, wf: WalkingFrame | None = None) -> list[GaitEvent]:
        """Events of both feet."""
        wf = wf or walking_frame(trial)
        v = trial.vertical_axis
        events = []
        for s, side in SIDES.items():
            names = [m for m in (foot_marker(trial, s, REARFOOT), foot_marker(trial, s, FOREFOOT))
                     if m]
            if not names:
                continue
            centre = np.mean([trial.points[m] for m in names], axis=0)
            vz = np.gradient(lowpass(centre, trial.rate, self.cutoff_hz)[:, v]) * trial.rate
            ok = np.isfinite(vz)
            if ok.sum() < 3:
                continue
            prom = 0.3 * np.nanmax(np.abs(vz))
            d = _min_distance(trial)
            fo, _ = find_peaks(np.where(ok, vz, -np.inf), distance=d, prominence=prom)
            ic, _ = find_peaks(np.where(ok, -vz, -np.inf), distance=d, prominence=prom)
            events += [GaitEvent(side=side, type="FO", time_s=t, method=self.name)
                       for t in _peak_time(trial, vz, fo)]
            events += [GaitEvent(side=side, type="IC", time_s=t, method=self.name)
                       for t in _peak_time(trial, -vz, ic)]
        return sorted(events, key=lambda e: e.time_s)


@dataclass(frozen=True)
class FootContact:
    """groundup's kinematic detector: swing phases, then abrupt changes of foot motion.

    Parameters
    ----------
    cutoff_hz
        Low-pass cut-off for the acceleration signals, Hz (clipped below Nyquist).
    swing_fraction
        A foot is in swing while its slowest marker moves faster than this fraction of the
        foot's peak speed.
    min_swing_s
        Shortest swing phase, seconds.
    search_s
        Half-width of the window around each swing boundary in which the event is timed, s.
    """

    cutoff_hz: float = 10.0
    swing_fraction: float = 0.25
    min_swing_s: float = 0.15
    search_s: float = 0.10
    contact_mm: float = 2.0
    name: str = "kinematic"

    def swings(self, trial: Trial, s: str, wf: WalkingFrame) -> list[tuple[int, int]]:
        """Swing phases of one foot as ``(first, last)`` frame indices."""
        names = [m for m in (foot_marker(trial, s, REARFOOT), foot_marker(trial, s, FOREFOOT))
                 if m]
        if not names:
            return []
        speeds = []
        for m in names:
            x = lowpass(fill_gaps(trial.points[m], max_gap=int(0.2 * trial.rate))[0],
                        trial.rate, 6.0)
            vel = np.gradient(x, axis=0) * trial.rate
            if wf.treadmill:  # remove the belt: stance feet move backwards at belt speed
                fwd = _project(vel, wf)
                slow = fwd < np.nanpercentile(fwd, 40)
                vel = vel - np.nanmedian(fwd[slow]) * wf.forward
            speeds.append(np.linalg.norm(vel, axis=1))
        stacked = np.stack(speeds)
        speed = np.where(np.isnan(stacked).all(axis=0), np.nan,
                         np.nanmin(np.where(np.isnan(stacked), np.inf, stacked), axis=0))
        peak = np.nanpercentile(speed, 98)
        moving = speed > self.swing_fraction * peak
        d = np.diff(np.concatenate([[0], moving.astype(np.int8), [0]]))
        runs = zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1) - 1, strict=True)
        return [(a, b) for a, b in runs if (b - a) / trial.rate >= self.min_swing_s]

    def detect(self, trial: Trial, wf: WalkingFrame | None = None) -> list[GaitEvent]:
        """Events of both feet."""
        wf = wf or walking_frame(trial)
        v = trial.vertical_axis
        n = trial.n_frames
        w = max(int(round(self.search_s * trial.rate)), 2)
        others = Zeni().detect(trial, wf) + OConnor().detect(trial, wf)
        events = []
        for s, side in SIDES.items():
            rear = foot_marker(trial, s, REARFOOT) or foot_marker(trial, s, FOREFOOT)
            if rear is None:
                continue
            h = lowpass(trial.points[rear], trial.rate, self.cutoff_hz)[:, v]
            fo_candidates = [e for e in others if e.side == side and e.type == "FO"]
            for a, b in self.swings(trial, s, wf):
                if a > 1:  # swing starts inside the recording: a foot off
                    ev = self._foot_off(trial, side, a, w, fo_candidates)
                    if ev:
                        events.append(ev)
                if b < n - 2:  # swing ends inside the recording: an initial contact
                    t = self._contact(trial, h, b, w)
                    if t is not None:
                        events.append(GaitEvent(side=side, type="IC", time_s=t,
                                                method=self.name, detail={"marker": rear}))
        return sorted(events, key=lambda e: e.time_s)

    def _contact(self, trial: Trial, h: np.ndarray, b: int, w: int) -> float | None:
        """Time the rearfoot marker comes down to within ``contact_mm`` of its stance level."""
        plateau_end = min(b + int(0.25 * trial.rate), len(h))
        if plateau_end - b < 2 or not np.isfinite(h[b:plateau_end]).any():
            return None
        y = h - np.nanmin(h[b:plateau_end]) - self.contact_mm / 1000.0
        lo, hi = max(b - int(1.5 * w), 1), min(b + w, len(h) - 1)
        down = np.flatnonzero((y[lo - 1:hi] > 0) & (y[lo:hi + 1] <= 0)) + lo
        if down.size == 0:
            return None
        i = down[-1]
        frac = y[i - 1] / (y[i - 1] - y[i])
        return (i - 1 + frac + trial.first_frame) / trial.rate

    def _foot_off(self, trial: Trial, side: str, a: int, w: int,
                  candidates: list[GaitEvent]) -> GaitEvent | None:
        """Consensus of the Zeni and O'Connor foot-off times next to the start of a swing."""
        t0 = (a + trial.first_frame) / trial.rate
        near = {}
        for e in candidates:
            if abs(e.time_s - t0) <= 1.5 * w / trial.rate and (
                    e.method not in near or abs(e.time_s - t0) < abs(near[e.method] - t0)):
                near[e.method] = e.time_s
        if not near:
            return None
        t = float(np.mean(list(near.values())))
        detail = {m: round(x, 5) for m, x in near.items()}
        if len(near) == 2:
            detail["disagreement_ms"] = round(1000 * abs(near["zeni"] - near["oconnor"]), 1)
        return GaitEvent(side=side, type="FO", time_s=t, method=self.name, detail=detail)


DETECTORS = {"zeni": Zeni(), "oconnor": OConnor(), "kinematic": FootContact()}
