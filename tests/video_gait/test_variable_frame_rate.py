"""Variable-frame-rate videos: keypoints re-timed from the container's time stamps."""

from __future__ import annotations

import numpy as np
import pytest

from groundup.gait.evaluation import load_gold, match_events
from groundup.gait.video import analyse_video_keypoints
from groundup.motion.load import load_trial
from groundup.motion.trial import GaitEvent
from groundup.motion.video import retime
from groundup.motion.video.clean import to_wide
from groundup.motion.video.project import VirtualCamera, project_trial
from tests.conftest import data_file


def test_to_grid_hand_computed():
    # frames at 0, 0.1, 0.15, 0.3 s; on a 20 fps grid (0, 0.05, ..., 0.3 s)
    t = np.array([0.0, 0.1, 0.15, 0.3])
    a = np.array([[0.0], [10.0], [20.0], [np.nan]])
    out = retime.to_grid(a, t, 20.0)
    np.testing.assert_allclose(out[:4, 0], [0.0, 5.0, 10.0, 20.0])
    assert np.isnan(out[4:, 0]).all()           # next to a missing frame: missing
    assert out.shape == (7, 1)


def test_frames_without_keypoints_are_placed_at_the_nominal_rate():
    t = retime.frame_times(np.array([3, 4, 6]), np.array([0.1, 0.1 + 1 / 30, 0.2]), 8, 30.0)
    np.testing.assert_allclose(t, [0.0, 1 / 30, 2 / 30, 0.1, 0.1 + 1 / 30,
                                   0.5 * (0.1 + 1 / 30 + 0.2), 0.2, 0.2 + 1 / 30])
    assert not retime.irregular(t, 30.0)                    # these times are all i / 30
    assert retime.irregular(np.r_[t[:4], t[4:] + 1 / 30], 30.0)  # one frame dropped at 4


def _dropped_middle(df):
    """The table a phone gives when it falls to 20 fps in the middle third of the walk (2 of
    every 3 frames kept there), frames numbered in decoding order, times from the container."""
    n = int(df.frame.max()) + 1
    keep = [f for f in range(n) if not (n // 3 <= f < 2 * n // 3 and f % 3 == 2)]
    out = df[df.frame.isin(keep)].copy()
    out["frame"] = out.frame.map({f: i for i, f in enumerate(keep)})
    return out


@pytest.mark.parametrize("name", ["sample03_gait-pig", "Rajagopal_walk_motion_capture_walk"])
def test_semi_synthetic_variable_rate_walk(name):
    gold = load_gold(data_file(f"gold/{name}.json"))
    trial = load_trial(data_file(gold["source_file"]))
    cam = VirtualCamera(view="side", dropout_rate=0.01, swap_rate=0.03)
    df, meta = project_trial(trial, cam)
    known = (cam.focal_px / cam.distance_m, 1.0)
    steady = analyse_video_keypoints(df, meta, height_m=1.7, known_distance=known)
    vfr = analyse_video_keypoints(_dropped_middle(df), meta, height_m=1.7, known_distance=known)
    assert any("variable frame rate" in w for w in vfr.warnings)
    assert not any("variable frame rate" in w for w in steady.warnings)
    ref = [GaitEvent(side=e.side, type=e.type, time_s=e.time_s - meta["t0_s"], method="gold")
           for e in gold["confirmed"]]
    m = match_events(vfr.events, ref, tolerance_s=0.05)
    ic = m[(m.type == "IC") & (m.status != "false")]  # false = steps off the plates
    assert (ic.status == "match").all()
    assert ic.error_ms.abs().mean() <= 1000 / 30      # within a frame at 30 fps
    assert abs(vfr.spatiotemporal["cadence_steps_min"]
               - steady.spatiotemporal["cadence_steps_min"]) <= 1.0


def test_constant_rate_table_is_not_retimed():
    gold = load_gold(data_file("gold/sample03_gait-pig.json"))
    df, meta = project_trial(load_trial(data_file(gold["source_file"])), VirtualCamera())
    kp, plain = to_wide(df, meta), to_wide(df.drop(columns="time_s"), meta)
    assert not kp.notes and kp.n_frames == plain.n_frames
    for k, v in plain.xy.items():
        np.testing.assert_array_equal(kp.xy[k], v)


def test_variable_rate_phone_video_against_annotations(tmp_path):
    """The demo video re-written as a variable-rate MP4 (20 fps from frame 60 to 140, the real
    times in the container): the annotated initial contacts and cadence still hold."""
    from groundup.motion.video.keypoints import run_pose
    from groundup.motion.video.reader import iter_frames
    from tests.video._vfr import write_vfr
    from tests.video_gait.test_video_gait import DEMO_IC

    frames, times = [], []
    for f in iter_frames(data_file("video/sports2d-demo/demo.mp4")):
        if not (60 <= f.index < 140 and f.index % 3 == 2):
            frames.append(f.image)
            times.append(f.time_s)
    path = tmp_path / "vfr.mp4"
    write_vfr(path, frames, np.array(times), 30.0)
    read = [f.time_s for f in iter_frames(path)]
    np.testing.assert_allclose(read, times, atol=1e-3)     # the reader keeps container times
    df, meta = run_pose(path)
    res = analyse_video_keypoints(df, meta, height_m=1.65)
    assert any("variable frame rate" in w for w in res.warnings)
    assert abs(res.spatiotemporal["cadence_steps_min"] - 96.9) <= 3.0
    for side, annotated in DEMO_IC.items():
        det = np.array([e.time_s * 30 for e in res.events if e.type == "IC" and e.side == side])
        for frame in annotated:
            assert np.min(np.abs(det - frame)) <= 2.0, (side, frame, det)
