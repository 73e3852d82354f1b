"""Choose and combine event sources: force plates where a foot was on one, kinematics elsewhere."""

from __future__ import annotations

from typing import Literal

from groundup.errors import GroundupError
from groundup.gait.events.forceplate import force_plate_events
from groundup.gait.events.kinematic import DETECTORS
from groundup.gait.geometry import WalkingFrame
from groundup.motion.trial import GaitEvent, Trial

Mode = Literal["auto", "force-plate", "kinematic", "zeni", "oconnor", "file"]
MODES = ("auto", "force-plate", "kinematic", "zeni", "oconnor", "file")
#: A kinematic event this close to a plate event of the same foot and kind is the same event.
SAME_EVENT_S = 0.15


def detect_events(trial: Trial, wf: WalkingFrame, mode: Mode = "auto"
                  ) -> tuple[list[GaitEvent], list[str]]:
    """Gait events of a trial and notes on how they were found.

    Parameters
    ----------
    trial
        The recording.
    wf
        Its walking frame (:func:`groundup.gait.geometry.walking_frame`).
    mode
        ``"auto"``: force-plate events where a foot was cleanly on a plate, the ``kinematic``
        detector elsewhere; ``"force-plate"``: plates only; ``"kinematic"``, ``"zeni"``,
        ``"oconnor"``: that marker-based detector with the plates ignored; ``"file"``: the
        events stored in the recording.
    """
    notes: list[str] = []
    if mode not in MODES:
        raise GroundupError(f"unknown event method {mode!r}", hint=f"use one of {MODES}")
    if mode == "file":
        if not trial.events:
            raise GroundupError("the recording stores no events", hint="use --events auto")
        return sorted(trial.events, key=lambda e: e.time_s), notes
    plate: list[GaitEvent] = []
    if mode in ("auto", "force-plate"):
        plate, contacts = force_plate_events(trial)
        for c in contacts:
            if c.reasons:
                notes.append(f"plate {c.plate} ({'left' if c.side == 'L' else 'right'} foot): "
                             + "; ".join(c.reasons))
        if mode == "force-plate":
            if not plate:
                raise GroundupError("no usable force-plate contact in this trial",
                                    hint="use --events kinematic")
            return plate, notes
    detector = DETECTORS["kinematic" if mode == "auto" else mode]
    kin = detector.detect(trial, wf)
    kept = [e for e in kin if not any(p.side == e.side and p.type == e.type
                                      and abs(p.time_s - e.time_s) < SAME_EVENT_S
                                      for p in plate)]
    events = sorted(plate + kept, key=lambda e: e.time_s)
    return _alternating(events), notes


def _alternating(events: list[GaitEvent]) -> list[GaitEvent]:
    """Drop repeats: per foot, IC and FO must alternate; of two in a row keep the plate's/first."""
    out: list[GaitEvent] = []
    last: dict[str, GaitEvent] = {}
    for e in events:
        prev = last.get(e.side)
        if prev is not None and prev.type == e.type:
            if e.method == "force-plate" and prev.method != "force-plate":
                out.remove(prev)
            else:
                continue
        out.append(e)
        last[e.side] = e
    return out
