"""Choose the walking subject among the people in frame and follow them.

BlazePose (mediapipe's legacy solution) finds one person per image — whoever is most prominent,
which in ``sports2d-demo/demo.mp4`` is a man jumping on a box, not the walking patient. So the
subject is chosen *before* the pose model sees the frame:

1. :class:`MotionDetector` — background subtraction (OpenCV MOG2, a fixed tripod camera) on a small
   copy of each frame gives moving, person-shaped blobs (taller than wide, ≥ 20 % of the frame
   height). It runs in the decoding thread.
2. :class:`SubjectSelector` — blobs are linked into tracks; a track scores by how far it travels
   *steadily*, in body heights: across the image (side view) or in apparent size (walking towards
   or away from the camera). Someone exercising in place scores near zero. The best track is chosen
   when it has walked at least ``min_travel`` body heights; the confidence says how clearly it beat
   the runner-up. A region (x, y, w, h) or a candidate index given by the user overrides this.
3. :class:`~groundup.motion.video.follow.Follower` — the pose model runs on a square crop
   around the subject, moved every frame from the previous frame's keypoints (plus their
   velocity); when the keypoints are lost for a few frames, selection starts again near the
   last position. While the choice is pending, the current :meth:`SubjectSelector.leader` is
   followed speculatively (see :mod:`~groundup.motion.video.pipeline`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from groundup.motion.video.follow import Box, Follower

__all__ = ["Box", "MotionDetector", "SubjectSelector", "Selection", "Follower"]


class MotionDetector:
    """Moving, person-shaped blobs from MOG2 background subtraction on a small frame copy.

    Parameters
    ----------
    width
        Width in pixels of the copy the subtractor works on.
    min_height_frac
        Smallest blob height, as a fraction of the frame height.
    """

    def __init__(self, *, width: int = 320, min_height_frac: float = 0.20) -> None:
        self.width = width
        self.min_height_frac = min_height_frac
        self._mog = cv2.createBackgroundSubtractorMOG2(
            history=120, varThreshold=25, detectShadows=False)
        self._open = np.ones((3, 3), np.uint8)
        self._dilate = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))

    def detect(self, image: np.ndarray) -> list[Box]:
        """Person-shaped moving blobs in one BGR frame (boxes in original pixels)."""
        s = self.width / image.shape[1]
        small = cv2.resize(image, (self.width, max(1, round(image.shape[0] * s))),
                           interpolation=cv2.INTER_LINEAR)
        mask = self._mog.apply(small)
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, self._open)
        mask = cv2.dilate(mask, self._dilate, iterations=2)
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask)
        boxes = []
        for x, y, w, h, _area in stats[1:n]:
            if h >= self.min_height_frac * small.shape[0] and h >= w and h < 0.98 * small.shape[0]:
                boxes.append(Box(x / s, y / s, w / s, h / s))
        return boxes


@dataclass
class _Track:
    id: int
    frames: list[int] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)

    def predict(self, frame: int) -> Box:
        last = self.boxes[-1]
        if len(self.boxes) >= 2 and self.frames[-1] > self.frames[0]:
            k = min(len(self.boxes), 6)
            dt = self.frames[-1] - self.frames[-k]
            vx = (self.boxes[-1].center[0] - self.boxes[-k].center[0]) / max(dt, 1)
            return Box(last.x + vx * (frame - self.frames[-1]), last.y, last.w, last.h)
        return last

    def score(self) -> float:
        """Steady travel in body heights (across the image or in apparent size)."""
        if len(self.frames) < 4:
            return 0.0
        t = np.asarray(self.frames, float)
        cx = np.array([b.center[0] for b in self.boxes])
        h = np.array([b.h for b in self.boxes])
        hm = float(np.median(h))
        scores = []
        for y, unit in ((cx, hm), (np.log(h) * hm, hm)):
            slope, icpt = np.polyfit(t, y, 1)
            travel = abs(slope) * (t[-1] - t[0]) / unit
            resid = float(np.std(y - (slope * t + icpt))) / unit
            scores.append(travel / (1.0 + 4.0 * resid))
        return float(max(scores[0], 0.5 * scores[1]))


@dataclass
class Selection:
    """Who was chosen to follow, and how sure the choice was.

    Attributes
    ----------
    method
        ``"motion"`` (automatic), ``"region"`` or ``"person"`` (given by the user), or
        ``"pose-detector"`` (nobody moving was found: BlazePose's own choice on the whole frame).
    frame
        Frame index the subject is followed from.
    box
        Subject's box at ``frame`` (original pixels).
    confidence
        0–1: 1 when the user chose; otherwise how clearly the chosen candidate out-walked the
        runner-up (``best / (best + second)`` scaled down when it walked little).
    reason
        One sentence for the report.
    candidates
        The candidates at decision time, best first: ``{index, first_frame, box, score}``.
    """

    method: str
    frame: int
    box: Box
    confidence: float
    reason: str
    candidates: list[dict] = field(default_factory=list)
    track_id: int | None = None

    def as_dict(self) -> dict:
        """Plain-JSON form for the keypoint metadata."""
        return {"method": self.method, "frame": self.frame, "box": self.box.as_list(),
                "confidence": round(self.confidence, 3), "reason": self.reason,
                "candidates": self.candidates}


#: Below this confidence the automatic choice of the subject is reported as unsure. The
#: confidence is the chosen track's share of the two best scores (times its travel against
#: the travel needed): under 0.6 the runner-up moved at least two-thirds as much, or nobody
#: walked far enough in the time waited.
SURE_CHOICE = 0.6


def choice_note(subject: dict | None) -> str | None:
    """A warning when the subject was chosen automatically with low confidence, listing the
    candidates so that the user can take another; ``None`` when the choice is sure, or made by
    the user (``region`` or ``person``). ``subject`` is the ``subject`` entry of the keypoint
    metadata."""
    if not subject or subject.get("region") or subject.get("person") is not None:
        return None
    conf = subject.get("confidence")
    if conf is None or conf >= SURE_CHOICE:
        return None
    sel = (subject.get("selections") or [{}])[0]
    cands = "; ".join(f"{c['index']}: box x,y,w,h {','.join(f'{v:.0f}' for v in c['box'])} "
                      f"at frame {c['first_frame']}" for c in sel.get("candidates", [])[:4])
    take = " or --person N (" + cands + ")" if cands else ""
    return (f"the walking subject was chosen with low confidence ({conf:.2f}: "
            f"{sel.get('reason', 'no reason recorded')}): check the overlay; to follow someone "
            f"else give --region x,y,w,h{take}")


class SubjectSelector:
    """Link moving blobs into tracks and decide which track is the walking subject.

    Parameters
    ----------
    fps
        Nominal frame rate (frames/s), to turn the time limits into frames.
    min_travel
        Steady travel, in body heights, that makes a track "walking".
    max_wait_s
        After this long with candidates but no walker, the best candidate is taken anyway
        (with a low confidence).
    person
        Take the candidate with this index (0 = best score) instead of the best.
    near
        Prefer a track starting near this box (re-acquiring a lost subject).
    """

    def __init__(self, *, fps: float, min_travel: float = 0.35, max_wait_s: float = 3.0,
                 person: int | None = None, near: Box | None = None) -> None:
        self.fps = fps if fps > 0 else 30.0
        self.min_travel = min_travel
        self.max_wait = int(max_wait_s * self.fps)
        self.person = person
        self.near = near
        self.tracks: list[_Track] = []
        self._next_id = 0
        self._first_seen: int | None = None

    def update(self, frame: int, boxes: list[Box]) -> None:
        """Add one frame's blobs, linking each to the nearest compatible track."""
        free = list(boxes)
        live = [t for t in self.tracks if frame - t.frames[-1] <= int(0.5 * self.fps)]
        for track in sorted(live, key=lambda t: -len(t.frames)):
            if not free:
                break
            pred = track.predict(frame)
            px, py = pred.center
            dist = [np.hypot(b.center[0] - px, b.center[1] - py) / pred.h for b in free]
            j = int(np.argmin(dist))
            if dist[j] < 0.6 and 0.5 < free[j].h / pred.h < 2.0:
                track.frames.append(frame)
                track.boxes.append(free.pop(j))
        for b in free:
            self.tracks.append(_Track(self._next_id, [frame], [b]))
            self._next_id += 1
        if boxes and self._first_seen is None:
            self._first_seen = frame

    def reject(self, track_id: int) -> None:
        """Drop a track (e.g. it does not look like the subject being re-acquired)."""
        self.tracks = [t for t in self.tracks if t.id != track_id]

    def _ranked(self) -> list[tuple[float, _Track]]:
        """Tracks seen often enough over at least 0.5 s, best score first."""
        ranked = []
        for t in self.tracks:
            span = t.frames[-1] - t.frames[0] + 1
            if len(t.frames) < 3 or len(t.frames) < 0.5 * span:
                continue
            s = t.score() if span >= 0.5 * self.fps else 0.0
            ranked.append((s, t))
        ranked.sort(key=lambda st: (-st[0], st[1].frames[0]))
        return ranked

    def _threshold(self, track: _Track) -> float:
        """Travel needed to accept a track: halved for one that continues a lost subject."""
        if self.near is not None:
            b = track.boxes[0]
            close = abs(b.center[0] - self.near.center[0]) < max(self.near.h, 1.0)
            if close and 0.6 < b.h / max(self.near.h, 1.0) < 1.6:
                return 0.5 * self.min_travel
        return self.min_travel

    def n_candidates(self) -> int:
        """How many moving people could be chosen now (the ``person`` indices 0..n-1)."""
        return len(self._ranked())

    def decide(self, frame: int) -> Selection | None:
        """The subject if the choice can be made at ``frame``, else None (keep buffering)."""
        ranked = self._ranked()
        if not ranked:
            return None
        best, second = ranked[0][0], ranked[1][0] if len(ranked) > 1 else 0.0
        waited = self._first_seen is not None and frame - self._first_seen >= self.max_wait
        if best < self._threshold(ranked[0][1]) and not waited:
            return None
        cands = [{"index": i, "first_frame": t.frames[0], "box": t.boxes[-1].as_list(),
                  "score": round(s, 3)} for i, (s, t) in enumerate(ranked[:8])]
        if self.person is not None:
            if self.person >= len(ranked):
                return None
            s, t = ranked[self.person]
            return Selection("person", t.frames[0], t.boxes[0], 1.0,
                             f"candidate {self.person} chosen by the user", cands, t.id)
        s, t = ranked[0]
        conf = best / (best + second + 1e-9) * min(1.0, best / self.min_travel)
        why = (f"moved steadily {best:.2f} body heights" if best >= self.min_travel else
               f"no one walked steadily within {self.max_wait / self.fps:.0f} s; took the "
               "most mobile moving person")
        if second > 0:
            why += f"; runner-up {second:.2f}"
        return Selection("motion", t.frames[0], t.boxes[0], float(conf), why, cands, t.id)

    def leader(self, min_score: float | None = None) -> tuple[int, int, Box] | None:
        """The candidate :meth:`decide` would take now, once it has begun to walk.

        Parameters
        ----------
        min_score
            Smallest score (body heights of steady travel) for a leader; default a quarter of
            ``min_travel``, so that people standing or exercising in place are not followed.

        Returns
        -------
        tuple or None
            ``(track_id, first_frame, first_box)`` of the leading track.
        """
        ranked = self._ranked()
        k = self.person or 0
        if k >= len(ranked):
            return None
        score, t = ranked[k]
        limit = 0.25 * self.min_travel if min_score is None else min_score
        if self.person is None and score < limit:
            return None
        return t.id, t.frames[0], t.boxes[0]

    def box_at(self, track_id: int | None, frame: int) -> Box | None:
        """Box of a track at ``frame`` (nearest observation within 3 frames), else None."""
        for t in self.tracks:
            if t.id == track_id:
                i = int(np.argmin([abs(f - frame) for f in t.frames]))
                return t.boxes[i] if abs(t.frames[i] - frame) <= 3 else None
        return None

    def track_box(self, selection: Selection, frame: int) -> Box | None:
        """Box of the chosen track at ``frame`` (nearest observation), for buffered frames."""
        return self.box_at(selection.track_id, frame)
