"""The HTML gait report and its figures, from a GaitResult built by hand."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from groundup.gait import plots
from groundup.gait.norms import compare, norm_curve
from groundup.gait.result import GaitResult
from groundup.gait.symmetry import symmetry_table
from groundup.motion.trial import GaitEvent
from groundup.report import write_gait_report

SUMMARY = {"cadence_steps_min": 112.4, "speed_m_s": 1.31,
           "left": {"stride_length_m": 1.39, "stance_pct": 56.2, "step_time_s": 0.561},
           "right": {"stride_length_m": 1.40, "stance_pct": 62.8, "step_time_s": 0.507}}


def _kinematics() -> pd.DataFrame:
    rows = []
    for var in ("hip_flexion", "knee_flexion", "ankle_dorsiflexion"):
        pct, mean, _ = norm_curve(var)
        for side, offset in (("left", -3.0), ("right", 2.0)):
            for cycle in range(3):
                rows.append(pd.DataFrame({"variable": var, "side": side, "cycle": cycle,
                                          "pct": pct, "value_deg": mean + offset + cycle,
                                          "origin": "markers"}))
    return pd.concat(rows, ignore_index=True)


def _result(*, synthetic: bool = True) -> GaitResult:
    events = []
    for k in range(3):
        t = 0.2 + 1.07 * k
        events += [GaitEvent(side="right", type="IC", time_s=t, method="force-plate"),
                   GaitEvent(side="right", type="FO", time_s=t + 0.67, method="force-plate"),
                   GaitEvent(side="left", type="IC", time_s=t + 0.53, method="zeni"),
                   GaitEvent(side="left", type="FO", time_s=t + 1.13, method="oconnor")]
    strides = pd.DataFrame({"side": ["left", "right"], "stance_pct": [56.2, 62.8]})
    return GaitResult(
        trial="walk<01>", source="synthetic" if synthetic else "c3d", events=events,
        strides=strides, spatiotemporal=SUMMARY, kinematics=_kinematics(),
        symmetry=symmetry_table(
            {k: v for k, v in SUMMARY["left"].items()}, dict(SUMMARY["right"])),
        norms=compare(SUMMARY, age=45, sex="male"),
        warnings=["left trunk lean not computed: <b>no C7</b> & no T10"],
        metadata={"synthetic": synthetic})


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    path = write_gait_report(_result(), out)
    return path, path.read_text(encoding="utf-8")


def test_report_is_written_with_banner_and_values(report):
    path, html = report
    assert path.name == "gait_report.html"
    assert 'class="banner">SYNTHETIC DATA' in html
    assert "112.4" in html                                            # cadence
    assert "1.31" in html and "1.43 ± 0.20" in html                   # speed vs Bohannon 45 y man
    assert "0.561" in html and "0.507" in html                         # step time per side
    assert "UNVERIFIED" in html
    assert "Bohannon RW, Andrews AW 2011, Physiotherapy" in html
    assert "does not replace" in html
    assert "force-plate" in html and "zeni" in html and "oconnor" in html


def test_report_is_self_contained(report):
    _, html = report
    assert "http" not in html                                          # no URL at all
    assert not re.search(r"<link|<script|<img|<iframe|@import|url\((?!#)", html)
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html
    assert html.count("<svg") == 5                       # 3 curves + symmetry + events
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))                                   # figures do not clash
    for ref in set(re.findall(r'(?:href="#|url\(#)([^")]+)', html)):
        assert ref in ids


def test_text_is_escaped(report):
    _, html = report
    assert "walk&lt;01&gt;" in html and "walk<01>" not in html
    assert "&lt;b&gt;no C7&lt;/b&gt; &amp; no T10" in html and "<b>no C7</b>" not in html


def test_real_data_has_no_banner(tmp_path):
    html = write_gait_report(_result(synthetic=False), tmp_path).read_text(encoding="utf-8")
    assert "SYNTHETIC" not in html
    assert "112.4" in html


def test_report_from_an_empty_result(tmp_path):
    html = write_gait_report(GaitResult(trial="t", source="c3d"), tmp_path).read_text()
    assert "No gait events" in html and "<svg" not in html


def test_plots_write_one_figure_per_variable(tmp_path):
    res = _result()
    paths = plots.plot_curves(res, tmp_path, formats=("svg", "png"))
    assert sorted(p.name for p in paths) == ["curve_ankle_dorsiflexion.svg",
                                             "curve_hip_flexion.svg", "curve_knee_flexion.svg"]
    assert (tmp_path / "curve_knee_flexion.png").stat().st_size > 1000
    svg = paths[0].read_text()
    assert svg.startswith("<?xml") and "<svg" in svg
    assert plots.plot_symmetry(res, tmp_path).name == "symmetry.svg"
    assert plots.plot_events(res, tmp_path).name == "events.svg"
    empty = GaitResult(trial="t", source="c3d")
    assert plots.plot_curves(empty, tmp_path) == []
    assert plots.plot_symmetry(empty, tmp_path) is None
    assert plots.plot_events(empty, tmp_path) is None


def test_svg_output_is_deterministic(tmp_path):
    a = plots.plot_events(_result(), tmp_path / "a").read_bytes()
    b = plots.plot_events(_result(), tmp_path / "b").read_bytes()
    assert a == b
    assert np.isfinite(_result().symmetry.si_pct).all()
