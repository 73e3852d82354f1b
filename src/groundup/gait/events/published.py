"""The published kinematic event detectors, as their papers define them.

- :class:`Zeni` -- Zeni, Richards & Higginson 2008 (Gait Posture 27:710): IC at the most
  anterior position of the heel relative to the pelvis along the walking direction, FO at the
  most posterior position of the toe.
- :class:`OConnor` -- O'Connor et al. 2007 (Gait Posture 25:469), foot velocity algorithm: the
  foot centre (mean of heel and toe) reaches a minimum of vertical velocity just before IC and a
  maximum at FO.

groundup's own detector, :class:`~groundup.gait.events.kinematic.FootContact`, is in
:mod:`groundup.gait.events.kinematic`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import find_peaks

from groundup.gait.geometry import FOREFOOT, REARFOOT, WalkingFrame, foot_marker, walking_frame
from groundup.motion.trial import GaitEvent, Trial
from groundup.signal import lowpass, peak_offset

SIDES = {"L": "left", "R": "right"}


def _peak_time(trial: Trial, y: np.ndarray, idx: np.ndarray) -> list[float]:
    """Sub-frame times (file axis) of peaks ``idx`` of ``y`` by parabolic interpolation."""
    return [(i + peak_offset(y, i) + trial.first_frame) / trial.rate for i in idx]


def project(x: np.ndarray, wf: WalkingFrame) -> np.ndarray:
    """Component of ``(n, 3)`` positions or velocities along the walking direction."""
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
                rel = sign * project(x - wf.pelvis, wf)
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
