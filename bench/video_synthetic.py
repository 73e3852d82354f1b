"""Semi-synthetic validation of the video pipeline on real mocap (../shared/data).

Each C3D/TRC trial with hip, knee and ankle joint centres is filmed by a virtual phone camera
(:mod:`groundup.motion.video.project`: 1920 x 1080, 65 deg field of view, 30 fps, side view 4 m
from the walkway, left side near; back view 2 m behind the start), with 1.5 px noise, 1 %
dropout bursts and 3 % left/right swap bursts at double support. The video pipeline runs from
the keypoint table (:func:`groundup.gait.video.analyse_video_keypoints`, scale from a known
distance in the walking plane so that lengths test the pipeline, not the anthropometric
assumption) and is compared with the 3-D truth:

- IC / FO: absolute error in frames of the camera (30 fps unless ``--fps``) vs the
  plate-confirmed gold events (50 ms match);
- cadence vs groundup's 3-D analysis of the same trial over the same strides (``cad_err``,
  :func:`_paired_cadence_error`: each steady video stride paired with the 3-D stride of the
  same foot it overlaps most, 3-D events from the markers alone so that every 3-D stride runs
  between two events of one definition); ``cad_own``: each pipeline's own summary instead
  (video: its steady strides; 3-D: all its strides, force plates + markers), which also
  measures which strides each keeps;
- step length vs groundup's 3-D analysis (force plates + markers);
- contralateral pelvic drop (back view, ``pelvic_drop_err``): mean |error| (deg) of each side's
  value against the same definition on the 3-D marker pelvic obliquity (:func:`pelvic_drop_3d`);
- hip / knee / ankle: RMSE (deg) per frame over steady side-view frames vs the 3-D marker angles
  (:func:`groundup.gait.kinematics.marker_angles`); ``hip*`` with the subject's mean pelvic-tilt
  offset removed (what one camera can see). ``thigh``: like with like, the video's thigh
  angle (hip flexion without the normative tilt) against the 3-D thigh angle in the plane of
  progression (:func:`thigh_angles_3d`), no pelvis in either. ``hip_trunk``: the alternative
  definition of the 2-D literature (Stenum 2021), thigh against the trunk (shoulder-hip
  line), i.e. the trunk lean standing in for the pelvic tilt, on the trials whose shoulders
  are mapped; the truth is the same pelvis-based 3-D hip angle.

    .venv/bin/python bench/video_synthetic.py
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import numpy as np

from groundup.errors import GroundupError
from groundup.gait import kinematics
from groundup.gait.analyse import analyse_trial
from groundup.gait.angles2d import mean_pelvic_tilt, sagittal_angles
from groundup.gait.evaluation import load_gold, match_events
from groundup.gait.video import analyse_video_keypoints
from groundup.motion.load import load_trial
from groundup.motion.trial import GaitEvent
from groundup.motion.video.project import VirtualCamera, keypoints_3d, project_trial

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def evaluate(trial, gold, view: str, seed: int = 0, fps: float = 30.0) -> dict:
    """Errors of the video pipeline on one trial and view."""
    cam = VirtualCamera(view=view, distance_m=4.0 if view == "side" else 2.0, dropout_rate=0.01,
                        swap_rate=0.03, seed=seed, fps=fps)
    df, meta = project_trial(trial, cam)
    known = (cam.focal_px / cam.distance_m, 1.0) if view == "side" else None
    res = analyse_video_keypoints(df, meta, height_m=1.70, known_distance=known, view=view)
    t0 = meta["t0_s"]
    ref = [GaitEvent(side=e.side, type=e.type, time_s=e.time_s - t0, method="gold")
           for e in gold["confirmed"]]
    seen = [e for e in ref if _foot_in_view(df, meta, e)]
    m = match_events(res.events, seen, tolerance_s=0.05)
    out = {"trial": gold["trial"][:24], "view": view, "unseen": len(ref) - len(seen)}
    for ty in ("IC", "FO"):
        mm = m[m.type == ty]
        ok = mm[mm.status == "match"]
        out[f"{ty}_mae_f"] = (float(ok.error_ms.abs().mean() * cam.fps / 1000) if len(ok)
                              else np.nan)  # frames of the camera
        out[f"{ty}_miss"] = int((mm.status == "miss").sum())
    truth = analyse_trial(trial)
    st, st3 = res.spatiotemporal, truth.spatiotemporal
    kin = analyse_trial(trial, events="kinematic")
    out["cad_err"], out["unpaired"] = _paired_cadence_error(
        res.strides, kin.strides[_tracked_strides(trial, kin)], t0)
    out["cad_own"] = (st.get("cadence_steps_min") or np.nan) - (st3.get("cadence_steps_min")
                                                               or np.nan)
    steps = [((st.get(s) or {}).get("step_length_m"), (st3.get(s) or {}).get("step_length_m"))
             for s in ("left", "right")]
    errs = [a - b for a, b in steps if a is not None and b is not None]
    out["step_err_m"] = float(np.mean(np.abs(errs))) if errs else np.nan
    if view == "side":
        out.update(_angle_errors(trial, df, meta, res))
    else:
        out["pelvic_drop_err"] = _pelvic_drop_error(trial, kin.events, res)
        out.update(frontal_errors(trial, kin.events, res, t0))
    return out


def _pelvic_drop_error(trial, events, res) -> float:
    """Mean |error| over both sides of the video's contralateral pelvic drop (back view,
    :mod:`groundup.gait.frontal`: per stance, the peak of the hip line's tilt with the swing
    side down, minus its value at initial contact; mean over the stances seen) against the same
    definition on the 3-D marker pelvic obliquity (:func:`pelvic_drop_3d`)."""
    angles, _ = kinematics.marker_angles(trial)
    errs = []
    for side in ("left", "right"):
        video = (res.spatiotemporal.get(side) or {}).get("pelvic_drop_deg")
        obl = angles.get(("pelvic_obliquity", side))
        truth = None if obl is None else pelvic_drop_3d(trial, obl, events, side)
        if video is not None and truth is not None:
            errs.append(abs(video - truth))
    return float(np.mean(errs)) if errs else np.nan


def frontal_errors(trial, events, res, t0: float) -> dict:
    """Mean |error| (deg) over both sides of the back view's knee frontal-plane projection
    angle (``fppa_err``) and trunk lateral lean (``lean_err``), like with like: the truth is
    :func:`groundup.gait.frontal.frontal_measures` itself on the 3-D keypoints (the points the
    camera films) projected orthographically onto the frontal plane, with the 3-D marker events
    of the stances the video measured (a 3-D contact within 0.1 s of a video contact). What
    differs is only what the camera and the pipeline add: perspective, noise, dropouts, swaps
    and the video's own event times."""
    from groundup.gait.frontal import frontal_measures
    from groundup.motion.trial import Trial

    kp, up, fwd = _walk_axes(trial)
    left = np.cross(up, fwd)
    names = {"hip": "HIP_CENTRE", "knee": "KNEE_CENTRE", "ankle": "ANKLE", "heel": "HEEL",
             "shoulder": "SHOULDER"}
    pts = {}
    for key, x in kp.items():
        side, part = key.split("_", 1)
        if part in names:  # seen from behind: the subject's left is image-left (-x)
            pts[f"{side[0].upper()}_{names[part]}"] = np.c_[-(x @ left), np.zeros(len(x)),
                                                            x @ up]
    ortho = Trial(points=pts, rate=trial.rate, first_frame=trial.first_frame)
    # the stances the video measured: 3-D contacts within 0.1 s of a video contact
    seen = [e for e in res.events if e.type == "IC"]
    same = [e for e in events if e.type == "FO" or any(
        v.side == e.side and abs(v.time_s + t0 - e.time_s) < 0.1 for v in seen)]
    truth, _ = frontal_measures(ortho, same, np.ones(trial.n_frames, dtype=bool), "back")
    out = {}
    for metric, key in (("knee_fppa_deg", "fppa_err"), ("trunk_lateral_lean_deg", "lean_err")):
        errs = [abs((res.spatiotemporal.get(s) or {})[metric] - truth[s][metric])
                for s in ("left", "right")
                if metric in (res.spatiotemporal.get(s) or {}) and metric in truth.get(s, {})]
        out[key] = float(np.mean(errs)) if errs else np.nan
    return out


