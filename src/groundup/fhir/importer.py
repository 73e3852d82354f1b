"""Start a case from a FHIR Patient resource (or a Bundle that holds one)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from groundup.errors import GroundupError


def patient_from_fhir(source: str | Path | dict[str, Any], *,
                      on: dt.date | None = None) -> dict[str, Any]:
    """The ``patient`` section of a case from a FHIR R4 Patient.

    Parameters
    ----------
    source
        A JSON file or parsed JSON: a Patient, or a Bundle containing exactly one Patient.
    on
        Date at which the age is computed (today by default).

    Returns
    -------
    dict
        ``id``, ``sex``, and where present ``birth_date``, ``age`` (years), ``name``.

    Raises
    ------
    GroundupError
        When the file is not JSON, not a valid Patient, or a Bundle without one Patient.
    """
    from fhir.resources.R4B.patient import Patient
    from pydantic import ValidationError

    if isinstance(source, dict):
        data = source
    else:
        path = Path(source)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise GroundupError(f"{path.name}: not a readable FHIR JSON file ({exc})") from None
    if data.get("resourceType") == "Bundle":
        found = [e.get("resource") for e in data.get("entry") or []
                 if (e.get("resource") or {}).get("resourceType") == "Patient"]
        if len(found) != 1:
            raise GroundupError(f"the Bundle holds {len(found)} Patient resources, not one")
        data = found[0]
    if data.get("resourceType") != "Patient":
        raise GroundupError(f"expected a Patient resource, got {data.get('resourceType')!r}")
    try:
        p = Patient.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        raise GroundupError(f"invalid Patient resource at {where}: {first.get('msg')}") from None
    out: dict[str, Any] = {"id": p.id, "sex": p.gender or "unknown"}
    if p.birthDate:
        born = p.birthDate if isinstance(p.birthDate, dt.date) else dt.date.fromisoformat(
            str(p.birthDate))
        today = on or dt.date.today()
        out["birth_date"] = born.isoformat()
        out["age"] = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if p.name:
        n = p.name[0]
        out["name"] = n.text or " ".join([*(n.given or []), n.family or ""]).strip()
    return out
