"""One pass of following a subject, and the hand-over from choosing to following.

:class:`Run` holds the poses found so far and the crop that follows the subject. While the
selector is still deciding, the candidate it ranks first is followed in a *fork* of the run
(:func:`speculate`); :func:`commit` keeps that fork when its candidate is chosen, or replays the
buffered frames for the winner (the result is the same either way, the model just starts
earlier). A re-acquired candidate must look like the subject (:func:`same_person`).
"""

from __future__ import annotations

from collections import deque

import cv2
import numpy as np

from groundup.motion.video.follow import Box, Follower
from groundup.motion.video.look import Lighting, appearance
from groundup.motion.video.pose import PoseResult
from groundup.motion.video.reader import downscale
from groundup.motion.video.tracking import Selection, SubjectSelector

__all__ = ["Run", "speculate", "commit", "same_person", "fallback"]

CROP_SIDE = 512  # pixels: longer side of the crop handed to the model (its ROI is 256 px)
MAX_LOOK_DISTANCE = 0.45  # Bhattacharyya distance of colour histograms: same person below this


class Run:
    """State of one pass over the video (poses found, selections made)."""

    def __init__(self, backend, size: tuple[int, int], lighting: Lighting | None = None) -> None:
        self.backend = backend
        self.lighting = lighting or Lighting()
        self.size = size
        self.frames: list[int] = []
        self.times: list[float] = []
        self.poses: list[PoseResult] = []
        self.selections: list[Selection] = []
        self.follower: Follower | None = None
        self.look: np.ndarray | None = None  # running colour histogram of the subject
        self._n_followed = 0
        self.n_calls = 0  # pose-model calls, including discarded speculative ones
        self.n_discarded = 0

    def pose_in(self, small: np.ndarray, scale: float, crop) -> PoseResult | None:
        """Pose in a crop (x0, y0, x1, y1, original px) of the shrunken frame ``small``."""
        x0, y0, x1, y1 = (int(round(v * scale)) for v in crop)
        patch = small[y0:max(y1, y0 + 1), x0:max(x1, x0 + 1)]
        if min(patch.shape[:2]) < 16:
            return None
        patch, s2 = downscale(patch, CROP_SIDE)
        rgb = cv2.cvtColor(patch, cv2.COLOR_BGR2RGB)
        self.n_calls += 1
        return self.backend.process(rgb, offset_px=(x0 / scale, y0 / scale), scale=scale * s2)

    def step(self, index: int, time_s: float, small: np.ndarray, scale: float) -> None:
        """Follow the subject into one more frame."""
        f = self.follower
        result = self.pose_in(small, scale, f.crop())
        if result is not None and float(np.mean(result.visibility[11:29])) >= 0.3:
            self.frames.append(index)
            self.times.append(time_s)
            self.poses.append(result)
            f.update(result.xy_px, result.visibility)
            self._n_followed += 1
            if self._n_followed % 5 == 1:
                h = appearance(small, scale, f.last_box)
                self.lighting.add_subject(small, scale, f.last_box)
                if h is not None:
                    self.look = h if self.look is None else 0.8 * self.look + 0.2 * h
        else:
            f.update(None, None)

    def start(self, selection: Selection | None, box: Box) -> None:
        """Begin following a newly chosen subject (``None``: a speculative candidate)."""
        if selection is not None:
            self.selections.append(selection)
        self.follower = Follower(box, self.size)
        self.backend.reset()

    def fork(self) -> Run:
        """An empty pass on the same backend that starts from this one's subject appearance."""
        other = Run(self.backend, self.size, Lighting())
        other.look, other._n_followed = self.look, self._n_followed
        return other

    def merge(self, other: Run, selection: Selection | None) -> None:
        """Take over a fork's poses and follower (``selection`` None: discard the fork)."""
        self.n_calls += other.n_calls
        if selection is None:
            self.n_discarded += other.n_calls
            return
        self.selections.append(selection)
        self.frames += other.frames
        self.times += other.times
        self.poses += other.poses
        self.follower, self.look, self._n_followed = other.follower, other.look, other._n_followed
        self.lighting.merge_subject(other.lighting)


