"""Pixels -> metres: from the subject's height, or from a known distance in the walking plane.

**Height** (:func:`scale_from_height`): the image length of the thigh (hip -> knee keypoint) and
shank (knee -> ankle) is compared with their share of standing height in Winter's (2009)
anthropometric table: thigh 0.245 H, shank 0.246 H, so ``px_per_m = (thigh_px + shank_px) /
(0.491 H)``. Assumptions, and their effect:

- the subject's proportions are average: individuals vary by about +-4 % (SD) in leg length
  relative to height, so **every length and the speed carry a systematic error of about 4 %
  (up to 8 %)**; times, cadence and angles are unaffected;
- side view: the walking line is at one distance from the camera (a person walking
  obliquely, or a wide-angle lens near the edges, adds error); frontal view: the scale is
  tracked frame by frame as the subject approaches or recedes, and lengths along the line of
  sight are not measured.

**Known distance** (:func:`scale_from_distance`): two points a known distance apart on the
walking line (floor tape, a 2 m stick) measured in the image, in pixels: exact up to the
marking, for a subject walking in that plane.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from groundup.errors import GroundupError, InsufficientDataError
from groundup.motion.video.clean import Keypoints2D
from groundup.signal import fill_gaps, lowpass

#: Segment lengths as fractions of standing height (Winter 2009, Biomechanics and Motor
#: Control of Human Movement, 4th ed., Fig. 4.1).
WINTER = {"thigh": 0.245, "shank": 0.246}
HEIGHT_UNCERTAINTY_PCT = 4.0


@dataclass(kw_only=True)
class Scale:
    """Image scale at the subject.

    Attributes
    ----------
    px_per_m
        Pixels per metre, per frame ``(n,)`` (constant in a side view).
    method
        ``"height"`` or ``"known-distance"``.
    assumption
        The assumption in words, for the result's metadata and warnings.
    uncertainty_pct
        Systematic uncertainty of lengths and speed, percent (1 SD).
    """

    px_per_m: np.ndarray
    method: str
    assumption: str
    uncertainty_pct: float

    def to_dict(self) -> dict:
        """JSON form (median scale)."""
        return {"method": self.method, "px_per_m": round(float(np.nanmedian(self.px_per_m)), 2),
                "assumption": self.assumption, "length_uncertainty_pct": self.uncertainty_pct}


def leg_length_px(kp: Keypoints2D) -> np.ndarray:
    """Per-frame thigh + shank length in pixels (mean of the sides present), ``(n,)``."""
    sides = []
    for s in ("left", "right"):
        names = [f"{s}_{p}" for p in ("hip", "knee", "ankle")]
        if all(k in kp.xy for k in names):
            h, k, a = (kp.xy[m] for m in names)
            sides.append(np.linalg.norm(h - k, axis=1) + np.linalg.norm(k - a, axis=1))
    if not sides:
        return np.full(kp.n_frames, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(np.stack(sides), axis=0)


def scale_from_height(kp: Keypoints2D, height_m: float, *, constant: bool = True) -> Scale:
    """Scale from the subject's standing height.

    Parameters
    ----------
    kp
        Cleaned trajectories (pixels).
    height_m
        Standing height, metres (0.5-2.5).
    constant
        One scale for the whole video (side view, camera distance fixed); ``False`` tracks it
        per frame (frontal view) with the upper envelope of the leg length over 1 s (the leg is
        shortest in the image when flexed towards the camera).

    Raises
    ------
    GroundupError
        For an implausible height; :class:`InsufficientDataError` without hip, knee and
        ankle keypoints.
    """
    if not 0.5 <= float(height_m) <= 2.5:
        raise GroundupError(f"height {height_m} m is not plausible",
                            hint="give the standing height in metres, e.g. --height 1.68")
    leg = leg_length_px(kp)
    if np.isfinite(leg).sum() < 3:
        raise InsufficientDataError("hips, knees or ankles are not visible, so the image "
                                    "cannot be scaled", hint="film the whole body")
    ref = (WINTER["thigh"] + WINTER["shank"]) * float(height_m)
    if constant:
        # Side on, the leg is in the image plane; its 75th percentile discounts frames where
        # the pose model shortens it (crossing legs, occlusion).
        px = np.full(kp.n_frames, float(np.nanpercentile(leg, 75)) / ref)
    else:
        from scipy.ndimage import maximum_filter1d

        filled = fill_gaps(leg)[0]
        filled = np.where(np.isfinite(filled), filled, np.nanmedian(leg))
        env = maximum_filter1d(filled, size=max(int(kp.fps), 3), mode="nearest")
        px = lowpass(env, kp.fps, 0.5) / ref
    assumption = (f"height {height_m:.2f} m with average proportions (thigh + shank = 0.491 x "
                  "height, Winter 2009): lengths and speed carry about +-4 % (up to 8 %) "
                  "systematic error; times, cadence and angles do not depend on it")
    return Scale(px_per_m=px, method="height", assumption=assumption,
                 uncertainty_pct=HEIGHT_UNCERTAINTY_PCT)


def scale_from_distance(n_frames: int, distance_px: float, distance_m: float) -> Scale:
    """Scale from a known distance in the walking plane.

    Parameters
    ----------
    n_frames
        Frames in the video.
    distance_px
        The distance measured in the image, pixels.
    distance_m
        The same distance in metres.
    """
    if not (distance_px > 0 and distance_m > 0):
        raise GroundupError("a known distance needs positive pixel and metre values")
    return Scale(px_per_m=np.full(n_frames, distance_px / distance_m), method="known-distance",
                 assumption=f"{distance_m:.3f} m = {distance_px:.1f} px in the walking plane; "
                            "lengths are exact for a subject walking in that plane",
                 uncertainty_pct=1.0)
