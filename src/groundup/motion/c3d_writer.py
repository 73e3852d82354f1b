"""Write a :class:`~groundup.motion.trial.Trial` to a C3D file (via ezc3d), e.g. for Mokka.

What is written: marker points in millimetres under their original labels (missing samples as
``NaN`` with residual -1), model outputs as points listed in POINT:ANGLES/FORCES/MOMENTS/
POWERS/SCALARS (in their own units), the first frame (header and TRIAL:ACTUAL_START_FIELD) so
that times match the source file, the events (EVENT group, Vicon style), the subject name and
the analog channels when their sample count is a whole multiple of the frames. Force plates are
not written (the plate calibration is not kept in a ``Trial``). Coordinates are not rotated: a
Y-up (OpenSim) trial stays Y-up.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from groundup.errors import GroundupError
from groundup.motion.trial import Trial

_EVENT_TEXT = {"IC": ("Foot Strike", "The instant the heel strikes the ground", 1),
               "FO": ("Foot Off", "The instant the toe leaves the ground", 2)}
_OUTPUT_GROUPS = (("Angle", "ANGLES"), ("Force", "FORCES"), ("Moment", "MOMENTS"),
                  ("Power", "POWERS"))


def _labels(trial: Trial, names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        label = trial.labels.get(n, n).strip() or n
        out.append(label if label not in out else f"{label}_{len(out) + 1}")
    return out


def _set_int(c3d, group: str, name: str, values: list[int]) -> None:
    """Store an INT parameter (``c3d.add_parameter`` turns int lists into floats)."""
    import ezc3d

    param = ezc3d.ezc3d.Parameter(name)
    param.set(ezc3d.ezc3d.VecInt([int(v) for v in values]))
    c3d["parameters"].add_parameter(group, param)


def write_c3d(trial: Trial, path: str | Path) -> list[str]:
    """Write a trial to a C3D file that :func:`groundup.motion.c3d.read_c3d` and Mokka read.

    Parameters
    ----------
    trial
        The trial: 3-D points in metres, ``rate`` in Hz, ``first_frame`` (0-based, file axis),
        events with times in seconds on that axis.
    path
        Destination file (any suffix; ``.c3d`` is usual).

    Returns
    -------
    list of str
        What could not be written (force plates, analogs of mismatched length); empty when
        everything was.

    Raises
    ------
    GroundupError
        When the trial has no frames, holds 2-D (image) points, numbers frames beyond the
        C3D header's 65535, or ezc3d cannot write the file.
    """
    import ezc3d

    path = Path(path)
    names = list(trial.points)
    outputs = list(trial.model_outputs)
    n = trial.n_frames
    if n == 0 or not names + outputs:
        raise GroundupError("the trial has no frames to write to a C3D file")
    for key, arr in [*trial.points.items(), *trial.model_outputs.items()]:
        if arr.ndim != 2 or arr.shape[1] != 3 or arr.shape[0] != n:
            raise GroundupError(f"only 3-D points of {n} frames can be written to a C3D file "
                                f"({key!r} has shape {arr.shape})")
    first = int(trial.first_frame)
    if first < 0 or first + n > 65535:
        raise GroundupError(f"frames {first + 1}..{first + n} cannot be numbered in a C3D header")
    notes: list[str] = []

    xyz = np.stack([trial.points[k] * 1000.0 for k in names]
                   + [trial.model_outputs[k].astype(float) for k in outputs], axis=0)  # (m, n, 3)
    missing = ~np.isfinite(xyz).all(axis=2)
    xyz[missing] = np.nan
    data = np.ones((4, xyz.shape[0], n))
    data[:3] = xyz.transpose(2, 0, 1)
    residuals = np.where(missing, -1.0, 0.0)[np.newaxis]

    c3d = ezc3d.c3d()
    point = c3d["parameters"]["POINT"]
    point["RATE"]["value"] = [float(trial.rate)]
    point["LABELS"]["value"] = _labels(trial, names) + outputs
    point["UNITS"]["value"] = ["mm"]
    for word, group in _OUTPUT_GROUPS:
        listed = [o for o in outputs if word.lower() in o.lower()]
        if listed:
            c3d.add_parameter("POINT", group, listed)
    scalars = [o for o in outputs if not any(w.lower() in o.lower() for w, _ in _OUTPUT_GROUPS)]
    if scalars:
        c3d.add_parameter("POINT", "SCALARS", scalars)
    c3d["header"]["points"]["first_frame"] = first
    c3d["data"]["points"] = data
    c3d["data"]["meta_points"]["residuals"] = residuals
    start, end = first + 1, first + n
    _set_int(c3d, "TRIAL", "ACTUAL_START_FIELD", [start & 0xFFFF, start >> 16])
    _set_int(c3d, "TRIAL", "ACTUAL_END_FIELD", [end & 0xFFFF, end >> 16])
    c3d.add_parameter("TRIAL", "CAMERA_RATE", [float(trial.rate)])
    subject = str(trial.metadata.get("subject", ""))
    if subject:
        c3d.add_parameter("SUBJECTS", "NAMES", [subject])
        _set_int(c3d, "SUBJECTS", "USED", [1])
    _write_events(c3d, trial, subject)
    _write_analogs(c3d, trial, n, notes)
    if trial.force_plates:
        notes.append(f"{len(trial.force_plates)} force plate(s) not written (no calibration "
                     "in a Trial)")

    tmp = path.with_name(path.name + ".tmp.c3d")  # ezc3d appends .c3d to other suffixes
    try:
        c3d.write(str(tmp))
        os.replace(tmp, path)
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        tmp.unlink(missing_ok=True)
        raise GroundupError(f"cannot write {path}: {exc}") from None
    return notes


def _write_events(c3d, trial: Trial, subject: str) -> None:
    events = sorted(trial.events, key=lambda e: e.time_s)
    if not events:
        return
    times = np.array([[np.floor(e.time_s / 60.0) for e in events],
                      [e.time_s - 60.0 * np.floor(e.time_s / 60.0) for e in events]])
    _set_int(c3d, "EVENT", "USED", [len(events)])
    c3d.add_parameter("EVENT", "LABELS", [_EVENT_TEXT[e.type][0] for e in events])
    c3d.add_parameter("EVENT", "DESCRIPTIONS", [_EVENT_TEXT[e.type][1] for e in events])
    c3d.add_parameter("EVENT", "CONTEXTS", [e.side.capitalize() for e in events])
    c3d.add_parameter("EVENT", "SUBJECTS", [subject] * len(events))
    c3d.add_parameter("EVENT", "TIMES", times)
    _set_int(c3d, "EVENT", "ICON_IDS", [_EVENT_TEXT[e.type][2] for e in events])
    _set_int(c3d, "EVENT", "GENERIC_FLAGS", [0] * len(events))


def _write_analogs(c3d, trial: Trial, n: int, notes: list[str]) -> None:
    if not trial.analogs or not trial.analog_rate:
        return
    lengths = {len(v) for v in trial.analogs.values()}
    ratio = trial.analog_rate / trial.rate
    if len(lengths) != 1 or abs(ratio - round(ratio)) > 1e-6 or lengths.pop() != n * round(ratio):
        notes.append("analog channels not written: their length is not a whole multiple of "
                     "the point frames")
        return
    labels = list(trial.analogs)
    analog = c3d["parameters"]["ANALOG"]
    analog["RATE"]["value"] = [float(trial.analog_rate)]
    analog["LABELS"]["value"] = labels
    analog["UNITS"]["value"] = ["V"] * len(labels)
    c3d["data"]["analogs"] = np.stack([trial.analogs[k] for k in labels])[np.newaxis].astype(float)
