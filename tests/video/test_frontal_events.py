"""Back/front-view gait events (groundup.gait.video_frontal_events): hand-built image motion
with known event frames, and the plate-confirmed gold events of real walks filmed from behind."""

from __future__ import annotations

import numpy as np
import pytest

from groundup.gait.evaluation import load_gold
from groundup.gait.events.kinematic import FootContact
from groundup.gait.geometry import WalkingFrame
from groundup.gait.video_events import image_motion_trial, video_walking_frame
from groundup.gait.video_frontal_events import frontal_events
from groundup.motion.load import load_trial
from groundup.motion.trial import Trial
from groundup.motion.video.clean import clean_keypoints, to_wide
from groundup.motion.video.project import VirtualCamera, project_trial
from groundup.motion.video.scale import scale_from_height
from groundup.motion.video.to_trial import keypoints_to_trial
from groundup.motion.video.view import detect_view
from tests.conftest import data_file

RATE = 30.0
N = 150
STARTS = (20, 55, 90)          # frame at which each step's toe starts to rise
FC = FootContact(hover_mm=np.inf)


def _ramp(t0: float, length: float, v0: float, v1: float) -> np.ndarray:
    """Raised-cosine change from ``v0`` (up to frame ``t0``) to ``v1`` (from ``t0 + length``)."""
    s = np.clip((np.arange(N) - t0) / length, 0.0, 1.0)
    return v0 + (v1 - v0) * (1.0 - np.cos(np.pi * s)) / 2.0


def _trial(image_up: dict[str, np.ndarray]) -> Trial:
    """A trial whose points move up the image with the given velocities (trapezoid sums, so
    the detector's central differences are centred on the frames)."""
    pts = {}
    for name, v in image_up.items():
        p = np.zeros((N, 3))
        p[1:, 2] = np.cumsum(0.5 * (v[1:] + v[:-1])) / RATE
        pts[name] = p
    return Trial(points=pts, rate=RATE)


def _frame(away: float) -> WalkingFrame:
    fwd = np.zeros((N, 3))
    fwd[:, 1] = away
    return WalkingFrame(vertical=2, forward=fwd, pelvis=np.zeros((N, 3)), treadmill=False,
                        pelvis_speed_m_s=1.0, turns=0)


def _back_steps(amps, drop=0.4):
    """Seen from behind: the toe rises over 6 frames (its acceleration peaks 3 frames in),
    moves up the image through the swing, then over 4 frames falls from ``a`` to
    ``-drop * a`` (the forefoot lowering after contact) and is still again 3 frames later.
    The heel lifts 5 frames before the toe and stalls 5 frames before contact (it descends
    along the line of sight)."""
    heel, toe = np.zeros(N), np.zeros(N)
    idx = np.arange(N)
    for t0, a in zip(STARTS, amps, strict=True):
        t1 = t0 + 14
        toe += np.where(idx < t1, _ramp(t0, 6, 0, a), 0.0)
        toe += np.where(idx >= t1, _ramp(t1, 4, a, -drop * a) + _ramp(t1 + 4, 3, 0, drop * a),
                        0.0)
        heel += _ramp(t0 - 5, 5, 0, a) - _ramp(t1 - 7, 4, 0, a)
    return heel, toe


def _times(events, etype):
    return [e.time_s * RATE for e in events if e.type == etype]


def test_back_view_contact_when_the_toe_stops_receding_at_every_distance():
    # amplitudes shrink as the walker recedes (depth motion ~ 1/distance)
    heel, toe = _back_steps((1.5, 0.9, 0.5))
    ev = frontal_events(_trial({"L_HEEL": heel, "L_TOE": toe}), _frame(1.0), FC,
                        np.ones(N, bool))
    # toe velocity a -> -0.4 a as a raised cosine over 4 frames: zero at 4 * acos(2*0.4/1.4 - 1)/pi
    ic_offset = 14 + 4 * np.arccos(2 * 0.4 / 1.4 - 1) / np.pi          # 14.564 frames
    assert [e.type for e in ev] == ["FO", "IC"] * 3
    assert _times(ev, "FO") == pytest.approx([t + 3 for t in STARTS], abs=0.25)
    assert _times(ev, "IC") == pytest.approx([t + ic_offset for t in STARTS], abs=0.25)
    assert {e.detail["marker"] for e in ev} == {"L_TOE"}
    assert all(e.side == "left" and e.detail["frontal-view"] for e in ev)


