"""PROMIS short forms: raw score in groundup, T-score from the clinic's licensed table.

groundup ships the item identifiers and the raw-score rule (sum of the item scores, each 1..5;
definitions ``knowledge/questionnaires/promis_*.yaml``). The raw-score-to-T-score conversion
tables belong to HealthMeasures and are not in the research pack (outcome-measures.md §8), so
they are loaded from a file the clinic supplies with its licence:

.. code-block:: yaml

    instrument: promis_pi_4a      # a groundup definition id
    version: "1.0"                # one the definition declares
    source: "HealthMeasures PROMIS Pain Interference scoring manual, table ..."  # required
    table:                        # every raw score min..max exactly once
      4: {t_score: 41.6, se: 6.1} # se (T-score standard error) optional
      5: {t_score: 49.6}
      ...

T-scores must lie in 10..90 (plausibility limit, groundup: mean 50, SD 10) and must not fall as
the raw score rises (for PROMIS short forms a higher raw score is always more of the measured
concept). Without a table the score keeps the raw sum and says that the T-score needs the
table; a raw score is never reported as a T-score.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from groundup.exam.common import is_number
from groundup.exam.questionnaires.definitions import QuestionnaireError, definition

#: plausibility limits of a T-score (groundup; T = 50 + 10 z)
T_MIN, T_MAX = 10.0, 90.0


def raw_range(d: dict) -> tuple[int, int]:
    """Lowest and highest raw score of a short form (sum of item minima / maxima)."""
    return int(sum(i["min"] for i in d["items"])), int(sum(i["max"] for i in d["items"]))


def load_t_table(instrument: str, source: str | Path | dict) -> dict:
    """Read and check a clinic-supplied raw-to-T-score table.

    Parameters
    ----------
    instrument
        Definition id (``"promis_pi_4a"``, ``"promis_pf_6b"``).
    source
        Path of a YAML/JSON file, or the already-parsed mapping (format in the module docstring).

    Returns
    -------
    dict
        ``{"instrument", "version", "source", "table": {raw (int): (t_score, se or None)}}``.

    Raises
    ------
    QuestionnaireError
        Unreadable file, wrong instrument, unknown version, missing source, a raw score missing or
        out of range, a T-score outside 10..90, or T-scores falling as the raw score rises. Every
        bad row is named in one message.
    """
    name = "T-score table"
    if isinstance(source, str | Path):
        path = Path(source)
        name = f"T-score table {path.name}"
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise QuestionnaireError(f"cannot read {name}: {exc.strerror}") from exc
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise QuestionnaireError(f"{name} is not valid YAML/JSON: {exc}") from exc
    else:
        data = source
    if not isinstance(data, dict) or data.get("instrument") != instrument:
        got = data.get("instrument") if isinstance(data, dict) else None
        raise QuestionnaireError(f"{name} is for {got!r}, not for {instrument!r}")
    d = definition(instrument, data.get("version"))
    if d["scoring"]["method"] != "raw_sum_t_table":
        raise QuestionnaireError(f"{instrument} is not scored with a T-score table")
    if not data.get("source"):
        raise QuestionnaireError(f"{name}: 'source' must say where the table comes from "
                                 "(HealthMeasures manual and table)")
    rows = data.get("table")
    if not isinstance(rows, dict):
        raise QuestionnaireError(f"{name}: 'table' must map each raw score to a T-score")
    lo, hi = raw_range(d)
    problems, table = [], {}
    for raw, entry in rows.items():
        t = entry.get("t_score") if isinstance(entry, dict) else entry
        se = entry.get("se") if isinstance(entry, dict) else None
        if not is_number(raw) or raw != int(raw) or not lo <= raw <= hi:
            problems.append(f"raw score {raw!r} is outside {lo}..{hi}")
        elif not is_number(t) or not T_MIN <= t <= T_MAX:
            problems.append(f"raw {raw}: T-score {t!r} must be a number {T_MIN:g}..{T_MAX:g}")
        elif se is not None and (not is_number(se) or se <= 0):
            problems.append(f"raw {raw}: se {se!r} must be a positive number")
        else:
            table[int(raw)] = (float(t), None if se is None else float(se))
    missing = [r for r in range(lo, hi + 1) if r not in table and r not in rows]
    if missing:
        problems.append(f"raw score(s) {missing} missing")
    ordered = [table[r][0] for r in sorted(table)]
    if any(b < a for a, b in zip(ordered, ordered[1:], strict=False)):
        problems.append("T-scores fall as the raw score rises")
    if problems:
        raise QuestionnaireError(f"{name}: " + "; ".join(problems),
                                 hint="copy the table for this short form and version exactly")
    return {"instrument": instrument, "version": str(data["version"]),
            "source": str(data["source"]), "table": table}


def t_score(d: dict, version: str, raw: int, t_table: Any) -> tuple[float | None, float | None,
                                                                     tuple[str, ...]]:
    """``(t_score, se, notes)`` of a raw score; without a table ``(None, None, notes)``."""
    if t_table is None:
        return None, None, (
            f"T-score not computed: {d['id']} needs the HealthMeasures raw-score-to-T-score "
            "table, supplied by the clinic (load_t_table). The raw score is not a T-score.",)
    checked = isinstance(t_table, dict) and isinstance(t_table.get("table"), dict) and all(
        isinstance(v, tuple) for v in t_table["table"].values())  # a load_t_table result
    table = t_table if checked else load_t_table(d["id"], t_table)
    if table["instrument"] != d["id"] or table["version"] != version:
        raise QuestionnaireError(f"T-score table is for {table['instrument']} "
                                 f"{table['version']}, not {d['id']} {version}")
    t, se = table["table"][raw]
    return t, se, (f"T-score from the clinic's table: {table['source']}",)
