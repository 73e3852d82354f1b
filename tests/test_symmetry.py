"""Symmetry index (Robinson 1987) and ratio (Patterson 2010): hand-computed cases."""

from __future__ import annotations

import math

import pytest

from groundup.gait.symmetry import si_flag, symmetry_index, symmetry_ratio, symmetry_table


def test_hand_computed_step_length_case():
    row = symmetry_table({"step_length_m": 0.5}, {"step_length_m": 0.6}).iloc[0]
    assert row.si_pct == pytest.approx(0.1 / 0.55 * 100)      # 18.18 %
    assert round(row.si_pct, 2) == 18.18
    assert row.ratio == pytest.approx(1.2)
    assert (row.flag, row.larger_side) == ("clear", "right")


def test_sign_follows_the_larger_side():
    row = symmetry_table({"stance_pct": 62.0}, {"stance_pct": 56.0}).iloc[0]
    assert row.si_pct == pytest.approx(-6.0 / 59.0 * 100)     # -10.17 %
    assert row.ratio == pytest.approx(62 / 56)
    assert (row.flag, row.larger_side) == ("clear", "left")
    row = symmetry_table({"stance_pct": 60.0}, {"stance_pct": 63.0}).iloc[0]
    assert row.si_pct == pytest.approx(3 / 61.5 * 100)        # 4.88 %
    assert row.flag == "normal"


@pytest.mark.parametrize(("si", "flag"), [
    (0.0, "normal"), (5.0, "normal"), (5.01, "mild"), (-7.0, "mild"), (10.0, "mild"),
    (10.01, "clear"), (20.0, "clear"), (20.01, "marked"), (-35.0, "marked"),
    (float("nan"), "n/a")])
def test_engine_thresholds_on_absolute_si(si, flag):
    assert si_flag(si) == flag


def test_zeros_nan_and_signed_values():
    assert symmetry_index(0.0, 0.0) == 0.0 and symmetry_ratio(0.0, 0.0) == 1.0
    assert symmetry_index(0.0, 1.0) == pytest.approx(200.0)
    assert symmetry_ratio(0.0, 1.0) == math.inf
    assert math.isnan(symmetry_index(float("nan"), 1.0))
    assert math.isnan(symmetry_ratio(1.0, float("nan")))
    assert math.isnan(symmetry_index(-2.0, 3.0))               # crosses zero: undefined
    assert symmetry_index(-10.0, -12.0) == pytest.approx(-2 / -11 * 100)  # larger magnitude R
    assert symmetry_ratio(-10.0, -12.0) == pytest.approx(1.2)


def test_table_rows_for_missing_and_degenerate_metrics():
    df = symmetry_table({"a": 1.0, "b": 0.0, "c": None, "d": -1.0},
                        {"a": 1.0, "b": 0.0, "d": 2.0, "e": 3.0}).set_index("metric")
    assert list(df.index) == ["a", "b", "c", "d", "e"]
    assert df.loc["a", ["si_pct", "ratio", "flag", "larger_side"]].tolist() == [
        0.0, 1.0, "normal", "equal"]
    assert df.loc["b", "flag"] == "normal"
    for m in ("c", "d", "e"):
        assert df.loc[m, "flag"] == "n/a" and df.loc[m, "larger_side"] is None
    assert list(df.reset_index().columns) == ["metric", "left", "right", "si_pct", "ratio",
                                              "flag", "larger_side"]
