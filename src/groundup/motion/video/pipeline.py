"""Decode → choose the subject → pose on a crop that follows them, frame by frame.

Memory stays bounded: frames stream from :func:`~groundup.motion.video.reader.iter_frames`;
while the subject is not yet chosen, at most ``buffer_s`` seconds of shrunken frames are kept so
that the chosen person's first steps are not lost.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from groundup.errors import InsufficientDataError
from groundup.motion.video.pose import BlazePoseBackend, PoseResult
from groundup.motion.video.reader import downscale, iter_frames, probe_video
from groundup.motion.video.tracking import Box, Follower, MotionDetector, Selection, SubjectSelector

__all__ = ["track_video"]

CROP_SIDE = 512  # pixels: longer side of the crop handed to the model (its ROI is 256 px)
MAX_LOOK_DISTANCE = 0.45  # Bhattacharyya distance of colour histograms: same person below this


def appearance(small: np.ndarray, scale: float, box: Box) -> np.ndarray | None:
    """Hue–saturation histogram of the middle of a box (a cheap re-identification cue)."""
    x0 = int((box.x + 0.2 * box.w) * scale)
    x1 = int((box.x + 0.8 * box.w) * scale)
    y0, y1 = int(box.y * scale), int((box.y + box.h) * scale)
    patch = small[max(y0, 0):max(y1, 0), max(x0, 0):max(x1, 0)]
    if patch.size < 30:
        return None
    hsv = cv2.cvtColor(patch, cv2.COLOR_BGR2HSV)
    hist = cv2.calcHist([hsv], [0, 1], None, [16, 8], [0, 180, 0, 256])
    return cv2.normalize(hist, hist).flatten()


class _Run:
    """State of one pass over the video (poses found, selections made)."""

    def __init__(self, backend, size: tuple[int, int]) -> None:
        self.backend = backend
        self.size = size
        self.frames: list[int] = []
        self.times: list[float] = []
        self.poses: list[PoseResult] = []
        self.selections: list[Selection] = []
        self.follower: Follower | None = None
        self.look: np.ndarray | None = None  # running colour histogram of the subject
        self._n_followed = 0

    def pose_in(self, small: np.ndarray, scale: float, crop) -> PoseResult | None:
        """Pose in a crop (x0, y0, x1, y1, original px) of the shrunken frame ``small``."""
        x0, y0, x1, y1 = (int(round(v * scale)) for v in crop)
        patch = small[y0:max(y1, y0 + 1), x0:max(x1, x0 + 1)]
        if min(patch.shape[:2]) < 16:
            return None
        patch, s2 = downscale(patch, CROP_SIDE)
        rgb = cv2.cvtColor(patch, cv2.COLOR_BGR2RGB)
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
                if h is not None:
                    self.look = h if self.look is None else 0.8 * self.look + 0.2 * h
        else:
            f.update(None, None)

    def start(self, selection: Selection, box: Box) -> None:
        """Begin following a newly chosen subject."""
        self.selections.append(selection)
        self.follower = Follower(box, self.size)
        self.backend.reset()


def _prepare(detector: MotionDetector, max_side: int, state: dict):
    """Decoding-thread hook: shrink the frame; detect motion (every frame only while choosing)."""
    def prepare(frame):
        small, scale = downscale(frame.image, max_side)
        if not state["selecting"] and frame.index % 5:
            return small, scale, []
        boxes = [Box(b.x / scale, b.y / scale, b.w / scale, b.h / scale)
                 for b in detector.detect(small)]
        return small, scale, boxes
    return prepare


def track_video(
    video_path: str | Path, *, backend=None, region=None, person: int | None = None,
    progress: Callable[[int, int], None] | None = None, start: int = 0,
    stop: int | None = None, max_side: int = 1920, buffer_s: float = 2.5,
) -> tuple[list[int], list[float], list[PoseResult], dict]:
    """Poses of the walking subject in every frame where they are found.

    Parameters are those of :func:`~groundup.motion.video.keypoints.run_pose`; ``buffer_s`` is
    how many seconds of frames are kept while the subject is being chosen.

    Returns
    -------
    tuple
        ``(frames, times_s, poses, meta)``.
    """
    info = probe_video(video_path)
    own_backend = backend is None
    backend = backend or BlazePoseBackend()
    run = _Run(backend, (info.width, info.height))
    fps = info.fps if info.fps > 0 else 30.0
    total = (min(stop, info.n_frames) if stop else info.n_frames) - start
    buffer: deque = deque(maxlen=max(1, int(buffer_s * fps)))
    selector = None if region else SubjectSelector(fps=fps, person=person)
    state = {"selecting": region is None}
    decoded = skipped = 0
    last_index = start - 1
    try:
        for fr in iter_frames(video_path, start=start, stop=stop,
                              prepare=_prepare(MotionDetector(), max_side, state)):
            small, scale, boxes = fr.extra
            fr.image = None  # the shrunken copy is all that is needed from here
            decoded += 1
            last_index = fr.index
            if region is not None and run.follower is None and not run.selections:
                box = Box(*map(float, region))
                run.start(Selection("region", fr.index, box, 1.0, "region given by the user"),
                          box)
            if run.follower is not None:
                run.step(fr.index, fr.time_s, small, scale)
                if run.follower.lost:
                    last = run.follower.last_box
                    run.follower = None
                    selector = SubjectSelector(fps=fps, near=last)
                    state["selecting"] = True
            else:
                selector.update(fr.index, boxes)
                if len(buffer) == buffer.maxlen:
                    skipped += 1
                buffer.append((fr.index, fr.time_s, small, scale))
                choice = selector.decide(fr.index) or _fallback(run, selector, fr.index, start)
                if choice is not None and not _same_person(run, choice, small, scale, selector):
                    selector.reject(choice.track_id)
                elif choice is not None:
                    _replay(run, selector, choice, buffer)
                    buffer.clear()
                    state["selecting"] = False
            if progress is not None:
                progress(decoded, total)
        if run.follower is None and buffer and not run.selections:  # short video: best guess
            choice = selector.decide(last_index + selector.max_wait + 1) if selector else None
            if choice is not None:
                _replay(run, selector, choice, buffer)
    finally:
        if own_backend:
            backend.close()
    if not run.poses:
        raise InsufficientDataError(
            f"No person was found in {info.name} ({decoded} frames read)",
            hint="check that the whole body is visible and lit; or give --region x,y,w,h "
                 "around the patient")
    meta = _meta(info, backend, run, decoded, skipped, start, max_side, region, person)
    return run.frames, run.times, run.poses, meta


def _fallback(run: _Run, selector: SubjectSelector, index: int, start: int) -> Selection | None:
    """Nobody moving for a long time: follow whoever BlazePose finds in the whole frame."""
    if run.selections or selector.tracks or index - start < 2 * selector.max_wait:
        return None
    W, H = run.size
    return Selection("pose-detector", index, Box(0.0, 0.0, float(W), float(H)), 0.2,
                     "no moving person found; followed BlazePose's own choice in the whole frame")


def _same_person(run: _Run, choice: Selection, small, scale, selector) -> bool:
    """Whether a re-acquired candidate looks like the subject followed so far."""
    if run.look is None or choice.method != "motion":
        return True
    box = selector.track_box(choice, 10**12) or choice.box
    look = appearance(small, scale, box)
    if look is None:
        return False
    dist = cv2.compareHist(run.look.astype(np.float32), look, cv2.HISTCMP_BHATTACHARYYA)
    choice.reason += f"; colour distance to the subject {dist:.2f}"
    return dist < MAX_LOOK_DISTANCE


def _replay(run: _Run, selector: SubjectSelector, choice: Selection, buffer: deque) -> None:
    """Run the pose model over the buffered frames from the chosen subject's first sighting."""
    todo = [b for b in buffer if b[0] >= choice.frame] or [buffer[-1]]
    box = selector.track_box(choice, todo[0][0]) or choice.box
    run.start(choice, box)
    for index, time_s, small, scale in todo:
        run.step(index, time_s, small, scale)


def _meta(info, backend, run: _Run, decoded, skipped, start, max_side, region, person) -> dict:
    conf = min((s.confidence for s in run.selections), default=0.0)
    return {
        "video": info.name, "width": info.width, "height": info.height,
        "fps_nominal": info.fps, "rotation_deg": info.rotation_deg, "codec": info.codec,
        "n_frames": decoded, "first_frame": start, "n_frames_with_pose": len(run.frames),
        "n_frames_dropped_while_selecting": skipped,
        "backend": getattr(backend, "name", type(backend).__name__),
        "model": getattr(backend, "model", "unknown"), "model_input_max_side": max_side,
        "time_base": "container timestamps, s from the first decoded frame",
        "subject": {"confidence": round(conf, 3), "region": list(region) if region else None,
                    "person": person, "selections": [s.as_dict() for s in run.selections]},
    }
