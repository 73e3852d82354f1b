"""Overlay video: one output frame per input frame, skeleton drawn where keypoints exist."""

from __future__ import annotations

import cv2
import numpy as np

from groundup.motion.video.keypoints import build_table
from groundup.motion.video.overlay import COLOURS, write_overlay
from groundup.motion.video.pose import PoseResult
from tests.video._synth import write_video


def test_overlay_frames_and_drawing(tmp_path):
    src = write_video(tmp_path / "in.mp4", n=9, size=(320, 240))
    xy = np.column_stack([np.full(33, 100.0), np.linspace(40, 220, 33)])
    xy[[27, 29, 31], 0] = [100, 90, 130]  # left ankle, heel, toe
    pose = PoseResult(xy, np.zeros(33), np.ones(33), np.zeros((33, 3)))
    df = build_table([2, 3], [2 / 30, 3 / 30], [pose, pose])
    out = tmp_path / "out.mp4"
    events = [{"side": "L", "type": "IC", "time_s": 2 / 30}]
    n = write_overlay(src, df, out, events=events)
    cap = cv2.VideoCapture(str(out))
    assert n == 9 and int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 9
    frames = [cap.read()[1] for _ in range(9)]
    assert all(f is not None and f.shape == (240, 320, 3) for f in frames)
    # frame 2 has the left (orange) skeleton; frame 0 does not
    orange = np.array(COLOURS["L"], float)

    def n_orange(img):
        return int((np.abs(img.astype(float) - orange).sum(axis=2) < 80).sum())

    assert n_orange(frames[2]) > 50 and n_orange(frames[0]) < 10


def test_overlay_as_webm_for_browsers_and_unknown_format_named(tmp_path):
    import pytest

    from groundup.errors import GroundupError

    src = write_video(tmp_path / "in.mp4", n=6, size=(320, 240))
    xy = np.column_stack([np.full(33, 100.0), np.linspace(40, 220, 33)])
    pose = PoseResult(xy, np.zeros(33), np.ones(33), np.zeros((33, 3)))
    df = build_table([1], [1 / 30], [pose])
    out = tmp_path / "out.webm"
    assert write_overlay(src, df, out) == 6
    cap = cv2.VideoCapture(str(out))
    frames = [cap.read()[1] for _ in range(6)]
    assert all(f is not None and f.shape == (240, 320, 3) for f in frames)
    assert out.read_bytes()[:4] == b"\x1a\x45\xdf\xa3"  # an EBML (Matroska/WebM) file
    with pytest.raises(GroundupError, match="unknown format"):
        write_overlay(src, df, tmp_path / "out.avi")
