"""Which view a video shows, per pass: side (sagittal) or front/back (frontal), which way the
subject walks, which way they face, which side is near the camera, and which frames are steady
gait.

Cues (all in the image, from cleaned keypoints):

- **frontal score**: hip width / thigh length and shoulder width / trunk length, each divided by
  its frontal-view value (0.45 and 0.85, Winter 2009 proportions). About 1 facing or turned away
  from the camera, below 0.3 side-on; a pass is side-on below 0.5.
- **travel**: side view, the sign of the mid-hip's horizontal image velocity; frontal view, the
  trend of the body's size in the image (growing = approaching).
- **facing**: side view, heel -> toe direction of the feet and nose vs ears; frontal view, the
  subject's left hip on the image left = seen from behind. Facing need not equal travel
  (backward walking): both are reported and a disagreement is flagged.
- **near side** (side view): facing image-left puts the subject's left side towards the camera.
- **steady gait**: frames of a pass more than 0.5 s from a turn (a change of pass), moving at
  >= 60 % of the pass's median speed, with both feet inside the image (not within 2 % of its edge).
  Frames before the subject comes into view or after they leave it belong to the nearest pass:
  entering or leaving the picture is no turn.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy.ndimage import median_filter

from groundup.motion.video.clean import Keypoints2D
from groundup.signal import fill_gaps, lowpass

ViewName = Literal["side", "back", "front"]
FEET = ("heel", "foot_index", "ankle")


@dataclass(kw_only=True)
class Pass:
    """One walk across or along the camera's view.

    Attributes
    ----------
    start, stop
        Frame range ``[start, stop)``.
    view
        ``"side"``, ``"back"`` (subject seen from behind) or ``"front"``.
    travel
        Side: ``"image-left"``/``"image-right"``; frontal: ``"away"``/``"towards"``.
    facing
        Same vocabulary as ``travel``: the way the subject faces.
    near_side
        Side view: ``"left"``/``"right"``, the side towards the camera; ``None`` frontal.
    backward
        Facing and travel disagree (backward walking).
    """

    start: int
    stop: int
    view: ViewName
    travel: str
    facing: str
    near_side: str | None = None
    backward: bool = False

    def to_dict(self, fps: float) -> dict:
        """JSON form with times in seconds from the first frame."""
        return {"start_s": round(self.start / fps, 4), "end_s": round((self.stop - 1) / fps, 4),
                "view": self.view, "travel": self.travel, "facing": self.facing,
                "near_side": self.near_side, "backward": self.backward}


@dataclass(kw_only=True)
class ViewInfo:
    """The view analysis of a video (:func:`detect_view`)."""

    view: ViewName
    passes: list[Pass]
    steady: np.ndarray
    frontal_score: np.ndarray
    edge: np.ndarray
    #: per side (``"left"``/``"right"``): frames where that foot's keypoints are missing or
    #: at the image edge (``edge`` is either foot)
    edge_side: dict[str, np.ndarray] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def pass_at(self, frame: int) -> Pass | None:
        """The pass holding a frame, if any."""
        return next((p for p in self.passes if p.start <= frame < p.stop), None)


def _mid(kp: Keypoints2D, part: str) -> np.ndarray | None:
    a, b = kp.xy.get(f"left_{part}"), kp.xy.get(f"right_{part}")
    if a is None or b is None:
        return None
    return 0.5 * (a + b)


def _ratio(kp: Keypoints2D, width: str, a: str, b: str, frontal: float) -> np.ndarray | None:
    """Image width of a left-right pair over a segment length, relative to its frontal value."""
    lw, rw = kp.xy.get(f"left_{width}"), kp.xy.get(f"right_{width}")
    pa, pb = _mid(kp, a), _mid(kp, b)
    if lw is None or rw is None or pa is None or pb is None:
        return None
    length = np.linalg.norm(pa - pb, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.linalg.norm(lw - rw, axis=1) / length / frontal


def frontal_score(kp: Keypoints2D) -> np.ndarray:
    """Per-frame frontal score (about 1 frontal, about 0.1-0.3 side-on), smoothed over 1 s."""
    parts = [r for r in (_ratio(kp, "hip", "hip", "knee", 0.45),
                         _ratio(kp, "shoulder", "shoulder", "hip", 0.85)) if r is not None]
    n = kp.n_frames
    if not parts:
        return np.full(n, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        score = np.nanmean(np.stack(parts), axis=0) if len(parts) > 1 else parts[0]
    score = fill_gaps(score)[0]
    if np.isnan(score).all():
        return score
    score = np.where(np.isnan(score), np.nanmedian(score), score)
    return median_filter(score, size=max(int(kp.fps) | 1, 3), mode="nearest")


def _nearest_seen(x: np.ndarray) -> np.ndarray:
    """``x`` with every NaN set to the nearest finite value (ties: the earlier one; 0 if none):
    frames where nobody was seen (before, after, or between two passes while the subject is
    out of the picture) join the pass they are nearest to."""
    ok = np.isfinite(x)
    if not ok.any():
        return np.zeros_like(x)
    idx = np.flatnonzero(ok)
    pos = np.clip(np.searchsorted(idx, np.arange(x.size)), 0, idx.size - 1)
    before = idx[np.maximum(pos - 1, 0)]
    after = idx[pos]
    here = np.arange(x.size)
    near = np.where(np.abs(here - before) <= np.abs(after - here), before, after)
    return np.where(ok, x, x[near])


def _segments(labels: np.ndarray, min_len: int, seen: np.ndarray | None = None
              ) -> list[tuple[int, int, int]]:
    """Runs ``(start, stop, label)`` of an int array, runs shorter than ``min_len`` merged
    into the run before them (a short first run into the one after it). With ``seen``, a
    run's length counts only its frames where the subject was seen."""
    d = np.flatnonzero(np.diff(labels) != 0) + 1
    runs = [(a, b, int(labels[a])) for a, b in zip(np.r_[0, d], np.r_[d, labels.size],
                                                   strict=True)]
    count = np.r_[0, np.cumsum(np.ones(labels.size, int) if seen is None else seen)]
    merged: list[list[int]] = []
    for a, b, lab in runs:
        if merged and (count[b] - count[a] < min_len or merged[-1][2] == lab):
            merged[-1][1] = b
        else:
            merged.append([a, b, lab])
    if len(merged) > 1 and count[merged[0][1]] - count[merged[0][0]] < min_len:
        merged[1][0] = 0
        merged.pop(0)
    return [(a, b, lab) for a, b, lab in merged]


