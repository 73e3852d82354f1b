"""The ends of a walk in the video pipeline: entering the picture, Zeni at the first/last
frames, and the bench's like-with-like cadence comparison (bench/video_synthetic.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from groundup.gait.events.published import Zeni
from groundup.gait.geometry import WalkingFrame
from groundup.gait.video_events import _zeni_near
from groundup.motion.trial import GaitEvent, Trial
from groundup.motion.video.view import _segments, detect_view
from tests.conftest import data_file
from tests.video_gait.test_video_gait import _legs

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import video_synthetic as bench  # noqa: E402

RATE = 30.0


def test_entering_the_picture_is_not_a_turn():
    kp = _legs(90)                     # walks image-right at 5 px/frame, feet inside the image
    for a in kp.xy.values():
        a[:30] = np.nan                # not in the picture for the first second
    info = detect_view(kp)
    assert [(p.start, p.stop, p.travel) for p in info.passes] == [(0, 90, "image-right")]
    # steady from the first frames in view (frame 30's speed is a one-sided difference), not
    # 0.5 s later as after a turn
    assert not info.steady[:30].any() and info.steady[31:].all()


def test_short_first_run_joins_the_next():
    labels = np.array([5, 5, 1, 1, 1, 1, 1, 1, 3, 3, 3, 3])
    assert _segments(labels, 3) == [(0, 8, 1), (8, 12, 3)]
    assert _segments(labels, 5) == [(0, 12, 1)]


def _peak_trial(rel: np.ndarray) -> tuple[Trial, WalkingFrame]:
    """Right heel at ``rel`` metres ahead of a pelvis walking at 1 m/s along x."""
    n = rel.size
    t = np.arange(n) / RATE
    heel = np.c_[t + rel, np.zeros(n), np.full(n, 0.05)]
    trial = Trial(points={"R_HEEL": heel, "R_TOE": heel + [0.2, 0.0, 0.0]}, rate=RATE)
    wf = WalkingFrame(vertical=2, forward=np.tile([1.0, 0.0, 0.0], (n, 1)),
                      pelvis=np.c_[t, np.zeros(n), np.full(n, 0.9)], treadmill=False,
                      pelvis_speed_m_s=1.0, turns=0)
    return trial, wf


def test_zeni_peak_in_the_last_frames_is_found():
    # heel 0.3 m cos(2 pi 1 Hz (t - T)) ahead of the pelvis, its last peak 2.3 frames before
    # the last frame: Zeni's peak finder (a quarter of the range on both sides) misses it
    t = np.arange(60) / RATE
    peak = (59 - 2.3) / RATE
    trial, wf = _peak_trial(0.3 * np.cos(2 * np.pi * (t - peak)))
    ics = [e.time_s * RATE for e in Zeni().detect(trial, wf) if e.side == "right"
           and e.type == "IC"]
    assert ics == [pytest.approx(26.7, abs=0.05)]                 # the first peak only
    near = _zeni_near(trial, wf, GaitEvent(side="right", type="IC", time_s=peak + 1 / RATE,
                                           method="kinematic"), 2 / RATE, {})
    assert near.time_s * RATE == pytest.approx(56.7, abs=0.05)


def test_zeni_bump_inside_the_data_is_not_a_peak():
    # a local maximum at frame 30 between two higher peaks (10, 50), 0.03 m deep each side
    t = np.arange(60) / RATE
    trial, wf = _peak_trial(0.3 * np.cos(2 * np.pi * (t - 10 / RATE) / (40 / RATE))
                            + 0.1 * np.exp(-((t - 30 / RATE) / 0.1) ** 2))
    e = GaitEvent(side="right", type="IC", time_s=30 / RATE, method="kinematic")
    assert _zeni_near(trial, wf, e, 2 / RATE, {}) is None


def _strides(rows):
    return pd.DataFrame(rows, columns=["side", "start_s", "end_s", "steady"])


def test_bench_pairs_strides_by_overlap():
    truth = _strides([("left", 1.0, 2.0, True), ("right", 1.5, 2.5, True),
                      ("left", 2.0, 3.0, True)])
    video = _strides([
        ("left", 0.9, 2.0, True),      # contact 0.1 s early: still paired, error counted
        ("right", 1.5, 2.0, True),     # split by a false contact: overlap 0.5 s of 1.0 s...
        ("right", 2.0, 2.5, True),     # ... and 0.5 s: the 3-D stride pairs once (first)
        ("left", 2.0, 3.0, False),     # not steady: not compared
    ])
    err, unpaired = bench._paired_cadence_error(video, truth, 0.0)
    # pairs: (1.1 s, 1.0 s), (0.5 s, 1.0 s) -> 120 / 0.8 - 120 / 1.0
    assert err == pytest.approx(120 / 0.8 - 120.0)
    assert unpaired == 1
    shifted = truth.assign(start_s=truth.start_s + 10.0, end_s=truth.end_s + 10.0)
    assert bench._paired_cadence_error(video, shifted, 10.0)[0] == pytest.approx(err)


def test_bench_rejects_3d_contacts_after_the_marker_is_lost():
    from groundup.gait.analyse import analyse_trial
    from groundup.gait.evaluation import load_gold
    from groundup.motion.load import load_trial

    gold = load_gold(data_file("gold/sample09_PlugInC3D.json"))
    trial = load_trial(data_file(gold["source_file"]))
    kin = analyse_trial(trial, events="kinematic")
    ok = bench._tracked_strides(trial, kin)
    bad = kin.strides[~ok]
    # left IC 3.179 s: the left heel's last sample before it is lost (it had stopped at
    # ~3.02 s). (The right heel lost mid-swing at 4.481 s makes no 3-D contact at all: the
    # kinematic detector asks the marker to be seen landing.)
    assert sorted(np.round(bad.end_s, 2)) == [3.18]
    assert ok.sum() == len(kin.strides) - 1


def _bench_row(name: str) -> dict:
    from groundup.gait.evaluation import load_gold
    from groundup.motion.load import load_trial

    gold = load_gold(data_file(f"gold/{name}.json"))
    return bench.evaluate(load_trial(data_file(gold["source_file"])), gold, "side")


@pytest.mark.parametrize("name", ["sample00_IST_Gait_with_EMG", "sample00_MAC_Walk1"])
def test_last_contact_gets_both_methods(name):
    # the last contact lies 2-3 frames before the video's end: timed by the contact detector
    # alone it made the last stride 0.5-1 frame off the 3-D markers' (-0.82 and -1.07
    # steps/min over the same strides); with Zeni's end-of-data peak -0.29 and -0.39
    r = _bench_row(name)
    assert r["unpaired"] == 0
    assert abs(r["cad_err"]) <= 0.6


def test_first_stride_after_entering_the_picture_is_steady():
    # sample06: the subject enters the picture at frame 34; the stride 40.1 -> 66.5 frames
    # was excluded as if after a turn, and the video cadence came out 2.2 steps/min above
    # the 3-D analysis' (which has that stride)
    r = _bench_row("sample06_newwalk")
    assert abs(r["cad_own"]) <= 0.5


def test_standing_start_and_stop_are_recognised():
    """Hip still for 0.5 s, then 1.2 m/s for 3 s, then still again: both ends standing; a walk
    already under way at both ends: neither."""
    from groundup.gait.video import _standing_ends

    n = int(4.0 * RATE)
    t = np.arange(n) / RATE
    x = np.clip(t - 0.5, 0.0, 3.0) * 1.2
    hip = np.column_stack([x, np.zeros(n), np.full(n, 0.9)])
    trial = Trial(points={"L_HIP_CENTRE": hip, "R_HIP_CENTRE": hip.copy()}, rate=RATE)
    assert _standing_ends(trial) == (True, True)
    moving = hip.copy()
    moving[:, 0] = 1.2 * t
    trial = Trial(points={"L_HIP_CENTRE": moving, "R_HIP_CENTRE": moving.copy()}, rate=RATE)
    assert _standing_ends(trial) == (False, False)


def test_gait_initiation_stride_is_not_steady():
    """sample25 starts from standing: its first stride (right, from the first contact; 1.35 s
    in 3-D against 1.21 s for the next) is left out of the steady summary; the next is kept."""
    from groundup.gait.evaluation import load_gold
    from groundup.gait.video import analyse_video_keypoints
    from groundup.motion.load import load_trial
    from groundup.motion.video.project import VirtualCamera, project_trial

    gold = load_gold(data_file("gold/sample25_analogfpscale03.json"))
    trial = load_trial(data_file(gold["source_file"]))
    cam = VirtualCamera(view="side", distance_m=4.0, dropout_rate=0.01, swap_rate=0.03)
    df, meta = project_trial(trial, cam)
    res = analyse_video_keypoints(df, meta, height_m=1.70, view="side",
                                  known_distance=(cam.focal_px / cam.distance_m, 1.0))
    first_ic = min(e.time_s for e in res.events if e.type == "IC")
    first = res.strides[np.isclose(res.strides.start_s, first_ic)]
    assert len(first) == 1 and not first.steady.iloc[0]
    assert res.strides.steady.sum() == len(res.strides) - 1
    assert res.spatiotemporal["cadence_steps_min"] == pytest.approx(
        120.0 / res.strides[res.strides.steady].stride_time_s.mean())


def test_a_stride_holding_a_missed_contact_is_not_steady():
    """Strides of 1.00, 1.02, 2.05 and 0.98 s (the third: two strides read as one, a contact
    missed): the third is left out of the steady summary, the others kept."""
    from types import SimpleNamespace

    from groundup.gait.video import _mark_steady

    starts = np.array([0.5, 1.5, 2.52, 4.57])
    ends = starts + np.array([1.0, 1.02, 2.05, 0.98])
    strides = pd.DataFrame({"side": ["left", "right", "left", "right"], "start_s": starts,
                            "end_s": ends, "step_width_m": 0.1, "stride_length_m": 1.3,
                            "step_length_m": 0.65, "speed_m_s": 1.2})
    n = int(6.0 * RATE)
    hip = np.column_stack([np.linspace(0, 7, n), np.zeros(n), np.full(n, 0.9)])
    trial = Trial(points={"L_HIP_CENTRE": hip, "R_HIP_CENTRE": hip.copy()}, rate=RATE)
    side_pass = SimpleNamespace(view="side")
    vi = SimpleNamespace(steady=np.ones(n, bool), pass_at=lambda frame: side_pass)
    events = [GaitEvent(side="left", type="IC", time_s=float(t), method="test") for t in starts]
    out = _mark_steady(strides, trial, vi, events)
    assert out.steady.tolist() == [True, True, False, True]
