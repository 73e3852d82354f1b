"""A clinic record in the case-file format (``../shared/cases/README.md``) -> findings.

:func:`findings_from_case` reads only ``patient, history, questionnaires, exam, gait, imaging``;
the metadata and answer key (``id, title, pattern, tags, expected``) are ignored, so they can
never leak into the reasoning. :func:`load_case` reads a YAML file and rejects unknown top-level
keys, naming the key and its line.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from groundup.errors import GroundupError
from groundup.exam.amber_flags import amber_findings
from groundup.exam.common import Builder, CaseError, Problem, suggest
from groundup.exam.gait_record import gait_record_findings
from groundup.exam.history_facts import history_fact_findings
from groundup.exam.imaging.mri import imaging_findings
from groundup.exam.intake import patient_findings, symptom_findings, timeline_findings
from groundup.exam.intake_form import intake_form_findings
from groundup.exam.pain_map import pain_findings
from groundup.exam.physical import exam_findings
from groundup.exam.questionnaires import case_questionnaire_findings
from groundup.exam.red_flags import flag_findings, screen_findings
from groundup.findings import Finding

INPUT_KEYS = ("patient", "history", "questionnaires", "exam", "gait", "imaging")
META_KEYS = ("id", "title", "pattern", "tags", "expected")
#: sections of groundup's case file read by ``groundup.case`` (recordings, visits), not here
EXTENSION_KEYS = ("recordings", "visit", "previous_visits")
#: largest case file accepted (a clinic record is a few kB)
MAX_CASE_BYTES = 1_000_000


def _build(case: dict) -> Builder:
    if not isinstance(case, dict):
        raise GroundupError("a case must be a mapping with sections "
                            f"{', '.join(INPUT_KEYS)}")
    b = Builder(source="exam", provenance={"record": "case"})
    for key in case:
        if key not in INPUT_KEYS + META_KEYS:
            b.problem(str(key), f"unknown top-level key{suggest(key, INPUT_KEYS + META_KEYS)}")
    patient = case.get("patient")
    history = case.get("history") if isinstance(case.get("history"), dict) else {}
    if case.get("history") is not None and not isinstance(case.get("history"), dict):
        b.problem("history", "must be a mapping")
    patient_findings(patient, b)
    symptom_findings(history.get("symptoms"), b)
    pain_findings(history.get("pain_map"), b)
    timeline_findings(history, b)
    form = history.get("intake_form")
    if isinstance(form, dict) and "duration_weeks" in form and "onset_weeks" in history \
            and form["duration_weeks"] != history["onset_weeks"]:
        b.problem("history.intake_form.duration_weeks",
                  f"{form['duration_weeks']!r} contradicts history.onset_weeks "
                  f"{history['onset_weeks']!r}")
        form = {k: v for k, v in form.items() if k != "duration_weeks"}
    elif isinstance(form, dict) and "onset_weeks" in history:
        form = {k: v for k, v in form.items() if k != "duration_weeks"}  # same value, once
    intake_form_findings(form, b, prefix="history.intake_form")
    history_fact_findings(history, b)
    answers = screen_findings(history.get("red_flag_screen"), b)
    case_questionnaire_findings(case.get("questionnaires"), b)
    exam_findings(case.get("exam"), b)
    flag_findings(answers, history.get("symptoms") if isinstance(history.get("symptoms"), list)
                  else [], case.get("exam"), patient if isinstance(patient, dict) else {}, b)
    amber_findings(answers, history, case.get("exam"), patient, b)
    gait_record_findings(case.get("gait"), b)
    imaging_findings(case.get("imaging"), b)
    return b


def findings_from_case(case: dict) -> list[Finding]:
    """All findings of a case record.

    Parameters
    ----------
    case
        Mapping in the case-file format; only the input sections are read.

    Returns
    -------
    list of Finding
        Recorded values, derived findings (FPI-6 category, root level, asymmetries, leg-length
        difference, dermatomal pain pattern, ABI category), facts read from free text by small
        documented rules (``history.diabetes``, report leg-length difference), raised red flags
        (``redflag.derived.<id>``) and amber flags (``amberflag.derived.<id>``).

    Raises
    ------
    CaseError
        If any field is invalid; ``.problems`` lists every bad field and ``.findings`` keeps the
        findings of all valid fields. Use :func:`findings_and_problems` to get both without an
        exception.
    """
    findings, problems = findings_and_problems(case)
    if problems:
        raise CaseError(problems, findings)
    return findings


def findings_and_problems(case: dict) -> tuple[list[Finding], list[Problem]]:
    """Findings of all valid fields, and one :class:`Problem` per invalid field."""
    b = _build(case)
    return b.findings, b.problems


def _key_lines(text: str) -> dict[str, int]:
    """Top-level key -> 1-based line number."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _ in node.value}


def read_case_mapping(path: str | Path) -> tuple[dict, str]:
    """Read a case file (YAML, or JSON by its suffix) into a mapping, and its text.

    Raises
    ------
    GroundupError
        Missing/unreadable/huge file, invalid YAML/JSON (with its line), not a mapping.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise GroundupError(f"cannot read case file {path.name}: {exc.strerror}") from None
    if size > MAX_CASE_BYTES:
        raise GroundupError(f"case file {path.name} is {size} bytes; a clinic record is at most "
                            f"{MAX_CASE_BYTES} bytes", hint="is this the right file?")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise GroundupError(f"cannot read case file {path.name} as UTF-8 text") from None
    kind = "JSON" if path.suffix.lower() == ".json" else "YAML"
    try:
        data = json.loads(text) if kind == "JSON" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else getattr(exc, "lineno", None)
        where = f" at line {line}" if line else ""
        raise GroundupError(f"case file {path.name} is not valid {kind}{where}: "
                            f"{getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise GroundupError(f"case file {path.name} must hold a mapping with sections "
                            f"{', '.join(INPUT_KEYS)}")
    return data, text


def load_case(path: str | Path) -> dict:
    """Read a case file and check its top-level keys (strict: an unknown key is an error).

    ``groundup.case.format.read_case`` is the lenient reader of ``groundup assess``, which
    leaves unknown keys out instead.

    Raises
    ------
    GroundupError
        As :func:`read_case_mapping`, or an unknown top-level key (named, with its line and
        the closest known key).
    """
    data, text = read_case_mapping(path)
    known = INPUT_KEYS + META_KEYS + EXTENSION_KEYS
    lines = _key_lines(text)
    bad = [k for k in data if k not in known]
    if bad:
        msgs = [f"'{k}' (line {lines.get(k, '?')}){suggest(k, known)}" for k in bad]
        raise GroundupError(f"case file {Path(path).name}: unknown top-level key(s) "
                            + ", ".join(msgs), hint=f"known keys: {', '.join(known)}")
    return data
