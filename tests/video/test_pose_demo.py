"""Pose on the real demo video: the walker is followed, not the man on the box."""

from __future__ import annotations

import mediapipe
import numpy as np
import pytest

from groundup.errors import InsufficientDataError
from groundup.motion.video.keypoints import run_pose
from groundup.motion.video.pose import BlazePoseBackend, ModelError
from tests.conftest import data_file

DEMO = "video/sports2d-demo/demo.mp4"


@pytest.fixture(scope="module")
def walk():
    """Keypoints of frames 30–110 (the walker emerges from behind the tree at ~37)."""
    return run_pose(data_file(DEMO), start=30, stop=110)


def _mid_hip(df):
    hips = df[df.landmark.isin(["left_hip", "right_hip"])]
    return hips.groupby("frame")[["x_px", "y_px"]].mean()


def test_walker_is_chosen_and_followed(walk):
    df, meta = walk
    sel = meta["subject"]["selections"][0]
    assert sel["method"] == "motion" and meta["subject"]["confidence"] >= 0.5
    hip = _mid_hip(df)
    assert hip.index.min() <= 45 and hip.index.max() == 109
    assert len(hip) >= 60
    # the box man's hips are ~250 px from the top; hers ~730 px
    assert hip["y_px"].between(650, 820).all()
    # she walks image-left steadily: ~9 px/frame, no backward jumps
    slope = np.polyfit(hip.index, hip["x_px"], 1)[0]
    assert -12 < slope < -6
    assert (np.diff(hip["x_px"].to_numpy()) < 15).all()


def test_left_foot_where_the_annotator_saw_it(walk):
    df, _ = walk
    foot = df[(df.frame == 41) & df.landmark.isin(["left_heel", "left_foot_index"])]
    # annotations.md: at frame 41 her left foot is at x ~1465–1502 px (just past the tree trunk)
    assert foot["x_px"].between(1440, 1530).all()
    assert foot["y_px"].between(880, 990).all()
    heel_98 = df[(df.frame == 98) & (df.landmark == "right_heel")]["x_px"].iloc[0]
    assert 900 < heel_98 < 1050  # right IC at frame 98, ~1.2 strides further left


def test_times_and_metadata(walk):
    df, meta = walk
    f = df.drop_duplicates("frame")
    np.testing.assert_allclose(f["time_s"], f["frame"] / 30.0, atol=1e-6)
    assert (meta["video"], meta["width"], meta["height"]) == ("demo.mp4", 1768, 994)
    assert meta["model"] == "full" and meta["n_frames"] == 80


def test_user_region_is_followed():
    df, meta = run_pose(data_file(DEMO), region=(1180, 500, 330, 494), start=66, stop=76)
    assert meta["subject"]["selections"][0]["method"] == "region"
    hip = _mid_hip(df)
    assert len(hip) == 10 and hip["x_px"].between(1150, 1450).all()


def test_no_person_when_walker_is_hidden():
    # frames 0–20: only the box man (exercising in place, not a walking candidate) is visible
    with pytest.raises(InsufficientDataError, match="No person"):
        run_pose(data_file(DEMO), stop=20)


def test_lite_model_without_file_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="npm package @mediapipe/pose"):
        BlazePoseBackend(model="lite")
    with pytest.raises(ModelError):
        BlazePoseBackend(model="heavy", model_path=tmp_path / "absent.tflite")
    with pytest.raises(ModelError, match="Unknown"):
        BlazePoseBackend(model="huge")


def test_model_from_a_user_path_loads(tmp_path):
    from pathlib import Path

    full = Path(mediapipe.__file__).parent / "modules/pose_landmark/pose_landmark_full.tflite"
    backend = BlazePoseBackend(model="heavy", model_path=full)  # any landmark model file
    try:
        assert backend.process(np.zeros((256, 256, 3), np.uint8)) is None
    finally:
        backend.close()