def test_front_view_contact_when_the_heel_stops_approaching():
    # image-down is the walking direction; amplitudes grow as the walker approaches
    heel, toe = np.zeros(N), np.zeros(N)
    for t0, a in zip(STARTS, (0.5, 0.9, 1.5), strict=True):
        toe += _ramp(t0, 6, 0, a) - _ramp(t0 + 17, 4, 0, a)     # toe keeps moving after contact
        heel += _ramp(t0 - 2, 6, 0, a) - _ramp(t0 + 11, 6, 0, a)
    ev = frontal_events(_trial({"L_HEEL": -heel, "L_TOE": -toe}), _frame(-1.0), FC,
                        np.ones(N, bool))
    # heel: falls through 17 % of its swing peak at 6 * acos(2*0.17 - 1)/pi frames into its
    # 6-frame stop; toe: rises through 25 % at 6 * acos(1 - 2*0.25)/pi = 2 frames into its lift
    ic_offset = 11 + 6 * np.arccos(2 * 0.17 - 1) / np.pi                # 15.377 frames
    assert [e.type for e in ev] == ["FO", "IC"] * 3
    assert _times(ev, "FO") == pytest.approx([t + 2 for t in STARTS], abs=0.25)
    assert _times(ev, "IC") == pytest.approx([t + ic_offset for t in STARTS], abs=0.25)
    assert [e.detail["marker"] for e in ev] == ["L_TOE", "L_HEEL"] * 3


def test_foot_entering_the_picture_in_swing_gets_its_contact_only():
    heel, toe = _back_steps((1.5, 0.9, 0.5))
    tr = _trial({"L_HEEL": heel, "L_TOE": toe})
    for p in tr.points.values():
        p[:STARTS[0] + 11] = np.nan        # below the image until 3.6 frames before contact
    ev = frontal_events(tr, _frame(1.0), FC, np.ones(N, bool))
    ic_offset = 14 + 4 * np.arccos(2 * 0.4 / 1.4 - 1) / np.pi
    assert [e.type for e in ev] == ["IC", "FO", "IC", "FO", "IC"]
    assert _times(ev, "IC") == pytest.approx([t + ic_offset for t in STARTS], abs=0.25)


def test_no_event_while_part_of_the_foot_is_out_of_the_picture():
    heel, toe = _back_steps((1.5, 0.9, 0.5))
    tr = _trial({"L_HEEL": heel, "L_TOE": toe})
    tr.points["L_HEEL"][STARTS[1] + 10:STARTS[1] + 20] = np.nan    # 1/3 s around 2nd contact
    ev = frontal_events(tr, _frame(1.0), FC, np.ones(N, bool))
    ics = _times(ev, "IC")
    assert len(ics) == 2 and not any(abs(t - (STARTS[1] + 14.6)) < 3 for t in ics)


def test_events_only_inside_the_frontal_frames():
    heel, toe = _back_steps((1.5, 0.9, 0.5))
    frames = np.zeros(N, bool)
    frames[50:] = True
    ev = frontal_events(_trial({"L_HEEL": heel, "L_TOE": toe}), _frame(1.0), FC, frames)
    assert [e.type for e in ev] == ["FO", "IC", "FO", "IC"]


