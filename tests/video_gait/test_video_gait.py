"""Video gait pipeline: swap repair, view, scale, semi-synthetic accuracy, the real demo video."""

from __future__ import annotations

import numpy as np
import pytest

from groundup.errors import GroundupError, InsufficientDataError
from groundup.gait.confidence import LEVELS
from groundup.gait.evaluation import load_gold, match_events
from groundup.gait.video import analyse_video_keypoints
from groundup.motion.load import load_trial
from groundup.motion.trial import GaitEvent
from groundup.motion.video.clean import Keypoints2D, clean_keypoints, to_wide
from groundup.motion.video.project import VirtualCamera, project_trial
from groundup.motion.video.scale import scale_from_distance, scale_from_height
from groundup.motion.video.swaps import repair_swaps, swap_states
from groundup.motion.video.view import detect_view
from tests.conftest import data_file


def _legs(n: int = 60) -> Keypoints2D:
    """Two feet 200 px apart, walking right, with thighs of 100 px."""
    t = np.arange(n, dtype=float)
    xy = {}
    for side, off in (("left", 0.0), ("right", 200.0)):
        xy[f"{side}_hip"] = np.c_[500 + 5 * t, np.full(n, 300.0)]
        for part, dy in (("knee", 100), ("ankle", 200), ("heel", 210), ("foot_index", 205)):
            xy[f"{side}_{part}"] = np.c_[400 + off + 5 * t + (20 if part == "foot_index"
                                                                 else 0), np.full(n, 300.0 + dy)]
    vis = {k: np.ones(n) for k in xy}
    return Keypoints2D(xy=xy, visibility=vis, z_rel={k: np.zeros(n) for k in xy}, fps=30.0,
                       width=1920, height=1080)


def test_swap_burst_is_found_and_repaired():
    kp = _legs()
    truth = {k: v.copy() for k, v in kp.xy.items()}
    for part in ("knee", "ankle", "heel", "foot_index"):
        a, b = kp.xy[f"left_{part}"], kp.xy[f"right_{part}"]
        a[20:24], b[20:24] = b[20:24].copy(), a[20:24].copy()
    states = swap_states(kp)
    assert states[20:24].all() and states.sum() == 4
    fixed = repair_swaps(kp)
    for k, v in truth.items():
        np.testing.assert_allclose(fixed.xy[k], v)
    assert fixed.stats["swap_fraction"] == pytest.approx(4 / 60)


def test_both_labels_on_one_foot_are_dropped_then_filled():
    kp = _legs()
    kp.xy["right_heel"][30:33] = kp.xy["left_heel"][30:33]
    fixed = clean_keypoints(kp)
    np.testing.assert_allclose(fixed.xy["right_heel"][30:33, 0], 400 + 200 + 5 * np.arange(30, 33),
                               atol=3)


def test_side_view_walking_image_left_has_left_side_near():
    kp = _legs()
    for a in kp.xy.values():
        a[:, 0] = 1920 - a[:, 0]              # mirror: walking (and facing) image-left
    info = detect_view(kp)
    assert info.view == "side"
    assert info.passes[0].travel == "image-left" and info.passes[0].near_side == "left"
    assert not info.passes[0].backward


def test_scale_arithmetic():
    kp = _legs()
    # left leg: thigh sqrt(100^2 + 100^2) px, shank 100 px; right: thigh sqrt(100^2 + 100^2)
    # and shank 100 px too (its hip is 100 px behind its knee); 0.491 x 2.0 m = 0.982 m.
    sc = scale_from_height(kp, 2.0)
    assert sc.px_per_m[0] == pytest.approx((np.hypot(100, 100) + 100) / 0.982)
    assert "4 %" in sc.assumption
    assert scale_from_distance(10, 500.0, 2.0).px_per_m[3] == 250.0
    with pytest.raises(GroundupError):
        scale_from_height(kp, 17.0)


def test_empty_table_is_a_clear_error():
    import pandas as pd

    empty = pd.DataFrame(columns=["frame", "time_s", "landmark", "x_px", "y_px"])
    with pytest.raises(InsufficientDataError, match="no person"):
        to_wide(empty, {"fps": 30})


@pytest.mark.parametrize("name", ["exampleOverground", "sample00_MAC_Walk1",
                                  "Rajagopal_walk_motion_capture_walk"])
