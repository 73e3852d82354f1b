"""The fast numpy C3D reader gives what ezc3d gives, on real and hand-built files."""

from __future__ import annotations

import struct

import ezc3d
import numpy as np
import pytest

from groundup.errors import RecordingError
from groundup.motion.c3d_fast import UnsupportedC3D, read_c3d_dict
from tests.conftest import DATA, data_file

C3D_FILES = sorted(p.relative_to(DATA).as_posix() for p in (DATA / "c3d").rglob("*.c3d")) \
    if (DATA / "c3d").exists() else []


# --------------------------------------------------------------------------- comparison

def assert_same(fast: dict, ref, plates: bool = True) -> None:
    """``fast`` (read_c3d_dict) equals ``ref`` (ezc3d.c3d(..., extract_forceplat_data=True))."""
    for part in ("points", "analogs"):
        for key in ("size", "frame_rate", "first_frame", "last_frame"):
            assert fast["header"][part][key] == ref["header"][part][key], (part, key)
    assert tuple(fast["header"]["events"]["events_time"]) == \
        tuple(ref["header"]["events"]["events_time"])
    assert tuple(fast["header"]["events"]["events_label"]) == \
        tuple(ref["header"]["events"]["events_label"])
    rp, fp = ref["parameters"], fast["parameters"]
    assert list(fp) == list(rp)
    for group in rp:
        assert list(fp[group]) == list(rp[group]), group
        for name, want in rp[group].items():
            got = fp[group][name]
            if name == "__METADATA__":
                assert got == want, group
                continue
            for key in ("type", "description", "is_locked"):
                assert got[key] == want[key], (group, name, key)
            if isinstance(want["value"], list):
                assert got["value"] == want["value"], (group, name)
            else:
                assert isinstance(got["value"], np.ndarray), (group, name)
                assert got["value"].shape == want["value"].shape, (group, name)
                assert got["value"].dtype.kind == want["value"].dtype.kind, (group, name)
                np.testing.assert_array_equal(got["value"], want["value"],
                                              err_msg=f"{group}:{name}")
    # points, residuals and analogs are decoded exactly as ezc3d decodes them
    np.testing.assert_array_equal(fast["data"]["points"], ref["data"]["points"])
    np.testing.assert_array_equal(fast["data"]["meta_points"]["residuals"],
                                  ref["data"]["meta_points"]["residuals"])
    np.testing.assert_array_equal(fast["data"]["analogs"], ref["data"]["analogs"])
    if not plates:
        return
    assert len(fast["data"]["platform"]) == len(ref["data"]["platform"])
    for got, want in zip(fast["data"]["platform"], ref["data"]["platform"], strict=True):
        for key in ("unit_force", "unit_moment", "unit_position"):
            assert got[key] == want[key]
        for key in ("force", "moment", "Tz", "corners", "origin", "cal_matrix"):
            np.testing.assert_allclose(got[key], want[key], rtol=1e-9, atol=1e-9, err_msg=key)
        loaded = np.abs(want["force"][2]) > 20.0
        np.testing.assert_allclose(got["center_of_pressure"][:, loaded],
                                   want["center_of_pressure"][:, loaded], rtol=1e-9, atol=1e-9)


@pytest.mark.shared
@pytest.mark.parametrize("relative", C3D_FILES or ["c3d/none.c3d"])
def test_real_files_match_ezc3d(relative):
    path = data_file(relative)
    fast = read_c3d_dict(path)
    assert_same(fast, ezc3d.c3d(str(path), extract_forceplat_data=True))
    n = fast["data"]["points"].shape[2]
    assert fast["header"]["points"]["declared_frames"] == n  # none of them is truncated


