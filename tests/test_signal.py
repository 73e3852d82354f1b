"""groundup.signal: the helpers equal the library functions they speed up."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import butter, sosfiltfilt

from groundup.signal import _sosfiltfilt, lowpass, percentile


@pytest.mark.parametrize("seed", range(20))
def test_filtfilt_equals_scipy(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(10, 1500))
    x = rng.normal(size=(n, 3)).cumsum(axis=0)
    sos = butter(2, float(rng.uniform(0.02, 0.9)), output="sos")
    padlen = min(3 * (2 * len(sos) + 1), n - 1)
    np.testing.assert_array_equal(_sosfiltfilt(sos, x, padlen),
                                  sosfiltfilt(sos, x, axis=0, padlen=padlen))
    np.testing.assert_array_equal(_sosfiltfilt(sos, x[:, 0], padlen),
                                  sosfiltfilt(sos, x[:, 0], axis=0, padlen=padlen))


@pytest.mark.parametrize("q", [0, 1, 5, 40, 50, 98, 99, 100, [1, 99]])
def test_percentile_equals_numpy(q):
    rng = np.random.default_rng(3)
    for _ in range(50):
        y = rng.normal(size=int(rng.integers(1, 500)))
        y[rng.random(y.size) < 0.2] = np.nan
        want = np.nanpercentile(y, q) if np.isfinite(y).any() else np.nan
        np.testing.assert_allclose(percentile(y, q), want, rtol=0, atol=1e-12)


def test_percentile_of_nothing_is_nan():
    assert np.isnan(percentile(np.array([np.nan, np.nan]), 50))
    assert np.isnan(percentile(np.array([]), [5, 95])).all()


def test_lowpass_keeps_gaps_and_removes_noise():
    t = np.arange(500) / 100.0
    clean = np.sin(2 * np.pi * 1.0 * t)
    noisy = clean + 0.2 * np.sin(2 * np.pi * 30.0 * t)
    noisy[200:205] = np.nan
    out = lowpass(noisy, 100.0, 6.0)
    assert np.isnan(out[200:205]).all()
    ok = np.isfinite(out)
    ok[:20] = ok[-20:] = False
    ok[190:215] = False  # the bridged gap itself
    assert np.abs(out[ok] - clean[ok]).max() < 0.02


def test_median_equals_numpy():
    from groundup.signal import median

    rng = np.random.default_rng(5)
    for _ in range(300):
        x = rng.normal(size=int(rng.integers(1, 800))) * 1000
        assert median(x) == float(np.median(x))
        quantised = np.round(x / 300.0) * 0.3  # few distinct values, as in ADC noise
        assert median(quantised) == float(np.median(quantised))
    assert np.isnan(median(np.array([])))
