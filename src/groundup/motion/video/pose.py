"""Pose backends: one person's 33 BlazePose keypoints from one image.

The default backend is BlazePose through ``mediapipe.solutions.pose`` (mediapipe 0.10.14), whose
wheel ships the *full* landmark model (``pose_landmark_full.tflite``) and the person detector, so
it runs offline. The *lite* and *heavy* models are not in the wheel; mediapipe would download them
at run time, which groundup never allows. They can be used from a file the user supplies (the npm
package ``@mediapipe/pose`` carries ``pose_landmark_lite.tflite`` and
``pose_landmark_heavy.tflite``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from groundup.errors import GroundupError
from groundup.motion.video.quiet import native_stderr_silenced

__all__ = ["LANDMARK_NAMES", "PoseBackend", "PoseResult", "BlazePoseBackend", "ModelError"]

#: The 33 BlazePose landmarks, in the model's order.
LANDMARK_NAMES: tuple[str, ...] = (
    "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye",
    "right_eye_outer", "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder",
    "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_pinky",
    "right_pinky", "left_index", "right_index", "left_thumb", "right_thumb", "left_hip",
    "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle", "left_heel",
    "right_heel", "left_foot_index", "right_foot_index",
)  # fmt: skip

_COMPLEXITY = {"lite": 0, "full": 1, "heavy": 2}
_MODEL_FILE = {
    "lite": "pose_landmark_lite.tflite",
    "full": "pose_landmark_full.tflite",
    "heavy": "pose_landmark_heavy.tflite",
}


class ModelError(GroundupError):
    """A pose model cannot be loaded (missing file, wrong file)."""


@dataclass
class PoseResult:
    """Keypoints of one person in one frame.

    Attributes
    ----------
    xy_px
        (33, 2) image coordinates in pixels of the original frame (x right, y down).
    z_rel
        (33,) BlazePose relative depth, in the same pixel scale as ``xy_px``; origin at the hip
        midpoint, smaller is nearer the camera. Much less reliable than x and y.
    visibility
        (33,) probability (0–1) that the landmark is visible (not occluded, inside the image).
    world_m
        (33, 3) BlazePose world coordinates in metres, origin at the hip midpoint.
    """

    xy_px: np.ndarray
    z_rel: np.ndarray
    visibility: np.ndarray
    world_m: np.ndarray


@runtime_checkable
class PoseBackend(Protocol):
    """Anything that finds one person's 33 BlazePose-named keypoints in an RGB image."""

    name: str
    model: str

    def process(
        self, frame_rgb: np.ndarray, *, offset_px: tuple[float, float] = (0.0, 0.0),
        scale: float = 1.0,
    ) -> PoseResult | None:
        """Keypoints of the person in ``frame_rgb`` (None when nobody is found).

        ``frame_rgb`` may be a crop and/or a downscaled copy of the original frame: pixel
        coordinates are returned as ``pixel_in_image / scale + offset_px``.
        """
        ...

    def reset(self) -> None:
        """Forget the previous frames (call when the image stream jumps)."""
        ...

    def close(self) -> None:
        """Release the model."""
        ...


def _wheel_dir() -> Path:
    import mediapipe

    return Path(mediapipe.__file__).resolve().parent


class _ResourceShim:
    """Stands in for mediapipe's resource_util while a graph is built from another directory."""

    def __init__(self, root: str) -> None:
        from mediapipe.python._framework_bindings import resource_util

        self._real = resource_util
        self._root = root

    def set_resource_dir(self, _ignored: str) -> None:
        self._real.set_resource_dir(self._root)


def _resource_root_with(model: str, model_path: Path) -> str:
    """A temporary mediapipe resource tree holding the wheel's detector and the user's model."""
    root = Path(tempfile.mkdtemp(prefix="groundup-pose-"))
    dest = root / "mediapipe" / "modules"
    (dest / "pose_landmark").mkdir(parents=True)
    (dest / "pose_detection").mkdir(parents=True)
    wheel = _wheel_dir() / "modules"
    for sub, fname in (("pose_detection", "pose_detection.tflite"),):
        os.symlink(wheel / sub / fname, dest / sub / fname)
    shutil.copyfile(model_path, dest / "pose_landmark" / _MODEL_FILE[model])
    return str(root)


