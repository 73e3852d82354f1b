"""Builders for the FHIR R4 resources of one assessment (plain dicts, validated in the bundle).

Each builder takes groundup's own objects (a :class:`~groundup.findings.Finding`, the JSON of
an ``Assessment`` or ``CarePlan``) and references other resources by ``urn:uuid`` full URLs.
"""

from __future__ import annotations

import base64
from typing import Any

from groundup.fhir.codes import (
    PLAN_SYSTEM,
    UCUM,
    condition_code,
    finding_code,
    laterality,
)
from groundup.findings import GROUNDUP_SYSTEM, Finding

OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
#: Finding.source -> Observation category (observation-category code system)
CATEGORY = {"exam": "exam", "history": "exam", "questionnaire": "survey", "imaging": "imaging",
            "c3d": "procedure", "trc": "procedure", "video": "procedure", "imu": "procedure",
            "synthetic": "procedure", "case": "exam"}
#: groundup referral priority -> FHIR request priority
PRIORITY = {"emergency": "stat", "urgent": "urgent", "soon": "asap", "routine": "routine"}
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
_FLAG_TO_HL7 = {"high": "H", "low": "L", "normal": "N", "above": "H", "below": "L"}


def ref(url: str) -> dict[str, str]:
    """A FHIR Reference to a resource in the same bundle."""
    return {"reference": url}


def patient(pid: str, info: dict[str, Any]) -> dict[str, Any]:
    """Patient: gender and, when given, birth date and name (never age-derived dates)."""
    res: dict[str, Any] = {"resourceType": "Patient", "id": pid,
                           "identifier": [{"system": GROUNDUP_SYSTEM + "/patient-id",
                                           "value": pid}]}
    if info.get("sex") in ("female", "male", "other", "unknown"):
        res["gender"] = info["sex"]
    if info.get("birth_date"):
        res["birthDate"] = str(info["birth_date"])
    if info.get("name"):
        res["name"] = [{"text": str(info["name"])}]
    return res


def encounter(eid: str, patient_url: str, date: str | None) -> dict[str, Any]:
    """The clinic visit (ambulatory) at which the assessment was made."""
    res: dict[str, Any] = {
        "resourceType": "Encounter", "id": eid, "status": "finished",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                  "code": "AMB", "display": "ambulatory"},
        "subject": ref(patient_url)}
    if date:
        res["period"] = {"start": date}
    return res


def observation(oid: str, f: Finding, patient_url: str, encounter_url: str,
                date: str | None) -> dict[str, Any]:
    """Observation for one finding (value, unit, laterality, interpretation, confidence)."""
    res: dict[str, Any] = {
        "resourceType": "Observation", "id": oid, "status": "final",
        "category": [{"coding": [{"system": OBS_CATEGORY,
                                  "code": CATEGORY.get(f.source, "exam")}]}],
        "code": finding_code(f.code, f.system, f.display),
        "subject": ref(patient_url), "encounter": ref(encounter_url)}
    when = f.effective or date
    if when:
        res["effectiveDateTime"] = when
    value = f.value
    if isinstance(value, bool):
        res["valueBoolean"] = value
    elif isinstance(value, int | float):
        q: dict[str, Any] = {"value": float(value)}
        if f.unit:
            q.update({"unit": f.unit, "system": UCUM, "code": f.unit})
        res["valueQuantity"] = q
    elif value is None:
        res["dataAbsentReason"] = {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
            "code": "unknown"}]}
    else:
        res["valueString"] = str(value)
    site = laterality(f.side)
    if site:
        res["bodySite"] = site
    flag = (f.interpretation or {}).get("flag")
    if flag in _FLAG_TO_HL7:
        res["interpretation"] = [{"coding": [{"system": INTERPRETATION,
                                              "code": _FLAG_TO_HL7[flag]}]}]
    notes = [f"confidence: {f.confidence}"]
    if f.qualifiers:
        notes.append("; ".join(f"{k}: {v}" for k, v in f.qualifiers.items()))
    res["note"] = [{"text": " | ".join(notes)}]
    return res


def questionnaire_response(qid: str, instrument: str, items: list[Finding], patient_url: str,
                           encounter_url: str, date: str | None) -> dict[str, Any]:
    """QuestionnaireResponse holding the scores (and item scores) of one instrument."""
    answers = []
    for f in items:
        link = f.code.removeprefix(f"questionnaire.{instrument}").lstrip(".") or "score"
        if isinstance(f.value, bool):
            a = {"valueBoolean": f.value}
        elif isinstance(f.value, int | float):
            a = {"valueDecimal": float(f.value)}
        else:
            a = {"valueString": str(f.value)}
        answers.append({"linkId": link, "text": f.display, "answer": [a]})
    res: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse", "id": qid, "status": "completed",
        "questionnaire": f"{GROUNDUP_SYSTEM}/Questionnaire/{instrument}",
        "subject": ref(patient_url), "encounter": ref(encounter_url), "item": answers}
    if date:
        res["authored"] = date
    return res