def pelvic_drop_3d(trial, obl, events, side: str) -> float | None:
    """Contralateral pelvic drop of one side from the 3-D markers, degrees: the mean over the
    3-D stances (``events``: IC to the next FO of that foot within 1.5 s) of the peak of the
    side's marker pelvic obliquity ``obl`` (stance side up +) minus its value at initial
    contact; ``None`` without a complete stance."""
    ics = sorted(e.time_s for e in events if e.side == side and e.type == "IC")
    fos = sorted(e.time_s for e in events if e.side == side and e.type == "FO")
    drops = []
    for t in ics:
        nxt = [f for f in fos if t < f < t + 1.5]
        if not nxt:
            continue
        a = int(round(trial.frame_of(t)))
        b = int(round(trial.frame_of(nxt[0])))
        seg = obl[a:b]
        if b > a + 2 and np.isfinite(seg).all():
            drops.append(float(seg.max() - seg[0]))
    return float(np.mean(drops)) if drops else None


def _foot_in_view(df, meta, e: GaitEvent) -> bool:
    """The event's foot (heel and toe) is inside the image in the frames around the event."""
    i = int(round(e.time_s * meta["fps"]))
    sel = df[(df.frame >= i - 1) & (df.frame <= i + 1)
             & df.landmark.isin([f"{e.side}_heel", f"{e.side}_foot_index"])]
    inside = ((sel.x_px >= 0) & (sel.x_px < meta["width"]) & (sel.y_px >= 0)
              & (sel.y_px < meta["height"]))
    return sel.frame.nunique() == 3 and bool(inside.all())


