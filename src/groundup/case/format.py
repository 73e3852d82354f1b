"""The case file: the ../shared/cases format plus recordings, the visit and earlier visits.

A case file is one YAML (or JSON) mapping. The clinical sections are those of
``../shared/cases/README.md`` (``patient``, ``history``, ``questionnaires``, ``exam``, ``gait``,
``imaging``); groundup adds three (documented in docs/case-format.md):

- ``recordings``: list of ``{kind: c3d | trc | video | keypoints, path, ...}``; paths are relative
  to the case file. Video options: ``height_m`` (else ``patient.height_m``), ``view``
  (``auto|side|back|front``), ``region`` (``[x, y, w, h]`` px). Motion-capture option:
  ``events`` (``auto|force-plate|kinematic|file``).
- ``visit``: ``{date, clinician, reason}``.
- ``previous_visits``: list of ``{date, questionnaires: {...}}`` for change against the MCID.
- ``patient.fhir``: path of a FHIR Patient resource to take sex and age from.

Reading never stops at the first problem: unknown or misspelt keys are reported with their line
and left out, and the rest of the case is used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from groundup.exam.case import EXTENSION_KEYS, INPUT_KEYS, META_KEYS, read_case_mapping
from groundup.exam.common import Problem, suggest

CLINICAL_KEYS = INPUT_KEYS
GROUNDUP_KEYS = EXTENSION_KEYS
RECORDING_KINDS = ("c3d", "trc", "video", "keypoints")
RECORDING_KEYS = ("kind", "path", "height_m", "view", "region", "events", "name",
                  "known_distance_m")
VISIT_KEYS = ("date", "clinician", "reason", "site")


@dataclass
class CaseFile:
    """A case as read: its valid sections, where it lives, and what had to be left out."""

    data: dict[str, Any]
    path: Path | None
    problems: list[Problem] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def case_id(self) -> str:
        """The case's ``id``, or the file stem."""
        return str(self.data.get("id") or (self.path.stem if self.path else "case"))

    @property
    def clinical(self) -> dict[str, Any]:
        """Only the sections the reasoning may read (never ``expected``, ``title``, ``tags``)."""
        return {k: self.data[k] for k in CLINICAL_KEYS if k in self.data}

    def line_of(self, dotted: str) -> int | None:
        """Line of a dotted field path, or of its closest recorded parent."""
        parts = dotted.split(".")
        while parts:
            key = ".".join(parts)
            if key in self.lines:
                return self.lines[key]
            parts.pop()
        return None

    def resolve(self, relative: str) -> Path:
        """A path given in the case, relative to the case file's folder."""
        p = Path(relative)
        return p if p.is_absolute() or self.path is None else self.path.parent / p


def key_lines(text: str) -> dict[str, int]:
    """Dotted key path -> 1-based line, for every mapping key in a YAML document."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return {}
    out: dict[str, int] = {}

    def walk(node, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                path = f"{prefix}.{k.value}" if prefix else str(k.value)
                out[path] = k.start_mark.line + 1
                walk(v, path)
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                path = f"{prefix}.{i}"
                out.setdefault(path, v.start_mark.line + 1)
                walk(v, path)

    walk(root, "")
    return out


def read_case(source: str | Path | dict[str, Any]) -> CaseFile:
    """Read a case file, keeping every valid part and listing the rest as problems.

    Raises
    ------
    GroundupError
        Only when nothing can be used: missing or unreadable file, invalid YAML/JSON, not a
        mapping.
    """
    if isinstance(source, dict):
        case = CaseFile(data=dict(source), path=None)
    else:
        data, text = read_case_mapping(source)
        case = CaseFile(data=data, path=Path(source), lines=key_lines(text))
    _check_top_level(case)
    _check_recordings(case)
    _check_visit(case)
    return case


def _problem(case: CaseFile, dotted: str, message: str) -> None:
    case.problems.append(Problem(field=dotted, message=message, line=case.line_of(dotted)))


def _drop_unknown(case: CaseFile, mapping: dict, known: tuple[str, ...], where: str,
                  what: str) -> None:
    """Report and remove the keys of ``mapping`` that are not ``known``."""
    for key in list(mapping):
        if key not in known:
            _problem(case, f"{where}{key}", f"{what}{suggest(key, known)}")
            del mapping[key]


def _check_top_level(case: CaseFile) -> None:
    _drop_unknown(case, case.data, CLINICAL_KEYS + GROUNDUP_KEYS + META_KEYS, "",
                  "unknown section, left out")


def _check_recordings(case: CaseFile) -> None:
    recs = case.data.get("recordings")
    if recs is None:
        return
    if not isinstance(recs, list):
        _problem(case, "recordings", "must be a list of {kind, path}; left out")
        case.data["recordings"] = []
        return
    kept = []
    for i, rec in enumerate(recs):
        where = f"recordings.{i}"
        if not isinstance(rec, dict) or "path" not in rec:
            _problem(case, where, "needs at least 'path' (and 'kind'); left out")
            continue
        _drop_unknown(case, rec, RECORDING_KEYS, f"{where}.", "unknown recording option, ignored")
        kind = rec.get("kind") or _kind_from_suffix(str(rec["path"]))
        if kind not in RECORDING_KINDS:
            _problem(case, f"{where}.kind", f"unknown kind {kind!r}; use one of "
                                            f"{', '.join(RECORDING_KINDS)}; left out")
            continue
        kept.append({**rec, "kind": kind, "index": i})
    case.data["recordings"] = kept


def _kind_from_suffix(path: str) -> str | None:
    suffix = Path(path).suffix.lower()
    return {".c3d": "c3d", ".trc": "trc", ".mp4": "video", ".mov": "video", ".avi": "video",
            ".m4v": "video", ".parquet": "keypoints", ".csv": "keypoints"}.get(suffix)


def _check_visit(case: CaseFile) -> None:
    visit = case.data.get("visit")
    if visit is None:
        return
    if not isinstance(visit, dict):
        _problem(case, "visit", "must be a mapping {date, clinician}; left out")
        del case.data["visit"]
        return
    _drop_unknown(case, visit, VISIT_KEYS, "visit.", "unknown visit field, ignored")
