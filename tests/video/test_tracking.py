"""Subject selection on synthetic tracks: the walker beats someone exercising in place."""

from __future__ import annotations

import numpy as np

from groundup.motion.video.tracking import Box, Follower, SubjectSelector


def _feed(selector, frames, person_index=None):
    choice = None
    for f in frames:
        walker = Box(1500 - 9 * f, 500, 200, 460)  # walks image-left, 9 px/frame
        jumper = Box(500, 40 + 30 * np.sin(f / 3), 250, 420)  # jumps in place
        selector.update(f, [jumper, walker])
        choice = selector.decide(f)
        if choice is not None:
            return f, choice
    return None, choice


def test_walker_is_chosen_over_jumper():
    frame, choice = _feed(SubjectSelector(fps=30), range(0, 120))
    assert choice is not None and choice.method == "motion"
    assert choice.box.center[0] > 1000  # the walker's track, seen from its first frame
    assert choice.confidence > 0.8
    assert frame < 40  # 0.35 body heights at 9 px/frame ≈ 18 frames
    assert len(choice.candidates) == 2 and choice.candidates[1]["score"] < 0.1


def test_user_can_take_the_other_candidate():
    _, choice = _feed(SubjectSelector(fps=30, person=1), range(0, 120))
    assert choice.method == "person" and choice.confidence == 1.0
    assert choice.box.center[0] < 800  # the jumper


def test_nobody_walking_gives_a_low_confidence_choice_after_the_wait():
    sel = SubjectSelector(fps=30, max_wait_s=1.0)
    choice = None
    for f in range(60):
        sel.update(f, [Box(500, 40 + 5 * np.sin(f), 250, 420)])
        choice = choice or sel.decide(f)
    assert choice is not None and choice.confidence < 0.3


def test_follower_moves_with_keypoints_and_gets_lost():
    fol = Follower(Box(900, 500, 200, 460), (1768, 994), max_misses=3)
    xy = np.column_stack([np.linspace(850, 1050, 33), np.linspace(480, 960, 33)])
    vis = np.ones(33)
    fol.update(xy, vis)
    x0, y0, x1, y1 = fol.crop()
    assert x0 < 850 and x1 > 1050 and y0 < 480 and y1 <= 994
    for _ in range(3):
        fol.update(None, None)
    assert fol.lost


def test_motion_detector_sees_every_frame_whatever_the_main_thread_does():
    """The decoding thread's hook runs the (stateful) background subtraction on every frame,
    so its result cannot depend on how far decoding runs ahead of the pose model (it used to
    pause once the subject was chosen: the same video gave 15 or 16 events from run to run)."""
    from types import SimpleNamespace

    from groundup.motion.video.look import Lighting
    from groundup.motion.video.pipeline import _prepare

    seen = []

    class Counting:
        def detect(self, image):
            seen.append(image.shape)
            return [Box(1.0, 2.0, 3.0, 8.0)]

    prepare = _prepare(Counting(), 64, Lighting())
    frames = [SimpleNamespace(index=i, image=np.zeros((48, 64, 3), np.uint8)) for i in range(12)]
    out = [prepare(f) for f in frames]
    assert len(seen) == 12
    assert all(len(boxes) == 1 and boxes[0].h == 8.0 for _, scale, boxes in out if scale == 1.0)
