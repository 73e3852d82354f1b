"""Initial contact and foot off from force plates.

A contact is a run of vertical force above the plate's unloaded baseline plus a threshold
(20 N, raised to 5 noise SDs on noisy plates), debounced (gaps under 30 ms merged, runs under
100 ms dropped) and sub-sample timed by linear interpolation at the threshold crossing. Weak
contacts (peak under 40 % of the trial's largest, e.g. cross-talk) are rejected. The foot is the
one whose planted markers are over the plate (or, where the plate's corners are unknown or
unusable, nearest the centre of pressure). An event is *confirmed* only when the plate saw it
whole: the rearfoot inside the plate at IC, the forefoot inside at FO, and no other foot on the
plate in between. Unconfirmed events are returned with the reason, so callers can fall back to
a kinematic detector.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from groundup.gait.geometry import FOREFOOT, REARFOOT, foot_marker
from groundup.gait.vectors import deriv, norm_rows
from groundup.motion.trial import ForcePlate, GaitEvent, Trial
from groundup.signal import median, percentile

THRESHOLD_N = 20.0
NOISE_K = 5.0
MERGE_GAP_S = 0.03
MIN_CONTACT_S = 0.10
MIN_PEAK_FRACTION = 0.4
IC_EDGE_M = 0.035  # rearfoot may be this far outside the plate edge at IC
FO_EDGE_M = 0.025  # forefoot must be this far inside the plate at FO


@dataclass
class PlateContact:
    """One foot contact on one plate."""

    plate: str
    t_on: float
    t_off: float
    peak_n: float
    side: str | None = None
    ic_ok: bool = True
    fo_ok: bool = True
    at_edge: bool = False
    reasons: list[str] = field(default_factory=list)


def baseline_and_noise(fz: np.ndarray) -> tuple[float, float]:
    """Unloaded level and noise SD of a vertical-force signal (newtons).

    Uses the samples in the lowest 20 % of the force range, which are unloaded in any walking
    trial where the plate is empty at some point.
    """
    lo, hi = percentile(fz, [1, 99])
    quiet = fz[fz <= lo + 0.2 * (hi - lo)]
    base = median(quiet)
    noise = float(1.4826 * median(np.abs(quiet - base)))
    return base, noise


def plate_contacts(plate: ForcePlate) -> list[PlateContact]:
    """Contacts on one plate, before foot assignment."""
    fz = plate.vertical_force
    base, noise = baseline_and_noise(fz)
    thr = max(THRESHOLD_N, NOISE_K * noise)
    f = fz - base
    above = f > thr
    t = plate.time
    d = np.diff(np.concatenate([[0], above.astype(np.int8), [0]]))
    starts, stops = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    runs: list[list[int]] = []
    gap = MERGE_GAP_S * plate.rate
    for a, b in zip(starts, stops, strict=True):
        if runs and a - runs[-1][1] < gap:
            runs[-1][1] = b
        else:
            runs.append([a, b])
    out = []
    for a, b in runs:
        at_edge = a == 0 or b == len(f)  # cut short by the recording, not a brief touch
        if (b - a) / plate.rate < MIN_CONTACT_S and not at_edge:
            continue
        c = PlateContact(plate=plate.name, t_on=_crossing(t, f, a, thr, rising=True),
                         t_off=_crossing(t, f, b - 1, thr, rising=False),
                         peak_n=float(np.max(f[a:b])), at_edge=at_edge)
        if a == 0:
            c.ic_ok = False
            c.reasons.append("plate already loaded when the recording starts")
        if b == len(f):
            c.fo_ok = False
            c.reasons.append("plate still loaded when the recording ends")
        out.append(c)
    return out


def _crossing(t: np.ndarray, f: np.ndarray, i: int, thr: float, *, rising: bool) -> float:
    """Sub-sample time where ``f`` crosses ``thr`` next to sample ``i`` (first/last above)."""
    j = i - 1 if rising else i + 1
    if j < 0 or j >= len(f) or f[j] == f[i]:
        return float(t[i])
    frac = (thr - f[j]) / (f[i] - f[j])
    return float(t[j] + frac * (t[i] - t[j]))


def _inside_distance(xy: np.ndarray, corners: np.ndarray, axes: list[int]) -> float:
    """Signed distance (m) of a point inside an axis-aligned plate (positive = inside)."""
    c = corners[:, axes]
    lo, hi = c.min(axis=0), c.max(axis=0)
    return float(np.min(np.concatenate([xy - lo, hi - xy])))


def _usable_corners(plates: list[ForcePlate], vertical: int) -> bool:
    axes = [a for a in range(3) if a != vertical]
    boxes = []
    for p in plates:
        if not np.isfinite(p.corners).all():
            return False
        c = p.corners[:, axes]
        boxes.append((c.min(0), c.max(0)))
        if np.any(c.max(0) - c.min(0) < 0.2):
            return False
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            overlap = np.minimum(boxes[i][1], boxes[j][1]) - np.maximum(boxes[i][0], boxes[j][0])
            if np.all(overlap > 0.05):
                return False  # overlapping plates: corners are not where the plates are
    return True


def force_plate_events(trial: Trial) -> tuple[list[GaitEvent], list[PlateContact]]:
    """Force-plate events of a trial with the foot assigned.

    Returns
    -------
    events, contacts
        Confirmed events (``method="force-plate"``) and every contact with its verdict.
    """
    if not trial.force_plates:
        return [], []
    v = trial.vertical_axis
    axes = [a for a in range(3) if a != v]
    contacts = [c for p in trial.force_plates for c in plate_contacts(p)]
    if not contacts:
        return [], []
    top = max(c.peak_n for c in contacts)
    plates = {p.name: p for p in trial.force_plates}
    corners_ok = _usable_corners(trial.force_plates, v)
    feet = {s: (foot_marker(trial, s, REARFOOT), foot_marker(trial, s, FOREFOOT)) for s in "LR"}
    masks = {m: _foot_masks(trial, m) for ms in feet.values() for m in ms if m}
    kept = []
    for c in contacts:
        # a contact cut short by the recording has not reached its peak yet
        if c.peak_n < (0.1 if c.at_edge else MIN_PEAK_FRACTION) * top:
            continue
        _assign(trial, c, plates[c.plate], feet, axes, corners_ok, masks)
        if c.side is not None:
            kept.append(c)
    _mark_shared(kept)
    events = []
    for c in kept:
        side = "left" if c.side == "L" else "right"
        detail = {"plate": c.plate}
        if c.ic_ok:
            events.append(GaitEvent(side=side, type="IC", time_s=c.t_on, method="force-plate",
                                    detail=detail))
        if c.fo_ok:
            events.append(GaitEvent(side=side, type="FO", time_s=c.t_off, method="force-plate",
                                    detail=detail))
    return sorted(events, key=lambda e: e.time_s), kept


def _frame(trial: Trial, t: float) -> int:
    return int(np.clip(round(trial.frame_of(t)), 0, trial.n_frames - 1))


def _foot_masks(trial: Trial, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Frames where a foot marker is planted, and where it is low.

    Low: within 3 cm of its floor level (5th percentile of its height); planted: low and slow
    (< 0.3 m/s).
    """
    x = trial.points[name]
    h = x[:, trial.vertical_axis]
    floor = percentile(h, 5)
    speed = norm_rows(deriv(x)) * trial.rate  # np.gradient's differences, np.linalg.norm's sum
    with np.errstate(invalid="ignore"):
        low = h < floor + 0.03
        return low & (speed < 0.3), low


