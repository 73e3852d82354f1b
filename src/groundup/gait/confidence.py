"""A confidence grade for every video metric: high, moderate, low, very low.

Each metric starts at the ceiling its kind allows from one camera and loses a grade for each
weakness (Stenum et al. 2021 and the semi-synthetic benchmark of ``bench/video_synthetic.py``
set the ceilings):

==========================  =======  ==============================================
kind                        ceiling  why
==========================  =======  ==============================================
timing (cadence, stance %)  high     events within a frame at 30 fps, side view
length (step, speed)        moderate scale from height assumes average proportions
sagittal angle              high     knee within 2-4 deg of 3-D; hip and ankle less
hip / ankle sagittal angle  moderate pelvis unseen; foot neutral from foot-flat
frontal angle               moderate 2-D projection of 3-D angles
rearfoot angle              low      the heel keypoint is not a calcaneus line
==========================  =======  ==============================================

Penalties (one grade each): a view other than the one the metric needs is not graded (the metric
is not computed); the view oblique (frontal score 0.35-0.5 in a side view); frame rate below 29
Hz (:data:`MIN_FULL_FPS`; two grades below 15 Hz); mean visibility of the keypoints below 0.7;
fewer than 3 strides (two grades with 1); more than 5 % of frames with repaired left/right
swaps; a very dark video or a backlit subject (``motion.video.look``: mean grey level below 50
of 255, or the subject below half the brightness of a bright scene); the walking subject chosen
automatically with a confidence below 0.6 (``motion.video.tracking.SURE_CHOICE``: another person
moved nearly as much, or nobody walked far enough); a subject whose thigh + shank spans fewer
than 125 px in the image (:data:`MIN_LEG_PX`; two grades below 62). In a side view the far leg's
angles and stance/swing % lose one more (:data:`FAR_SIDE_METRICS`); each side's grades are in
``metadata["confidence_by_side"]``.
"""

from __future__ import annotations

from dataclasses import dataclass

LEVELS = ("high", "moderate", "low", "very low")
#: Lowest frame rate (Hz) graded without penalty: the benchmark's targets hold at 30 fps, while
#: at 24-25 fps the knee RMSE rises to 3.2-3.4 deg and the cadence error to 1.7-2.1 steps/min
#: (``bench/video_synthetic.py --fps 25``: left/right swaps are harder to tell from the legs
#: crossing when the feet travel farther between frames). 29 admits 29.97 fps video.
MIN_FULL_FPS = 29.0
#: Smallest subject graded without penalty: thigh + shank in the image, pixels. BlazePose's
#: landmark model looks at a 256 x 256 px crop of the person, whose height is about 2 leg
#: lengths (thigh + shank = 0.491 x height, Winter 2009); a smaller person is enlarged and blurred
#: for it. The demo video (legs 189 px) shrunk to 640, 480 and 320 px wide (legs 68, 51, 34
#: px): 3 of its 8 contacts lost at 640; at 480 14.5 % of frames relabelled as swaps and a
#: cadence of 130.1 against 96.9 steps/min. Two grades below half of it.
MIN_LEG_PX = 125.0
CEILING = {"timing": 0, "length": 1, "sagittal": 0, "sagittal_weak": 1, "frontal": 1,
           "rearfoot": 2}


@dataclass(frozen=True, kw_only=True)
class Quality:
    """What the grades depend on, for one video.

    Parameters
    ----------
    fps
        Frame rate, Hz.
    visibility
        Mean visibility (0-1) of the leg keypoints.
    n_strides
        Complete steady strides used.
    oblique
        The side view is oblique (frontal score 0.35-0.5).
    swap_fraction
        Fraction of frames whose leg labels were exchanged.
    poor_light
        The video is very dark or the subject backlit.
    unsure_subject
        The walking subject was chosen automatically with low confidence.
    leg_px
        Median thigh + shank length of the subject in the image over the steady frames, pixels.
    far_side
        ``"left"``/``"right"``: the leg farther from the camera in more than two thirds of the
        steady side-view frames (``None`` without a side view, or with passes both ways).
    """

    fps: float
    visibility: float
    n_strides: int
    oblique: bool = False
    swap_fraction: float = 0.0
    poor_light: bool = False
    unsure_subject: bool = False
    leg_px: float = float("inf")
    far_side: str | None = None


def grade(kind: str, q: Quality) -> str:
    """Confidence grade of one metric kind (see the module table) for a video's quality."""
    level = CEILING[kind]
    if q.fps < 15:
        level += 2
    elif q.fps < MIN_FULL_FPS:
        level += 1
    level += int(q.visibility < 0.7) + int(q.oblique) + int(q.swap_fraction > 0.05)
    level += int(q.poor_light) + int(q.unsure_subject)
    level += 2 if q.leg_px < 0.5 * MIN_LEG_PX else 1 if q.leg_px < MIN_LEG_PX else 0
    level += 2 if q.n_strides <= 1 else 1 if q.n_strides < 3 else 0
    return LEVELS[min(level, len(LEVELS) - 1)]


#: metric id -> kind
KIND = {"cadence_steps_min": "timing", "stride_time_s": "timing", "step_time_s": "timing",
        "stance_pct": "timing", "swing_pct": "timing", "double_support_pct": "timing",
        "stride_time_cv_pct": "timing", "step_time_cv_pct": "timing",
        "speed_m_s": "length", "stride_length_m": "length", "step_length_m": "length",
        "step_width_m": "length", "stride_length_cv_pct": "length",
        "knee_peak_swing_flexion_deg": "sagittal", "hip_peak_extension_deg": "sagittal_weak",
        "hip_flexion_ic_deg": "sagittal_weak", "ankle_peak_dorsiflexion_deg": "sagittal_weak",
        "trunk_inclination_deg": "sagittal", "pelvic_drop_deg": "frontal",
        "trunk_lateral_lean_deg": "frontal", "knee_fppa_deg": "frontal",
        "rearfoot_eversion_deg": "rearfoot"}


#: Metrics of one leg that lose a grade on the far side of a side view: that leg is partly
#: hidden behind the near one and the model guesses its keypoints. On the demo video the far
#: (right) knee's visibility averages 0.77 against 0.98 near, its foot offs come 0-2 frames
#: early (stance 62.4 % against 65.7 % annotated) and its peak swing knee flexion reads 45.8
#: against 66.7 deg on the near side of the same, unremarkable walk.
FAR_SIDE_METRICS = frozenset({"stance_pct", "swing_pct", "knee_peak_swing_flexion_deg",
                              "hip_peak_extension_deg", "hip_flexion_ic_deg",
                              "ankle_peak_dorsiflexion_deg"})


def grades(metrics: list[str], q: Quality, side: str | None = None) -> dict[str, str]:
    """Grades of the named metrics (unknown metrics are graded as ``length``); for ``side``
    (``"left"``/``"right"``) the values of that leg, one grade lower for
    :data:`FAR_SIDE_METRICS` when it is the far side."""
    out = {m: grade(KIND.get(m, "length"), q) for m in metrics}
    if side is not None and side == q.far_side:
        for m in out:
            if m in FAR_SIDE_METRICS:
                out[m] = LEVELS[min(LEVELS.index(out[m]) + 1, len(LEVELS) - 1)]
    return out
