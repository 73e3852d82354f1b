"""Stream the frames of a video file with OpenCV, in display orientation, with bounded memory.

Frames are decoded one at a time in a background thread (a small bounded queue of decoded
frames, never the whole video), rotated upright when the container says so (portrait phone
videos), and stamped with the time of each frame from the container, so variable-frame-rate
phone videos keep their real time axis. ``time_s`` is measured from the first decoded frame;
``index`` is 0-based, as OpenCV's ``CAP_PROP_POS_FRAMES`` counts.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from groundup.errors import RecordingError

__all__ = ["Frame", "VideoInfo", "iter_frames", "probe_video", "downscale"]

_ROTATE = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


@dataclass(frozen=True)
class VideoInfo:
    """What the container says about a video, in display orientation.

    Attributes
    ----------
    name
        File name (no directories: nothing private goes into tables or logs).
    width, height
        Frame size in pixels after rotation (what a viewer shows).
    fps
        Nominal frame rate in frames/s (per-frame timestamps are authoritative).
    n_frames
        Frame count from the container (may be approximate for variable-rate files).
    rotation_deg
        Clockwise display rotation from the container metadata (0, 90, 180 or 270).
    codec
        FourCC of the video stream.
    """

    name: str
    width: int
    height: int
    fps: float
    n_frames: int
    rotation_deg: int
    codec: str

    @property
    def duration_s(self) -> float:
        """Nominal duration in seconds (``n_frames / fps``)."""
        return self.n_frames / self.fps if self.fps > 0 else float("nan")


@dataclass
class Frame:
    """One decoded frame.

    Attributes
    ----------
    index
        0-based frame index in decoding order.
    time_s
        Seconds from the first frame, from the container's timestamps.
    image
        BGR uint8 image (height, width, 3) in display orientation, original resolution.
    extra
        Whatever the ``prepare`` hook of :func:`iter_frames` computed for this frame.
    """

    index: int
    time_s: float
    image: np.ndarray
    extra: Any = field(default=None, repr=False)


def _open(path: Path) -> cv2.VideoCapture:
    if not path.exists():
        raise RecordingError(f"Video file not found: {path.name}", hint="check the path")
    if path.is_dir() or path.stat().st_size == 0:
        raise RecordingError(f"{path.name} is empty or not a file", hint="give a video file")
    # one decoding thread: faster here than FFmpeg's default, and it leaves a core to the model
    cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG, [cv2.CAP_PROP_N_THREADS, 1])
    if not cap.isOpened():
        cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    if not cap.isOpened():
        raise RecordingError(
            f"{path.name} cannot be read as a video",
            hint="use an MP4/MOV/AVI file from a phone or camera; re-export it if it is corrupt",
        )
    return cap


def _coded_size(cap: cv2.VideoCapture) -> tuple[int, int]:
    """Stored (un-rotated) frame size, then switch OpenCV's auto-rotation on."""
    cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 0)
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
    return size


def _rotation(cap: cv2.VideoCapture) -> int:
    rot = int(round(cap.get(cv2.CAP_PROP_ORIENTATION_META) or 0)) % 360
    return rot if rot in _ROTATE else 0


def _upright(image: np.ndarray, rotation: int, raw_wh: tuple[int, int]) -> np.ndarray:
    """Rotate a frame upright unless OpenCV already did (its auto-rotation is build-dependent)."""
    not_rotated = image.shape[1] == raw_wh[0] and image.shape[0] == raw_wh[1]
    if rotation in (90, 270) and raw_wh[0] != raw_wh[1] and not_rotated:
        return cv2.rotate(image, _ROTATE[rotation])
    return image


def probe_video(path: str | Path) -> VideoInfo:
    """Read a video's header and first frame.

    Parameters
    ----------
    path
        Video file.

    Returns
    -------
    VideoInfo
        Size in display orientation, nominal rate, frame count and rotation.

    Raises
    ------
    RecordingError
        The file is missing, not a video, or holds no decodable frame.
    """
    path = Path(path)
    cap = _open(path)
    try:
        raw_wh = _coded_size(cap)
        ok, image = cap.read()
        if not ok or image is None:
            raise RecordingError(
                f"{path.name} holds no decodable video frame",
                hint="the file may be truncated or audio-only; re-export the video",
            )
        rotation = _rotation(cap)
        image = _upright(image, rotation, raw_wh)
        fourcc = int(cap.get(cv2.CAP_PROP_FOURCC))
        codec = "".join(chr((fourcc >> 8 * i) & 0xFF) for i in range(4)).strip("\x00 ")
        return VideoInfo(
            name=path.name,
            width=int(image.shape[1]),
            height=int(image.shape[0]),
            fps=float(cap.get(cv2.CAP_PROP_FPS) or 0.0),
            n_frames=max(int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0), 1),
            rotation_deg=rotation,
            codec=codec,
        )
    finally:
        cap.release()


