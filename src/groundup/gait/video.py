"""Gait analysis of one phone video from its keypoint table -> :class:`GaitResult`.

The pipeline (docs/video.md): clean the keypoints (``motion.video.clean``, ``swaps``), find the
view and passes (``motion.video.view``), scale to metres (``motion.video.scale``), build a
``Trial`` (``motion.video.to_trial``), then the gait code shared with C3D: events (the
``kinematic`` and Zeni detectors, :mod:`groundup.gait.video_events`), strides and
spatio-temporal parameters, sagittal angles (side passes, :mod:`groundup.gait.angles2d`),
frontal measures (back/front passes, :mod:`groundup.gait.frontal`), symmetry, norms, findings,
and a confidence grade per metric (:mod:`groundup.gait.confidence`). Only steady strides (inside
a pass, away from turns, starts and stops, feet inside the image) enter the summary.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from groundup import __version__
from groundup.errors import GroundupError, InsufficientDataError
from groundup.gait import norms, symmetry
from groundup.gait.angles2d import curve_metrics, cycle_curves, sagittal_angles
from groundup.gait.confidence import LEVELS, MIN_LEG_PX, Quality, grades
from groundup.gait.findings import gait_findings
from groundup.gait.frontal import frontal_measures
from groundup.gait.result import GaitResult
from groundup.gait.spatiotemporal import stride_table, summarise
from groundup.gait.video_events import detect_video_events, video_walking_frame
from groundup.motion.video.clean import clean_keypoints, to_wide
from groundup.motion.video.look import lighting_note
from groundup.motion.video.scale import leg_length_px, scale_from_distance, scale_from_height
from groundup.motion.video.to_trial import keypoints_to_trial
from groundup.motion.video.tracking import choice_note
from groundup.motion.video.view import detect_view

LEG = ("hip", "knee", "ankle")
MIN_FOOT_SWING = 0.15  # thigh lengths: feet moving less relative to each other = not walking


def foot_swing(kp) -> float:
    """How far the feet move relative to each other, in thigh lengths.

    The 5–95 % range of the left-minus-right ankle position, along whichever image axis moves
    more (side view: x, one foot passing the other; back/front view: y, one foot ahead). Walking
    gives about 1–3 thigh lengths, on a treadmill too; standing or exercising in place, ~0.

    Parameters
    ----------
    kp
        Cleaned keypoints (:class:`~groundup.motion.video.clean.Keypoints2D`).

    Returns
    -------
    float
        Thigh lengths (NaN when the ankles, hips or knees are missing).
    """
    need = [f"{s}_{p}" for s in ("left", "right") for p in LEG]
    if any(k not in kp.xy for k in need):
        return float("nan")
    thigh = np.nanmedian(np.concatenate([np.linalg.norm(kp.xy[f"{s}_hip"] - kp.xy[f"{s}_knee"],
                                                        axis=1) for s in ("left", "right")]))
    d = kp.xy["left_ankle"] - kp.xy["right_ankle"]
    d = d[np.isfinite(d).all(axis=1)]
    if len(d) < 10 or not thigh > 0:
        return float("nan")
    lo, hi = np.percentile(d, [5, 95], axis=0)
    return float(np.max(hi - lo) / thigh)


def _check_body(kp) -> None:
    for part in LEG:
        if not any(f"{s}_{part}" in kp.xy and np.isfinite(kp.xy[f"{s}_{part}"]).any()
                   for s in ("left", "right")):
            raise InsufficientDataError(f"no {part} keypoints after cleaning: the legs are not "
                                        "visible", hint="film the whole body, head to feet")
    feet = [np.isfinite(kp.xy[k]).all(axis=1) for k in kp.xy if k.endswith(("heel",
                                                                           "foot_index"))]
    if not feet or np.mean(np.any(feet, axis=0)) < 0.3:
        raise InsufficientDataError("the feet are out of the frame or hidden in most frames",
                                    hint="keep the feet in the picture: step back or tilt down")


def analyse_video_keypoints(df: pd.DataFrame, meta: dict, *, height_m: float | None = None,
                            view: str = "auto", known_distance: tuple[float, float] | None = None,
                            age: float | None = None, sex: str | None = None,
                            name: str | None = None) -> GaitResult:
    """Gait analysis of a video's keypoint table.

    Parameters
    ----------
    df, meta
        Keypoint table and metadata (``fps``, ``width``, ``height``) of
        :func:`groundup.motion.video.keypoints.run_pose` / ``load_keypoints`` or
        :func:`groundup.motion.video.project.project_trial`.
    height_m
        Subject's standing height, metres (scales lengths and speed).
    view
        ``"auto"``, ``"side"``, ``"back"`` or ``"front"``.
    known_distance
        ``(pixels, metres)`` of a distance in the walking plane; overrides ``height_m``.
    age, sex
        For the normative bands.
    name
        Trial name in the result.

    Raises
    ------
    GroundupError
        No person, legs or feet not visible, no scale given, an unknown view.
    """
    if view not in ("auto", "side", "back", "front"):
        raise GroundupError(f"unknown view {view!r}", hint="use auto, side, back or front")
    if height_m is None and known_distance is None:
        raise GroundupError("no scale: give the subject's height (--height 1.68) or a known "
                            "distance (--distance x1,y1,x2,y2,metres)")
    raw = to_wide(df, meta)
    kp = clean_keypoints(raw)
    _check_body(kp)
    vi = detect_view(kp, view=view)
    sc = (scale_from_distance(kp.n_frames, *known_distance) if known_distance
          else scale_from_height(kp, height_m, constant=vi.view == "side"))
    trial = keypoints_to_trial(kp, sc, vi, metadata={
        "height_m": height_m, "path": meta.get("path", ""), "synthetic": meta.get("synthetic",
                                                                                 False)})
    warnings = list(trial.metadata["warnings"]) + [f"scale: {sc.assumption}"]
    events, notes = detect_video_events(trial, vi, sc.px_per_m)
    warnings += notes
    swing = foot_swing(kp)
    if swing < MIN_FOOT_SWING:
        warnings.append(f"the subject does not seem to walk: the feet moved {swing:.2f} thigh "
                        "lengths relative to each other; no gait events are reported")
        events = []
    light = lighting_note(meta.get("lighting"))
    if light:
        warnings.append(light + " (keypoints less reliable: grades lowered)")
    unsure = choice_note(meta.get("subject"))
    if unsure:
        warnings.append(unsure + " (grades lowered)")
    wf = video_walking_frame(trial, vi)
    strides = stride_table(trial, events, wf)
    strides = _mark_steady(strides, trial, vi, events)
    steady = strides[strides["steady"]] if len(strides) else strides
    if len(strides) > len(steady):
        warnings.append(f"{len(strides) - len(steady)} stride(s) excluded from the summary: "
                        "turning, starting, stopping, at the image edge or holding a missed "
                        "contact")
    summary = summarise(steady.drop(columns="steady") if len(steady) else steady)
    if steady.empty:
        n_ic = sum(e.type == "IC" for e in events)
        warnings.append(f"no complete steady stride (found {n_ic} initial contact(s)): is the "
                        "subject walking, with at least 3 steps in view?" if events else
                        "no gait events found: is the subject walking?")
    side = np.zeros(trial.n_frames, dtype=bool)
    anterior = np.full(trial.n_frames, np.nan)
    for p in vi.passes:
        if p.view == "side":
            side[p.start:p.stop] = True
            anterior[p.start:p.stop] = 1.0 if p.facing == "image-right" else -1.0
    angles, ang_notes = sagittal_angles(trial, anterior) if side.any() else ({}, [])
    warnings += ang_notes
    curves = cycle_curves(trial, steady, {k: v for k, v in angles.items()
                                          if k[0] != "trunk_inclination"})
    for s, values in curve_metrics(curves).items():
        summary.setdefault(s, {}).update(values)
    trunk = angles.get(("trunk_inclination", "left"))
    if trunk is not None and np.isfinite(trunk[vi.steady & side]).any():
        summary["trunk_inclination_deg"] = float(np.nanmean(trunk[vi.steady & side]))
    frontal = np.zeros(trial.n_frames, dtype=bool)
    for p in vi.passes:
        frontal[p.start:p.stop] |= p.view != "side"
    if frontal.any():
        fviews = [p.view for p in vi.passes if p.view != "side"]
        fvals, fnotes = frontal_measures(trial, events, frontal, max(set(fviews),
                                                                     key=fviews.count))
        warnings += fnotes
        for s, values in fvals.items():
            summary.setdefault(s, {}).update(values)
    left, right = summary.get("left", {}), summary.get("right", {})
    sym = symmetry.symmetry_table({k: v for k, v in left.items() if isinstance(v, float)},
                                  {k: v for k, v in right.items() if isinstance(v, float)})
    norm_table = norms.compare(summary, age=age, sex=sex)
    vis = [np.nanmean(raw.visibility[k]) for k in raw.visibility
           if k.split("_", 1)[-1] in LEG + ("heel", "foot_index")]
    oblique = bool(np.nanmedian(vi.frontal_score[side]) > OBLIQUE_SCORE) if side.any() else False
    legs = leg_length_px(kp)
    leg_px = float(np.nanmedian(legs[vi.steady] if np.isfinite(legs[vi.steady]).any()
                                else legs)) if np.isfinite(legs).any() else float("nan")
    if leg_px < MIN_LEG_PX:
        warnings.append(f"the subject is small in the picture (thigh + shank {leg_px:.0f} px): "
                        "the pose model sees an enlarged, blurred person; grades lowered (film "
                        "closer, or at 1080p)")
    far = _far_side(vi)
    if far:
        warnings.append(f"the {far} leg was the far side of the side view: partly hidden behind "
                        "the near leg, its angles and stance/swing % are graded one level lower"
                        " (film each side, or walk back the other way)")
    q = Quality(fps=kp.fps, visibility=float(np.nanmean(vis)) if vis else 0.0,
                n_strides=int(len(steady)), oblique=oblique,
                swap_fraction=kp.stats.get("swap_fraction", 0.0), poor_light=bool(light),
                unsure_subject=bool(unsure), far_side=far,
                leg_px=leg_px if np.isfinite(leg_px) else float("inf"))
    metric_names = sorted({k for k, v in summary.items() if isinstance(v, float)}
                          | {k for s in ("left", "right") for k, v in summary.get(s, {}).items()
                             if isinstance(v, float)})
    conf = grades(metric_names, q)
    by_side = {s: grades([k for k, v in summary.get(s, {}).items() if isinstance(v, float)], q,
                         side=s) for s in ("left", "right")}
    provenance = {"file": meta.get("path") or None, "events": "video (kinematic + zeni)",
                  "software": f"groundup {__version__}"}
    findings = [dataclasses.replace(f, confidence=_finding_grade(f, conf, by_side))
                for f in gait_findings(summary, sym, norm_table, source="video",
                                       confidence="low", provenance=provenance)]
    metadata = {"rate_hz": kp.fps, "first_frame": 0, "n_frames": trial.n_frames,
                "dims": 2, "view": vi.view, "passes": trial.metadata["passes"],
                "near_side": trial.metadata["near_side"], "scale": sc.to_dict(),
                "event_mode": "video", "synthetic": bool(meta.get("synthetic", False)),
                "confidence": conf, "confidence_by_side": by_side,
                "quality": dataclasses.asdict(q),
                "cleaning": {k: round(float(v), 4) for k, v in kp.stats.items()},
                "foot_swing_thigh_lengths": round(swing, 3) if np.isfinite(swing) else None,
                "lighting": meta.get("lighting"),
                "subject": {"height_m": height_m} if height_m else {}}
    return GaitResult(trial=name or str(meta.get("name", "video")), source="video",
                      events=events, strides=strides, spatiotemporal=summary, kinematics=curves,
                      symmetry=sym, norms=norm_table, findings=findings, warnings=warnings,
                      metadata=metadata)


def _far_side(vi) -> str | None:
    """The leg farther from the camera in more than two thirds of the steady side-view frames
    (``None`` when each leg was near for a third of them or more: passes both ways)."""
    near = {"left": 0, "right": 0}
    for p in vi.passes:
        if p.view == "side" and p.near_side in near:
            near[p.near_side] += int(vi.steady[p.start:p.stop].sum())
    total = near["left"] + near["right"]
    for side, other in (("left", "right"), ("right", "left")):
        if total and near[other] > 2 / 3 * total:
            return side
    return None


def _finding_grade(f, conf: dict[str, str], by_side: dict[str, dict[str, str]]) -> str:
    """A finding's grade: its side's, the worse of both sides' for a comparison of the sides,
    the metric's otherwise."""
    metric = f.code.rsplit(".", 1)[-1]
    if f.side in by_side and metric in by_side[f.side]:
        return by_side[f.side][metric]
    sides = [g[metric] for g in by_side.values() if metric in g]
    if f.side == "bilateral" and sides:
        return max(sides, key=LEVELS.index)
    return conf.get(metric, "low")


