"""Per-field checks of clinical input against ``knowledge/exam_ranges.yaml``.

Checks never stop at the first error: callers collect one :class:`~groundup.exam.common.Problem`
per bad field and keep every valid value (see :class:`~groundup.exam.common.CaseError`).
"""

from __future__ import annotations

from typing import Any

from groundup.exam.common import NOT_DONE, is_number, load_knowledge, suggest


def _ranges() -> dict:
    return load_knowledge("exam_ranges.yaml")


def spec_for(code: str) -> dict | None:
    """The range spec of a finding id: exact match, else the longest dotted prefix."""
    fields = _ranges()["fields"]
    parts = code.split(".")
    for n in range(len(parts), 0, -1):
        spec = fields.get(".".join(parts[:n]))
        if spec is not None:
            return spec
    return None


def allowed_values(spec: dict) -> list:
    """The allowed text values of a spec (``kind`` naming a value set, or ``values``)."""
    sets = _ranges()["value_sets"]
    values = spec.get("values", spec["kind"])
    return sets[values] if isinstance(values, str) else list(values)


def check_value(code: str, value: Any) -> str | None:
    """Message describing what is wrong with ``value`` for ``code``, or ``None`` if valid.

    ``"not_done"`` is valid for every field. Fields without a spec are accepted unchecked.
    """
    if value == NOT_DONE:
        return None
    spec = spec_for(code)
    if spec is None:
        return None
    kind = spec["kind"]
    if kind in ("integer", "number"):
        if not is_number(value):
            return f"must be a number, not {value!r}"
        if kind == "integer" and float(value) != int(value):
            return f"must be a whole number, not {value!r}"
        lo, hi = spec.get("min"), spec.get("max")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            unit = spec.get("unit", "")
            unit = "" if unit.startswith("{") else f" {unit}"
            return (f"{value!r} is outside the accepted range {lo}..{hi}{unit} "
                    f"({spec.get('source', 'groundup')})")
        return None
    if kind == "bool":
        return None if isinstance(value, bool) else f"must be true or false, not {value!r}"
    options = allowed_values(spec)
    if value not in options:
        return f"{value!r} is not one of {options}{suggest(value, [str(o) for o in options])}"
    return None
