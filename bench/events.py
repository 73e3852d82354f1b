"""Event detection accuracy against force-plate-confirmed gold events.

Runs every detector over every trial in ../shared/data with the force plates hidden from the
kinematic detectors, and prints matched events, misses, false events (50 ms tolerance), and the
mean absolute and maximum error for IC and FO by method. The ``force-plate`` row checks our
plate detector against the gold (plates visible).

    .venv/bin/python bench/events.py [-v] [--sensitivity]

``--sensitivity`` reruns groundup's ``kinematic`` detector with each setting moved up and down,
to show how much the figures depend on the chosen values.
"""

from __future__ import annotations

import copy
import dataclasses
import sys
from pathlib import Path

import pandas as pd

from groundup.gait.evaluation import grade, load_gold
from groundup.gait.events.forceplate import force_plate_events
from groundup.gait.events.kinematic import DETECTORS, FootContact
from groundup.gait.geometry import walking_frame
from groundup.motion.load import load_trial

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def main() -> int:
    golds = sorted((DATA / "gold").glob("*.json"))
    if not golds:
        print(f"no gold files under {DATA}: nothing to measure")
        return 0
    rows = []
    for g in golds:
        gold = load_gold(g)
        trial = load_trial(DATA / gold["source_file"])
        plate_events, _ = force_plate_events(trial)
        hidden = copy.copy(trial)
        hidden.force_plates = []
        wf = walking_frame(hidden)
        runs = {name: det.detect(hidden, wf) for name, det in DETECTORS.items()}
        runs["force-plate"] = plate_events
        for method, events in runs.items():
            m = grade(events, gold["confirmed"], gold["all"])
            m["method"], m["trial"] = method, gold["trial"]
            rows.append(m)
    df = pd.concat(rows, ignore_index=True)
    n_trials = len(golds)
    print(f"{n_trials} trials, {sum(len(load_gold(g)['confirmed']) for g in golds)} "
          "plate-confirmed events; tolerance 50 ms")
    print(f"{'method':12s} {'event':5s} {'ref':>4s} {'match':>5s} {'miss':>4s} {'false':>5s} "
          f"{'MAE ms':>7s} {'bias ms':>7s} {'max ms':>7s}")
    for method in ["force-plate", *DETECTORS]:
        for etype in ("IC", "FO"):
            d = df[(df.method == method) & (df.type == etype)]
            ok = d[d.status == "match"]
            err = ok.error_ms
            print(f"{method:12s} {etype:5s} {int((d.status != 'false').sum()):4d} "
                  f"{len(ok):5d} {int((d.status == 'miss').sum()):4d} "
                  f"{int((d.status == 'false').sum()):5d} {err.abs().mean():7.1f} "
                  f"{err.mean():7.1f} {err.abs().max():7.1f}")
    if "-v" in sys.argv:
        print(df[df.status != "match"].to_string())
    if "--sensitivity" in sys.argv:
        sensitivity(golds)
    return 0


def sensitivity(golds: list[Path]) -> None:
    """IC/FO MAE and misses of the kinematic detector with each setting varied."""
    trials = []
    for g in golds:
        gold = load_gold(g)
        hidden = copy.copy(load_trial(DATA / gold["source_file"]))
        hidden.force_plates = []
        trials.append((gold, hidden, walking_frame(hidden)))
    base = FootContact()
    print("\nsensitivity of 'kinematic' (IC MAE/miss+false, FO MAE/miss+false):")
    for field, factors in (("ic_speed_fraction", (0.8, 1.2)), ("contact_mm", (0.5, 2.0)),
                           ("hover_mm", (0.5, 2.0)), ("agree_s", (0.5, 2.0)),
                           ("fo_speed_fraction", (0.8, 1.2)), ("swing_fraction", (0.8, 1.2))):
        for f in factors:
            value = getattr(base, field) * f
            det = dataclasses.replace(base, **{field: value})
            m = pd.concat([grade(det.detect(t, wf), gold["confirmed"], gold["all"])
                           for gold, t, wf in trials])
            out = []
            for etype in ("IC", "FO"):
                d = m[m.type == etype]
                bad = int((d.status != "match").sum())
                out.append(f"{d[d.status == 'match'].error_ms.abs().mean():5.1f} ms/{bad}")
            print(f"  {field:18s} = {value:6.3f}: IC {out[0]}  FO {out[1]}")


if __name__ == "__main__":
    raise SystemExit(main())
