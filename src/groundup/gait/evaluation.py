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