def fallback(run: Run, selector: SubjectSelector, index: int, start: int,
             first_buffered: int | None = None) -> Selection | None:
    """Nobody moving for a long time: follow whoever BlazePose finds in the whole frame, from
    the oldest buffered frame ``first_buffered`` on (default ``index``)."""
    if run.selections or selector.tracks or index - start < 2 * selector.max_wait:
        return None
    W, H = run.size
    frame = index if first_buffered is None else first_buffered
    return Selection("pose-detector", frame, Box(0.0, 0.0, float(W), float(H)), 0.2,
                     "no moving person found; followed BlazePose's own choice in the whole frame")


def _look_distance(run: Run, selector: SubjectSelector, track_id, box: Box, index: int,
                   small, scale) -> float | None:
    """Colour distance (Bhattacharyya, 0–1) of a track, as seen now, to the subject so far.

    None when there is no subject yet; 1 when the track's patch is too small to compare.
    """
    if run.look is None:
        return None
    look = appearance(small, scale, selector.box_at(track_id, index) or box)
    if look is None:
        return 1.0
    return float(cv2.compareHist(run.look.astype(np.float32), look, cv2.HISTCMP_BHATTACHARYYA))


def same_person(run: Run, choice: Selection, small, scale, selector, index: int) -> bool:
    """Whether a re-acquired candidate looks like the subject followed so far."""
    if choice.method != "motion":
        return True
    dist = _look_distance(run, selector, choice.track_id, choice.box, index, small, scale)
    if dist is None:
        return True
    choice.reason += f"; colour distance to the subject {dist:.2f}"
    return dist < MAX_LOOK_DISTANCE


def _follow_from_buffer(run: Run, selector: SubjectSelector, track_id: int | None,
                        first_frame: int, first_box: Box, buffer: deque) -> None:
    """Follow a track over the buffered frames from its first sighting (as far as buffered)."""
    todo = [b for b in buffer if b[0] >= first_frame] or [buffer[-1]]
    box = (selector.box_at(track_id, todo[0][0]) if track_id is not None else None) or first_box
    run.start(None, box)
    for index, time_s, small, scale in todo:
        run.step(index, time_s, small, scale)


def speculate(run: Run, spec, selector: SubjectSelector, buffer: deque):
    """Follow the selector's current leader into the newest buffered frame, before the choice.

    Returns the new ``(track_id, fork)`` or None; a fork whose track lost the lead is dropped.
    """
    lead = selector.leader()
    if lead is not None and spec is None and selector.person is None:
        index, _, small, scale = buffer[-1]
        dist = _look_distance(run, selector, lead[0], lead[2], index, small, scale)
        if dist is not None and dist >= MAX_LOOK_DISTANCE:  # would be rejected: not the subject
            lead = None
    if spec is not None and (lead is None or lead[0] != spec[0]):
        run.merge(spec[1], None)
        spec = None
    if lead is None:
        return None
    if spec is None:
        fork = run.fork()
        _follow_from_buffer(fork, selector, *lead, buffer)
        return lead[0], fork
    spec[1].step(*buffer[-1])
    return spec


def commit(run: Run, spec, selector: SubjectSelector, choice: Selection,
            buffer: deque) -> None:
    """Start following the chosen subject: keep the speculation if it followed them, else
    replay the buffered frames from their first sighting."""
    if spec is not None and choice.track_id is not None and spec[0] == choice.track_id:
        run.merge(spec[1], choice)
        return
    if spec is not None:
        run.merge(spec[1], None)
    fork = run.fork()
    _follow_from_buffer(fork, selector, choice.track_id, choice.frame, choice.box, buffer)
    run.merge(fork, choice)


