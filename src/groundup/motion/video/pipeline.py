"""Decode → choose the subject → pose on a crop that follows them, frame by frame.

Memory stays bounded: frames stream from :func:`~groundup.motion.video.reader.iter_frames`;
while the subject is not yet chosen, at most ``buffer_s`` seconds of shrunken frames are kept so
that the chosen person's first steps are not lost.

The model does not wait for the choice: while the selector is still deciding, the candidate it
currently ranks first is followed *speculatively* (frames decode in their own thread meanwhile).
If that candidate is chosen, its poses are kept as they are — exactly what a replay of the
buffered frames would have given; if another one is, the speculative poses are dropped
(``meta["n_pose_calls_discarded"]``) and the buffer is replayed for the winner.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from pathlib import Path

from groundup.errors import InsufficientDataError
from groundup.motion.video.look import Lighting, lighting_note
from groundup.motion.video.pose import BlazePoseBackend, PoseResult
from groundup.motion.video.reader import downscale, iter_frames, probe_video
from groundup.motion.video.subject import Run, commit, fallback, same_person, speculate
from groundup.motion.video.tracking import Box, MotionDetector, Selection, SubjectSelector

__all__ = ["track_video"]

def _prepare(detector: MotionDetector, max_side: int, lighting: Lighting):
    """Decoding-thread hook: shrink the frame; sample its brightness (every 5th frame); detect
    motion. The motion detector sees every frame whatever the main thread is doing, so that its
    background model -- and with it the result -- does not depend on how far decoding runs
    ahead (it did when detection paused once the subject was chosen)."""
    def prepare(frame):
        small, scale = downscale(frame.image, max_side)
        if frame.index % 5 == 0:
            lighting.add_frame(small)
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
    lighting = Lighting()
    run = Run(backend, (info.width, info.height), lighting)
    fps = info.fps if info.fps > 0 else 30.0
    total = (min(stop, info.n_frames) if stop else info.n_frames) - start
    buffer: deque = deque(maxlen=max(1, int(buffer_s * fps)))
    selector = None if region else SubjectSelector(fps=fps, person=person)
    decoded = skipped = 0
    seen_moving = False  # any moving, person-shaped blob at all
    last_index = start - 1
    spec: tuple[int, Run] | None = None  # (track id, fork) of the leader followed meanwhile
    try:
        for fr in iter_frames(video_path, start=start, stop=stop, info=info,
                              prepare=_prepare(MotionDetector(), max_side, lighting)):
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
            else:
                selector.update(fr.index, boxes)
                seen_moving = seen_moving or bool(selector.tracks)
                if len(buffer) == buffer.maxlen:
                    skipped += 1
                buffer.append((fr.index, fr.time_s, small, scale))
                spec = speculate(run, spec, selector, buffer)
                choice = selector.decide(fr.index) or fallback(run, selector, fr.index, start,
                                                               buffer[0][0])
                if choice is not None and not same_person(run, choice, small, scale, selector,
                                                           fr.index):
                    selector.reject(choice.track_id)
                elif choice is not None:
                    commit(run, spec, selector, choice, buffer)
                    spec = None
                    buffer.clear()
            if progress is not None:
                progress(decoded, total)
        if run.follower is None and buffer and not run.selections:  # short video: best guess
            choice = selector.decide(last_index + selector.max_wait + 1) if selector else None
            if choice is not None:
                commit(run, spec, selector, choice, buffer)
                spec = None
        if spec is not None:
            run.merge(spec[1], None)
    finally:
        if own_backend:
            backend.close()
    if person is not None and not run.selections and selector is not None:
        n = selector.n_candidates()
        raise InsufficientDataError(
            f"person {person} was asked for, but {n} moving person(s) were found in {info.name}",
            hint=(f"give a person from 0 to {n - 1} (0 = the one who walks most)" if n else
                  "give --region x,y,w,h around the subject"))
    if not run.poses:
        _no_person(info.name, decoded, seen_moving or region is not None, lighting)
    meta = _meta(info, backend, run, decoded, skipped, start, max_side, region, person)
    return run.frames, run.times, run.poses, meta


def _no_person(name: str, decoded: int, seen_moving: bool, lighting: Lighting) -> None:
    """Raise the error for a video in which no one could be followed, saying why if known."""
    light = lighting_note(lighting.as_dict())
    if seen_moving:
        what = f"No person's pose was found in {name} ({decoded} frames read)"
    else:
        what = (f"No person was found in {name}: nobody moved in the picture ({decoded} frames "
                "read; the subject is chosen among moving people)")
    raise InsufficientDataError(
        what + (f"; {light}" if light else ""),
        hint="film the patient walking, the whole body visible and lit; or give --region "
             "x,y,w,h around the patient")


def _meta(info, backend, run: Run, decoded, skipped, start, max_side, region, person) -> dict:
    conf = min((s.confidence for s in run.selections), default=0.0)
    return {
        "video": info.name, "width": info.width, "height": info.height,
        "fps_nominal": info.fps, "rotation_deg": info.rotation_deg, "codec": info.codec,
        "n_frames": decoded, "first_frame": start, "n_frames_with_pose": len(run.frames),
        "n_frames_dropped_while_selecting": skipped,
        "n_pose_calls": run.n_calls, "n_pose_calls_discarded": run.n_discarded,
        "lighting": run.lighting.as_dict(),
        "backend": getattr(backend, "name", type(backend).__name__),
        "model": getattr(backend, "model", "unknown"), "model_input_max_side": max_side,
        "time_base": "container timestamps, s from the first decoded frame",
        "subject": {"confidence": round(conf, 3), "region": list(region) if region else None,
                    "person": person, "selections": [s.as_dict() for s in run.selections]},
    }
