"""Compare detected events with reference events within a tolerance (gaitmap-style)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from groundup.motion.trial import GaitEvent


def match_events(detected: list[GaitEvent], reference: list[GaitEvent], *,
                 tolerance_s: float = 0.05) -> pd.DataFrame:
    """One-to-one matching of detected to reference events of the same side and type.

    Greedy on the smallest time difference first, within ``tolerance_s``.

    Returns
    -------
    DataFrame
        One row per reference event and per unmatched detected event: ``side``, ``type``,
        ``ref_s``, ``det_s``, ``error_ms`` (detected minus reference), ``status``
        (``"match"``, ``"miss"``, ``"false"``), ``method``.
    """
    rows = []
    for side in ("left", "right"):
        for etype in ("IC", "FO"):
            ref = [e for e in reference if e.side == side and e.type == etype]
            det = [e for e in detected if e.side == side and e.type == etype]
            pairs = sorted(((abs(d.time_s - r.time_s), i, j) for i, r in enumerate(ref)
                            for j, d in enumerate(det)), key=lambda p: p[0])
            used_r, used_d = set(), set()
            for dt, i, j in pairs:
                if dt > tolerance_s or i in used_r or j in used_d:
                    continue
                used_r.add(i)
                used_d.add(j)
                rows.append({"side": side, "type": etype, "ref_s": ref[i].time_s,
                             "det_s": det[j].time_s,
                             "error_ms": 1000.0 * (det[j].time_s - ref[i].time_s),
                             "status": "match", "method": det[j].method})
            rows += [{"side": side, "type": etype, "ref_s": r.time_s, "det_s": np.nan,
                      "error_ms": np.nan, "status": "miss", "method": None}
                     for i, r in enumerate(ref) if i not in used_r]
            rows += [{"side": side, "type": etype, "ref_s": np.nan, "det_s": d.time_s,
                      "error_ms": np.nan, "status": "false", "method": d.method}
                     for j, d in enumerate(det) if j not in used_d]
    return pd.DataFrame(rows, columns=["side", "type", "ref_s", "det_s", "error_ms", "status",
                                       "method"])


def load_gold(path) -> dict:
    """Read a gold-events JSON (``shared/data/gold/*.json``, schema ``gold-events/1``).

    Returns
    -------
    dict
        ``source_file`` (relative to the data folder), ``confirmed`` (plate-confirmed
        :class:`GaitEvent` list, the ones to grade), ``all`` (every plate event).
    """
    import json
    from pathlib import Path

    doc = json.loads(Path(path).read_text())

    def ev(e: dict) -> GaitEvent:
        return GaitEvent(side="left" if e["side"] == "L" else "right", type=e["type"],
                         time_s=float(e["time"]), method="gold")

    return {"trial": doc["trial"], "source_file": doc["source_file"],
            "confirmed": [ev(e) for e in doc["events"] if e.get("plate_confirmed")],
            "all": [ev(e) for e in doc["events"]], "format": doc.get("format")}


def grade(detected: list[GaitEvent], confirmed: list[GaitEvent], every: list[GaitEvent], *,
          tolerance_s: float = 0.05, zone_s: float = 0.25) -> pd.DataFrame:
    """Grade detected events against plate-confirmed ones.

    A detected event is *false* when it matches no reference event and lies within ``zone_s``
    of a confirmed event of the same foot and kind (a duplicate or a misplaced event); events
    elsewhere in the trial are steps the plates did not see and are not graded.
    """
    m = match_events(detected, confirmed, tolerance_s=tolerance_s)
    unconfirmed = [e for e in every if not any(
        e.side == c.side and e.type == c.type and abs(e.time_s - c.time_s) < 1e-6
        for c in confirmed)]
    keep = []
    for row in m.itertuples():
        if row.status != "false":
            keep.append(True)
            continue
        near_unconfirmed = any(u.side == row.side and u.type == row.type
                               and abs(u.time_s - row.det_s) <= tolerance_s for u in unconfirmed)
        in_zone = any(c.side == row.side and c.type == row.type
                      and abs(c.time_s - row.det_s) <= zone_s for c in confirmed)
        keep.append(in_zone and not near_unconfirmed)
    return m[np.array(keep, dtype=bool)].reset_index(drop=True)
