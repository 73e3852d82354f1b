"""The synthetic walker: exact timing, planted feet, plausible heights and forces."""

from __future__ import annotations

import numpy as np
import pytest

from groundup.motion.synthetic.walk import NOTE, synthetic_walk
from groundup.motion.vocabulary import default_vocabulary

MARKERS = ["L_ASIS", "R_ASIS", "L_PSIS", "R_PSIS", "SACRUM"] + [
    f"{s}_{m}" for s in "LR" for m in ("THIGH", "KNEE", "TIBIA", "ANKLE", "HEEL", "TOE")]


@pytest.fixture(scope="module")
def trial():
    return synthetic_walk()


def _times(trial, side, typ):
    return np.array([e.time_s for e in trial.events if e.side == side and e.type == typ])


def _stances(trial, side):
    ic, fo = _times(trial, side, "IC"), _times(trial, side, "FO")
    return [(a, fo[fo > a][0]) for a in ic if (fo > a).any()]


def test_markers_metadata_and_events(trial):
    assert set(trial.points) == set(MARKERS)
    assert set(MARKERS) <= set(default_vocabulary().aliases.values())
    assert all(default_vocabulary().canonical(lab) == k for k, lab in trial.labels.items())
    assert all(v.shape == (trial.n_frames, 3) for v in trial.points.values())
    assert trial.rate == 100.0 and trial.first_frame == 0
    m = trial.metadata
    assert m["synthetic"] is True and m["note"] == NOTE and m["source"] == "synthetic"
    assert (m["vertical_axis"], m["height_m"]) == (2, 1.75)
    assert {e.method for e in trial.events} == {"synthetic-truth"}
    assert 0.95 < np.nanmean(trial.points["SACRUM"][:, 2]) < 1.05       # pelvis height, metres
    assert np.all(np.diff(trial.points["SACRUM"][:, 0]) > 0)            # walking along +x
    assert trial.points["L_ASIS"][:, 1].mean() > trial.points["R_ASIS"][:, 1].mean()  # y = left


@pytest.mark.parametrize("cadence", [112.0, 96.0])
def test_true_cadence_equals_the_requested_cadence(cadence):
    tr = synthetic_walk(cadence_steps_min=cadence, force_plates=False)
    for side in ("left", "right"):
        stride = np.diff(_times(tr, side, "IC"))
        assert len(stride) >= 5
        assert 120.0 / stride.mean() == pytest.approx(cadence, abs=1e-9)
    assert tr.metadata["true_spatiotemporal"]["cadence_steps_min"] == cadence


def test_stance_heel_is_planted(trial):
    heel, k = trial.points["R_HEEL"], 5  # speed from displacement over +/-50 ms
    speed = np.linalg.norm(heel[2 * k:] - heel[:-2 * k], axis=1) / (2 * k / trial.rate)
    t = trial.time[k:-k]
    for ic, fo in _stances(trial, "right"):
        mid = (t > ic + 0.3 * (fo - ic)) & (t < ic + 0.5 * (fo - ic))
        assert mid.sum() >= 5 and speed[mid].max() < 0.05
    clean = synthetic_walk(noise_m=0.0, force_plates=False).points["L_HEEL"]
    ic, fo = _stances(trial, "left")[1]
    i, j = int(round((ic + 0.2 * (fo - ic)) * 100)), int(round((ic + 0.5 * (fo - ic)) * 100))
    assert np.ptp(clean[i:j], axis=0).max() < 1e-9                      # exactly still


def test_heel_and_toe_heights(trial):
    flat = trial.metadata["foot_flat_heights_m"]
    for s in "LR":
        heel_z, toe_z = trial.points[f"{s}_HEEL"][:, 2], trial.points[f"{s}_TOE"][:, 2]
        assert abs(heel_z.min() - flat["HEEL"]) < 0.02
        assert abs(toe_z.min() - flat["TOE"]) < 0.02
        assert heel_z.min() > 0 and toe_z.min() > 0                     # never below the floor
        assert 0.15 < heel_z.max() < 0.35                               # heel rises in swing


def test_true_spatiotemporal_values(trial):
    st = trial.metadata["true_spatiotemporal"]
    T = 120 / 112
    assert st["stride_time_s"] == pytest.approx(T)
    assert st["stride_length_m"] == pytest.approx(1.3 * T)
    assert st["left"]["stance_pct"] == pytest.approx(60.0)
    assert st["double_support_pct"] == pytest.approx(20.0)
    # heel positions at consecutive contacts of one foot are one stride apart
    heel = trial.points["L_HEEL"][:, 0]
    x_ic = np.interp(_times(trial, "left", "IC"), trial.time, heel)
    assert np.diff(x_ic) == pytest.approx(np.full(len(x_ic) - 1, 1.3 * T), abs=0.005)


def test_asymmetry_shortens_the_left_stance():
    tr = synthetic_walk(asymmetry=0.1, force_plates=False)
    st = tr.metadata["true_spatiotemporal"]
    assert st["left"]["stance_pct"] == pytest.approx(54.0)               # 60 x (1 - 0.1)
    assert st["right"]["stance_pct"] == pytest.approx(63.0)              # + half the loss
    T = st["stride_time_s"]
    for side in ("left", "right"):
        durations = [fo - ic for ic, fo in _stances(tr, side)]
        assert np.mean(durations) / T * 100 == pytest.approx(st[side]["stance_pct"])
    assert st["right"]["step_time_s"] < st["left"]["step_time_s"]
    with pytest.raises(ValueError, match="asymmetry"):
        synthetic_walk(asymmetry=0.8)


def test_force_plates_under_two_footfalls(trial):
    assert [p.name for p in trial.force_plates] == ["FP1", "FP2"]
    bw = 75 * 9.81
    for plate, side in zip(trial.force_plates, ("right", "left"), strict=True):
        assert plate.rate == 1000.0 and plate.first_time_s == 0.0
        size = np.ptp(plate.corners, axis=0)
        assert size[:2] == pytest.approx([0.6, 0.4])
        fz = plate.vertical_force
        assert fz.max() == pytest.approx(1.1 * bw, rel=0.1)
        loaded = plate.time[fz > 20.0]
        ic = min((a, b) for a, b in _stances(trial, side) if abs(a - loaded[0]) < 0.05)
        assert loaded[0] == pytest.approx(ic[0], abs=0.01)
        assert loaded[-1] == pytest.approx(ic[1], abs=0.01)
        cop = plate.cop[np.isfinite(plate.cop[:, 0])]
        assert cop[-1, 0] - cop[0, 0] > 0.1                              # heel -> toe
        lo, hi = plate.corners.min(axis=0), plate.corners.max(axis=0)
        assert ((cop[:, :2] >= lo[:2]) & (cop[:, :2] <= hi[:2])).all()
        heel_x = np.interp(ic[0], trial.time, trial.points[f"{side[0].upper()}_HEEL"][:, 0])
        assert lo[0] < heel_x < hi[0]


def test_seed_controls_the_noise():
    a, b = synthetic_walk(seed=1), synthetic_walk(seed=1)
    c = synthetic_walk(seed=2)
    assert np.array_equal(a.points["L_TOE"], b.points["L_TOE"])
    diff = a.points["L_TOE"] - c.points["L_TOE"]
    assert 0.0003 < diff.std() < 0.001                                   # 0.5 mm each
    assert not synthetic_walk(force_plates=False).force_plates
