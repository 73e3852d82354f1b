"""Reference bands and curves: exact values from the data files, hand-computed z-scores."""

from __future__ import annotations

import math

import numpy as np
import pytest

from groundup.gait.norms import (
    band_for,
    compare,
    curve_variables,
    load_norm_curves,
    load_norms,
    norm_curve,
)

REQUIRED = ["speed_m_s", "cadence_steps_min", "stride_length_m", "step_length_m", "step_width_m",
            "stance_pct", "swing_pct", "double_support_pct", "stride_time_cv_pct",
            "pelvic_obliquity_range_deg", "foot_progression_deg", "knee_peak_swing_flexion_deg",
            "hip_peak_extension_deg", "ankle_peak_dorsiflexion_deg", "hip_flexion_ic_deg"]


def test_every_requested_metric_has_a_band():
    for metric in REQUIRED:
        band = band_for(metric)
        assert math.isfinite(band.mean) and band.sd > 0 and band.lower < band.upper, metric
        assert band.source and band.unit


@pytest.mark.parametrize(("age", "sex", "mean"), [
    (45, "male", 1.43), (45, "m", 1.43), (25, "female", 1.34), (45, "female", 1.39),
    (65, "male", 1.34), (85, "female", 0.94), (29.9, "male", 1.36), (30, "male", 1.43)])
def test_bohannon_2011_speed_by_decade_and_sex(age, sex, mean):
    band = band_for("speed_m_s", age=age, sex=sex)
    assert band.mean == mean
    assert "Bohannon" in band.source and "Physiotherapy" in band.source
    assert band.verified is False  # the decade SD is assumed, so the band is not verified


def test_speed_without_age_or_sex_falls_back():
    assert band_for("speed_m_s").mean == 1.37                    # Perry, adult mean
    older = band_for("speed_m_s", age=65)                        # Kasovic 2021, >= 60 y
    assert (older.mean, older.sd, older.verified) == (1.24, 0.28, True)
    assert band_for("speed_m_s", sex="female").mean == 1.37      # no sex-only speed band


def test_provisional_older_adult_defaults_are_not_used_for_patients():
    assert band_for("cadence_steps_min", age=75).mean == 113
    assert band_for("stance_pct", age=80).mean == 60


def test_z_score_and_flag_hand_computed():
    df = compare({"speed_m_s": 1.23, "step_width_m": 0.15}, age=45, sex="male")
    speed = df[df.metric == "speed_m_s"].iloc[0]
    assert speed.z == pytest.approx((1.23 - 1.43) / 0.20)               # -1.0
    assert speed.lower == pytest.approx(1.43 - 1.96 * 0.20)             # 1.038
    assert (speed.side, speed.flag) == ("none", "normal")
    width = df[df.metric == "step_width_m"].iloc[0]
    assert width.z == pytest.approx((0.15 - 0.10) / 0.0255)             # 1.96, explicit band
    assert (width.upper, width.flag) == (0.127, "high")
    low = compare({"speed_m_s": 0.9}, age=45, sex="male").iloc[0]
    assert low.z == pytest.approx(-2.65) and low.flag == "low"


def test_per_side_values_and_gait_result_shape():
    df = compare({"stance_pct": {"left": 56.0, "right": 62.0}})
    assert df.side.tolist() == ["left", "right"]
    assert df.z.tolist() == pytest.approx([-2.0, 1.0])
    assert df.flag.tolist() == ["low", "normal"]                         # lower = 56.08
    summary = {"n_strides": 6, "cadence_steps_min": 113.0,
               "left": {"stance_pct": 60.0, "step_time_s": 0.531}, "right": {"stance_pct": 60.0}}
    df = compare(summary)
    assert set(zip(df.metric, df.side, strict=True)) == {
        ("cadence_steps_min", "none"), ("stance_pct", "left"), ("step_time_s", "left"),
        ("stance_pct", "right")}
    assert (df.z.abs() < 1e-9).all()
    assert list(df.columns[:11]) == ["metric", "side", "value", "mean", "sd", "lower", "upper",
                                     "z", "flag", "source", "verified"]


def test_missing_values_and_unknown_metrics():
    df = compare({"speed_m_s": float("nan"), "n_strides": 4}, include_unknown=True)
    assert df.set_index("metric").flag.to_dict() == {"speed_m_s": "n/a", "n_strides": "n/a"}
    assert compare({"n_strides": 4}).empty
    with pytest.raises(KeyError, match="known"):
        band_for("no_such_metric")
    with pytest.raises(ValueError, match="sex"):
        band_for("speed_m_s", sex="x")


def test_unverified_entries_are_marked_false():
    norms = load_norms()["norms"]
    for e in norms:
        if "UNVERIFIED" in e["note"] or e.get("derived"):
            assert e["verified"] is False, e
        if e["verified"]:
            assert e["source_verified"] and not e["derived"], e
    by = {(e["metric"], e.get("sex")): e for e in norms if "age" not in e}
    assert by[("stride_time_cv_pct", None)]["verified"] is False
    assert by[("stride_length_m", "male")]["source_verified"] is False          # Perry, UNVERIFIED
    assert by[("pelvic_obliquity_range_deg", None)]["source_verified"] is False  # Kadaba magnitude
    sym = load_norms()["symmetry"]
    assert sym["ratio_upper_normal"]["verified"] is False                        # Patterson 2010
    assert sym["si_normal_convention"]["verified"] is False
    assert band_for("stride_time_cv_pct").verified is False


def test_load_norms_returns_a_copy():
    data = load_norms()
    data["norms"].clear()
    assert load_norms()["norms"]


def test_norm_curves_hit_their_key_values_and_are_periodic():
    assert set(curve_variables()) == {"hip_flexion", "knee_flexion", "ankle_dorsiflexion",
                                      "pelvic_tilt", "pelvic_obliquity"}
    curves = load_norm_curves()
    assert curves["verified"] is False and "Fukuchi" in curves["replace_with"]
    for var in curve_variables():
        pct, mean, sd = norm_curve(var)
        assert pct.tolist() == list(range(101)) and mean.shape == sd.shape == (101,)
        assert mean[0] == pytest.approx(mean[100]) and (sd > 0).all()
        for p in curves["variables"][var]["points"]:
            assert mean[p["pct"]] == pytest.approx(p["mean"]), (var, p)
        keys = [p["mean"] for p in curves["variables"][var]["points"]]
        fine = norm_curve(var, pct=np.linspace(0, 100, 2001))[1]
        assert fine.max() == pytest.approx(max(keys)) and fine.min() == pytest.approx(min(keys))
    knee = norm_curve("knee_flexion")[1]
    assert knee.max() == pytest.approx(62.5) and int(np.argmax(knee)) == 72
    assert norm_curve("hip_flexion")[1][50] == pytest.approx(-12.5)
    assert norm_curve("hip_flexion", pct=[150.0])[1][0] == pytest.approx(-12.5)  # wraps
    with pytest.raises(KeyError, match="known"):
        norm_curve("elbow_flexion")
