"""Milliseconds per file and files per second: ezc3d (with and without force platforms) vs
groundup's fast numpy reader, in the same run, on one core, over every C3D file in
../shared/data/c3d (best of 3 passes of ``--repeat`` reads each).

    .venv/bin/python bench/c3d_read.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import ezc3d  # noqa: E402

from groundup.motion.c3d_fast import read_c3d_dict  # noqa: E402

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

READERS = {
    "ezc3d": lambda p: ezc3d.c3d(str(p)),
    "ezc3d+fp": lambda p: ezc3d.c3d(str(p), extract_forceplat_data=True),
    "fast": read_c3d_dict,
}


def _best_ms(read, path: Path, repeat: int) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(repeat):
            read(path)
        best = min(best, (time.perf_counter() - t0) / repeat)
    return best * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = sorted((DATA / "c3d").rglob("*.c3d"))
    if not files:
        raise SystemExit(f"no C3D files under {DATA / 'c3d'}")
    totals = dict.fromkeys(READERS, 0.0)
    print(f"{'file':32s}" + "".join(f"{name:>12s}" for name in READERS) + "   (ms per file)")
    for path in files:
        row = {name: _best_ms(read, path, args.repeat) for name, read in READERS.items()}
        for name, ms in row.items():
            totals[name] += ms
        print(f"{path.name:32s}" + "".join(f"{row[n]:12.2f}" for n in READERS))
    n = len(files)
    print(f"{'mean ms/file':32s}" + "".join(f"{totals[k] / n:12.2f}" for k in READERS))
    print(f"{'files/s':32s}" + "".join(f"{1e3 * n / totals[k]:12.1f}" for k in READERS))
    print(f"fast reader speed-up: {totals['ezc3d'] / totals['fast']:.1f}x vs ezc3d, "
          f"{totals['ezc3d+fp'] / totals['fast']:.1f}x vs ezc3d with force platforms")


if __name__ == "__main__":
    main()
