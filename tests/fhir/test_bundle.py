"""FHIR export: the bundle validates, references resolve, codes and values are right."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from groundup.errors import GroundupError
from groundup.fhir.bundle import build_bundle, validate_bundle
from groundup.fhir.importer import patient_from_fhir
from groundup.findings import Finding

FINDINGS = [
    Finding(code="questionnaire.odi_percent", display="Oswestry Disability Index", value=24.0,
            unit="%", source="questionnaire"),
    Finding(code="questionnaire.start_back.total", display="STarT Back total", value=3,
            source="questionnaire"),
    Finding(code="exam.special_tests.slr", display="Straight leg raise", value="negative",
            side="left", source="exam"),
    Finding(code="gait.cadence_steps_min", system="https://groundup.health/codes/gait-metrics",
            display="Cadence", value=104.0, unit="/min", source="c3d",
            interpretation={"flag": "low", "z": -2.1}),
    Finding(code="symptom.limp", display="Limps", value=True, source="exam"),
]
ASSESSMENT = {
    "status": "determined",
    "conditions": [{"id": "plantar_fasciitis", "probability": 0.81, "side": "left",
                    "evidence_codes": ["exam.special_tests.slr"]},
                   {"id": "mechanical_low_back_pain", "probability": 0.55},
                   {"id": "tarsal_tunnel_syndrome", "probability": 0.03, "side": "left"}],
    "link": "foot_to_back", "red_flag": False, "red_flags": [], "urgent_referral": False,
    "referrals": [{"to": "orthopaedic_foot_ankle", "priority": "routine", "reason": "review"}],
}
PLAN = {"items": [
    {"id": "plantar_fascia_stretching", "category": "exercise", "dosage": "3 x 30 s, 3/day",
     "reason": "plantar fasciitis", "source": "Koc 2023"},
    {"id": "custom_foot_orthoses", "category": "orthosis", "reason": "heel pain",
     "source": "Koc 2023"}]}


@pytest.fixture(scope="module")
def bundle():
    return build_bundle(case_id="case-x", patient={"sex": "female", "birth_date": "1980-05-02"},
                        findings=FINDINGS, assessment=ASSESSMENT, plan=PLAN,
                        report_pdf=b"%PDF-1.4 test", date="2026-12-01")


def _of(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_bundle_round_trips_through_fhir_resources(bundle):
    parsed = Bundle.model_validate_json(json.dumps(bundle))
    again = json.loads(parsed.model_dump_json(exclude_none=True))
    assert len(again["entry"]) == len(bundle["entry"])
    kinds = sorted({e["resource"]["resourceType"] for e in bundle["entry"]})
    assert kinds == ["CarePlan", "Condition", "DiagnosticReport", "Encounter", "Observation",
                     "Patient", "QuestionnaireResponse", "ServiceRequest"]


def test_every_reference_resolves(bundle):
    urls = {e["fullUrl"] for e in bundle["entry"]}
    text = json.dumps(bundle)
    refs = {part.split('"')[0] for part in text.split('"reference": "')[1:]}
    assert refs and refs <= urls


def test_observation_values_and_codes(bundle):
    obs = {o["code"]["coding"][-1]["code"]: o for o in _of(bundle, "Observation")}
    odi = obs["questionnaire.odi_percent"]
    assert odi["code"]["coding"][0] == {"system": "http://loinc.org", "code": "97909-6",
                                        "display": "Oswestry disability index score ODI"}
    assert odi["valueQuantity"]["value"] == 24.0 and odi["valueQuantity"]["code"] == "%"
    assert obs["exam.special_tests.slr"]["valueString"] == "negative"
    assert obs["exam.special_tests.slr"]["bodySite"]["coding"][0]["code"] == "7771000"
    assert obs["gait.cadence_steps_min"]["interpretation"][0]["coding"][0]["code"] == "L"
    assert obs["symptom.limp"]["valueBoolean"] is True
    assert obs["symptom.limp"]["code"]["coding"][0]["code"] == "16973004"


def test_conditions_carry_icd10_by_side_and_skip_unlikely(bundle):
    conds = _of(bundle, "Condition")
    assert len(conds) == 2  # tarsal tunnel at 0.03 stays out
    pf = conds[0]
    codes = {c["system"]: c["code"] for c in pf["code"]["coding"]}
    assert codes["http://hl7.org/fhir/sid/icd-10-cm"] == "M72.2"
    assert codes["http://snomed.info/sct"] == "202882003"
    assert pf["evidence"][0]["detail"][0]["reference"].startswith("urn:uuid:")
    lbp = {c["system"]: c["code"] for c in conds[1]["code"]["coding"]}
    assert lbp["http://hl7.org/fhir/sid/icd-10-cm"] == "M54.50"


def test_plan_requests_and_report(bundle):
    reqs = _of(bundle, "ServiceRequest")
    assert {r["code"]["coding"][0]["code"] for r in reqs} == {
        "referral.orthopaedic_foot_ankle", "custom_foot_orthoses"}
    plan = _of(bundle, "CarePlan")[0]
    assert any("reference" in a for a in plan["activity"])
    assert plan["activity"][0]["detail"]["description"].endswith("3 x 30 s, 3/day")
    report = _of(bundle, "DiagnosticReport")[0]
    assert base64.b64decode(report["presentedForm"][0]["data"]) == b"%PDF-1.4 test"
    assert len(report["result"]) == len(FINDINGS)
    qrs = _of(bundle, "QuestionnaireResponse")
    assert {q["questionnaire"].rsplit("/", 1)[1] for q in qrs} == {"odi_percent", "start_back"}


def test_red_flag_becomes_a_flag():
    b = build_bundle(case_id="rf", patient={"sex": "male"}, findings=[],
                     assessment={"red_flag": True, "red_flags": ["cauda_equina_syndrome"],
                                 "conditions": []})
    flags = _of(b, "Flag")
    assert flags[0]["code"]["coding"][0]["code"] == "cauda_equina_syndrome"
    assert _of(b, "DiagnosticReport")[0]["conclusion"].startswith("RED FLAG")


def test_same_input_same_bundle():
    a = build_bundle(case_id="c", patient={"sex": "male"}, findings=FINDINGS)
    b = build_bundle(case_id="c", patient={"sex": "male"}, findings=FINDINGS)
    assert a == b


def test_broken_reference_is_named():
    b = build_bundle(case_id="c", patient={"sex": "male"}, findings=FINDINGS[:1])
    b["entry"] = [e for e in b["entry"] if e["resource"]["resourceType"] != "Encounter"]
    with pytest.raises(GroundupError, match="Observation refers to urn:uuid:"):
        validate_bundle(b)


def test_patient_import_from_resource_and_bundle(tmp_path):
    p = {"resourceType": "Patient", "id": "abc", "gender": "female", "birthDate": "1980-05-02",
         "name": [{"given": ["Ann"], "family": "Example"}]}
    got = patient_from_fhir(p, on=dt.date(2026, 12, 1))
    assert got == {"id": "abc", "sex": "female", "birth_date": "1980-05-02", "age": 46,
                   "name": "Ann Example"}
    f = tmp_path / "b.json"
    f.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                             "entry": [{"resource": p}]}))
    assert patient_from_fhir(f, on=dt.date(2026, 5, 1))["age"] == 45


@pytest.mark.parametrize("data, message", [
    ({"resourceType": "Observation"}, "expected a Patient"),
    ({"resourceType": "Patient", "birthDate": "1st of May"},
     "invalid Patient resource at birthDate"),
    ({"resourceType": "Bundle", "type": "collection", "entry": []}, "holds 0 Patient"),
])
def test_patient_import_errors(data, message):
    with pytest.raises(GroundupError, match=message):
        patient_from_fhir(data)


def test_patient_import_unreadable_file(tmp_path):
    f = tmp_path / "x.json"
    f.write_text("{not json")
    with pytest.raises(GroundupError, match="not a readable FHIR JSON"):
        patient_from_fhir(f)
