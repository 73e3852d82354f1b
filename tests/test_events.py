"""Event detection against the force-plate-confirmed gold events in ../shared/data/gold."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from groundup.gait.evaluation import grade, load_gold, match_events
from groundup.gait.events.detect import detect_events
from groundup.gait.events.forceplate import force_plate_events
from groundup.gait.events.kinematic import DETECTORS
from groundup.gait.geometry import walking_frame
from groundup.motion.load import load_trial
from groundup.motion.trial import GaitEvent
from tests.conftest import DATA

GOLD = sorted((DATA / "gold").glob("*.json"))
pytestmark = pytest.mark.skipif(not GOLD, reason="needs ../shared/data/gold")


def _load(g):
    gold = load_gold(g)
    return gold, load_trial(DATA / gold["source_file"])


@pytest.mark.parametrize("g", GOLD, ids=[g.stem for g in GOLD])
def test_force_plate_events_match_gold(g):
    gold, trial = _load(g)
    events, _ = force_plate_events(trial)
    m = grade(events, gold["confirmed"], gold["all"], tolerance_s=0.01)
    assert (m.status == "match").sum() == len(gold["confirmed"])
    assert (m.status == "false").sum() == 0
    assert m.error_ms.abs().max() < 3.0


def _kinematic_table():
    rows = []
    for g in GOLD:
        gold, trial = _load(g)
        hidden = copy.copy(trial)
        hidden.force_plates = []
        wf = walking_frame(hidden)
        for name, det in DETECTORS.items():
            m = grade(det.detect(hidden, wf), gold["confirmed"], gold["all"])
            m["method"] = name
            rows.append(m)
    return pd.concat(rows, ignore_index=True)


@pytest.fixture(scope="module")
def kinematic():
    return _kinematic_table()


def test_groundup_detector_beats_zeni_on_initial_contact(kinematic):
    k = kinematic[(kinematic.method == "kinematic") & (kinematic.type == "IC")]
    z = kinematic[(kinematic.method == "zeni") & (kinematic.type == "IC")]
    k_mae = k[k.status == "match"].error_ms.abs().mean()
    z_mae = z[z.status == "match"].error_ms.abs().mean()
    assert k_mae < 0.8 * z_mae
    assert (k.status == "miss").sum() < (z.status == "miss").sum()
    # issue target: IC MAE <= 10 ms, no misses, no false events (measured 8.9 ms, bench/events.py)
    assert k_mae <= 10.0
    assert (k.status == "miss").sum() == 0
    assert (k.status == "false").sum() == 0


def test_groundup_detector_foot_off(kinematic):
    k = kinematic[(kinematic.method == "kinematic") & (kinematic.type == "FO")]
    # issue target: FO MAE <= 10 ms, no misses, no false events (measured 8.9 ms)
    assert k[k.status == "match"].error_ms.abs().mean() <= 10.0
    assert (k.status == "miss").sum() == 0
    assert (k.status == "false").sum() == 0


def test_zeni_is_early_at_initial_contact_as_published(kinematic):
    # Zeni's IC precedes plate contact (pyCGM2/gaitalytics: about 25 ms early on these files).
    z = kinematic[(kinematic.method == "zeni") & (kinematic.type == "IC")]
    assert z[z.status == "match"].error_ms.mean() < -10


def test_auto_mode_prefers_plates_and_fills_in_with_kinematics():
    g = DATA / "gold" / "exampleOverground.json"
    gold, trial = _load(g)
    events, _ = detect_events(trial, walking_frame(trial), "auto")
    methods = {e.method for e in events}
    assert methods == {"force-plate", "kinematic"}
    m = match_events(events, gold["confirmed"], tolerance_s=0.003)
    assert (m.status == "match").sum() == len(gold["confirmed"])
    # per foot, IC and FO alternate
    for side in ("left", "right"):
        kinds = [e.type for e in events if e.side == side]
        assert all(a != b for a, b in zip(kinds, kinds[1:], strict=False))


def test_match_events_hand_case():
    ref = [GaitEvent(side="left", type="IC", time_s=1.0, method="gold"),
           GaitEvent(side="left", type="IC", time_s=2.0, method="gold")]
    det = [GaitEvent(side="left", type="IC", time_s=1.02, method="x"),
           GaitEvent(side="left", type="IC", time_s=1.5, method="x")]
    m = match_events(det, ref, tolerance_s=0.05)
    assert sorted(m.status) == ["false", "match", "miss"]
    assert np.isclose(m[m.status == "match"].error_ms.iloc[0], 20.0)


@pytest.mark.parametrize("name, side, t_false", [
    # heel 105 mm up, moving 3.6 m/s, on its last tracked sample (checked by hand)
    ("sample26/Walking_Hybrid_1_1.c3d", "right", 3.739),
    # heel 170 mm up, moving about 3 m/s, lost mid-swing while the recording goes on
    ("sample09/PlugInC3D.c3d", "right", 4.481),
])
def test_no_contact_where_the_heel_marker_is_lost_in_swing(name, side, t_false):
    """A swing that ends because its marker leaves the capture volume is no initial contact
    (the false contact made a stride 15-20 % shorter than the others)."""
    path = next(DATA.joinpath("c3d").rglob(name.split("/")[-1]), None)
    if path is None:
        pytest.skip(f"{name} not in ../shared/data")
    trial = load_trial(path)
    events = DETECTORS["kinematic"].detect(trial, walking_frame(trial))
    ics = [e.time_s for e in events if e.type == "IC" and e.side == side]
    assert ics and min(abs(t - t_false) for t in ics) > 0.05
    from groundup.gait.analyse import analyse_trial
    strides = analyse_trial(trial, events="kinematic").strides
    same = strides[strides.side == side].stride_time_s
    assert (abs(same - same.median()) < 0.1 * same.median()).all()


def test_contact_of_a_swing_under_way_when_the_recording_starts():
    """exampleOverground starts with the right heel 48 mm up moving 2.1 m/s and landing 0.15 s
    later (checked by hand): that contact is found (a swing cut by the recording start is
    shorter than a full one), and the stride it opens is as long as the others."""
    path = next(DATA.joinpath("c3d").rglob("exampleOverground.c3d"), None)
    if path is None:
        pytest.skip("exampleOverground.c3d not in ../shared/data")
    trial = load_trial(path)
    events = DETECTORS["kinematic"].detect(trial, walking_frame(trial))
    first = min(e.time_s for e in events if e.type == "IC" and e.side == "right")
    assert 0.14 <= first - trial.first_frame / trial.rate <= 0.18
    from groundup.gait.analyse import analyse_trial
    strides = analyse_trial(trial, events="kinematic").strides
    assert strides.start_s.min() == pytest.approx(first)
    assert (abs(strides.stride_time_s - strides.stride_time_s.median())
            < 0.15 * strides.stride_time_s.median()).all()


def test_heights_of_a_gappy_marker_equal_filtering_all_three_coordinates():
    """The detector filters only the vertical coordinate of a marker whose samples are missing
    whole (x, y and z together); that must equal the vertical column of filtering all three."""
    from groundup.gait.events.kinematic import _heights
    from groundup.motion.trial import Trial
    from groundup.signal import lowpass

    rng = np.random.default_rng(2)
    x = np.cumsum(rng.normal(size=(300, 3)), axis=0) / 100
    x[40:47] = np.nan
    x[:3] = np.nan
    odd = x.copy()
    odd[100, 0] = np.nan  # one coordinate missing alone: the general path
    trial = Trial(points={"L_HEEL": x, "R_HEEL": odd}, rate=100.0)
    got = _heights(trial, ["L_HEEL", "R_HEEL"], 10.0)
    np.testing.assert_array_equal(got["L_HEEL"], lowpass(x, 100.0, 10.0)[:, 2])
    np.testing.assert_array_equal(got["R_HEEL"], lowpass(odd, 100.0, 10.0)[:, 2])
