"""Questionnaire definitions: loading ``knowledge/questionnaires/*.yaml``, bands, MCIDs, and
clinic-supplied item wording.

Definitions hold items, answer options, scoring rule, missing-item rule, bands, MCID (with
source) and licence. Licensed instruments ship no item wording: :func:`load_item_text` reads it
from the clinic's licensed file.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from groundup.errors import GroundupError
from groundup.exam.common import load_knowledge, suggest


class QuestionnaireError(GroundupError):
    """Responses that cannot be scored (missing, out of range, unknown item or version)."""


@cache
def instruments() -> tuple[str, ...]:
    """Ids of the shipped questionnaire definitions."""
    folder = resources.files("groundup") / "knowledge" / "questionnaires"
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml")))


def definition(instrument: str, version: str | None = None) -> dict:
    """The definition of ``instrument``; ``version`` must be one it declares."""
    if instrument not in instruments():
        raise QuestionnaireError(f"unknown questionnaire {instrument!r}"
                                 f"{suggest(instrument, instruments())}",
                                 hint=f"known: {', '.join(instruments())}")
    d = load_knowledge(f"questionnaires/{instrument}.yaml")
    if version is not None and str(version) not in d["versions"]:
        raise QuestionnaireError(f"unknown version {version!r} of {instrument}",
                                 hint=f"groundup scores version(s) {d['versions']}; scores of "
                                      "different versions must not be mixed")
    return d


def check_items(instrument: str, known: list[str], responses: dict) -> None:
    unknown = [k for k in responses if k not in known]
    if unknown:
        raise QuestionnaireError(
            f"{instrument}: unknown item(s) {unknown}{suggest(unknown[0], known)}",
            hint=f"items are {known}")


def band(d: dict, value: float) -> str | None:
    """Label of the first band whose ``max`` is >= value."""
    for b in d.get("bands") or []:
        if value <= b["max"]:
            return b["label"]
    return None


def mcid_for(instrument: str, subscale: str | None = None) -> dict:
    """``{absolute, relative_pct?, source}`` of an instrument or FAAM subscale."""
    d = definition(instrument)
    m = d["subscales"][subscale]["mcid"] if subscale else d.get("mcid")
    if not m:
        raise QuestionnaireError(f"{instrument}{'.' + subscale if subscale else ''} has no MCID"
                                 " in its definition")
    return m


def load_item_text(instrument: str, path: str | Path) -> dict[str, dict]:
    """Item wording from a clinic-supplied, licensed file (YAML).

    The file holds ``{instrument, version, items: {item_id: {text, options?}}}``. Every item id
    must belong to the definition; the version must be one groundup scores.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise QuestionnaireError(f"cannot read item-text file {path.name}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise QuestionnaireError(f"item-text file {path.name} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or data.get("instrument") != instrument:
        raise QuestionnaireError(f"item-text file {path.name} is not for {instrument!r}")
    d = definition(instrument, data.get("version"))
    known = [i["id"] for i in d.get("items", [])] or \
        [i for s in d.get("subscales", {}).values() for i in s["items"]]
    items = data.get("items")
    if not isinstance(items, dict):
        raise QuestionnaireError(f"item-text file {path.name}: 'items' must map item ids to text")
    check_items(instrument, known, items)
    return items