def _decode(path, start, stop, prepare, out: queue.Queue, halt: threading.Event) -> None:
    """Producer thread: decode frames into ``out``; an exception or ``None`` ends the stream."""
    cap = None
    index = 0
    try:
        cap = _open(path)
        raw_wh = _coded_size(cap)
        rotation = _rotation(cap)
        fps = cap.get(cv2.CAP_PROP_FPS) or 0.0
        t0_ms = None
        last_t = -np.inf
        while not halt.is_set() and (stop is None or index < stop):
            if index < start:  # decode and discard: seeking is not frame-exact in every file
                if not cap.grab():
                    break
                if t0_ms is None:
                    t0_ms = cap.get(cv2.CAP_PROP_POS_MSEC)
                index += 1
                continue
            ok, image = cap.read()
            if not ok or image is None:
                break
            ms = cap.get(cv2.CAP_PROP_POS_MSEC)
            if t0_ms is None:
                t0_ms = ms
            t = (ms - t0_ms) / 1000.0
            if not np.isfinite(t) or t <= last_t:  # no usable timestamp: fall back on the rate
                t = index / fps if fps > 0 else float(index)
            last_t = t
            frame = Frame(index, float(t), _upright(image, rotation, raw_wh))
            if prepare is not None:
                frame.extra = prepare(frame)
            while not halt.is_set():
                try:
                    out.put(frame, timeout=0.1)
                    break
                except queue.Full:
                    continue
            index += 1
        out.put(None)
    except cv2.error as exc:  # a broken frame: a clear message, not an OpenCV traceback
        out.put(RecordingError(f"{path.name}: frame {index} could not be decoded ({exc.err})",
                               hint="the file may be damaged; re-export the video"))
    except BaseException as exc:  # handed to the consumer, raised there
        out.put(exc)
    finally:
        if cap is not None:
            cap.release()


def iter_frames(
    path: str | Path,
    *,
    start: int = 0,
    stop: int | None = None,
    prepare: Callable[[Frame], Any] | None = None,
    prefetch: int = 4,
    info: VideoInfo | None = None,
) -> Iterator[Frame]:
    """Yield the frames of a video one by one, decoding ahead in a background thread.

    Parameters
    ----------
    path
        Video file.
    start, stop
        Frame range ``[start, stop)`` (0-based indices); ``time_s`` stays measured from frame 0.
    prepare
        Optional function run on each frame in the decoding thread (e.g. a downscaled copy
        and motion detection); its result is stored in ``Frame.extra``. It must keep its
        own state in frame order (it is called in order, from one thread).
    prefetch
        Number of decoded frames held ahead of the consumer (bounds the memory).
    info
        The result of :func:`probe_video` when the caller already has it (saves opening the
        file twice); otherwise the file is probed first, so errors come before any thread.

    Yields
    ------
    Frame
        Frames in display orientation with their index and time from the first frame.

    Raises
    ------
    RecordingError
        The file cannot be opened, or not one frame could be decoded.
    """
    path = Path(path)
    if info is None:
        probe_video(path)  # clear errors before starting the thread
    out: queue.Queue = queue.Queue(maxsize=max(prefetch, 1))
    halt = threading.Event()
    worker = threading.Thread(
        target=_decode, args=(path, start, stop, prepare, out, halt), daemon=True
    )
    worker.start()
    try:
        while True:
            item = out.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        halt.set()
        while worker.is_alive():
            with contextlib.suppress(queue.Empty):
                out.get(timeout=0.05)
        worker.join()


def downscale(image: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    """Shrink an image so that its longer side is at most ``max_side`` pixels.

    Parameters
    ----------
    image
        Image (height, width, channels).
    max_side
        Largest allowed side in pixels; the image is returned unchanged when already smaller.

    Returns
    -------
    tuple
        ``(image, scale)`` where ``scale`` = new pixels per original pixel (≤ 1), so original
        coordinates are ``small_coordinates / scale``.
    """
    side = max(image.shape[:2])
    if side <= max_side:
        return image, 1.0
    scale = max_side / side
    size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
    # INTER_AREA is exact but ~10x slower for non-integer ratios; it is kept for big reductions
    interp = cv2.INTER_AREA if scale <= 0.5 else cv2.INTER_LINEAR
    return cv2.resize(image, size, interpolation=interp), scale
