"""Video reader: orientation, time axis, frame ranges and clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from groundup.errors import RecordingError
from groundup.motion.video.reader import downscale, iter_frames, probe_video
from tests.video._synth import FPS, H, W, set_rotation, write_video


def test_plain_video_frames_and_times(tmp_path):
    path = write_video(tmp_path / "a.mp4", n=12)
    info = probe_video(path)
    assert (info.width, info.height, info.rotation_deg, info.n_frames) == (W, H, 0, 12)
    assert info.fps == pytest.approx(FPS)
    frames = list(iter_frames(path))
    assert [f.index for f in frames] == list(range(12))
    np.testing.assert_allclose([f.time_s for f in frames], np.arange(12) / FPS, atol=1e-9)
    assert frames[0].image.shape == (H, W, 3)


def test_frame_range_keeps_time_from_first_frame(tmp_path):
    path = write_video(tmp_path / "a.mp4", n=12)
    frames = list(iter_frames(path, start=4, stop=7))
    assert [f.index for f in frames] == [4, 5, 6]
    np.testing.assert_allclose([f.time_s for f in frames], np.array([4, 5, 6]) / FPS, atol=1e-9)


@pytest.mark.parametrize("degrees", [90, 270, 180])
def test_rotation_metadata_gives_upright_frames(tmp_path, degrees):
    path = set_rotation(write_video(tmp_path / "a.mp4"), tmp_path / "r.mp4", degrees)
    info = probe_video(path)
    assert info.rotation_deg == degrees
    image = next(iter(iter_frames(path))).image
    if degrees == 180:
        assert (info.width, info.height) == (W, H) and image.shape[:2] == (H, W)
        assert image[H // 2, -2, 2] > 200 and image[H // 2, -2, 0] < 50  # red column: right
        assert image[-2, W // 2, 0] > 200  # blue row: bottom
        return
    assert (info.width, info.height) == (H, W) and image.shape[:2] == (W, H)
    red_row = 0 if degrees == 90 else -1  # the left (red) column is now the top / bottom row
    assert image[red_row, W // 8 * 3, 2] > 200 and image[red_row, W // 8 * 3, 0] < 50


def test_garbage_file_is_a_recording_error(tmp_path):
    bad = tmp_path / "walk.mp4"
    bad.write_bytes(b"not a video at all" * 100)
    with pytest.raises(RecordingError, match="walk.mp4"):
        probe_video(bad)
    with pytest.raises(RecordingError):
        list(iter_frames(bad))


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(RecordingError, match="not found"):
        probe_video(tmp_path / "none.mp4")
    (tmp_path / "empty.mp4").write_bytes(b"")
    with pytest.raises(RecordingError, match="empty"):
        probe_video(tmp_path / "empty.mp4")


def test_video_without_frames(tmp_path):
    path = write_video(tmp_path / "zero.mp4", n=0)
    with pytest.raises(RecordingError):
        probe_video(path)


def test_downscale_keeps_ratio_and_reports_scale():
    img = np.zeros((2160, 3840, 3), np.uint8)
    small, s = downscale(img, 1920)
    assert small.shape == (1080, 1920, 3) and s == pytest.approx(0.5)
    same, s1 = downscale(img[:100, :100], 1920)
    assert s1 == 1.0 and same.shape == (100, 100, 3)
