"""Gait events of a 2-D video trial with the marker detectors of :mod:`groundup.gait.events`.

Side view: groundup's ``kinematic`` detector and Zeni et al. (2008) run on the scaled image
trajectories with the walking frame built from the mid-hip keypoint and the direction of
*travel* of each pass. At 30 fps each errs by about a frame in opposite directions (Zeni's
initial contact early, the contact detector's late, on the semi-synthetic benchmark), so an
event is the mean of the two where they agree within 2 frames, else the contact detector's
alone (flagged ``single-method``). Zeni's peak in the first or last stance of the recording
lacks the signal on one side that its peak finder asks for; there the local extremum next to
the contact stands in (:func:`_zeni_near`), so that the end strides are timed like the others.
The contact detector's "hovering heel" rule is off: it takes a heel that slows down while
still above its stance level for one walking to a stop, but an image heel keypoint keeps
sinking by 2-4 cm after contact as the foot rolls flat (it slides along the heel; measured on
the far foot of the demo video, whose contacts it made 4 frames late). The price: a heel that
slows down 2-3 cm above the floor and then drops onto it (a gentle landing; sample25's first
contact after a standing start) is timed at the slowing, 3-4 frames before the plate's
contact. A foot that comes into view already swinging (from behind an obstacle, or in swing
in the first frame) gets its contact from the same speed cue (:func:`_entry_contacts`).
Front/back view: :mod:`groundup.gait.video_frontal_events`. All events are timed from image
motion (:func:`image_motion_trial`).

Clean-up, the measured failures of a plain pipeline (LESSONS.md): events while a foot is at
the edge of the image or outside it are dropped; per foot IC and FO alternate; two initial
contacts of opposite feet closer than 0.2 s (a swap artefact) keep the better supported one.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from groundup.gait.events.kinematic import FootContact
from groundup.gait.events.published import Zeni
from groundup.gait.geometry import FOREFOOT, REARFOOT, WalkingFrame, foot_marker
from groundup.gait.video_frontal_events import frontal_events
from groundup.motion.trial import GaitEvent, Trial
from groundup.motion.video.view import ViewInfo
from groundup.signal import lowpass, peak_offset, runs

AGREE_FRAMES = 2.0
MIN_STEP_S = 0.2
ENTRY_S = 0.3


def video_walking_frame(trial: Trial, view: ViewInfo) -> WalkingFrame:
    """Walking frame of a video trial: pelvis = mid-hip, forward = travel of each pass.

    Side passes walk along image x; frontal passes along the (unmeasured) depth axis y.
    """
    n = trial.n_frames
    hip = 0.5 * (trial.points["L_HIP_CENTRE"] + trial.points["R_HIP_CENTRE"])
    fwd = np.zeros((n, 3))
    fwd[:, 0] = -1.0
    for p in view.passes:
        if p.view == "side":
            fwd[p.start:p.stop] = [1.0 if p.travel == "image-right" else -1.0, 0, 0]
        else:
            fwd[p.start:p.stop] = [0, 1.0 if p.travel == "away" else -1.0, 0]
    with np.errstate(invalid="ignore"):
        speed = np.abs(np.gradient(hip[:, 0])) * trial.rate
    return WalkingFrame(vertical=2, forward=fwd, pelvis=hip, treadmill=False,
                        pelvis_speed_m_s=float(np.nanmedian(speed)) if np.isfinite(
                            speed).any() else 0.0, turns=max(len(view.passes) - 1, 0))


def _nearest(events: list[GaitEvent], e: GaitEvent, tol: float) -> GaitEvent | None:
    best = [o for o in events if o.side == e.side and o.type == e.type
            and abs(o.time_s - e.time_s) <= tol]
    return min(best, key=lambda o: abs(o.time_s - e.time_s)) if best else None


def image_motion_trial(trial: Trial, px_per_m: np.ndarray | None) -> Trial:
    """The trial with each point moved by its *image* motion in units of the subject's scale.

    With a per-frame scale (front/back view: the subject approaches or recedes), a point's
    coordinate ``(pixel - centre) / scale(t)`` drifts although it is still in the image: a
    stance foot appears to move at up to half its swing speed. Events need the foot's motion
    in the image, so each point becomes the running sum of its pixel displacement divided by
    the scale at that frame (a still foot stays still). With a constant scale (side view)
    this is the trial itself.

    Parameters
    ----------
    trial
        Video trial (metres, :func:`groundup.motion.video.to_trial.keypoints_to_trial`).
    px_per_m
        The per-frame scale it was built with, pixels per metre ``(n,)``; ``None`` = constant.
    """
    if px_per_m is None or np.nanmax(px_per_m) - np.nanmin(px_per_m) < 1e-9:
        return trial
    s = np.asarray(px_per_m, dtype=float)[:, None]
    pts = {}
    for name, p in trial.points.items():
        px = p * s                                    # pixels about the image centre
        step = np.diff(px, axis=0) / (0.5 * (s[1:] + s[:-1]))
        out = np.full_like(p, np.nan)
        ok = np.isfinite(p).all(axis=1)
        for a, b in runs(ok):
            out[a] = p[a]
            out[a + 1:b] = p[a] + np.cumsum(step[a:b - 1], axis=0)
        pts[name] = out
    return dataclasses.replace(trial, points=pts)


def detect_video_events(trial: Trial, view: ViewInfo, px_per_m: np.ndarray | None = None
                        ) -> tuple[list[GaitEvent], list[str]]:
    """Events of both feet on the video's time axis and notes on what was dropped.

    Parameters
    ----------
    trial
        Video trial (:func:`groundup.motion.video.to_trial.keypoints_to_trial`).
    view
        Its view analysis (passes, edge frames).
    px_per_m
        The trial's per-frame scale, pixels per metre (:class:`~groundup.motion.video.scale.
        Scale`); events are timed from image motion (:func:`image_motion_trial`).
    """
    trial = image_motion_trial(trial, px_per_m)
    wf = video_walking_frame(trial, view)
    tol = AGREE_FRAMES / trial.rate
    fc = FootContact(hover_mm=np.inf)
    contact = fc.detect(trial, wf)
    contact = contact + _entry_contacts(trial, wf, fc, contact)
    frontal = np.zeros(trial.n_frames, dtype=bool)
    for p in view.passes:
        frontal[p.start:p.stop] = p.view != "side"
    if frontal.any():
        near = [int(np.clip(round(e.time_s * trial.rate), 0, trial.n_frames - 1))
                for e in contact]
        contact = [e for e, i in zip(contact, near, strict=True) if not frontal[i]]
        contact += frontal_events(trial, wf, fc, frontal)
    contact = sorted(contact, key=lambda e: e.time_s)
    zeni = Zeni().detect(trial, wf)
    zeni_cache: dict = {}
    events = []
    for e in contact:
        i = int(np.clip(round(e.time_s * trial.rate), 0, trial.n_frames - 1))
        p = view.pass_at(i)
        side_view = p is not None and p.view == "side"
        z = (_nearest(zeni, e, tol) or _zeni_near(trial, wf, e, tol, zeni_cache)
             if side_view else None)
        if z is not None:
            t = 0.5 * (e.time_s + z.time_s)
            detail = {"kinematic": round(e.time_s, 5), "zeni": round(z.time_s, 5),
                      "agreement_frames": round(abs(e.time_s - z.time_s) * trial.rate, 2)}
        else:
            t = e.time_s
            detail = {"kinematic": round(e.time_s, 5), "single-method": True}
        events.append(GaitEvent(side=e.side, type=e.type, time_s=t, method="video",
                                detail=detail))
    notes = []
    n_edge = 0
    kept = []
    for e in events:
        i = int(np.clip(round(e.time_s * trial.rate), 0, trial.n_frames - 1))
        lo, hi = max(i - 1, 0), min(i + 2, trial.n_frames)
        # the event's own foot must be in the picture (the other may still be entering it)
        if view.edge_side.get(e.side, view.edge)[lo:hi].any():
            n_edge += 1
            continue
        kept.append(e)
    if n_edge:
        notes.append(f"{n_edge} event(s) dropped: a foot was at the edge of the image")
    kept = _one_contact_per_step(sorted(kept, key=lambda e: e.time_s))
    return _alternate(kept), notes


def _zeni_near(trial: Trial, wf: WalkingFrame, e: GaitEvent, tol: float,
               cache: dict) -> GaitEvent | None:
    """Zeni's event for ``e`` where Zeni's peak finder has none because the data end.

    Zeni's IC is the most anterior position of the heel relative to the pelvis, FO the most
    posterior of the toe; its peak finder asks a peak to stand out by a quarter of the
    signal's range on both sides. A peak in the first or last stance of the recording (or
    next to a gap) has too little signal on one side to show that: its contact was timed by
    the contact detector alone, about a frame later than the two-method mean the other
    contacts get (the two detectors' offsets, module docstring), which lengthened or
    shortened the end strides. Here a local maximum of the same signal (same markers, 7 Hz
    low-pass) inside ``e.time_s +- tol`` counts if it stands out by that quarter of the range
    on one side and is not exceeded on the other before the data end; it is interpolated like
    Zeni's peaks. ``None`` otherwise (a bump inside the data stays rejected).
    """
    s = e.side[0].upper()
    key = (s, e.type)
    if key not in cache:
        marker = foot_marker(trial, s, REARFOOT if e.type == "IC" else FOREFOOT)
        y = None
        if marker is not None:
            x = lowpass(trial.points[marker], trial.rate, Zeni().cutoff_hz)
            y = (1.0 if e.type == "IC" else -1.0) * np.sum((x - wf.pelvis) * wf.forward, axis=1)
            if np.isfinite(y).sum() < 3:
                y = None
        cache[key] = y
    y = cache[key]
    if y is None:
        return None
    need = 0.25 * (np.nanmax(y) - np.nanmin(y))
    f = e.time_s * trial.rate - trial.first_frame
    lo = max(int(np.ceil(f - tol * trial.rate)), 1)
    hi = min(int(np.floor(f + tol * trial.rate)), len(y) - 2)
    best = None
    for i in range(lo, hi + 1):
        a, b, c = y[i - 1:i + 2]
        if not (np.isfinite([a, b, c]).all() and b > a and b >= c):
            continue
        (drop_l, open_l), (drop_r, open_r) = _side_drop(y, i, -1), _side_drop(y, i, 1)
        if not ((drop_l >= need and open_r) or (drop_r >= need and open_l)):
            continue
        t = (i + peak_offset(y, i) + trial.first_frame) / trial.rate
        if abs(t - e.time_s) <= tol and (best is None or abs(t - e.time_s) < abs(best - e.time_s)):
            best = t
    return None if best is None else GaitEvent(side=e.side, type=e.type, time_s=best,
                                               method="zeni", detail={"end-of-data": True})


def _side_drop(y: np.ndarray, i: int, step: int) -> tuple[float, bool]:
    """How far ``y`` falls from its peak at ``i`` going one way (``step`` -1 or +1) before it
    rises above the peak again, and whether the finite data end first (no higher value)."""
    j, low = i + step, y[i]
    while 0 <= j < len(y) and np.isfinite(y[j]):
        if y[j] > y[i]:
            return float(y[i] - low), False
        low = min(low, y[j])
        j += step
    return float(y[i] - low), True


def _entry_contacts(trial: Trial, wf: WalkingFrame, fc: FootContact,
                    found: list[GaitEvent]) -> list[GaitEvent]:
    """Initial contacts of a foot that comes into view already swinging.

    A foot that emerges from behind an obstacle (or is in swing in the first frame) and lands
    within :data:`ENTRY_S` has too short a visible swing for the swing finder; its contact is
    timed like the others, when the rearfoot's speed falls through ``fc.ic_speed_fraction``
    of its peak. Skipped where the foot already has an initial contact in that window.
    """
    out = []
    for s, side in (("L", "left"), ("R", "right")):
        rear = foot_marker(trial, s, REARFOOT) or foot_marker(trial, s, FOREFOOT)
        if rear is None:
            continue
        sp = fc.speed(trial, rear, wf)
        ok = np.isfinite(sp)
        if ok.sum() < 3:
            continue
        peak = np.nanpercentile(sp, 98)
        starts = np.flatnonzero(ok & ~np.r_[False, ok[:-1]])
        hi_n = int(round(ENTRY_S * trial.rate))
        for r0 in starts:
            seg = sp[r0:r0 + hi_n + 1]
            if not np.isfinite(seg[:2]).all() or seg[:2].max() <= fc.swing_fraction * peak:
                continue
            t0, t1 = r0 / trial.rate, (r0 + hi_n) / trial.rate
            if any(e.side == side and e.type == "IC" and t0 <= e.time_s <= t1 for e in found):
                continue
            below = np.flatnonzero(seg < fc.ic_speed_fraction * peak)
            if below.size == 0 or below[0] == 0 or not np.isfinite(seg[:below[0] + 1]).all():
                continue
            i = int(below[0])
            a, b = seg[i - 1] - fc.ic_speed_fraction * peak, seg[i] - fc.ic_speed_fraction * peak
            t = (r0 + i - 1 + a / (a - b)) / trial.rate + trial.first_frame / trial.rate
            out.append(GaitEvent(side=side, type="IC", time_s=float(t), method=fc.name,
                                 detail={"marker": rear, "entering-view": True}))
    return out


def _one_contact_per_step(events: list[GaitEvent]) -> list[GaitEvent]:
    """Of two initial contacts closer than :data:`MIN_STEP_S`, keep the better supported."""
    ics = [e for e in events if e.type == "IC"]
    drop = set()
    for a, b in zip(ics[:-1], ics[1:], strict=True):
        if b.time_s - a.time_s < MIN_STEP_S:
            drop.add(id(b) if a.detail.get("single-method") is None else id(a))
    return [e for e in events if id(e) not in drop]


def _alternate(events: list[GaitEvent]) -> list[GaitEvent]:
    """Per foot, IC and FO must alternate: of two in a row keep the first."""
    out, last = [], {}
    for e in events:
        prev = last.get(e.side)
        if prev is not None and prev.type == e.type:
            continue
        out.append(e)
        last[e.side] = e
    return out