def _on_plate(trial: Trial, markers: tuple, plate: ForcePlate, a: int, b: int,
              axes: list[int], masks: dict) -> float:
    """Fraction of frames ``a..b`` in which any of a foot's markers is planted on the plate."""
    if b < a:
        return 0.0
    c_ = plate.corners[:, axes]
    lo, hi = c_.min(axis=0) - 0.01, c_.max(axis=0) + 0.01
    hit = np.zeros(b - a + 1, dtype=bool)
    for m in markers:
        if not m:
            continue
        seg = trial.points[m][a:b + 1][:, axes]
        inside = np.all((seg > lo) & (seg < hi), axis=1)
        hit |= inside & masks[m][0][a:b + 1]
    return float(hit.mean())


def _assign(trial: Trial, c: PlateContact, plate: ForcePlate, feet: dict, axes: list[int],
            corners_ok: bool, masks: dict) -> None:
    """Assign a contact to a foot; ``masks``: marker -> (planted, low) frame masks."""
    a, b = _frame(trial, c.t_on), _frame(trial, c.t_off)
    if corners_ok:
        frac = {s: _on_plate(trial, m, plate, a, b, axes, masks) for s, m in feet.items()
                if any(m)}
        if not frac or max(frac.values()) < 0.2:
            c.reasons.append("no planted foot found over the plate")
            return
        c.side = max(frac, key=frac.get)
        other = "R" if c.side == "L" else "L"
        if frac.get(other, 0.0) > 0.0:
            c.fo_ok = False
            c.reasons.append("other foot also on the plate")
        rear, fore = feet[c.side]
        if rear:
            d = _inside_distance(trial.points[rear][a, axes], plate.corners, axes)
            if not d >= -IC_EDGE_M:
                c.ic_ok = False
                c.reasons.append(f"rearfoot {abs(d) * 1000:.0f} mm off the plate at IC")
        if fore:
            d = _inside_distance(trial.points[fore][b, axes], plate.corners, axes)
            if not d >= FO_EDGE_M:
                c.fo_ok = False
                c.reasons.append("forefoot not well inside the plate at FO (toes may leave off)")
        return
    # Corners unknown or unusable: the planted foot nearest the centre of pressure.
    i0, i1 = np.searchsorted(plate.time, [c.t_on, c.t_off])
    cop = np.nanmedian(plate.cop[i0:i1][:, axes], axis=0) if i1 > i0 else np.full(2, np.nan)
    if not np.isfinite(cop).all():
        c.reasons.append("no centre of pressure to assign the contact to a foot")
        return
    corners = plate.corners[:, axes]
    centre = corners.mean(axis=0) if np.isfinite(corners).all() else None
    cops = [cop] + ([2 * centre - cop] if centre is not None else [])
    mid = (a + b) // 2
    dist = {}
    for s, markers in feet.items():
        # low, not necessarily still: on a treadmill the stance foot moves with the belt
        xy = [trial.points[m][mid, axes] for m in markers if m and masks[m][1][mid]]
        if xy:
            p = np.mean(xy, axis=0)
            dist[s] = min(float(np.linalg.norm(p - q)) for q in cops)
    if not dist:
        c.reasons.append("no planted foot at mid-contact")
        return
    c.side = min(dist, key=dist.get)
    if len(dist) > 1 and max(dist.values()) - min(dist.values()) < 0.06:
        c.ic_ok = c.fo_ok = False
        c.reasons.append("both feet near the centre of pressure: foot assignment unsure")


def _mark_shared(contacts: list[PlateContact]) -> None:
    """A plate contact shared with the other foot cannot confirm its foot off."""
    by_plate: dict[str, list[PlateContact]] = {}
    for c in contacts:
        by_plate.setdefault(c.plate, []).append(c)
    for group in by_plate.values():
        group.sort(key=lambda c: c.t_on)
        for a, b in zip(group, group[1:], strict=False):
            if b.t_on < a.t_off + 0.05:
                a.fo_ok = False
                b.ic_ok = False
                a.reasons.append("other foot also on the plate")
                b.reasons.append("other foot also on the plate")