def test_semi_synthetic_side_view_within_targets(name):
    gold = load_gold(data_file(f"gold/{name}.json"))
    trial = load_trial(data_file(gold["source_file"]))
    cam = VirtualCamera(view="side", dropout_rate=0.01, swap_rate=0.03)
    df, meta = project_trial(trial, cam)
    res = analyse_video_keypoints(df, meta, height_m=1.7,
                                  known_distance=(cam.focal_px / cam.distance_m, 1.0))
    ref = [GaitEvent(side=e.side, type=e.type, time_s=e.time_s - meta["t0_s"], method="gold")
           for e in gold["confirmed"]]
    m = match_events(res.events, ref, tolerance_s=0.05)
    ic = m[(m.type == "IC") & (m.status != "false")]     # false = steps off the plates
    assert (ic.status == "match").all()
    assert ic.error_ms.abs().mean() <= 1.2 * 1000 / 30      # ~1 frame at 30 fps
    n = res.spatiotemporal["n_strides"]
    grade = res.metadata["confidence"]["cadence_steps_min"]
    assert grade in ("high", "moderate", "low", "very low")
    assert n >= 3 or grade != "high"
    assert res.to_json()["schema"] == "groundup.gait/1"


# annotations.md (0-based frames): initial contacts of the near (left) and far (right) foot.
DEMO_IC = {"left": (41, 79, 116, 153), "right": (60, 98, 134, 171)}


def test_demo_video_against_annotations(demo_pose):
    _, df, meta = demo_pose
    res = analyse_video_keypoints(df, meta, height_m=1.65)
    assert abs(res.spatiotemporal["cadence_steps_min"] - 96.9) <= 3.0
    for side, frames in DEMO_IC.items():
        det = np.array([e.time_s * 30 for e in res.events if e.type == "IC" and e.side == side])
        for frame in frames:   # the far foot and the one just out from behind the tree too
            assert np.min(np.abs(det - frame)) <= 2.0, (side, frame, det)
    n_ic = sum(e.type == "IC" for e in res.events)
    assert n_ic == 8                       # no false contacts
    # stance %: annotated L 63.4 %, R 65.7 % (R FO +-2 frames: forefoot hidden in grass)
    assert abs(res.spatiotemporal["left"]["stance_pct"] - 63.4) <= 2.0
    assert abs(res.spatiotemporal["right"]["stance_pct"] - 65.7) <= 4.0


def test_cli_overlay_of_a_slice(demo_pose, tmp_path):
    import cv2
    from typer.testing import CliRunner

    from groundup.cli.app import app
    from groundup.motion.video.keypoints import save_keypoints

    video, df, meta = demo_pose
    kp = save_keypoints(df, meta, tmp_path / "kp.parquet")
    out = tmp_path / "overlay.mp4"
    res = CliRunner(mix_stderr=False).invoke(app, [
        "video", str(video), "--height", "1.65", "--keypoints", str(kp), "--overlay", str(out),
        "--overlay-frames", "55:70", "--json", str(tmp_path / "r.json")])
    assert res.exit_code == 0, res.stdout + res.stderr
    cap = cv2.VideoCapture(str(out))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 15
    ok, img = cap.read()
    assert ok and img.shape[:2] == (meta["height"], meta["width"])
    bad = CliRunner(mix_stderr=False).invoke(app, [
        "video", str(kp), "--height", "1.65", "--overlay", str(tmp_path / "x.mp4")])
    assert bad.exit_code == 1 and "needs the video" in " ".join((bad.stdout + bad.stderr).split())
    worse = CliRunner(mix_stderr=False).invoke(app, [
        "video", str(video), "--height", "1.65", "--keypoints", str(kp), "--overlay",
        str(out), "--overlay-frames", "9:3"])
    assert worse.exit_code == 1 and "START < STOP" in " ".join((worse.stdout
                                                               + worse.stderr).split())


@pytest.mark.parametrize("view", ["back", "front"])
def test_semi_synthetic_frontal_view_events(view):
    gold = load_gold(data_file("gold/exampleOverground.json"))
    trial = load_trial(data_file(gold["source_file"]))
    cam = VirtualCamera(view=view, distance_m=2.0, dropout_rate=0.01, swap_rate=0.03)
    df, meta = project_trial(trial, cam)
    res = analyse_video_keypoints(df, meta, height_m=1.7, view=view)
    # 3-D truth of the same walk (markers + plates), on the video's time axis
    from groundup.gait.analyse import analyse_trial

    truth = analyse_trial(trial)
    ref = [GaitEvent(side=e.side, type=e.type, time_s=e.time_s - meta["t0_s"], method="3d")
           for e in truth.events]
    m = match_events(res.events, ref, tolerance_s=0.1)
    found = m[m.status == "match"]
    assert len(found) >= 8
    assert found.error_ms.abs().mean() <= 2 * 1000 / 30       # within 2 frames on average
    assert (m.status == "false").sum() <= 1
    assert abs(res.spatiotemporal["cadence_steps_min"]
               - truth.spatiotemporal["cadence_steps_min"]) <= 6.0


