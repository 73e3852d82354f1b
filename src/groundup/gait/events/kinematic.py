"""Gait events from marker (or keypoint) trajectories, without force plates.

Three detectors, each a small class whose settings go in the constructor and whose ``detect``
returns :class:`~groundup.motion.trial.GaitEvent` objects stamped with the method's name: the
published :class:`~groundup.gait.events.published.Zeni` and
:class:`~groundup.gait.events.published.OConnor` (see :mod:`groundup.gait.events.published`),
and

- :class:`FootContact` -- groundup's detector (``"kinematic"``). It first finds each foot's
  swing phases robustly (the foot moves faster than its stance speed: works from standstill,
  across turns, on a treadmill and at the ends of a recording), then times each event from
  the foot's own motion, in the spirit of the velocity-threshold detectors (Ghoussayni et al.
  2004, Gait Posture 20:266) but with thresholds relative to the foot's peak speed: IC when
  the rearfoot marker has slowed down (averaged with the time it reaches its stance height,
  which also catches a slowly hovering heel), FO when the forefoot marker speeds up. Speeds are
  taken relative to the belt on a treadmill; times are interpolated between frames. Without a
  heel marker the ankle marker stands in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from groundup.gait.events.published import SIDES, OConnor, Zeni, project
from groundup.gait.geometry import (
    FOREFOOT,
    REARFOOT,
    WalkingFrame,
    foot_marker,
    walking_frame,
)
from groundup.gait.vectors import deriv, norm_rows
from groundup.motion.trial import GaitEvent, Trial
from groundup.signal import fill_gaps, lowpass, percentile, runs


@dataclass(frozen=True)
class FootContact:
    """groundup's kinematic detector: swing phases, then when each foot lands and lifts.

    Every setting is a fraction of the foot's own motion, so the detector needs no tuning to
    walking speed, marker placement or sampling rate.

    Parameters
    ----------
    swing_fraction
        A foot is in swing while its slowest marker moves faster than this fraction of the
        foot's peak speed.
    min_swing_s
        Shortest swing phase, seconds.
    search_s
        Half-width of the window around each swing boundary in which the event is timed, s.
    ic_speed_fraction
        IC cue 1: the rearfoot marker's speed falls below this fraction of its peak speed.
    contact_mm
        IC cue 2: the rearfoot marker is within this height above its level in the following
        stance, millimetres.
    hover_mm
        A speed cue found while the rearfoot is still higher than this above its stance level
        is a slow, hovering heel (walking to a stop): the height cue times the contact then.
    agree_s
        The two IC cues are averaged when they agree within this time, seconds; otherwise the
        speed cue stands (it is the one that also holds on a treadmill).
    fo_speed_fraction
        FO: the forefoot marker's speed rises through this fraction of its peak speed.
    """

    swing_fraction: float = 0.25
    min_swing_s: float = 0.15
    search_s: float = 0.10
    ic_speed_fraction: float = 0.17
    contact_mm: float = 3.0
    hover_mm: float = 12.0
    agree_s: float = 0.04
    fo_speed_fraction: float = 0.25
    name: str = "kinematic"

    def speed(self, trial: Trial, marker: str, wf: WalkingFrame) -> np.ndarray:
        """Speed of a marker relative to the floor (the belt on a treadmill), m/s."""
        return self.speeds(trial, [marker], wf)[marker]

    def speeds(self, trial: Trial, markers: list[str], wf: WalkingFrame
               ) -> dict[str, np.ndarray]:
        """:meth:`speed` of several markers (gap-free ones filtered together: same result)."""
        cutoff = min(12.0, 0.4 * trial.rate)
        markers = list(dict.fromkeys(markers))
        whole = [m for m in markers if np.isfinite(trial.points[m]).all()]
        smooth = {}
        if whole:
            both = lowpass(np.concatenate([trial.points[m] for m in whole], axis=1),
                           trial.rate, cutoff)
            smooth = {m: both[:, 3 * k:3 * k + 3] for k, m in enumerate(whole)}
        for m in markers:
            if m not in smooth:
                smooth[m] = lowpass(fill_gaps(trial.points[m],
                                              max_gap=int(0.2 * trial.rate))[0],
                                    trial.rate, cutoff)
        out = {}
        for m in markers:
            vel = deriv(smooth[m]) * trial.rate  # np.gradient's central differences
            if wf.treadmill:  # remove the belt: stance feet move backwards at belt speed
                fwd = project(vel, wf)
                slow = fwd < percentile(fwd, 40)
                vel = vel - np.nanmedian(fwd[slow]) * wf.forward
            out[m] = norm_rows(vel)
        return out

    def swings(self, trial: Trial, s: str, wf: WalkingFrame,
               speeds: dict[str, np.ndarray] | None = None, *, cut_start: bool = False
               ) -> list[tuple[int, int]]:
        """Swing phases of one foot as ``(first, last)`` frame indices.

        ``cut_start``: also keep a swing shorter than ``min_swing_s`` that is under way when the
        recording starts (its first part was not recorded).
        """
        names = [m for m in (foot_marker(trial, s, REARFOOT), foot_marker(trial, s, FOREFOOT))
                 if m]
        if not names:
            return []
        speeds = speeds or {m: self.speed(trial, m, wf) for m in names}
        stacked = np.stack([speeds[m] for m in names])
        speed = np.where(np.isnan(stacked).all(axis=0), np.nan,
                         np.nanmin(np.where(np.isnan(stacked), np.inf, stacked), axis=0))
        peak = percentile(speed, 98)
        moving = speed > self.swing_fraction * peak
        last = [(a, stop - 1) for a, stop in runs(moving)]   # (first, last) frame of a swing
        return [(a, b) for a, b in last
                if (b - a) / trial.rate >= self.min_swing_s or (cut_start and a == 0 and b > 1)]

    def detect(self, trial: Trial, wf: WalkingFrame | None = None) -> list[GaitEvent]:
        """Events of both feet."""
        wf = wf or walking_frame(trial)
        n = trial.n_frames
        w = max(int(round(self.search_s * trial.rate)), 2)
        events = []
        feet = {s: (foot_marker(trial, s, REARFOOT) or foot_marker(trial, s, FOREFOOT),
                    foot_marker(trial, s, FOREFOOT) or foot_marker(trial, s, REARFOOT))
                for s in SIDES}
        all_speeds = self.speeds(trial, [m for pair in feet.values() for m in pair if m], wf)
        heights = _heights(trial, [pair[0] for pair in feet.values() if pair[0]],
                           min(10.0, 0.4 * trial.rate))
        for s, side in SIDES.items():
            rear, fore = feet[s]
            if rear is None:
                continue
            speeds = {m: all_speeds[m] for m in {rear, fore}}
            peaks = {m: percentile(sp, 98) for m, sp in speeds.items()}
            h = heights[rear]
            for a, b in self.swings(trial, s, wf, speeds, cut_start=True):
                if a == 0 and (b - a) / trial.rate < self.min_swing_s \
                        and not self._landing_from_air(trial, h, b):
                    continue  # a short start of motion, not a swing cut by the recording
                if a > 1:  # swing starts inside the recording: a foot off
                    t = _crossing(trial, speeds[fore] - self.fo_speed_fraction * peaks[fore],
                                  a - 2 * w, a + 2 * w, rising=True)
                    if t is not None:
                        events.append(GaitEvent(side=side, type="FO", time_s=t,
                                                method=self.name, detail={"marker": fore}))
                # a swing that ends inside the recording is an initial contact, unless it
                # ends because the marker is lost: the foot must be seen landing and standing
                if b < n - 2 and self._tracked_after(trial, rear, b, 2 * w):
                    t = self._contact(trial, h, speeds[rear] - self.ic_speed_fraction
                                      * peaks[rear], b, w)
                    if t is not None:
                        events.append(GaitEvent(side=side, type="IC", time_s=t,
                                                method=self.name, detail={"marker": rear}))
        return sorted(events, key=lambda e: e.time_s)

    def _landing_from_air(self, trial: Trial, h: np.ndarray, b: int) -> bool:
        """Whether the rearfoot comes down from the air onto its stance level at the end ``b``
        of a swing that was already under way when the recording started: at the first frame it
        is more than ``hover_mm`` above its level in the stance that follows."""
        stance = h[b:min(b + int(0.25 * trial.rate), len(h))]
        if not (np.isfinite(h[0]) and np.isfinite(stance).any()):
            return False
        return bool(h[0] - np.nanmin(stance) > self.hover_mm / 1000.0)

    def _tracked_after(self, trial: Trial, marker: str, b: int, window: int) -> bool:
        """Whether the marker stays tracked after the end ``b`` of a swing, through the
        ``window`` frames in which the contact is timed (or to the end of the recording),
        allowing gaps up to the 0.2 s that :meth:`speeds` bridges. A marker lost for longer
        (out of the capture volume) has not been seen landing: its swing ends only in the data.
        """
        n = trial.n_frames
        window = min(b + window, n - 1) - b
        gap = int(0.2 * trial.rate)
        seen = np.isfinite(trial.points[marker][b + 1:min(b + 1 + window + gap, n)]).all(axis=1)
        # every loss that begins in the window ends, within the gap, before the data do
        return all(stop < seen.size and stop - a <= gap
                   for a, stop in runs(~seen) if a < window)

    def _contact(self, trial: Trial, h: np.ndarray, slow: np.ndarray, b: int,
                 w: int) -> float | None:
        """Initial contact at the end of the swing ending at frame ``b`` (file time, s)."""
        t_speed = _crossing(trial, slow, b - 2 * w, b + 2 * w, rising=False)
        t_contact = self._height_crossing(trial, h, b, w, self.contact_mm)
        if t_speed is None:
            return t_contact
        t_low = self._height_crossing(trial, h, b, w, self.hover_mm)
        if t_low is not None and t_speed < t_low and t_contact is not None:
            return t_contact  # slowed down while still in the air
        if t_contact is not None and abs(t_contact - t_speed) <= self.agree_s:
            return 0.5 * (t_contact + t_speed)
        return t_speed

    def _height_crossing(self, trial: Trial, h: np.ndarray, b: int, w: int,
                         above_mm: float) -> float | None:
        """Last time the marker comes down to ``above_mm`` over its level in the next stance."""
        plateau_end = min(b + int(0.25 * trial.rate), len(h))
        if plateau_end - b < 2 or not np.isfinite(h[b:plateau_end]).any():
            return None
        y = h - np.nanmin(h[b:plateau_end]) - above_mm / 1000.0
        return _crossing(trial, y, b - int(1.5 * w), b + 2 * w, rising=False)


def _heights(trial: Trial, markers: list[str], cutoff_hz: float) -> dict[str, np.ndarray]:
    """Low-passed vertical position of markers; gap-free ones filtered together (same result)."""
    v = trial.vertical_axis
    markers = list(dict.fromkeys(markers))
    whole = [m for m in markers if np.isfinite(trial.points[m]).all()]
    out = {}
    if whole:
        both = lowpass(np.stack([trial.points[m][:, v] for m in whole], axis=1), trial.rate,
                       cutoff_hz)
        out = {m: both[:, k] for k, m in enumerate(whole)}
    for m in markers:
        if m not in out:
            x = trial.points[m]
            missing = np.isnan(x)
            if (missing == missing[:, v:v + 1]).all():  # the usual case: whole samples missing
                out[m] = lowpass(x[:, v], trial.rate, cutoff_hz)  # the same as filtering all 3
            else:
                out[m] = lowpass(x, trial.rate, cutoff_hz)[:, v]
    return out


def crossing(y: np.ndarray, lo: int, hi: int, *, rising: bool) -> float | None:
    """Sub-frame index where ``y`` crosses zero inside frames ``[lo, hi]``.

    The first upward crossing when ``rising``, else the last downward one (linear
    interpolation between the two frames); ``None`` if there is none.
    """
    lo, hi = max(lo, 1), min(hi, len(y) - 1)
    if hi <= lo:
        return None
    prev, cur = y[lo - 1:hi], y[lo:hi + 1]
    hits = np.flatnonzero((prev < 0) & (cur >= 0) if rising else (prev > 0) & (cur <= 0)) + lo
    if hits.size == 0:
        return None
    i = hits[0] if rising else hits[-1]
    return float(i - 1 + y[i - 1] / (y[i - 1] - y[i]))


def _crossing(trial: Trial, y: np.ndarray, lo: int, hi: int, *, rising: bool) -> float | None:
    """:func:`crossing` as a time on the trial's own axis, s."""
    i = crossing(y, lo, hi, rising=rising)
    return None if i is None else (i + trial.first_frame) / trial.rate


DETECTORS = {"zeni": Zeni(), "oconnor": OConnor(), "kinematic": FootContact()}