def condition(cid: str, c: dict[str, Any], patient_url: str, encounter_url: str,
              evidence: list[str]) -> dict[str, Any]:
    """Condition for a ranked diagnosis, with its probability and qualifiers in a note."""
    primary = c.get("rank", 1) == 1
    res: dict[str, Any] = {
        "resourceType": "Condition", "id": cid,
        "clinicalStatus": {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
            "code": "active"}]},
        "verificationStatus": {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
            "code": "provisional" if primary else "differential"}]},
        "category": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/condition-category",
            "code": "encounter-diagnosis"}]}],
        "code": condition_code(str(c["id"]), c.get("side")),
        "subject": ref(patient_url), "encounter": ref(encounter_url)}
    site = laterality(c.get("side"))
    if site:
        res["bodySite"] = [site]
    detail = [f"probability {float(c.get('probability', 0)):.2f} (groundup reasoning; "
              "supports, does not replace, clinical judgement)"]
    for key in ("level", "root", "stage", "magnitude_mm", "web_space", "certainty"):
        if c.get(key) is not None:
            detail.append(f"{key}: {c[key]}")
    res["note"] = [{"text": "; ".join(detail)}]
    if evidence:
        res["evidence"] = [{"detail": [ref(u) for u in evidence]}]
    return res


def service_request(sid: str, code: str, text: str, patient_url: str, encounter_url: str,
                    *, priority: str = "routine", reason: str | None = None,
                    category: str = "referral") -> dict[str, Any]:
    """ServiceRequest for a referral, an orthosis or a therapy programme."""
    res: dict[str, Any] = {
        "resourceType": "ServiceRequest", "id": sid, "status": "draft", "intent": "proposal",
        "priority": PRIORITY.get(priority, "routine"),
        "category": [{"coding": [{"system": GROUNDUP_SYSTEM + "/request-category",
                                  "code": category}]}],
        "code": {"coding": [{"system": PLAN_SYSTEM, "code": code, "display": text}],
                 "text": text},
        "subject": ref(patient_url), "encounter": ref(encounter_url)}
    if reason:
        res["reasonCode"] = [{"text": reason}]
    return res


def care_plan(pid: str, items: list[dict[str, Any]], patient_url: str, encounter_url: str,
              addresses: list[str], requests: dict[str, str]) -> dict[str, Any]:
    """CarePlan whose activities are the plan items (each with its reason and source)."""
    activities = []
    for item in items:
        act: dict[str, Any] = {}
        if item["id"] in requests:
            act["reference"] = ref(requests[item["id"]])
        else:
            desc = item.get("text") or item["id"].replace("_", " ")
            if item.get("dosage"):
                desc += f" — {item['dosage']}"
            act["detail"] = {"status": "not-started", "description": desc,
                             "code": {"coding": [{"system": PLAN_SYSTEM, "code": item["id"]}]}}
        if item.get("reason") or item.get("source"):
            act["outcomeCodeableConcept"] = [{"text": "; ".join(
                str(x) for x in (item.get("reason"), item.get("source")) if x)}]
        activities.append(act)
    res: dict[str, Any] = {
        "resourceType": "CarePlan", "id": pid, "status": "draft", "intent": "proposal",
        "title": "groundup care plan (proposal for the clinician)",
        "subject": ref(patient_url), "encounter": ref(encounter_url), "activity": activities}
    if addresses:
        res["addresses"] = [ref(u) for u in addresses]
    return res


def flag(fid: str, red_flag: str, patient_url: str, encounter_url: str) -> dict[str, Any]:
    """Flag for a red flag: shown at the top of the record until resolved."""
    return {"resourceType": "Flag", "id": fid, "status": "active",
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                                "flag-category", "code": "clinical"}]}],
            "code": {"coding": [{"system": GROUNDUP_SYSTEM + "/red-flags", "code": red_flag}],
                     "text": "RED FLAG: " + red_flag.replace("_", " ")},
            "subject": ref(patient_url), "encounter": ref(encounter_url)}


def diagnostic_report(did: str, patient_url: str, encounter_url: str, results: list[str],
                      conclusion: str, pdf: bytes | None, date: str | None) -> dict[str, Any]:
    """DiagnosticReport grouping the observations and carrying the signed PDF report."""
    res: dict[str, Any] = {
        "resourceType": "DiagnosticReport", "id": did, "status": "preliminary",
        "code": {"coding": [{"system": GROUNDUP_SYSTEM, "code": "foot-back-assessment",
                             "display": "Foot and back assessment (groundup)"}]},
        "subject": ref(patient_url), "encounter": ref(encounter_url),
        "result": [ref(u) for u in results], "conclusion": conclusion}
    if date:
        res["effectiveDateTime"] = date
    if pdf is not None:
        res["presentedForm"] = [{"contentType": "application/pdf", "title": "report.pdf",
                                 "data": base64.b64encode(pdf).decode("ascii")}]
    return res
