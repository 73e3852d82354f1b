"""Read OpenSim tables (``.mot`` / ``.sto``: IK joint angles, GRF, ID moments, ...)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from groundup.errors import RecordingError
from groundup.motion.text_table import cells, number_table, read_lines


def read_mot(path: str | Path) -> pd.DataFrame:
    """Read an OpenSim ``.mot``/``.sto`` table (IK joint angles, GRF, ID moments, ...).

    Parameters
    ----------
    path
        The file: header lines up to ``endheader``, a line of column names, then numbers.

    Returns
    -------
    pandas.DataFrame
        One column per name (``time`` in seconds first); blank cells are ``NaN``. ``df.attrs``
        holds ``name`` (first header line), ``header`` (``key=value`` lines), ``inDegrees``
        (``True``/``False``, ``None`` when absent), ``path`` and ``warnings``.

    Raises
    ------
    RecordingError
        When the file is missing, empty, has no ``endheader`` or ``time`` column, or is
        truncated (fewer rows than ``nRows``, or a row with too few values).
    """
    path = Path(path)
    lines = read_lines(path, "OpenSim table")
    end = next((i for i, ln in enumerate(lines) if ln.strip().lower() == "endheader"), None)
    if end is None:
        raise RecordingError(f"{path.name}: no 'endheader' line: not an OpenSim .mot/.sto file")
    header = {k.strip(): v.strip() for k, _, v in
              (ln.strip().partition("=") for ln in lines[:end] if "=" in ln)}
    body = [(k + 1, ln) for k, ln in enumerate(lines[end + 1:], start=end + 1) if ln.strip()]
    if not body:
        raise RecordingError(f"{path.name}: no column names after 'endheader'")
    names = [c for c in cells(body[0][1]) if c]
    if "time" not in names:
        lower = [n.lower() for n in names]
        if "time" not in lower:
            raise RecordingError(f"{path.name}: no 'time' column (columns: {names[:5]}...)")
        names[lower.index("time")] = "time"
    rows = [(k, cells(ln)) for k, ln in body[1:]]
    data, short = number_table(rows, len(names), path.name)
    if short:
        raise RecordingError(f"{path.name}: truncated: {short} row(s) hold fewer than the "
                             f"{len(names)} values named in the header")
    warnings: list[str] = []
    declared = header.get("nRows", "")
    if declared.isdigit() and int(declared) != len(rows):
        if int(declared) > len(rows):
            raise RecordingError(f"{path.name}: truncated: nRows={declared} but the file holds "
                                 f"{len(rows)} rows")
        warnings.append(f"nRows={declared} but the file holds {len(rows)} rows")
    df = pd.DataFrame(data, columns=names)
    degrees = header.get("inDegrees", "").lower()
    df.attrs.update({"name": lines[0].strip() if "=" not in lines[0] else "",
                     "header": header, "path": str(path), "warnings": warnings,
                     "inDegrees": {"yes": True, "no": False}.get(degrees)})
    return df
