"""Trials per second for load + events + parameters + kinematics, vs ezc3d reading alone.

Both are timed in the same run, on one core, over every C3D file in ../shared/data
(repeated ``--repeat`` times; the best of ``--passes`` passes, as ``timeit`` advises: the
fastest pass is the one least disturbed by the rest of the machine).

    .venv/bin/python bench/throughput.py
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import ezc3d  # noqa: E402

from groundup.gait import analyse as pipeline  # noqa: E402
from groundup.gait import kinematics  # noqa: E402
from groundup.gait.analyse import analyse_trial  # noqa: E402
from groundup.motion.load import load_trial  # noqa: E402

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _best(fn, files, repeat: int, passes: int) -> float:
    best = float("inf")
    for _ in range(passes):
        t0 = time.perf_counter()
        for _ in range(repeat):
            for f in files:
                fn(f)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    files = sorted(p for p in (DATA / "c3d").rglob("*.c3d") if "Standing" not in p.name)
    if not files:
        print(f"no C3D files under {DATA}")
        return 0
    warnings.simplefilter("ignore")
    n = len(files) * args.repeat
    t_read = _best(lambda f: ezc3d.c3d(str(f), extract_forceplat_data=True), files, args.repeat,
                   args.passes)
    t_full = _best(lambda f: analyse_trial(load_trial(f)), files, args.repeat, args.passes)
    print(f"{len(files)} walking C3D files x {args.repeat}, best of {args.passes} passes, "
          "one process")
    print(f"ezc3d read only            : {n / t_read:7.1f} trials/s ({1000 * t_read / n:6.1f} ms)")
    print(f"groundup full (auto events): {n / t_full:7.1f} trials/s ({1000 * t_full / n:6.1f} ms)")
    print(f"ratio full / read-only time: {t_full / t_read:5.2f}")
    print("where the time goes (ms per trial, CPU time):")
    for stage, ms in _stages(files, args.repeat).items():
        print(f"  {stage:34s} {ms:6.2f}")
    return 0


def _rest(summary: dict) -> None:
    left, right = summary.get("left", {}), summary.get("right", {})
    sym = pipeline.symmetry.symmetry_rows(
        {k: v for k, v in left.items() if isinstance(v, float)},
        {k: v for k, v in right.items() if isinstance(v, float)})
    norm_rows = pipeline.norms.compare_rows(summary)
    pipeline.findings_from_rows(summary, sym, norm_rows, source="c3d", confidence="high",
                                provenance={})
    pipeline.symmetry.table_from_rows(sym)
    pipeline.norms.table_from_rows(norm_rows)


def _stages(files, repeat: int) -> dict[str, float]:
    """CPU time per trial of each stage of the pipeline."""
    acc: dict[str, float] = {}

    def timed(stage, fn, *a, **kw):
        t0 = time.process_time()
        out = fn(*a, **kw)
        acc[stage] = acc.get(stage, 0.0) + time.process_time() - t0
        return out

    for _ in range(repeat):
        for f in files:
            trial = timed("load (C3D -> Trial)", load_trial, f)
            wf = timed("events: walking frame", pipeline.walking_frame, trial)
            evs, _ = timed("events: plates + kinematic", pipeline.detect_events, trial, wf)
            strides = timed("parameters: strides", pipeline.stride_table, trial, evs, wf)
            summary = timed("parameters: summary", pipeline.summarise, strides)
            angles, _ = timed("kinematics: marker angles", kinematics.marker_angles, trial)
            model = timed("kinematics: model outputs", kinematics.model_output_angles, trial)
            timed("kinematics: normalised curves", pipeline._curves, trial, strides, angles,
                  model)
            timed("norms, symmetry, findings", _rest, summary)
    n = repeat * len(files)
    return {k: 1000 * v / n for k, v in acc.items()}


if __name__ == "__main__":
    raise SystemExit(main())