@pytest.mark.shared
def test_truncated_real_file_keeps_the_complete_frames(tmp_path):
    path = data_file("c3d/ensink-overground/exampleOverground.c3d")
    raw = path.read_bytes()
    cut = tmp_path / "cut.c3d"
    cut.write_bytes(raw[: len(raw) * 2 // 3 + 7])  # mid-frame
    fast = read_c3d_dict(cut)
    ref = ezc3d.c3d(str(cut), extract_forceplat_data=True)
    assert_same(fast, ref)
    full = read_c3d_dict(path)
    assert fast["header"]["points"]["declared_frames"] == full["data"]["points"].shape[2]
    assert fast["data"]["points"].shape[2] < full["data"]["points"].shape[2]
    np.testing.assert_array_equal(fast["data"]["points"],
                                  full["data"]["points"][:, :, : fast["data"]["points"].shape[2]])


# --------------------------------------------------------------------------- byte-level builder

def _u16(value: int, proc: int) -> bytes:
    return struct.pack(">H" if proc == 86 else "<H", value & 0xFFFF)


def _floats(values, proc: int) -> bytes:
    a = np.asarray(values, dtype=np.float32).ravel(order="F")
    if proc == 84:
        return a.astype("<f4").tobytes()
    if proc == 86:
        return a.astype(">f4").tobytes()
    # DEC F-float: a quarter of the IEEE exponent scale, 16-bit words swapped
    words = (a * np.float32(4.0)).astype("<f4").view("<u2").reshape(-1, 2)[:, ::-1]
    return np.ascontiguousarray(words).tobytes()


def _ints(values, proc: int) -> bytes:
    return np.asarray(values).ravel(order="F").astype(">i2" if proc == 86 else "<i2").tobytes()


def _entry(gid: int, name: str, body: bytes, proc: int, desc: str = "") -> bytes:
    rest = body + bytes([len(desc)]) + desc.encode()
    return struct.pack("bb", len(name), gid) + name.encode() + _u16(2 + len(rest), proc) + rest


def _param(gid: int, name: str, value, proc: int, kind: str | None = None) -> bytes:
    if isinstance(value, str | list) and (not value or isinstance(value, str)
                                          or isinstance(value[0], str)):
        strings = [value] if isinstance(value, str) else value
        width = max([len(s) for s in strings] + [0])
        data = b"".join(s.ljust(width).encode() for s in strings)
        dims = [width] if isinstance(value, str) else [width, len(strings)]
        return _entry(gid, name, struct.pack("bb", -1, len(dims)) + bytes(dims) + data, proc)
    arr = np.asarray(value)
    dims = list(arr.shape) if arr.ndim else []
    kind = kind or ("f" if arr.dtype.kind == "f" else "i")
    data = _floats(arr, proc) if kind == "f" else _ints(arr, proc)
    head = struct.pack("bb", 4 if kind == "f" else 2, len(dims)) + bytes(dims)
    return _entry(gid, name, head + data, proc)


def build_c3d(path, *, proc=84, storage="int", n_frames=20, n_points=3, nsub=4,
              plate_type=2, first=1, seed=0, extra=(), header_last=None, frames_param=None,
              point_scale=0.1, extra_groups=(), header_scale=None):
    """Write a small C3D file byte by byte; return the stored point coordinates."""
    rng = np.random.default_rng(seed)
    n_ch = 8 if plate_type == 3 else 6
    n_ch += 1  # an EMG channel that no plate uses
    scale = point_scale if storage == "int" else -point_scale
    t = np.arange(n_frames)
    xyz = np.stack([100 + 10 * np.sin(0.3 * t + k) for k in range(3 * n_points)], axis=1)
    xyz = xyz.reshape(n_frames, n_points, 3) + rng.normal(0, 1, (n_frames, n_points, 3))
    ints_xyz = np.round(xyz / point_scale).astype(int)
    valid = np.ones((n_frames, n_points), bool)
    valid[3:6, 1] = False
    residual = rng.integers(0, 100, (n_frames, n_points))
    mask = rng.integers(0, 127, (n_frames, n_points))
    analog = rng.integers(-2000, 2000, (n_frames * nsub, n_ch))
    analog[:, 2] += 3000  # vertical force channel well loaded
    if plate_type == 3:
        analog[:, 4:8] += 800

    groups = [(1, "POINT"), (2, "ANALOG"), (3, "FORCE_PLATFORM"), (4, "TRIAL"), *extra_groups]
    ent = [_entry(-gid, g, b"", proc, desc=f"{g.lower()} group") for gid, g in groups]
    p = [("USED", np.array(n_points)), ("SCALE", np.array(scale, dtype=float)),
         ("RATE", np.array(100.0)), ("FRAMES", np.array(
             n_frames if frames_param is None else frames_param)),
         ("LABELS", [f"M{i}" for i in range(n_points)]), ("UNITS", "mm"),
         ("DATA_START", np.array(0))]
    ent += [_param(1, k, v, proc) for k, v in p]
    a = [("USED", np.array(n_ch)), ("RATE", np.array(100.0 * nsub)),
         ("LABELS", [f"A{i}" for i in range(n_ch)]),
         ("SCALE", np.linspace(0.5, 1.5, n_ch)), ("OFFSET", np.arange(n_ch) * 3 - 4),
         ("GEN_SCALE", np.array(0.25)), ("UNITS", ["N"] * n_ch)]
    ent += [_param(2, k, v, proc) for k, v in a]
    corners = np.array([[500, 0, 0], [0, 0, 0], [0, 600, 0], [500, 600, 0]], float).T
    f = [("USED", np.array(1)), ("TYPE", np.array([plate_type])),
         ("CHANNEL", np.arange(1, n_ch).reshape(n_ch - 1, 1)),
         ("CORNERS", (corners + np.array([[100.0], [50.0], [0.0]]))[:, :, None]),
         ("ORIGIN", np.array([[2.0], [-3.0], [40.0]])), ("UNITS", "N")]
    if plate_type == 4:
        cal = np.eye(6) + 0.01 * np.arange(36).reshape(6, 6)
        f.append(("CAL_MATRIX", cal[:, :, None]))
    if plate_type == 3:
        f.append(("FPCOPPOLY", (np.arange(12, dtype=float) * 1e-7)[:, None]))
    ent += [_param(3, k, v, proc) for k, v in f]
    ent += [_param(4, "ACTUAL_START_FIELD", np.array([first, 0]), proc)]
    ent += [_param(gid, k, v, proc) for gid, k, v in extra]
    body = b"".join(ent) + b"\0\0"
    n_blocks = -(-(len(body) + 4) // 512)
    params = (bytes([1, 0x50, n_blocks, proc]) + body).ljust(512 * n_blocks, b"\0")
    data_start = 2 + n_blocks

    last = first + n_frames - 1 if header_last is None else header_last
    words = [n_points, n_ch * nsub, first, last, 10]
    head = bytes([2, 0x50]) + b"".join(_u16(w, proc) for w in words)
    head += _floats([scale if header_scale is None else header_scale], proc)
    head += _u16(data_start, proc) + _u16(nsub, proc)
    head += _floats([100.0], proc)
    head = head.ljust(512, b"\0")

    if storage == "int":
        word = np.where(valid, (residual << 8) | mask, -1)
        pts = np.concatenate([ints_xyz, word[:, :, None]], axis=2).reshape(n_frames, -1)
        frames = np.concatenate([pts, analog.reshape(n_frames, -1)], axis=1)
        data = _ints(frames.ravel(), proc)
        stored = ints_xyz * np.float64(np.float32(point_scale))
    else:
        packed = np.where(valid, (residual << 8) | mask, -1).astype(float)
        pts = np.concatenate([xyz, packed[:, :, None]], axis=2).reshape(n_frames, -1)
        frames = np.concatenate([pts, analog.reshape(n_frames, -1).astype(float)], axis=1)
        data = _floats(frames.ravel(), proc)
        stored = xyz.astype(np.float32).astype(float)
    stored[~valid] = np.nan
    path.write_bytes(head + params + data)
    return stored


@pytest.mark.parametrize("proc", [84, 85])
@pytest.mark.parametrize("storage", ["int", "float"])
@pytest.mark.parametrize("plate_type", [1, 2, 3, 4])
def test_built_files_match_ezc3d(tmp_path, proc, storage, plate_type):
    path = tmp_path / "built.c3d"
    stored = build_c3d(path, proc=proc, storage=storage, plate_type=plate_type)
    fast = read_c3d_dict(path)
    assert_same(fast, ezc3d.c3d(str(path), extract_forceplat_data=True))
    np.testing.assert_allclose(fast["data"]["points"][:3].transpose(2, 1, 0), stored,
                               rtol=1e-6)
    assert np.isnan(fast["data"]["points"][0, 1, 3:6]).all()
    assert (fast["data"]["meta_points"]["residuals"][0, 1, 3:6] == -1).all()


@pytest.mark.parametrize("storage", ["int", "float"])
def test_big_endian_mips_file_reads_like_its_intel_twin(tmp_path, storage):
    # ezc3d refuses MIPS files, so the reference is the same content written for Intel
    intel, mips = tmp_path / "intel.c3d", tmp_path / "mips.c3d"
    build_c3d(intel, proc=84, storage=storage, plate_type=4)
    build_c3d(mips, proc=86, storage=storage, plate_type=4)
    with pytest.raises(RuntimeError):
        ezc3d.c3d(str(mips))
    a, b = read_c3d_dict(intel), read_c3d_dict(mips)
    np.testing.assert_array_equal(a["data"]["points"], b["data"]["points"])
    np.testing.assert_array_equal(a["data"]["analogs"], b["data"]["analogs"])
    np.testing.assert_array_equal(a["data"]["meta_points"]["residuals"],
                                  b["data"]["meta_points"]["residuals"])
    assert a["header"]["points"] == b["header"]["points"]
    for key in ("force", "moment", "center_of_pressure"):
        np.testing.assert_array_equal(a["data"]["platform"][0][key],
                                      b["data"]["platform"][0][key])
    for group, params in a["parameters"].items():
        for name, value in params.items():
            if name != "__METADATA__":
                np.testing.assert_array_equal(value["value"], b["parameters"][group][name]["value"])


@pytest.mark.parametrize("proc", [84, 85])
def test_truncated_built_file(tmp_path, proc):
    path = tmp_path / "full.c3d"
    build_c3d(path, proc=proc, n_frames=30)
    cut = tmp_path / "cut.c3d"
    cut.write_bytes(path.read_bytes()[:-300])
    fast = read_c3d_dict(cut)
    assert_same(fast, ezc3d.c3d(str(cut), extract_forceplat_data=True))
    assert fast["header"]["points"]["declared_frames"] == 30
    assert 0 < fast["data"]["points"].shape[2] < 30
    assert fast["parameters"]["POINT"]["FRAMES"]["value"][0] == fast["data"]["points"].shape[2]


def test_more_than_65535_frames(tmp_path):
    path = tmp_path / "long.c3d"
    n = 70_000
    end = [(n) & 0xFFFF, n >> 16]
    end = [v - 65536 if v > 32767 else v for v in end]  # stored as signed words
    build_c3d(path, storage="float", n_frames=n, n_points=2, nsub=1, header_last=0xFFFF,
              frames_param=-1, extra=[(4, "ACTUAL_END_FIELD", np.array(end))])
    fast = read_c3d_dict(path)
    assert fast["data"]["points"].shape == (4, 2, n)
    assert fast["header"]["points"]["declared_frames"] == n
    assert_same(fast, ezc3d.c3d(str(path), extract_forceplat_data=True))


def _ezc3d_file(path, n_points: int, n_frames: int = 15, nan_at=(2, 4)):
    c = ezc3d.c3d()
    c["parameters"]["POINT"]["RATE"]["value"] = [100]
    c["parameters"]["POINT"]["LABELS"]["value"] = [f"P{i}" for i in range(n_points)]
    pts = np.random.default_rng(1).normal(0, 500, (4, n_points, n_frames))
    pts[3] = 1
    pts[:3, nan_at[0], nan_at[1]] = np.nan
    c["data"]["points"] = pts
    c["parameters"]["ANALOG"]["RATE"]["value"] = [1000]
    c["parameters"]["ANALOG"]["LABELS"]["value"] = ["EMG1", "EMG2"]
    c["data"]["analogs"] = np.random.default_rng(2).normal(0, 1, (1, 2, n_frames * 10))
    c.add_parameter("SUBJECTS", "NAMES", ["Jane"])
    c.write(str(path))


@pytest.mark.parametrize("n_points", [4, 300])  # 300: labels spill into POINT:LABELS2
def test_files_written_by_ezc3d(tmp_path, n_points):
    path = tmp_path / "ezc3d.c3d"
    _ezc3d_file(path, n_points)
    fast = read_c3d_dict(path)
    assert_same(fast, ezc3d.c3d(str(path), extract_forceplat_data=True))
    assert fast["data"]["points"].shape == (4, n_points, 15)
    assert np.isnan(fast["data"]["points"][0, 2, 4])
    if n_points > 255:
        assert len(fast["parameters"]["POINT"]["LABELS2"]["value"]) == n_points - 255


# --------------------------------------------------------------------------- bad files

@pytest.mark.parametrize("content", [b"", b"hello, not a c3d file\n" * 40,
                                     bytes(range(256)) * 4, b"\x02\x50" + b"\xff" * 1200])
def test_garbage_is_a_recording_error(tmp_path, content):
    path = tmp_path / "garbage.c3d"
    path.write_bytes(content)
    with pytest.raises(RecordingError) as info:
        read_c3d_dict(path)
    assert not isinstance(info.value, UnsupportedC3D)
    assert "garbage.c3d" in str(info.value)


def test_missing_file_is_a_recording_error(tmp_path):
    with pytest.raises(RecordingError):
        read_c3d_dict(tmp_path / "absent.c3d")


def test_rotation_data_is_left_to_ezc3d(tmp_path):
    path = tmp_path / "rot.c3d"
    build_c3d(path, extra_groups=[(5, "ROTATION")],
              extra=[(5, "USED", np.array(2)), (5, "DATA_START", np.array(9)),
                     (5, "RATE", np.array(100.0))])
    with pytest.raises(UnsupportedC3D):
        read_c3d_dict(path)


def test_points_and_analogs_in_different_formats_are_left_to_ezc3d(tmp_path):
    path = tmp_path / "mixed.c3d"
    build_c3d(path, storage="int", header_scale=-0.1)
    with pytest.raises(UnsupportedC3D):
        read_c3d_dict(path)


def test_unknown_plate_type_is_left_to_ezc3d(tmp_path):
    path = tmp_path / "fp5.c3d"
    build_c3d(path, plate_type=5)
    with pytest.raises(UnsupportedC3D):
        read_c3d_dict(path)