def _thigh_px(kp: Keypoints2D) -> float:
    """Median hip-knee distance in pixels (the body's size in the image)."""
    d = [np.linalg.norm(kp.xy[f"{s}_hip"] - kp.xy[f"{s}_knee"], axis=1)
         for s in ("left", "right") if f"{s}_hip" in kp.xy and f"{s}_knee" in kp.xy]
    v = np.concatenate(d) if d else np.array([])
    v = v[np.isfinite(v)]
    return float(np.median(v)) if v.size else 100.0


def _sign_of(x: np.ndarray) -> float:
    x = x[np.isfinite(x)]
    return float(np.sign(np.median(x))) if x.size else 0.0


def detect_view(kp: Keypoints2D, *, view: str = "auto") -> ViewInfo:
    """Passes, views, travel and facing directions and the steady-gait frames.

    Parameters
    ----------
    kp
        Cleaned trajectories (pixels).
    view
        ``"auto"`` or a view the user states (``"side"``, ``"back"``, ``"front"``), which is then
        applied to every pass (directions are still detected).
    """
    n, fps = kp.n_frames, kp.fps
    score = frontal_score(kp)
    notes: list[str] = []
    hip = _mid(kp, "hip")
    if hip is None:
        hip = np.full((n, 2), np.nan)
    # Gaps longer than half a second (the subject out of the picture) are not bridged: a line
    # from where they left to where they came back is no walk.
    hip_f = lowpass(fill_gaps(hip, int(0.5 * fps))[0], fps, 1.0)
    vx = np.gradient(hip_f[:, 0]) * fps
    if view == "auto":
        frontal = _nearest_seen(np.where(np.isfinite(score), score > 0.5, np.nan)).astype(int)
        # Travel across the image is side-on whatever the widths say.
        with np.errstate(invalid="ignore"):
            frontal[np.abs(vx) > 1.0 * _thigh_px(kp)] = 0
    else:
        frontal = np.full(n, 0 if view == "side" else 1)
    # Side passes also break where the horizontal direction reverses (a turn out of view).
    # Before the subject comes into view and after they leave it there is no direction: those
    # frames join the nearest pass (entering the picture is no turn; the feet are at or beyond
    # the image edge there, so no steady frame comes of it).
    direction = np.where(frontal == 0, np.sign(_nearest_seen(vx)), 0)
    label = frontal * 10 + direction.astype(int) + 1
    passes = []
    for a, b, lab in _segments(label, int(1.0 * fps), np.isfinite(hip).all(axis=1)):
        passes.append(_describe(kp, a, b, lab >= 10, view, hip_f))
    steady, edge_side = _steady(kp, passes, hip_f)
    main = max(passes, key=lambda p: p.stop - p.start).view if passes else "side"
    for p in passes:
        if p.backward:
            notes.append(f"{p.start / fps:.1f}-{p.stop / fps:.1f} s: the subject faces "
                         f"{p.facing} but travels {p.travel} (backward walking?): contacts "
                         "may be toe-first; events use the direction of travel")
    if len(passes) > 1:
        notes.append(f"{len(passes)} passes: " + ", ".join(
            f"{p.view} {p.start / fps:.1f}-{p.stop / fps:.1f} s" for p in passes)
            + "; turns and start/stop steps are excluded from steady-gait statistics")
    return ViewInfo(view=main, passes=passes, steady=steady, frontal_score=score,
                    edge=edge_side["left"] | edge_side["right"], edge_side=edge_side,
                    notes=notes)