STANCE_REF_S = 0.25   # FootContact times a contact against the marker's next 0.25 s of stance


def _tracked_strides(trial, truth) -> np.ndarray:
    """Which 3-D strides can serve as truth: both contacts measured on a tracked marker.

    The 3-D contact detector times a contact against its marker's level over the following
    0.25 s of stance. Where the marker is lost (it leaves the capture volume) in that window
    while the recording goes on, the contact is measured against swing or artefact samples
    (sample09: the right heel at 170 mm moving 3 m/s, the left heel at its last sample before
    the dropout, 6 frames after it stopped; gait-pig: the left ankle at 46 mm moving 3.3 m/s).
    Those strides are no truth; a contact whose recording ends while its marker is tracked is.
    """
    ok = np.ones(len(truth.strides), dtype=bool)
    for k, row in enumerate(truth.strides.itertuples()):
        for t in (row.start_s, row.end_s):
            e = next((e for e in truth.events if e.side == row.side and e.type == "IC"
                      and abs(e.time_s - t) < 1e-9), None)
            m = e.detail.get("marker") if e is not None else None
            if m is None:
                continue
            f = trial.frame_of(t)
            seg = trial.points[m][int(np.floor(f)):int(np.ceil(f + STANCE_REF_S * trial.rate))
                                  + 1]
            if not np.isfinite(seg).all():
                ok[k] = False
    return ok


