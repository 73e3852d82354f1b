"""The demo video's keypoints, computed once per test session (the pose model runs here)."""

from __future__ import annotations

import pytest

from tests.conftest import data_file


@pytest.fixture(scope="session")
def demo_pose():
    """``(video path, keypoint table, metadata)`` of ../shared/data/video/sports2d-demo."""
    from groundup.motion.video.keypoints import run_pose

    video = data_file("video/sports2d-demo/demo.mp4")
    df, meta = run_pose(video)
    return video, df, meta