def test_cli_known_distance_sets_the_scale_and_plots_are_written(tmp_path):
    """``--distance x1,y1,x2,y2,metres``: 1 m in the walking plane spans focal / distance pixels
    of the virtual camera; step lengths then match the 3-D analysis of the same walk."""
    import json

    from typer.testing import CliRunner

    from groundup.cli.app import app
    from groundup.gait.analyse import analyse_trial
    from groundup.motion.video.keypoints import save_keypoints

    trial = load_trial(data_file("c3d/ensink-overground/exampleOverground.c3d"))
    cam = VirtualCamera(view="side", dropout_rate=0.01, swap_rate=0.03)
    df, meta = project_trial(trial, cam)
    kp = save_keypoints(df, meta, tmp_path / "kp.parquet")
    px = cam.focal_px / cam.distance_m
    out = tmp_path / "r.json"
    res = CliRunner(mix_stderr=False).invoke(app, [
        "video", str(kp), "--distance", f"100,900,{100 + 0.6 * px},{900 + 0.8 * px},1.0",
        "--json", str(out), "--plots", str(tmp_path / "rep")])  # 0.6 : 0.8 diagonal: hypot = px
    assert res.exit_code == 0, res.stdout + res.stderr
    figures = sorted(p.name for p in (tmp_path / "rep" / "figures").iterdir())
    assert "curve_knee_flexion.svg" in figures and "events.svg" in figures
    assert "knee" in (tmp_path / "rep" / "gait_report.html").read_text()
    got = json.loads(out.read_text())["spatiotemporal"]
    api = analyse_video_keypoints(df, meta, known_distance=(px, 1.0)).spatiotemporal
    truth = analyse_trial(trial).spatiotemporal
    errs = []
    for side in ("left", "right"):
        assert got[side]["step_length_m"] == pytest.approx(api[side]["step_length_m"])
        errs.append(abs(got[side]["step_length_m"] - truth[side]["step_length_m"]))
    assert np.mean(errs) <= 0.03        # bench/video_synthetic.py: 0.02 m on this trial
    bad = CliRunner(mix_stderr=False).invoke(app, ["video", str(kp), "--distance", "1,2,3"])
    text = " ".join((bad.stdout + bad.stderr).split())
    assert bad.exit_code == 1 and "must be x1,y1,x2,y2,metres" in text
    none = CliRunner(mix_stderr=False).invoke(app, ["video", str(kp)])
    assert none.exit_code == 1 and "--distance" in " ".join((none.stdout + none.stderr).split())


def test_far_leg_of_the_demo_is_graded_lower(demo_pose):
    """The demo walks with its left side to the camera: the right leg's angles and stance %
    lose a grade, and so does any comparison of the two sides."""
    _, df, meta = demo_pose
    res = analyse_video_keypoints(df, meta, height_m=1.65)
    by_side = res.metadata["confidence_by_side"]
    assert by_side["left"]["knee_peak_swing_flexion_deg"] == "high"
    assert by_side["right"]["knee_peak_swing_flexion_deg"] == "moderate"
    assert by_side["right"]["stance_pct"] == "moderate"
    assert by_side["right"]["cadence_steps_min"] == "high"    # timing of contacts holds
    grade = {(f.code, f.side): f.confidence for f in res.findings}
    assert grade["gait.knee_peak_swing_flexion_deg", "right"] == "moderate"
    assert grade["gait.knee_peak_swing_flexion_deg", "left"] == "high"
    assert grade["gait.asymmetry.knee_peak_swing_flexion_deg", "bilateral"] == "moderate"
    assert any("right leg was the far side" in w for w in res.warnings)


def test_small_subject_lowers_the_grades(demo_pose, tmp_path):
    """The demo shrunk to 480 px wide: the walker's thigh + shank spans about 51 px (189 at
    full size; the model enlarges a person under ~256 px tall), the pose degrades (many swaps
    repaired, cadence off), and every grade drops by two; at full size no penalty."""
    import cv2

    from groundup.gait.confidence import MIN_LEG_PX
    from groundup.motion.video.keypoints import run_pose
    from groundup.motion.video.reader import iter_frames

    video, df, meta = demo_pose
    full = analyse_video_keypoints(df, meta, height_m=1.65)
    assert full.metadata["quality"]["leg_px"] > 1.5 * MIN_LEG_PX
    assert not any("small in the picture" in w for w in full.warnings)
    small = tmp_path / "small.mp4"
    out = None
    for f in iter_frames(video):
        h = int(round(f.image.shape[0] * 480 / f.image.shape[1])) // 2 * 2
        if out is None:
            out = cv2.VideoWriter(str(small), cv2.VideoWriter_fourcc(*"mp4v"), 30.0, (480, h))
        out.write(cv2.resize(f.image, (480, h), interpolation=cv2.INTER_AREA))
    out.release()
    res = analyse_video_keypoints(*run_pose(small), height_m=1.65)
    assert res.metadata["quality"]["leg_px"] < 0.6 * MIN_LEG_PX
    assert any("small in the picture" in w for w in res.warnings)
    # high -> low (two grades for the size), lower still with the swaps repaired here
    assert LEVELS.index(res.metadata["confidence"]["cadence_steps_min"]) >= LEVELS.index("low")
