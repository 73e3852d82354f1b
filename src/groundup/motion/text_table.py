"""Reading the tab-separated text tables of OpenSim files (``.trc``, ``.mot``, ``.sto``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from groundup.errors import RecordingError


def read_lines(path: Path, kind: str) -> list[str]:
    """The lines of a text recording, or a :class:`RecordingError` naming ``kind``."""
    if not path.is_file():
        raise RecordingError(f"{path}: no such file")
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise RecordingError(f"{path.name}: cannot read the {kind} file ({exc})") from None
    if not text.strip():
        raise RecordingError(f"{path.name}: the {kind} file is empty")
    return text.splitlines()


def cells(line: str) -> list[str]:
    """Tab-separated cells (whitespace-separated when the line has no tab), stripped."""
    return [c.strip() for c in (line.split("\t") if "\t" in line else line.split())]


def number_table(rows: list[tuple[int, list[str]]], width: int,
                 name: str) -> tuple[np.ndarray, int]:
    """Numbers of ``width`` columns; blank cells are NaN. Returns (data, number of short rows)."""
    data = np.full((len(rows), width), np.nan)
    short = 0
    for i, (lineno, row) in enumerate(rows):
        if any(row[width:]):
            raise RecordingError(f"{name}: line {lineno} has {len(row)} values, more than the "
                                 f"{width} columns the header announces")
        short += len(row) < width
        for j, cell in enumerate(row[:width]):
            if cell:
                try:
                    data[i, j] = float(cell)
                except ValueError:
                    raise RecordingError(f"{name}: line {lineno}, column {j + 1}: {cell!r} is "
                                         "not a number") from None
    return data, short
