"""One assessment as a FHIR R4 ``collection`` Bundle, validated by fhir.resources' models.

Contents: Patient, Encounter, one Observation per finding (LOINC/SNOMED CT where
``knowledge/codes.yaml`` has a code, groundup's code always), a QuestionnaireResponse per
instrument, Conditions for the ranked diagnoses (ICD-10-CM + SNOMED CT), Flags for red flags,
ServiceRequests for referrals and orthoses, the CarePlan, and a DiagnosticReport that groups
the observations and carries the PDF report.
"""

from __future__ import annotations

import uuid
from typing import Any

from groundup.errors import GroundupError
from groundup.fhir import resources as r
from groundup.findings import GROUNDUP_SYSTEM, Finding

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, GROUNDUP_SYSTEM)
#: Conditions below this probability are not exported as Conditions (they stay in the report).
MIN_CONDITION_PROBABILITY = 0.2
#: Plan-item categories exported as ServiceRequests rather than CarePlan activities.
REQUEST_CATEGORIES = ("referral", "referral_or_monitoring", "orthosis", "investigation")


def build_bundle(*, case_id: str, patient: dict[str, Any], findings: list[Finding],
                 assessment: dict[str, Any] | None = None, plan: dict[str, Any] | None = None,
                 report_pdf: bytes | None = None, date: str | None = None) -> dict[str, Any]:
    """Build and validate the Bundle.

    Parameters
    ----------
    case_id
        Stable id of the case; resource ids are derived from it (same input, same bundle).
    patient
        ``sex`` and optionally ``birth_date``, ``name``.
    findings
        Every finding of the assessment.
    assessment, plan
        ``Assessment.to_json()`` and ``CarePlan.to_json()``.
    report_pdf
        The clinician report, attached to the DiagnosticReport.
    date
        Visit date (ISO 8601).

    Returns
    -------
    dict
        The Bundle as JSON-ready data.
    """
    counter = iter(range(1_000_000))

    def new_id() -> tuple[str, str]:
        rid = str(uuid.uuid5(_NAMESPACE, f"{case_id}/{next(counter)}"))
        return rid, f"urn:uuid:{rid}"

    entries: list[dict[str, Any]] = []

    def add(resource: dict[str, Any], url: str) -> str:
        entries.append({"fullUrl": url, "resource": resource})
        return url

    pid, p_url = new_id()
    add(r.patient(pid, patient), p_url)
    eid, e_url = new_id()
    add(r.encounter(eid, p_url, date), e_url)
    obs_urls: dict[str, list[str]] = {}
    by_instrument: dict[str, list[Finding]] = {}
    for f in findings:
        oid, o_url = new_id()
        add(r.observation(oid, f, p_url, e_url, date), o_url)
        obs_urls.setdefault(f.code, []).append(o_url)
        if f.source == "questionnaire" and f.code.startswith("questionnaire."):
            instrument = f.code.split(".")[1]
            by_instrument.setdefault(instrument, []).append(f)
    for instrument, items in by_instrument.items():
        qid, q_url = new_id()
        add(r.questionnaire_response(qid, instrument, items, p_url, e_url, date), q_url)
    assessment = assessment or {}
    cond_urls = []
    for rank, c in enumerate(assessment.get("conditions") or [], start=1):
        if float(c.get("probability", 0)) < MIN_CONDITION_PROBABILITY:
            continue
        cid, c_url = new_id()
        evidence = [u for code in c.get("evidence_codes", []) for u in obs_urls.get(code, [])]
        add(r.condition(cid, {**c, "rank": rank}, p_url, e_url, evidence), c_url)
        cond_urls.append(c_url)
    for red in assessment.get("red_flags") or []:
        fid, f_url = new_id()
        add(r.flag(fid, str(red if isinstance(red, str) else red.get("id")), p_url, e_url),
            f_url)
    requests: dict[str, str] = {}
    for ref_ in assessment.get("referrals") or []:
        sid, s_url = new_id()
        target = str(ref_.get("to"))
        add(r.service_request(sid, f"referral.{target}", f"Referral: {target.replace('_', ' ')}",
                              p_url, e_url, priority=str(ref_.get("priority", "routine")),
                              reason=ref_.get("reason")), s_url)
    items = list((plan or {}).get("items") or [])
    for item in items:
        if item.get("category") in REQUEST_CATEGORIES:
            sid, s_url = new_id()
            text = item.get("text") or item["id"].replace("_", " ")
            add(r.service_request(sid, item["id"], text, p_url, e_url,
                                  priority=str(item.get("priority", "routine")),
                                  reason=item.get("reason"), category=item["category"]), s_url)
            requests[item["id"]] = s_url
    if items:
        cpid, cp_url = new_id()
        add(r.care_plan(cpid, items, p_url, e_url, cond_urls, requests), cp_url)
    did, d_url = new_id()
    conclusion = assessment.get("summary") or _conclusion(assessment)
    results = [u for urls in obs_urls.values() for u in urls]
    add(r.diagnostic_report(did, p_url, e_url, results, conclusion, report_pdf, date), d_url)
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": entries}
    validate_bundle(bundle)
    return bundle


def _conclusion(assessment: dict[str, Any]) -> str:
    if assessment.get("red_flag"):
        return "RED FLAG: urgent referral — " + ", ".join(map(str, assessment.get("red_flags")
                                                              or []))
    conds = assessment.get("conditions") or []
    if assessment.get("status") == "insufficient_information" or not conds:
        return "Insufficient information for a diagnosis; see the tests proposed."
    top = conds[0]
    return (f"Most likely: {str(top['id']).replace('_', ' ')} (probability "
            f"{float(top.get('probability', 0)):.2f}); link: {assessment.get('link')}. "
            "Decision support for the clinician, not a diagnosis.")


def validate_bundle(bundle: dict[str, Any]) -> None:
    """Validate with fhir.resources' R4B models and check that every reference resolves.

    Raises
    ------
    GroundupError
        Naming the resource and the problem.
    """
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    try:
        Bundle.model_validate(bundle)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        raise GroundupError(f"FHIR bundle is invalid at {where}: {first.get('msg')}") from None
    urls = {e["fullUrl"] for e in bundle["entry"]}
    for e in bundle["entry"]:
        for target in _references(e["resource"]):
            if target.startswith("urn:uuid:") and target not in urls:
                raise GroundupError(f"{e['resource']['resourceType']} refers to {target}, "
                                    "which is not in the bundle")


def _references(node: Any) -> list[str]:
    if isinstance(node, dict):
        out = [node["reference"]] if isinstance(node.get("reference"), str) else []
        for v in node.values():
            out += _references(v)
        return out
    if isinstance(node, list):
        return [x for v in node for x in _references(v)]
    return []