def _paired_cadence_error(video, truth, t0: float) -> tuple[float, int]:
    """Cadence error over the same strides, and the number of steady video strides unpaired.

    Each steady video stride is paired with the 3-D stride of the same foot that it overlaps
    most, if the overlap is at least half the longer of the two (a stride whose contact is
    mistimed stays paired, its error counted; one split by a false contact, or one the 3-D
    analysis lacks, is left unpaired and counted); each 3-D stride pairs once. The error is
    120 / mean video stride time - 120 / mean 3-D stride time over the pairs, steps/min.
    """
    if video is None or truth is None or video.empty or truth.empty:
        return np.nan, 0 if video is None or video.empty else int(video["steady"].sum())
    tv, tt, used, unpaired = [], [], set(), 0
    for row in video[video["steady"]].itertuples():
        best, best_ov = None, 0.5
        for k, c in enumerate(truth.itertuples()):
            if c.side != row.side or k in used:
                continue
            a, b = c.start_s - t0, c.end_s - t0
            ov = (min(b, row.end_s) - max(a, row.start_s)) / max(b - a, row.end_s - row.start_s)
            if ov >= best_ov:
                best, best_ov = k, ov
        if best is None:
            unpaired += 1
            continue
        used.add(best)
        c = truth.iloc[best]
        tv.append(row.end_s - row.start_s)
        tt.append(c.end_s - c.start_s)
    if not tv:
        return np.nan, unpaired
    return 120.0 / np.mean(tv) - 120.0 / np.mean(tt), unpaired


def _angle_errors(trial, df, meta, res) -> dict:
    from groundup.motion.video.clean import clean_keypoints, to_wide
    from groundup.motion.video.scale import scale_from_height
    from groundup.motion.video.to_trial import keypoints_to_trial
    from groundup.motion.video.view import detect_view

    kp = clean_keypoints(to_wide(df, meta))
    vi = detect_view(kp, view="side")
    t2 = keypoints_to_trial(kp, scale_from_height(kp, 1.7), vi)
    facing = -1.0 if vi.passes[0].facing == "image-left" else 1.0
    a2, _ = sagittal_angles(t2, np.full(t2.n_frames, facing))
    a3, _ = kinematics.marker_angles(trial)
    tt = meta["t0_s"] + np.arange(t2.n_frames) / meta["fps"]
    out = {}
    trunk = a2.get(("trunk_inclination", "left"))
    if trunk is not None and np.isfinite(trunk[vi.steady]).any():
        tilt = mean_pelvic_tilt()
        for side in ("left", "right"):  # thigh vs trunk (Stenum 2021): thigh + trunk lean
            if ("hip_flexion", side) in a2:
                a2["hip_trunk", side] = a2["hip_flexion", side] - tilt + trunk
                a3["hip_trunk", side] = a3.get(("hip_flexion", side))
    for side in ("left", "right"):  # the thigh alone, like with like: no pelvis in either
        if ("hip_flexion", side) in a2:
            a2["thigh", side] = a2["hip_flexion", side] - mean_pelvic_tilt()
    a3.update(thigh_angles_3d(trial))
    for var, key in (("hip_flexion", "hip"), ("hip_trunk", "hip_trunk"), ("thigh", "thigh"),
                     ("knee_flexion", "knee"), ("ankle_dorsiflexion", "ankle")):
        e_all, e_c = [], []
        for side in ("left", "right"):
            if a3.get((var, side)) is None or (var, side) not in a2:
                continue
            y3 = np.interp(tt, trial.time, a3[var, side], left=np.nan, right=np.nan)
            ok = np.isfinite(y3) & np.isfinite(a2[var, side]) & vi.steady
            e = a2[var, side][ok] - y3[ok]
            e_all.append(e)
            e_c.append(e - e.mean())
        if e_all:
            out[f"{key}_rmse"] = float(np.sqrt(np.mean(np.concatenate(e_all) ** 2)))
            if key.startswith("hip"):
                out[f"{key}*_rmse"] = float(np.sqrt(np.mean(np.concatenate(e_c) ** 2)))
    return out