#: A side view is graded oblique above this median frontal score (:func:`detect_view`). A
#: camera square to the walk scored 0.11-0.30 over the 11 semi-synthetic trials (the subject's
#: hip and shoulder widths against the segment lengths set where in that range); turning the
#: camera by 10-30 deg adds 0.03-0.25 depending on the subject (``bench`` notes, docs/video.md).
OBLIQUE_SCORE = 0.35
#: A stride this many times the median stride time of the video holds a missed contact (two
#: strides read as one take twice as long; stride time varies by a few per cent from stride to
#: stride, CV 1-3 % in healthy adults and rarely over 10 % in gait disorders, Hausdorff 2005,
#: J NeuroEng Rehabil 2:19) and is not steady.
MERGED_STRIDE = 1.5
STANDING_S = 0.3          # a walk starts (ends) from standing: the hip still this long
STANDING_FRACTION = 0.2   # "still": hip speed under this fraction of the walking speed


def _mark_steady(strides: pd.DataFrame, trial, vi, events: list) -> pd.DataFrame:
    """Add a ``steady`` column; blank what one camera cannot measure in each view.

    A stride is steady when over 80 % of its frames are steady (:func:`detect_view`: away from
    turns and the image edge, at walking speed) and it is not gait initiation or termination:
    when the video starts (ends) with the subject standing, the stride that starts at the
    first (ends at the last) initial contact is excluded -- walking speed is reached only
    over the first steps from standing (Breniere & Do 1986, J Biomech 19:1035; steady-state
    protocols skip the first and last steps, Lindemann et al. 2008, Clin Rehabil 22:351). With
    three strides or more, one lasting over :data:`MERGED_STRIDE` times their median holds a
    missed contact and is excluded too.
    """
    strides = strides.copy()
    if strides.empty:
        strides["steady"] = pd.Series(dtype=bool)
        return strides
    ics = sorted(e.time_s for e in events if e.type == "IC")
    start_still, end_still = _standing_ends(trial)
    durations = (strides["end_s"] - strides["start_s"]).to_numpy(dtype=float)
    typical = float(np.median(durations)) if len(durations) >= 3 else np.inf
    ok, frontal = [], []
    for row, duration in zip(strides.itertuples(), durations, strict=True):
        a, b = int(round(row.start_s * trial.rate)), int(round(row.end_s * trial.rate))
        b = min(b, trial.n_frames - 1)
        initiation = start_still and ics and abs(row.start_s - ics[0]) < 1e-9
        termination = end_still and ics and abs(row.end_s - ics[-1]) < 1e-9
        merged = duration > MERGED_STRIDE * typical
        ok.append(bool(vi.steady[a:b + 1].mean() > 0.8) and not initiation and not termination
                  and not merged)
        p = vi.pass_at(a)
        frontal.append(p is not None and p.view != "side")
    strides["steady"] = ok
    fr = np.array(frontal)
    strides.loc[~fr, "step_width_m"] = np.nan
    strides.loc[fr, ["stride_length_m", "step_length_m", "speed_m_s"]] = np.nan
    return strides


def _standing_ends(trial) -> tuple[bool, bool]:
    """Whether the subject stands still at the start and at the end of the video: the mid-hip
    moves slower than :data:`STANDING_FRACTION` of its median speed over the first (last)
    :data:`STANDING_S` seconds in which it is seen (image plane; a side view's walking speed,
    a front/back view's sway and scale change)."""
    if "L_HIP_CENTRE" not in trial.points or "R_HIP_CENTRE" not in trial.points:
        return False, False
    hip = 0.5 * (trial.points["L_HIP_CENTRE"] + trial.points["R_HIP_CENTRE"])
    speed = np.linalg.norm(np.gradient(hip[:, [0, 2]], axis=0), axis=1) * trial.rate
    seen = np.flatnonzero(np.isfinite(speed))
    k = int(round(STANDING_S * trial.rate))
    if seen.size < 4 * k:
        return False, False
    walking = np.median(speed[seen])
    head, tail = speed[seen[:k]], speed[seen[-k:]]
    return (bool(np.median(head) < STANDING_FRACTION * walking),
            bool(np.median(tail) < STANDING_FRACTION * walking))
