"""Run one assessment end to end and write its output folder.

case file -> findings (history, questionnaires, exam, imaging) + measured gait (recordings)
-> reasoning (Assessment) -> care plan -> follow-up against MCID -> reports (HTML, PDF, patient
version) -> FHIR bundle. Whatever is invalid or unreadable is left out, named, and listed in the
report; the rest is still produced.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from groundup.case.follow_up import follow_up_changes
from groundup.case.format import CaseFile, read_case
from groundup.case.recordings import analyse_recording
from groundup.case.result import CaseResult
from groundup.errors import GroundupError
from groundup.findings import Finding

Step = Callable[[str], None]


def assessment_document(assessment, plan) -> dict[str, Any]:
    """The JSON of an assessment with its plan (``groundup assess --json``, docs/reasoning.md)."""
    doc = assessment.to_json()
    plan_json = plan.to_json()
    doc["plan"] = [i["id"] for i in plan_json["items"]]
    doc["plan_detail"] = plan_json
    doc["referrals"] = doc["referrals"] + [r for r in plan.referrals
                                           if r not in assessment.referrals]
    return doc


def _patient(case: CaseFile, omitted: list[str]) -> dict[str, Any]:
    patient = dict(case.data.get("patient") or {})
    fhir_path = patient.pop("fhir", None)
    if fhir_path:
        from groundup.fhir.importer import patient_from_fhir

        try:
            imported = patient_from_fhir(case.resolve(str(fhir_path)))
        except GroundupError as exc:
            omitted.append(f"patient.fhir (line {case.line_of('patient.fhir')}): {exc}")
        else:
            for k, v in imported.items():
                patient.setdefault(k, v)
    if isinstance(case.data.get("patient"), dict):
        case.data["patient"] = {k: v for k, v in case.data["patient"].items() if k != "fhir"}
    return patient


def _case_findings(case: CaseFile, omitted: list[str]) -> list[Finding]:
    from groundup.exam.case import findings_and_problems

    findings, problems = findings_and_problems(case.clinical)
    for p in problems:
        line = p.line or case.line_of(p.field)
        omitted.append(f"{p.field}{f' (line {line})' if line else ''}: {p.message}")
    return findings


def _merge_gait(findings: list[Finding], measured: list[Finding], omitted: list[str]
                ) -> list[Finding]:
    """Measured gait replaces the case's own gait values for the same measure and side."""
    if not measured:
        return findings
    keys = {(f.code, f.side) for f in measured}
    replaced = [f for f in findings if f.code.startswith("gait.") and (f.code, f.side) in keys]
    if replaced:
        omitted.append(f"{len(replaced)} gait value(s) of the case file were replaced by the "
                       "values measured from the recordings")
    return [f for f in findings if f not in replaced] + measured


def run_case(source: str | Path | dict[str, Any] | CaseFile, out_dir: str | Path, *,
             step: Step | None = None, synthetic: bool = False,
             frames: Callable[[int, int], None] | None = None) -> CaseResult:
    """Assess one case and write every output into ``out_dir``.

    Parameters
    ----------
    source
        Case file (YAML/JSON), its parsed mapping, or a case already read by
        :func:`~groundup.case.format.read_case`.
    out_dir
        Output folder (created).
    step
        Called with a short description before each stage (progress display).
    synthetic
        Mark the whole assessment as demonstration data.
    frames
        Called with (done, total) while a video is processed.

    Returns
    -------
    CaseResult
        With ``outputs`` naming every file written.
    """
    say = step or (lambda _msg: None)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    say("reading the case")
    case = source if isinstance(source, CaseFile) else read_case(source)
    omitted = [str(p) for p in case.problems]
    patient = _patient(case, omitted)
    findings = _case_findings(case, omitted)
    gait_results, videos, measured = [], [], []
    for rec in case.data.get("recordings") or []:
        say(f"analysing {rec['path']}")
        o = analyse_recording(rec, case.resolve(str(rec["path"])), out, patient=patient,
                              progress=frames)
        omitted += o.notes
        if o.problem:
            omitted.append(o.problem)
            continue
        gait_results.append(o.result)
        measured += list(o.result.findings)
        videos.append({"name": o.name, "overlay": o.overlay, "keypoints": o.keypoints})
    findings = _merge_gait(findings, measured, omitted)
    say("reasoning")
    from groundup.plan import care_plan
    from groundup.reasoning import assess

    assessment = assess(findings, age=patient.get("age"), sex=patient.get("sex"))
    plan = care_plan(assessment, findings)
    follow = follow_up_changes(case.data.get("questionnaires"), case.data.get("previous_visits"),
                               omitted, today=(case.data.get("visit") or {}).get("date"))
    synthetic = synthetic or any(bool((g.metadata or {}).get("synthetic")) for g in gait_results)
    result = CaseResult(case_id=case.case_id, patient=patient,
                        visit=dict(case.data.get("visit") or {}), findings=findings,
                        gait=gait_results, assessment=assessment_document(assessment, plan),
                        plan=plan.to_json(), follow_up=follow, omitted=omitted,
                        synthetic=synthetic, videos=videos)
    _write_outputs(result, out, say)
    return result


def _write_outputs(result: CaseResult, out: Path, say: Step) -> None:
    from groundup.fhir.bundle import build_bundle
    from groundup.report.clinician import clinician_html
    from groundup.report.patient import patient_html
    from groundup.report.pdf import write_pdf

    say("writing the reports")
    report = clinician_html(result, out / "figures")
    (out / "report.html").write_text(report, encoding="utf-8")
    write_pdf(report, out / "report.pdf")
    patient = patient_html(result)
    (out / "patient.html").write_text(patient, encoding="utf-8")
    write_pdf(patient, out / "patient.pdf")
    say("writing the FHIR bundle")
    bundle = build_bundle(case_id=result.case_id, patient=result.patient,
                          findings=result.findings, assessment=result.assessment,
                          plan=result.plan, report_pdf=(out / "report.pdf").read_bytes(),
                          date=result.visit.get("date"))
    (out / "bundle.fhir.json").write_text(json.dumps(bundle, indent=1), encoding="utf-8")
    doc = {"schema": "groundup.assessment/1", "case": result.case_id,
           "synthetic": result.synthetic, "visit": result.visit, **result.assessment,
           "gait": [g.to_json() for g in result.gait], "follow_up": result.follow_up,
           "omitted": result.omitted,
           "findings": [dataclasses.asdict(f) for f in result.findings]}
    (out / "assessment.json").write_text(json.dumps(doc, indent=1, default=str),
                                         encoding="utf-8")
    result.outputs = {"assessment": out / "assessment.json", "report_html": out / "report.html",
                      "report_pdf": out / "report.pdf", "patient_html": out / "patient.html",
                      "patient_pdf": out / "patient.pdf", "bundle": out / "bundle.fhir.json"}
    for v in result.videos:
        if v.get("overlay"):
            result.outputs[f"overlay:{v['name']}"] = v["overlay"]
