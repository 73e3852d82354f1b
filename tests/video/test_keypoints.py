"""Keypoint table: exact columns and dtypes, exact CSV and Parquet round trips."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from groundup.errors import GroundupError, RecordingError
from groundup.motion.video.keypoints import COLUMNS, build_table, load_keypoints, save_keypoints
from groundup.motion.video.pose import LANDMARK_NAMES, PoseResult

META = {"video": "walk.mp4", "width": 1768, "height": 994, "fps_nominal": 30.0,
        "rotation_deg": 0, "model": "full", "subject": {"confidence": 0.8, "selections": []}}


def _table(n: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    poses = [PoseResult(rng.uniform(0, 1800, (33, 2)), rng.normal(0, 50, 33),
                        rng.uniform(0, 1, 33), rng.normal(0, 0.5, (33, 3))) for _ in range(n)]
    frames = [3, 4, 7, 8, 9][:n]
    return build_table(frames, [f / 30 for f in frames], poses)


def test_table_layout():
    df = _table()
    assert tuple(df.columns) == COLUMNS
    assert len(df) == 5 * 33
    assert list(df["landmark"].iloc[:33]) == list(LANDMARK_NAMES)
    assert {"left_heel", "right_foot_index"} <= set(df["landmark"])
    assert df["frame"].dtype == np.int64 and df["x_px"].dtype == np.float64
    assert df.loc[df.frame == 7, "time_s"].iloc[0] == pytest.approx(7 / 30)


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_round_trip_is_exact(tmp_path, suffix):
    df = _table()
    path = save_keypoints(df, META, tmp_path / f"kp{suffix}")
    back, meta = load_keypoints(path)
    pd.testing.assert_frame_equal(back, df, check_exact=True)
    assert meta["video"] == "walk.mp4" and meta["subject"]["confidence"] == 0.8
    assert meta["format_version"] == 1


def test_empty_table_round_trips(tmp_path):
    df = build_table([], [], [])
    back, _ = load_keypoints(save_keypoints(df, {}, tmp_path / "e.parquet"))
    assert tuple(back.columns) == COLUMNS and len(back) == 0


def test_bad_files(tmp_path):
    with pytest.raises(GroundupError, match="parquet"):
        save_keypoints(_table(), {}, tmp_path / "kp.xlsx")
    with pytest.raises(RecordingError, match="not found"):
        load_keypoints(tmp_path / "none.parquet")
    (tmp_path / "x.csv").write_text("frame,time_s\n1,0.1\n")
    with pytest.raises(RecordingError, match="lacks columns"):
        load_keypoints(tmp_path / "x.csv")
    (tmp_path / "y.parquet").write_bytes(b"garbage")
    with pytest.raises(RecordingError):
        load_keypoints(tmp_path / "y.parquet")