def _in_view(df, meta, side: str, frame: int) -> bool:
    """The foot (heel and toe) is inside the picture at the event and tracked (not in one of
    the camera's dropout bursts) over the frames the event is timed from: from behind, the
    toe's motion up to 2 frames after the contact (a dropout there leaves the contact to the
    gap's bridge: sample09's right contact at frame 33.1 under a toe dropout from frame 35
    comes out 1.3-1.6 frames late, 0.8 without it)."""
    sel = df[(df.frame >= frame - 1) & (df.frame <= frame + 1)
             & df.landmark.isin([f"{side}_heel", f"{side}_foot_index"])]
    inside = ((sel.x_px >= 0) & (sel.x_px < meta["width"]) & (sel.y_px >= 0)
              & (sel.y_px < meta["height"]))
    near = df[(df.frame >= frame - 2) & (df.frame <= frame + 2)
              & df.landmark.isin([f"{side}_heel", f"{side}_foot_index"])]
    return (sel.frame.nunique() == 3 and bool(inside.all())
            and bool((near.visibility >= 0.5).all()))


@pytest.mark.parametrize("name", ["Rajagopal_walk_motion_capture_walk",
                                  "sample00_IST_Gait_with_EMG", "sample06_newwalk",
                                  "sample09_PlugInC3D"])
def test_back_view_finds_every_visible_plate_event(name):
    """Filmed from 2 m behind (noise, dropouts, swaps): every plate-confirmed IC and FO whose
    foot is in the picture has a detected event of that foot within 50 ms, and per foot the
    events alternate IC/FO (no double or spurious ones)."""
    gold = load_gold(data_file(f"gold/{name}.json"))
    trial = load_trial(data_file(gold["source_file"]))
    df, meta = project_trial(trial, VirtualCamera(view="back", distance_m=2.0,
                                                  dropout_rate=0.01, swap_rate=0.03))
    kp = clean_keypoints(to_wide(df, meta))
    vi = detect_view(kp, view="back")
    sc = scale_from_height(kp, 1.7, constant=False)
    im = image_motion_trial(keypoints_to_trial(kp, sc, vi), sc.px_per_m)
    ev = frontal_events(im, video_walking_frame(im, vi), FC, np.ones(im.n_frames, bool))
    seen = [g for g in gold["confirmed"]
            if _in_view(df, meta, g.side, round((g.time_s - meta["t0_s"]) * RATE))]
    assert len(seen) >= 3
    for g in seen:
        err = min(abs(e.time_s - (g.time_s - meta["t0_s"])) for e in ev
                  if e.side == g.side and e.type == g.type)
        assert err <= 0.05, (g.side, g.type, g.time_s)
    for side in ("left", "right"):
        types = [e.type for e in ev if e.side == side]
        assert all(a != b for a, b in zip(types[:-1], types[1:], strict=True))


@pytest.mark.parametrize("name", ["Rajagopal_walk_motion_capture_walk",
                                  "sample00_IST_Gait_with_EMG", "sample00_MAC_Walk1",
                                  "sample09_PlugInC3D"])
def test_back_view_pipeline_keeps_a_contact_while_the_other_foot_enters(name):
    """Through the whole video pipeline: a plate-confirmed contact whose foot is in the picture
    is kept even when the other foot is still below it (the first contact of each of these
    walks; it was dropped while either foot was at the image edge)."""
    from groundup.gait.video import analyse_video_keypoints

    gold = load_gold(data_file(f"gold/{name}.json"))
    trial = load_trial(data_file(gold["source_file"]))
    df, meta = project_trial(trial, VirtualCamera(view="back", distance_m=2.0,
                                                  dropout_rate=0.01, swap_rate=0.03))
    res = analyse_video_keypoints(df, meta, height_m=1.70, view="back")
    seen = [g for g in gold["confirmed"] if g.type == "IC"
            and _in_view(df, meta, g.side, round((g.time_s - meta["t0_s"]) * RATE))]
    assert seen
    for g in seen:
        err = min((abs(e.time_s - (g.time_s - meta["t0_s"])) for e in res.events
                   if e.side == g.side and e.type == "IC"), default=np.inf)
        assert err <= 0.05, (g.side, g.time_s)