class BlazePoseBackend:
    """BlazePose (mediapipe legacy ``solutions.pose``), video mode, one person per image.

    Parameters
    ----------
    model
        ``"full"`` (in the wheel, default), ``"lite"`` or ``"heavy"`` (need ``model_path``).
    model_path
        The ``pose_landmark_lite.tflite`` / ``pose_landmark_heavy.tflite`` file, e.g. from the
        npm package ``@mediapipe/pose``. Never downloaded.
    min_detection_confidence, min_tracking_confidence
        mediapipe thresholds (0–1).
    smooth_landmarks
        mediapipe's own temporal filter. Off by default: it lags (shifts gait events) and
        groundup filters afterwards with a zero-phase filter.

    Raises
    ------
    ModelError
        Unknown model name, or the lite/heavy model file is absent.
    """

    name = "blazepose"

    def __init__(
        self, *, model: str = "full", model_path: str | Path | None = None,
        min_detection_confidence: float = 0.5, min_tracking_confidence: float = 0.5,
        smooth_landmarks: bool = False,
    ) -> None:
        if model not in _COMPLEXITY:
            raise ModelError(f"Unknown BlazePose model {model!r}", hint="use full, lite or heavy")
        self.model = model
        self._tmp_root: str | None = None
        self._landmarks_started = False
        options = dict(
            static_image_mode=False, model_complexity=_COMPLEXITY[model],
            smooth_landmarks=smooth_landmarks, enable_segmentation=False,
            min_detection_confidence=min_detection_confidence,
            min_tracking_confidence=min_tracking_confidence,
        )
        from mediapipe.python import solution_base
        from mediapipe.python.solutions import pose as mp_pose

        if model == "full" and model_path is None:
            if not (_wheel_dir() / "modules" / "pose_landmark" / _MODEL_FILE["full"]).exists():
                raise ModelError("The BlazePose full model is missing from the mediapipe wheel",
                                 hint="reinstall mediapipe==0.10.14")
            with native_stderr_silenced():  # the models log natively while they start
                self._pose = mp_pose.Pose(**options)
                self._pose.process(np.zeros((64, 64, 3), np.uint8))  # wait until started
                self._pose.reset()
            return
        if model_path is None or not Path(model_path).is_file():
            raise ModelError(
                f"The BlazePose {model} model is not installed (it is not in the mediapipe wheel, "
                "and groundup never downloads models)",
                hint=f"give the path of {_MODEL_FILE[model]} (the npm package @mediapipe/pose "
                "carries it), or use the full model",
            )
        self._tmp_root = _resource_root_with(model, Path(model_path))
        real = solution_base.resource_util
        solution_base.resource_util = _ResourceShim(self._tmp_root)
        try:  # bypass Pose.__init__'s download step: build the same graph directly
            solution_base.SolutionBase.__init__(
                self._pose_obj(mp_pose), binary_graph_path=mp_pose._BINARYPB_FILE_PATH,
                side_inputs={"model_complexity": _COMPLEXITY[model],
                             "smooth_landmarks": smooth_landmarks,
                             "enable_segmentation": False, "smooth_segmentation": False,
                             "use_prev_landmarks": True},
                calculator_params={
                    "posedetectioncpu__TensorsToDetectionsCalculator.min_score_thresh":
                        min_detection_confidence,
                    "poselandmarkbyroicpu__tensorstoposelandmarksandsegmentation__"
                    "ThresholdingCalculator.threshold": min_tracking_confidence,
                },
                outputs=["pose_landmarks", "pose_world_landmarks", "segmentation_mask"],
            )
        except Exception as exc:
            raise ModelError(f"{Path(model_path).name} could not be loaded as the BlazePose "
                             f"{model} landmark model", hint="check the file") from exc
        finally:
            solution_base.resource_util = real

    def _pose_obj(self, mp_pose):
        self._pose = mp_pose.Pose.__new__(mp_pose.Pose)
        return self._pose

    def process(
        self, frame_rgb: np.ndarray, *, offset_px: tuple[float, float] = (0.0, 0.0),
        scale: float = 1.0,
    ) -> PoseResult | None:
        """Run BlazePose on one RGB uint8 image.

        Parameters
        ----------
        frame_rgb
            (h, w, 3) RGB uint8 image: a whole frame, a crop, or a downscaled copy.
        offset_px
            Position (x, y) in original-frame pixels of the image's top-left corner.
        scale
            Image pixels per original pixel (``< 1`` when the image was downscaled).

        Returns
        -------
        PoseResult or None
            Keypoints in original-frame pixels, or None when no person was found.
        """
        h, w = frame_rgb.shape[:2]
        if self._landmarks_started:
            result = self._pose.process(np.ascontiguousarray(frame_rgb))
        else:  # the landmark model starts (and logs natively) at the first person found
            with native_stderr_silenced():
                result = self._pose.process(np.ascontiguousarray(frame_rgb))
        if result.pose_landmarks is None:
            return None
        self._landmarks_started = True
        lm = np.array([(p.x, p.y, p.z, p.visibility) for p in result.pose_landmarks.landmark])
        xy = np.column_stack([lm[:, 0] * w / scale + offset_px[0],
                              lm[:, 1] * h / scale + offset_px[1]])
        world = np.full((33, 3), np.nan)
        if result.pose_world_landmarks is not None:
            world = np.array([(p.x, p.y, p.z) for p in result.pose_world_landmarks.landmark])
        return PoseResult(xy, lm[:, 2] * w / scale, np.clip(lm[:, 3], 0.0, 1.0), world)

    def reset(self) -> None:
        """Forget mediapipe's tracked region (next frame runs the person detector)."""
        self._pose.reset()

    def close(self) -> None:
        """Release the mediapipe graph and any temporary model directory."""
        self._pose.close()
        if self._tmp_root:
            shutil.rmtree(self._tmp_root, ignore_errors=True)
            self._tmp_root = None
