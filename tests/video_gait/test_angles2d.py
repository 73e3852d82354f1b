"""Sagittal angles from a side view: hand-computed values and the impossible-angle gate."""

from __future__ import annotations

import numpy as np
import pytest

from groundup.gait.angles2d import POSSIBLE_DEG, mean_pelvic_tilt, sagittal_angles
from groundup.motion.trial import Trial


def _leg_trial(n: int = 40) -> Trial:
    """A right leg facing image-right (x right, z up, metres): thigh 30 deg forward of
    straight down, shank vertical, foot flat, heel 0.05 m behind and toe 0.15 m ahead of the
    ankle."""
    hip = np.tile([0.0, 0.0, 0.9], (n, 1))
    knee = hip + [0.4 * np.sin(np.radians(30)), 0.0, -0.4 * np.cos(np.radians(30))]
    ankle = knee + [0.0, 0.0, -0.4]
    pts = {"R_HIP_CENTRE": hip, "R_KNEE_CENTRE": knee, "R_ANKLE": ankle,
           "R_HEEL": ankle + [-0.05, 0.0, -0.05], "R_TOE": ankle + [0.15, 0.0, -0.05]}
    return Trial(points=pts, rate=30.0)


def test_hand_computed_angles():
    trial = _leg_trial()
    angles, _ = sagittal_angles(trial, np.ones(trial.n_frames))
    np.testing.assert_allclose(angles["hip_flexion", "right"], 30.0 + mean_pelvic_tilt())
    np.testing.assert_allclose(angles["knee_flexion", "right"], 30.0)
    np.testing.assert_allclose(angles["ankle_dorsiflexion", "right"], 0.0, atol=1e-9)


def test_crossed_heel_and_toe_labels_are_dropped_not_reported():
    trial = _leg_trial()
    heel, toe = trial.points["R_HEEL"], trial.points["R_TOE"]
    heel[10:12], toe[10:12] = toe[10:12].copy(), heel[10:12].copy()   # foot reads backwards
    angles, notes = sagittal_angles(trial, np.ones(trial.n_frames))
    ankle = angles["ankle_dorsiflexion", "right"]
    # reversed foot: pitch 180 deg, an ankle angle no joint reaches
    assert POSSIBLE_DEG["ankle_dorsiflexion"][1] < 180.0
    assert np.isnan(ankle[10:12]).all()
    np.testing.assert_allclose(np.delete(ankle, [10, 11]), 0.0, atol=1e-9)
    assert any("2 frame(s) outside -70 to 50 deg" in s for s in notes)
    np.testing.assert_allclose(angles["knee_flexion", "right"], 30.0)


@pytest.mark.parametrize("var", sorted(POSSIBLE_DEG))
def test_bounds_contain_normal_gait(var):
    # the gate must never cut a normal gait curve (gait_norm_curves.yaml, mean +- 3 SD)
    from groundup.gait.norms import norm_curve

    lo, hi = POSSIBLE_DEG[var]
    _, mean, sd = norm_curve(var)
    assert lo < np.min(mean - 3 * sd) and np.max(mean + 3 * sd) < hi


# (gold trial, camera seed): sample09 at seed 2 ends with a swap, a collapse and dropouts at
# once, which crossed the right foot's heel and toe labels for two frames (ankle 175 deg).
@pytest.mark.parametrize("name,seed", [("exampleOverground", 0), ("sample00_MAC_Walk1", 0),
                                       ("sample09_PlugInC3D", 2)])
def test_semi_synthetic_angles_within_targets(name, seed):
    """Issue targets against the 3-D marker angles: knee RMSE <= 3 deg, ankle <= 5 deg."""
    import sys
    from pathlib import Path

    from groundup.gait.evaluation import load_gold
    from groundup.motion.load import load_trial
    from tests.conftest import data_file

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    import video_synthetic as bench

    gold = load_gold(data_file(f"gold/{name}.json"))
    row = bench.evaluate(load_trial(data_file(gold["source_file"])), gold, "side", seed=seed)
    assert row["knee_rmse"] <= 3.0
    assert row["ankle_rmse"] <= 5.0
