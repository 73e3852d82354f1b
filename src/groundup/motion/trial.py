"""The ``Trial``: one recording, whatever its origin (C3D, TRC/MOT, video keypoints, synthetic).

Conventions
-----------
- Positions are in **metres**, shape ``(n_frames, 3)`` (or ``(n_frames, 2)`` for image points),
  with ``NaN`` where a marker is missing. Readers convert from the file's unit.
- Time is on the **file's own axis**: ``t = (frame_index + first_frame) / rate``. For C3D,
  ``first_frame`` is the header's 0-based first frame (TRIAL:ACTUAL_START_FIELD - 1), so event
  times agree with Vicon/Qualisys EVENT:TIMES.
- Point names are the project's canonical vocabulary where a label is known
  (``L_HEEL``, ``R_ASIS``, ...; see :mod:`groundup.motion.vocabulary`); unknown labels keep the
  file's label. ``labels`` records the mapping canonical -> original label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

Side = Literal["left", "right"]
EventType = Literal["IC", "FO"]


@dataclass(frozen=True, kw_only=True)
class GaitEvent:
    """A gait event on the trial's time axis.

    Parameters
    ----------
    side
        ``"left"`` or ``"right"``.
    type
        ``"IC"`` (initial contact) or ``"FO"`` (foot off).
    time_s
        Time in seconds on the file's own axis.
    method
        What produced it: ``"force-plate"``, ``"zeni"``, ``"oconnor"``, ``"kinematic"``,
        ``"file"`` (stored in the recording), ...
    detail
        Free-form detail (plate name, agreement between methods, ...).
    """

    side: Side
    type: EventType
    time_s: float
    method: str
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the stable JSON form ``{side, type, time_s, method, ...}``."""
        d = {"side": self.side, "type": self.type, "time_s": round(float(self.time_s), 5),
             "method": self.method}
        if self.detail:
            d["detail"] = self.detail
        return d


@dataclass(kw_only=True)
class ForcePlate:
    """One force plate, in the lab (global) frame.

    Parameters
    ----------
    name
        Plate name (``FP1`` ...).
    rate
        Sampling rate of the force signals in Hz.
    force
        Ground reaction force on the subject, shape ``(n, 3)``, newtons.
    cop
        Centre of pressure, shape ``(n, 3)``, metres (``NaN`` when unloaded).
    corners
        Plate corners, shape ``(4, 3)``, metres.
    origin
        Sensor origin relative to the plate centre as stored in the file, metres.
    first_time_s
        Time of the first force sample on the trial's axis.
    """

    name: str
    rate: float
    force: np.ndarray
    cop: np.ndarray
    corners: np.ndarray
    origin: np.ndarray
    first_time_s: float
    moment: np.ndarray | None = None

    @property
    def time(self) -> np.ndarray:
        """Sample times in seconds on the trial's axis."""
        return self.first_time_s + np.arange(self.force.shape[0]) / self.rate

    @property
    def vertical_force(self) -> np.ndarray:
        """Force component along the plate normal (newtons, positive when loaded)."""
        normal = plate_normal(self.corners)
        fz = self.force @ normal
        # The sign of the stored force depends on the lab; loaded = the large excursion.
        if np.nanmax(fz) < -np.nanmin(fz):
            fz = -fz
        return fz


def plate_normal(corners: np.ndarray) -> np.ndarray:
    """Unit vector normal to a plate, pointing up (towards +vertical of the lab).

    Parameters
    ----------
    corners
        Plate corners, shape ``(4, 3)``.
    """
    a, b = corners[1] - corners[0], corners[2] - corners[0]
    # np.cross(a, b), written out: the same arithmetic without its array bookkeeping
    n = np.array([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]])
    norm = np.linalg.norm(n)
    if norm == 0:
        return np.array([0.0, 0.0, 1.0])
    n = n / norm
    axis = int(np.argmax(np.abs(n)))
    return n if n[axis] > 0 else -n


@dataclass(kw_only=True)
class Trial:
    """One recording of a person moving.

    Parameters
    ----------
    points
        Canonical point name -> positions, shape ``(n_frames, 3)`` in metres (``NaN`` = missing),
        or ``(n_frames, 2)`` in pixels for image keypoints.
    rate
        Point sampling rate in Hz.
    first_frame
        Index of the first stored frame on the file's own axis (0-based).
    labels
        Canonical name -> label in the file (prefix stripped).
    analogs
        Analog channel name -> samples.
    analog_rate
        Analog sampling rate in Hz (``None`` when there are no analogs).
    force_plates
        Force plates with their signals.
    events
        Events stored in the recording (``method="file"``).
    model_outputs
        Model outputs the file carries (e.g. Plug-in Gait ``LKneeAngles``), name -> ``(n, 3)``
        in the file's units (degrees for angles).
    metadata
        Subject and trial facts: ``height_m``, ``mass_kg``, ``leg_length_m``, ``subject``,
        ``vertical_axis`` (0/1/2), ``source`` (``"c3d"``, ``"trc"``, ...), ``path``,
        ``analysis`` (the file's own spatio-temporal values), ``units_in_file``.
    """

    points: dict[str, np.ndarray]
    rate: float
    first_frame: int = 0
    labels: dict[str, str] = field(default_factory=dict)
    analogs: dict[str, np.ndarray] = field(default_factory=dict)
    analog_rate: float | None = None
    force_plates: list[ForcePlate] = field(default_factory=list)
    events: list[GaitEvent] = field(default_factory=list)
    model_outputs: dict[str, np.ndarray] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.rate <= 0:
            raise ValueError(f"point rate must be positive, got {self.rate}")
        lengths = {k: v.shape[0] for k, v in self.points.items()}
        if len(set(lengths.values())) > 1:
            raise ValueError(f"points have different numbers of frames: {lengths}")

    @property
    def n_frames(self) -> int:
        """Number of stored frames."""
        if self.points:
            return next(iter(self.points.values())).shape[0]
        if self.model_outputs:
            return next(iter(self.model_outputs.values())).shape[0]
        return 0

    @property
    def time(self) -> np.ndarray:
        """Frame times in seconds on the file's own axis."""
        return (np.arange(self.n_frames) + self.first_frame) / self.rate

    @property
    def duration_s(self) -> float:
        """Duration covered by the stored frames, seconds."""
        return max(self.n_frames - 1, 0) / self.rate

    @property
    def vertical_axis(self) -> int:
        """Index of the vertical axis (0, 1 or 2)."""
        return int(self.metadata.get("vertical_axis", 2))

    def has(self, *names: str) -> bool:
        """Whether every named point exists and holds at least one finite sample."""
        return all(n in self.points and np.isfinite(self.points[n]).any() for n in names)

    def point(self, name: str) -> np.ndarray:
        """Positions of one point; raises ``KeyError`` with the known names when absent."""
        try:
            return self.points[name]
        except KeyError:
            known = ", ".join(sorted(self.points)) or "none"
            raise KeyError(f"no point {name!r} in this trial (points: {known})") from None

    def frame_of(self, time_s: float) -> float:
        """Fractional frame index (0-based into the stored frames) of a time on the file axis."""
        return time_s * self.rate - self.first_frame