def _describe(kp: Keypoints2D, a: int, b: int, frontal: bool, forced: str,
              hip: np.ndarray) -> Pass:
    sl = slice(a, b)
    if not frontal:
        travel_sign = _sign_of(np.diff(hip[sl, 0]))
        toe = [kp.xy[f"{s}_foot_index"][sl, 0] - kp.xy[f"{s}_{r}"][sl, 0]
               for s in ("left", "right") for r in ("heel", "ankle")
               if f"{s}_foot_index" in kp.xy and f"{s}_{r}" in kp.xy]
        face_sign = _sign_of(np.concatenate(toe)) if toe else 0.0
        if face_sign == 0 and "nose" in kp.xy and "left_ear" in kp.xy:
            ears = 0.5 * (kp.xy["left_ear"][sl, 0] + kp.xy.get("right_ear", kp.xy["left_ear"])[
                sl, 0])
            face_sign = _sign_of(kp.xy["nose"][sl, 0] - ears)
        face_sign = face_sign or travel_sign
        name = {-1.0: "image-left", 1.0: "image-right", 0.0: "unknown"}
        return Pass(start=a, stop=b, view="side", travel=name[travel_sign],
                    facing=name[face_sign], near_side="left" if face_sign < 0 else "right",
                    backward=bool(travel_sign and face_sign != travel_sign))
    size = []
    for s in ("left", "right"):
        if f"{s}_hip" in kp.xy and f"{s}_ankle" in kp.xy:
            size.append(np.linalg.norm(kp.xy[f"{s}_hip"][sl] - kp.xy[f"{s}_ankle"][sl], axis=1))
    growth = _sign_of(np.diff(lowpass(fill_gaps(np.nanmean(size, axis=0))[0], kp.fps, 0.5)))\
        if size else 0.0
    travel = "towards" if growth > 0 else "away"
    lr = (_sign_of(kp.xy["right_hip"][sl, 0] - kp.xy["left_hip"][sl, 0])
          if "left_hip" in kp.xy and "right_hip" in kp.xy else 0.0)
    if forced in ("back", "front"):
        seen = forced
    else:
        seen = "back" if lr > 0 else "front" if lr < 0 else ("back" if travel == "away"
                                                               else "front")
    facing = "away" if seen == "back" else "towards"
    return Pass(start=a, stop=b, view=seen, travel=travel, facing=facing,
                backward=bool(growth and facing != travel))


def _steady(kp: Keypoints2D, passes: list[Pass], hip: np.ndarray
            ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    n, fps = kp.n_frames, kp.fps
    margin = 0.02 * max(kp.width, 1)
    edge_side = {s: np.zeros(n, dtype=bool) for s in ("left", "right")}
    for s, e in edge_side.items():
        for part in FEET:
            a = kp.xy.get(f"{s}_{part}")
            if a is None or not kp.width:
                continue
            x = a[:, 0]
            e |= ~np.isfinite(x) | (x < margin) | (x > kp.width - margin)
            if kp.height:
                e |= a[:, 1] > kp.height - margin
    edge = edge_side["left"] | edge_side["right"]
    steady = np.zeros(n, dtype=bool)
    trim = int(round(0.5 * fps))
    speed = np.abs(np.gradient(hip[:, 0])) * fps
    for p in passes:
        a = p.start + (trim if p.start > 0 else 0)
        b = p.stop - (trim if p.stop < n else 0)
        if b <= a:
            continue
        ok = np.ones(b - a, dtype=bool)
        if p.view == "side":
            seg = speed[a:b]
            med = np.median(seg[np.isfinite(seg)]) if np.isfinite(seg).any() else 0.0
            ok = np.nan_to_num(seg) >= 0.6 * med
        steady[a:b] = ok
    return steady & ~edge, edge_side
