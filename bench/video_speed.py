"""Video pipeline speed on ../shared/data/video/sports2d-demo/demo.mp4.

Prints end-to-end frames/s (decode + subject selection + pose on the following crop + keypoint
table) and the pose model alone on exactly the crops the pipeline fed it, in the same run; their
ratio (target ≥ 0.9); and end-to-end frames/s with one and two worker processes (the video split
into frame ranges, one per process).

Two ratios are printed. The issue's: end-to-end frames/s over the pose model's own rate
(calls/s) — the pipeline skips the model on frames without the subject, which helps it. The
stricter one: the model's time alone / the end-to-end time (the share of the wall time that
is model work). Speculative pose calls that the pipeline discarded (another candidate was
chosen) are not counted as useful model work in either ratio.

Run: ``.venv/bin/python bench/video_speed.py [REPEATS]`` (default 3; the best run is reported
with every run listed: on a shared 2-core machine, other load slows single runs).
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

VIDEO = Path(__file__).resolve().parents[1].parent / "shared/data/video/sports2d-demo/demo.mp4"


class _Recording:
    """Wraps a backend and keeps the images it was given (to time the model alone later)."""

    def __init__(self, backend) -> None:
        self.inner, self.name, self.model = backend, backend.name, backend.model
        self.calls: list = []

    def process(self, frame_rgb, **kw):
        self.calls.append((frame_rgb, kw))
        return self.inner.process(frame_rgb, **kw)

    def reset(self) -> None:
        self.inner.reset()

    def close(self) -> None:
        self.inner.close()


def _range(bounds: tuple[int, int]) -> tuple[int, float]:
    from groundup.motion.video.keypoints import run_pose

    t = time.perf_counter()
    df, meta = run_pose(VIDEO, start=bounds[0], stop=bounds[1])
    return meta["n_frames"], time.perf_counter() - t


def _warm(_: int) -> int:
    from groundup.motion.video.pose import BlazePoseBackend

    BlazePoseBackend().close()
    return 0


def main() -> int:
    if not VIDEO.exists():
        print(f"needs {VIDEO.name} in ../shared/data/video/sports2d-demo")
        return 1
    from groundup.motion.video.keypoints import run_pose
    from groundup.motion.video.pose import BlazePoseBackend
    from groundup.motion.video.reader import probe_video

    n_total = probe_video(VIDEO).n_frames
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    _warm(0)  # warm-up: imports, model load
    e2e_runs, alone_runs = [], []
    for _ in range(repeats):  # alternated, so that a burst of load elsewhere hits both
        rec = _Recording(BlazePoseBackend())
        t = time.perf_counter()
        df, meta = run_pose(VIDEO, backend=rec)
        e2e_runs.append(time.perf_counter() - t)
        rec.close()
        alone = BlazePoseBackend()
        t = time.perf_counter()
        for rgb, kw in rec.calls:
            alone.process(rgb, **kw)
        alone_runs.append(time.perf_counter() - t)
        alone.close()
    n = meta["n_frames"]
    k = len(rec.calls)
    wasted = meta.get("n_pose_calls_discarded", 0)
    useful = (k - wasted) / k  # share of the calls whose poses were kept (calls cost alike)
    print(f"video: {VIDEO.name}, {n} frames, {meta['width']}x{meta['height']}, "
          f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"{k} pose calls, {wasted} discarded, {meta['n_frames_with_pose']} frames with the "
          f"subject; {repeats} alternated runs, best and each:")
    e2e, pose_s = min(e2e_runs), min(alone_runs)
    print(f"end-to-end      : {e2e:6.2f} s  {n / e2e:6.1f} frames/s   "
          f"[{', '.join(f'{n / v:.1f}' for v in e2e_runs)}]")
    print(f"pose model alone: {pose_s:6.2f} s  {k / pose_s:6.1f} calls/s on the same crops   "
          f"[{', '.join(f'{k / v:.1f}' for v in alone_runs)}]")
    each = ", ".join(f"{(n / e) / (k * useful / p):.2f}"
                     for e, p in zip(e2e_runs, alone_runs, strict=True))
    print(f"ratio (end-to-end frames/s / pose-alone calls/s) = "
          f"{(n / e2e) / (k * useful / pose_s):.2f}   (target >= 0.9)   [{each}]")
    each = ", ".join(f"{p * useful / e:.2f}" for e, p in zip(e2e_runs, alone_runs, strict=True))
    print(f"ratio (useful pose-alone time / end-to-end time) = {pose_s * useful / e2e:.2f}"
          f"   [{each}]")
    for workers in (1, 2):
        step = -(-n_total // workers)
        ranges = [(i, min(i + step, n_total)) for i in range(0, n_total, step)]
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            list(pool.map(_warm, range(workers)))
            t = time.perf_counter()
            done = list(pool.map(_range, ranges))
            wall = time.perf_counter() - t
        frames = sum(d[0] for d in done)
        print(f"{workers} worker process(es): {frames} frames in {wall:5.2f} s = "
              f"{frames / wall:6.1f} frames/s (load average {os.getloadavg()[0]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
