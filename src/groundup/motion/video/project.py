"""A virtual phone camera: 3-D markers of a mocap ``Trial`` -> a BlazePose keypoint table.

This is the semi-synthetic ground truth of the video pipeline: real 3-D walking (C3D/TRC), seen
by a pinhole camera on a tripod with a phone's field of view, resampled to the video frame rate,
with pixel noise, dropouts and, optionally, the left/right swaps BlazePose makes. The table has
the columns of the pose helper's keypoint contract (:mod:`groundup.motion.video.keypoints`):
``frame, time_s, landmark, x_px, y_px, z_rel, visibility, wx_m, wy_m, wz_m``.

Keypoints stand for joint centres as BlazePose places them: hip, knee and ankle joint centres
(Plug-in Gait style, :mod:`groundup.gait.segments`), heel and toe markers for ``heel`` and
``foot_index``, shoulder markers (or the C7/clavicle region) for the shoulders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from groundup.errors import InsufficientDataError
from groundup.motion.trial import Trial

View = Literal["side", "back", "front"]
LEG = ("hip", "knee", "ankle", "heel", "foot_index")
COLUMNS = ["frame", "time_s", "landmark", "x_px", "y_px", "z_rel", "visibility",
           "wx_m", "wy_m", "wz_m"]


@dataclass(frozen=True, kw_only=True)
class VirtualCamera:
    """A static phone camera on a tripod.

    Parameters
    ----------
    view
        ``"side"`` (camera beside the walkway, optical axis across it), ``"back"`` (behind the
        start, looking along the walking direction) or ``"front"`` (ahead of the end, facing
        the subject).
    near_side
        Side view: which side of the subject faces the camera (``"left"``: the subject walks
        towards image-left, as in the sports2d demo).
    width_px, height_px
        Image size (landscape 1920 x 1080 by default).
    hfov_deg
        Horizontal field of view; 65 deg is a phone's main (26 mm equivalent) camera.
    distance_m
        Side view: distance from the walking line; back/front: distance to the nearest point of
        the walk.
    camera_height_m
        Lens height above the floor.
    fps
        Frame rate of the virtual video, Hz.
    noise_px
        SD of white pixel noise added to every keypoint.
    dropout_rate
        Probability per frame and keypoint that a dropout burst (1-4 frames of low visibility
        and a wrong position) starts.
    swap_rate
        Probability per frame that a left/right swap burst of the leg keypoints (1-6 frames)
        starts; bursts are put at double support, where BlazePose makes them. A swap exchanges
        everything the two labels carry (position, depth, visibility, world coordinates); 30 %
        of bursts are collapses instead, both labels on the near foot (positions and depth
        copied, each label keeping its own visibility).
    seed
        Random seed (results are reproducible).
    """

    view: View = "side"
    near_side: Literal["left", "right"] = "left"
    width_px: int = 1920
    height_px: int = 1080
    hfov_deg: float = 65.0
    distance_m: float = 4.0
    camera_height_m: float = 1.0
    fps: float = 30.0
    noise_px: float = 1.5
    dropout_rate: float = 0.0
    swap_rate: float = 0.0
    seed: int = 0

    @property
    def focal_px(self) -> float:
        """Focal length in pixels from the horizontal field of view."""
        return 0.5 * self.width_px / np.tan(np.radians(0.5 * self.hfov_deg))


def keypoints_3d(trial: Trial) -> dict[str, np.ndarray]:
    """BlazePose landmark name -> 3-D position ``(n, 3)`` (m) from a mocap trial's markers.

    Raises
    ------
    InsufficientDataError
        When the trial has no hip, knee and ankle joint centres (no pelvis or leg markers).
    """
    from groundup.gait import segments as sg  # only the ground-truth builder needs the model

    pts = trial.points
    pelvis = sg.pelvis_axes(pts)
    ll = sg.leg_length(trial, pts, None)
    hjc = sg.hip_centres(pts, pelvis, trial.metadata, ll)
    out: dict[str, np.ndarray] = {}
    for side, s in (("left", "L"), ("right", "R")):
        parts, _ = sg.leg_axes(pts, side, hjc.get(side), pelvis, trial.metadata, ll)
        if side not in hjc or "ajc" not in parts:
            raise InsufficientDataError(
                f"{side} hip, knee or ankle joint centre cannot be built from the markers",
                hint="the virtual camera needs a pelvis and knee/ankle markers")
        out[f"{side}_hip"], out[f"{side}_knee"] = hjc[side], parts["kjc"]
        out[f"{side}_ankle"] = parts["ajc"]
        for name, marker in (("heel", "HEEL"), ("foot_index", "TOE")):
            if sg.usable(pts, f"{s}_{marker}"):
                out[f"{side}_{name}"] = pts[f"{s}_{marker}"]
        if sg.usable(pts, f"{s}_SHOULDER"):
            out[f"{side}_shoulder"] = pts[f"{s}_SHOULDER"]
    return out


def _resample(x: np.ndarray, t_src: np.ndarray, t_dst: np.ndarray) -> np.ndarray:
    ok = np.isfinite(x).all(axis=1)
    out = np.full((t_dst.size, x.shape[1]), np.nan)
    if ok.sum() < 2:
        return out
    for k in range(x.shape[1]):
        out[:, k] = np.interp(t_dst, t_src[ok], x[ok, k], left=np.nan, right=np.nan)
    near = np.clip(np.round(np.interp(t_dst, t_src, np.arange(t_src.size))).astype(int),
                   0, t_src.size - 1)
    out[~ok[near]] = np.nan
    return out


def _basis(trial: Trial, kp: dict[str, np.ndarray], cam: VirtualCamera):
    """Camera centre, right, up and viewing direction in the lab frame."""
    up = np.eye(3)[trial.vertical_axis]
    mid = 0.5 * (kp["left_hip"] + kp["right_hip"])
    ok = np.isfinite(mid).all(axis=1)
    path = mid[ok]
    fwd = path[-1] - path[0]
    fwd = fwd - (fwd @ up) * up
    if np.linalg.norm(fwd) < 0.3:
        raise InsufficientDataError("the pelvis travels less than 0.3 m: nothing to film")
    fwd /= np.linalg.norm(fwd)
    left = np.cross(up, fwd)
    feet = [kp[k][:, trial.vertical_axis] for k in kp if k.endswith(("heel", "foot_index",
                                                                     "ankle"))]
    floor = float(np.nanmin(np.concatenate(feet))) - 0.02
    centre = path.mean(axis=0)
    centre = centre - (centre @ up) * up + (floor + cam.camera_height_m) * up
    if cam.view == "side":
        side = 1.0 if cam.near_side == "left" else -1.0
        c = centre + side * cam.distance_m * left
        d = -side * left
    elif cam.view == "back":
        start = path[0] - (path[0] @ up) * up + (floor + cam.camera_height_m) * up
        c, d = start - cam.distance_m * fwd, fwd
    else:
        end = path[-1] - (path[-1] @ up) * up + (floor + cam.camera_height_m) * up
        c, d = end + cam.distance_m * fwd, -fwd
    return c, np.cross(d, up), up, d


def project_trial(trial: Trial, camera: VirtualCamera | None = None
                  ) -> tuple[pd.DataFrame, dict]:
    """Film a mocap trial with a virtual camera.

    Parameters
    ----------
    trial
        A 3-D walking trial (metres).
    camera
        The camera (default: side view, left side near, 30 fps, 1920 x 1080).

    Returns
    -------
    (table, meta)
        The keypoint table (one row per frame and landmark; frame 0 = the trial's first
        stored sample) and metadata: ``width``, ``height``, ``fps``, ``rotation``,
        ``n_frames``, ``synthetic``, ``t0_s`` (time of video frame 0 on the trial's axis),
        ``camera`` (its settings), ``truth_keypoints_3d`` is *not* included.
    """
    cam = camera or VirtualCamera()
    rng = np.random.default_rng(cam.seed)
    kp3 = keypoints_3d(trial)
    t_src = trial.time
    t_dst = t_src[0] + np.arange(int(np.floor(trial.duration_s * cam.fps)) + 1) / cam.fps
    kp = {k: _resample(v, t_src, t_dst) for k, v in kp3.items()}
    c, r, u, d = _basis(trial, kp, cam)
    f, cx, cy = cam.focal_px, 0.5 * cam.width_px, 0.5 * cam.height_px
    hip = 0.5 * (kp["left_hip"] + kp["right_hip"])
    depth_hip = (hip - c) @ d
    n = t_dst.size
    proj = {}
    for name, x in kp.items():
        rel = x - c
        depth = rel @ d
        xp = cx + f * (rel @ r) / depth + rng.normal(0, cam.noise_px, n)
        yp = cy - f * (rel @ u) / depth + rng.normal(0, cam.noise_px, n)
        w = x - hip
        inside = (xp >= 0) & (xp < cam.width_px) & (yp >= 0) & (yp < cam.height_px)
        near = cam.view != "side" or name.startswith(cam.near_side)
        vis = np.where(inside, 0.95 if near else 0.8, 0.05)
        vis = np.where(np.isfinite(xp), vis, 0.0)
        proj[name] = [xp, yp, (depth - depth_hip) / depth_hip * f / cam.width_px, vis,
                      w @ r, -(w @ u), w @ d]
    _dropouts(proj, cam, rng, n)
    if cam.swap_rate > 0:
        _swaps(proj, kp, trial.vertical_axis, cam, rng, n)
    rows = []
    for name, (xp, yp, z, vis, wx, wy, wz) in proj.items():
        rows.append(pd.DataFrame({"frame": np.arange(n), "time_s": np.arange(n) / cam.fps,
                                  "landmark": name, "x_px": xp, "y_px": yp, "z_rel": z,
                                  "visibility": vis, "wx_m": wx, "wy_m": wy, "wz_m": wz}))
    df = pd.concat(rows, ignore_index=True).dropna(subset=["x_px", "y_px"])
    meta = {"width": cam.width_px, "height": cam.height_px, "fps": cam.fps, "rotation": 0,
            "n_frames": n, "synthetic": True, "t0_s": float(t_dst[0]),
            "camera": {k: getattr(cam, k) for k in cam.__dataclass_fields__}}
    return df.sort_values(["frame", "landmark"], ignore_index=True), meta


def _dropouts(proj: dict, cam: VirtualCamera, rng: np.random.Generator, n: int) -> None:
    """Bursts of low visibility with a wrong position (the model guessing)."""
    if cam.dropout_rate <= 0:
        return
    for xp, yp, _z, vis, *_ in proj.values():
        for start in np.flatnonzero(rng.random(n) < cam.dropout_rate):
            sl = slice(start, min(start + int(rng.integers(1, 5)), n))
            xp[sl] += rng.normal(0, 40, 1)
            yp[sl] += rng.normal(0, 40, 1)
            vis[sl] = rng.uniform(0.05, 0.3)


def _swaps(proj: dict, kp: dict, vertical: int, cam: VirtualCamera,
           rng: np.random.Generator, n: int) -> None:
    """Swap left/right leg keypoints (or put both on one foot) in bursts near double support."""
    if "left_ankle" not in kp:
        return
    sep = np.abs(kp["left_ankle"][:, vertical] - kp["right_ankle"][:, vertical])
    low = sep < np.nanpercentile(sep, 30)          # both feet low: double support
    candidates = np.flatnonzero(low)
    if candidates.size == 0:
        return
    n_bursts = rng.binomial(n, cam.swap_rate)
    for start in rng.choice(candidates, size=min(n_bursts, candidates.size), replace=False):
        sl = slice(start, min(start + int(rng.integers(1, 7)), n))
        collapse = rng.random() < 0.3
        for part in LEG[1:]:
            a, b = proj.get(f"left_{part}"), proj.get(f"right_{part}")
            if a is None or b is None:
                continue
            if collapse:  # both labels on the near foot: its position and depth
                src = a if cam.near_side == "left" else b
                dst = b if src is a else a
                for k in (0, 1, 2):
                    dst[k][sl] = src[k][sl] + rng.normal(0, cam.noise_px, 1)
            else:  # a swap: everything the two labels carry
                for k in range(7):
                    a[k][sl], b[k][sl] = b[k][sl].copy(), a[k][sl].copy()
