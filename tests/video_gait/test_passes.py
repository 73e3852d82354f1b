"""A video holding several passes: across the picture one way, back the other way, then away
from the camera, with the subject out of the picture for a second between them (turning)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from groundup.gait.video import analyse_video_keypoints
from groundup.motion.load import load_trial
from groundup.motion.video.project import VirtualCamera, project_trial
from groundup.motion.video.view import _segments
from tests.conftest import data_file

GAP = 30  # frames (1 s at 30 fps) with nobody in the picture between passes


@pytest.fixture(scope="module")
def walks():
    """exampleOverground filmed three ways; its own end has a slow turning stride."""
    trial = load_trial(data_file("c3d/ensink-overground/exampleOverground.c3d"))
    cams = (VirtualCamera(view="side", near_side="left", dropout_rate=0.01, swap_rate=0.03),
            VirtualCamera(view="side", near_side="right", dropout_rate=0.01, swap_rate=0.03,
                          seed=1),
            VirtualCamera(view="back", distance_m=2.0, dropout_rate=0.01, swap_rate=0.03,
                          seed=2))
    return [project_trial(trial, c) for c in cams]


def _join(parts):
    out, off, seams = [], 0, []
    for df, _ in parts:
        df = df.copy()
        df["frame"] += off
        df["time_s"] = df.frame / 30.0
        out.append(df)
        seams.append((off, int(df.frame.max()) + 1))
        off = int(df.frame.max()) + 1 + GAP
    return pd.concat(out, ignore_index=True), seams


def test_three_passes_are_split_and_described(walks):
    df, seams = _join(walks)
    res = analyse_video_keypoints(df, walks[0][1], height_m=1.7)
    got = [(p["view"], p["travel"], p["near_side"]) for p in res.metadata["passes"]]
    assert got == [("side", "image-left", "left"), ("side", "image-right", "right"),
                   ("back", "away", None)]
    # each seam falls in the gap before a walk, or within 0.2 s of its first frame
    for p, (a, _) in zip(res.metadata["passes"][1:], seams[1:], strict=True):
        assert (a - GAP) / 30 <= p["start_s"] <= a / 30 + 0.2
    # the summary pools the passes: the cadence of each pass analysed alone, within 1 step/min
    alone = [analyse_video_keypoints(d, m, height_m=1.7).spatiotemporal["cadence_steps_min"]
             for d, m in walks[:2]]
    assert abs(res.spatiotemporal["cadence_steps_min"] - np.mean(alone)) <= 1.0


def test_unseen_frames_do_not_count_towards_a_pass():
    labels = np.array([1] * 40 + [2] * 20 + [3] * 40)
    seen = np.r_[np.ones(40), np.ones(5), np.zeros(15), np.ones(40)].astype(bool)
    # the 20-frame run is long enough by frames but only 5 of them were seen
    assert _segments(labels, 10) == [(0, 40, 1), (40, 60, 2), (60, 100, 3)]
    assert _segments(labels, 10, seen) == [(0, 60, 1), (60, 100, 3)]


def test_passes_both_ways_have_no_far_leg(walks):
    df, _ = _join(walks[:2])                       # left side near, then the right side
    both = analyse_video_keypoints(df, walks[0][1], height_m=1.7)
    one = analyse_video_keypoints(*walks[0], height_m=1.7)
    assert both.metadata["quality"]["far_side"] is None
    assert one.metadata["quality"]["far_side"] == "right"
    assert (both.metadata["confidence_by_side"]["right"]["knee_peak_swing_flexion_deg"]
            == one.metadata["confidence_by_side"]["left"]["knee_peak_swing_flexion_deg"])