def _walk_axes(trial):
    """The 3-D keypoints the virtual camera films, the vertical and the horizontal direction of
    travel (first to last mid-hip position), unit vectors in the lab frame."""
    kp = keypoints_3d(trial)
    up = np.eye(3)[trial.vertical_axis]
    mid = 0.5 * (kp["left_hip"] + kp["right_hip"])
    path = mid[np.isfinite(mid).all(axis=1)]
    fwd = path[-1] - path[0]
    fwd = fwd - (fwd @ up) * up
    return kp, up, fwd / np.linalg.norm(fwd)


def thigh_angles_3d(trial) -> dict[tuple[str, str], np.ndarray]:
    """``("thigh", side) -> (n,)``: the 3-D thigh (hip -> knee joint centre, the points the
    virtual camera films) in the plane of progression and the vertical, degrees from straight
    down, knee forward +: what a side camera sees of the hip without the pelvis."""
    kp, up, fwd = _walk_axes(trial)
    out = {}
    for side in ("left", "right"):
        d = kp[f"{side}_knee"] - kp[f"{side}_hip"]
        out["thigh", side] = np.degrees(np.arctan2(d @ fwd, -(d @ up)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the virtual camera's noise, dropouts and swaps")
    parser.add_argument("--fps", type=float, default=30.0,
                        help="frame rate of the virtual camera (the targets are for 30 fps)")
    args = parser.parse_args()
    golds = sorted((DATA / "gold").glob("*.json"))
    if not golds:
        print(f"no gold files under {DATA}: nothing to measure")
        return 0
    rows = []
    warnings.simplefilter("ignore")
    for g in golds:
        gold = load_gold(g)
        trial = load_trial(DATA / gold["source_file"])
        for view in ("side", "back"):
            try:
                rows.append(evaluate(trial, gold, view, seed=args.seed, fps=args.fps))
            except GroundupError as exc:
                print(f"{gold['trial'][:24]:24s} {view:5s} skipped: {exc}")
                break
    cols = ["unseen", "IC_mae_f", "IC_miss", "FO_mae_f", "FO_miss", "cad_err", "unpaired",
            "cad_own",
            "step_err_m", "hip_rmse", "hip*_rmse", "thigh_rmse", "hip_trunk_rmse",
            "hip_trunk*_rmse",
            "knee_rmse", "ankle_rmse", "pelvic_drop_err", "fppa_err", "lean_err"]
    print(f"{'trial':24s} {'view':5s} " + " ".join(f"{c:>10s}" for c in cols))
    for r in rows:
        print(f"{r['trial']:24s} {r['view']:5s} " + " ".join(
            f"{r.get(c, np.nan):10.2f}" for c in cols))
    for view in ("side", "back"):
        sel = [r for r in rows if r["view"] == view]
        if not sel:
            continue
        agg = {c: np.nanmean([abs(r.get(c, np.nan)) for r in sel]) for c in cols}
        agg.update({c: int(np.nansum([r.get(c, 0) for r in sel]))
                    for c in ("unseen", "IC_miss", "FO_miss", "unpaired")})
        print(f"{'MEAN |error| ' + view:30s} " + " ".join(f"{agg[c]:10.2f}" for c in cols))
    both = [r for r in rows if np.isfinite(r.get("hip_trunk_rmse", np.nan))]
    if both:
        m = {c: np.mean([r[c] for r in both]) for c in ("hip_rmse", "hip*_rmse",
                                                        "hip_trunk_rmse", "hip_trunk*_rmse")}
        print(f"hip on the {len(both)} side-view trials with shoulders: thigh + normative tilt "
              f"{m['hip_rmse']:.2f} deg ({m['hip*_rmse']:.2f} own offset removed); thigh vs "
              f"trunk (Stenum 2021) {m['hip_trunk_rmse']:.2f} deg "
              f"({m['hip_trunk*_rmse']:.2f} own offset removed)")
    print("targets (side): IC MAE <= 1 frame, |cadence error| <= 1 step/min, hip/knee <= 3 deg, "
          "ankle <= 5 deg")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
