"""Bad video input: clear errors, partial results, bounded memory (issue 3, "Bad input")."""

from __future__ import annotations

import time
import tracemalloc

import cv2
import numpy as np
import pytest

from groundup.errors import InsufficientDataError, RecordingError
from groundup.motion.video.keypoints import run_pose
from groundup.motion.video.reader import iter_frames, probe_video
from tests.conftest import data_file
from tests.video._synth import set_rotation

DEMO = "video/sports2d-demo/demo.mp4"
REGION = (1180, 500, 330, 494)  # the walker at frame 66 (x, y, w, h px)


class _NoPose:
    """A pose backend that never finds anyone (and counts its calls)."""

    name, model = "stub", "none"

    def __init__(self) -> None:
        self.calls = 0

    def process(self, frame_rgb, **_):
        self.calls += 1

    def reset(self) -> None:
        pass

    def close(self) -> None:
        pass


def _write(path, frames, fps=30.0):
    h, w = frames[0].shape[:2]
    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    for f in frames:
        out.write(f)
    out.release()
    return path


def _demo_frames(start, stop):
    return [f.image for f in iter_frames(data_file(DEMO), start=start, stop=stop)]


def _hips(df):
    hips = df[df.landmark.isin(["left_hip", "right_hip"])]
    return hips.groupby("frame")[["x_px", "y_px"]].mean()


@pytest.fixture(scope="module")
def reference():
    """The walker's hips in frames 66-71 of the demo, region given (1x, landscape)."""
    df, _ = run_pose(data_file(DEMO), region=REGION, start=66, stop=72)
    return _hips(df)


def test_blank_video_says_nobody_moved(tmp_path):
    path = _write(tmp_path / "blank.mp4", [np.full((48, 64, 3), 120, np.uint8)] * 40)
    stub = _NoPose()
    with pytest.raises(InsufficientDataError, match="nobody moved") as err:
        run_pose(path, backend=stub)
    assert "40 frames read" in str(err.value) and "dark" not in str(err.value)
    assert stub.calls == 0


def test_very_dark_video_says_so(tmp_path):
    path = _write(tmp_path / "dark.mp4", [np.full((48, 64, 3), 8, np.uint8)] * 20)
    with pytest.raises(InsufficientDataError, match=r"very dark \(mean brightness \d of 255\)"):
        run_pose(path, backend=_NoPose())


def test_unreadable_and_truncated_files(tmp_path):
    bad = tmp_path / "walk.mov"
    bad.write_bytes(b"\x00\x00\x00\x18ftypqt  " + b"\x13" * 4000)
    with pytest.raises(RecordingError, match="walk.mov"):
        run_pose(bad, backend=_NoPose())
    good = _write(tmp_path / "cut.mp4", [np.full((48, 64, 3), 120, np.uint8)] * 30)
    data = good.read_bytes()
    cut = tmp_path / "cut2.mp4"
    cut.write_bytes(data[: len(data) // 2])  # the end of the file is missing
    with pytest.raises((RecordingError, InsufficientDataError)):
        run_pose(cut, backend=_NoPose())


def test_reader_holds_no_more_than_its_prefetch_queue(tmp_path):
    path = _write(tmp_path / "a.mp4", [np.full((48, 64, 3), i, np.uint8) for i in range(60)])
    decoded: list[int] = []
    lead = 0
    for fr in iter_frames(path, prefetch=3, prepare=lambda f: decoded.append(f.index)):
        time.sleep(0.002)  # a slow consumer: the decoder must wait, not pile frames up
        lead = max(lead, len(decoded) - 1 - fr.index)
    assert len(decoded) == 60 and 1 <= lead <= 3 + 1  # queue + the frame being put


def _peak_mib(path) -> float:
    tracemalloc.start()
    try:
        with pytest.raises(InsufficientDataError):
            run_pose(path, backend=_NoPose())
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_length_of_the_video(tmp_path):
    """A 60-minute file streams like a short one: 10x more frames, the same peak memory."""
    rng = np.random.default_rng(0)
    noise = [rng.integers(100, 140, (48, 64, 3), dtype=np.uint8) for _ in range(10)]
    short = _write(tmp_path / "short.mp4", [noise[i % 10] for i in range(150)])
    long = _write(tmp_path / "long.mp4", [noise[i % 10] for i in range(1500)])
    assert probe_video(long).n_frames == 1500
    small, big = _peak_mib(short), _peak_mib(long)
    assert big < small + 0.5, (small, big)


def test_4k_frames_are_shrunk_for_the_model_and_keypoints_come_in_4k_pixels(tmp_path,
                                                                            reference):
    sx, sy = 3840 / 1768, 2160 / 994
    frames = [cv2.resize(f, (3840, 2160)) for f in _demo_frames(66, 72)]
    path = _write(tmp_path / "uhd.mp4", frames)
    x, y, w, h = REGION
    df, meta = run_pose(path, region=(x * sx, y * sy, w * sx, h * sy))
    assert (meta["width"], meta["height"], meta["model_input_max_side"]) == (3840, 2160, 1920)
    hips = _hips(df)
    assert len(hips) == 6
    np.testing.assert_allclose(hips["x_px"].to_numpy() / sx, reference["x_px"], atol=8)
    np.testing.assert_allclose(hips["y_px"].to_numpy() / sy, reference["y_px"], atol=8)


def test_portrait_phone_video_is_analysed_upright(tmp_path, reference):
    x0 = 1000  # a 560 x 994 portrait strip around the walker, stored sideways + rotation 90
    strips = [cv2.rotate(f[:, x0:x0 + 560], cv2.ROTATE_90_COUNTERCLOCKWISE)
              for f in _demo_frames(66, 72)]
    path = set_rotation(_write(tmp_path / "side.mp4", strips), tmp_path / "portrait.mp4", 90)
    x, y, w, h = REGION
    df, meta = run_pose(path, region=(x - x0, y, w, h))
    assert (meta["width"], meta["height"], meta["rotation_deg"]) == (560, 994, 90)
    hips = _hips(df)
    assert len(hips) == 6
    np.testing.assert_allclose(hips["x_px"].to_numpy() + x0, reference["x_px"], atol=8)
    np.testing.assert_allclose(hips["y_px"].to_numpy(), reference["y_px"], atol=8)


def test_person_standing_still_is_followed_and_reported_as_not_walking(tmp_path):
    from groundup.gait.video import analyse_video_keypoints

    still = cv2.resize(_demo_frames(80, 81)[0], (884, 497))
    path = _write(tmp_path / "still.mp4", [still] * 70, fps=10.0)  # 7 s: nobody moves
    df, meta = run_pose(path)
    sel = meta["subject"]["selections"][0]
    assert sel["method"] == "pose-detector" and meta["subject"]["confidence"] <= 0.2
    assert df.frame.nunique() >= 20
    res = analyse_video_keypoints(df, {**meta, "fps": 10.0}, height_m=1.65)
    assert res.events == [] and res.spatiotemporal.get("n_strides", 0) == 0
    assert any("does not seem to walk" in w for w in res.warnings)
    assert res.metadata["foot_swing_thigh_lengths"] < 0.15
