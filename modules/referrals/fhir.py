"""A referral as FHIR R4B resources, validated by the `fhir.resources` models (its R4B package:
version 8 of the library defaults to R5): a collection Bundle of Patient, ServiceRequest, Task
(status mapped from our business status, which travels as Task.businessStatus), Appointment when
booked, and one DocumentReference per attachment."""

from __future__ import annotations

import base64
import json

from modules.referrals.models import FHIR_TASK_STATUS, Referral, Sex, Status, Urgency

SYSTEM = "https://jianlian.invalid/fhir"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
GENDER = {Sex.MALE: "male", Sex.FEMALE: "female", Sex.UNKNOWN: "unknown"}
PRIORITY = {Urgency.ROUTINE: "routine", Urgency.URGENT: "urgent", Urgency.EMERGENCY: "stat"}


def _ref(kind: str, rid: str) -> dict:
    return {"reference": f"{kind}/{rid}"}


def bundle(referral: Referral) -> dict:
    """The referral as a FHIR R4B Bundle (a dict, JSON-ready); raises pydantic's ValidationError
    if any resource is not valid FHIR."""
    from fhir.resources.R4B.appointment import Appointment
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.documentreference import DocumentReference
    from fhir.resources.R4B.patient import Patient
    from fhir.resources.R4B.servicerequest import ServiceRequest
    from fhir.resources.R4B.task import Task

    rid = str(referral.uid)
    patient = {
        "resourceType": "Patient", "id": f"p-{rid}", "name": [{"text": referral.patient_name}],
        "gender": GENDER[Sex(referral.patient_sex)], "birthDate": referral.patient_birth_date.isoformat(),
    }
    identifiers = []
    if referral.patient_id_number:
        identifiers.append({"system": "urn:oid:2.16.156.10011.1.1", "value": referral.patient_id_number})  # 居民身份证
    if referral.patient_mpi_id:
        identifiers.append({"system": f"{SYSTEM}/mpi", "value": referral.patient_mpi_id})
    if identifiers:
        patient["identifier"] = identifiers
    if referral.patient_phone:
        patient["telecom"] = [{"system": "phone", "value": referral.patient_phone}]
    notes = [text for text in (referral.chief_complaint, referral.present_history, referral.past_history,
                               referral.exam_findings, referral.lab_results, referral.imaging_results,
                               referral.medications, referral.allergies, referral.treatment) if text]
    service_request = {
        "resourceType": "ServiceRequest", "id": f"sr-{rid}",
        "identifier": [{"system": f"{SYSTEM}/referral-number", "value": referral.number}],
        "status": "revoked" if referral.status in (Status.WITHDRAWN, Status.CANCELLED) else
                  "completed" if referral.status == Status.COMPLETED else
                  "draft" if referral.status in (Status.DRAFT, Status.REVIEW) else "active",
        "intent": "order", "priority": PRIORITY[Urgency(referral.urgency)],
        "category": [{"coding": [{"system": "http://snomed.info/sct", "code": "3457005", "display": "Patient referral"}]}],
        "code": {"text": f"{referral.get_direction_display()} · {referral.get_kind_display()}"},
        "subject": _ref("Patient", f"p-{rid}"),
        "reasonCode": [{"coding": [{"system": ICD10, "code": referral.diagnosis_code, "display": referral.diagnosis_text}],
                        "text": referral.reason}],
        "requester": {"display": f"{referral.from_doctor_name}（{referral.from_unit_name}）"},
        "performer": [{"display": " ".join(x for x in (referral.to_unit_name, referral.to_desk_name, referral.to_doctor_name) if x)}],
    }
    if referral.submitted_at:
        service_request["authoredOn"] = referral.submitted_at.isoformat()
    if notes:
        service_request["note"] = [{"text": n} for n in notes]
    task = {
        "resourceType": "Task", "id": f"t-{rid}", "status": FHIR_TASK_STATUS[Status(referral.status)],
        "businessStatus": {"coding": [{"system": f"{SYSTEM}/referral-status", "code": referral.status,
                                       "display": str(Status(referral.status).label)}]},
        "intent": "order", "focus": _ref("ServiceRequest", f"sr-{rid}"), "for": _ref("Patient", f"p-{rid}"),
        "requester": {"display": referral.from_unit_name}, "owner": {"display": referral.to_unit_name},
    }
    if referral.status_reason:
        task["statusReason"] = {"text": referral.status_reason}
    if referral.status == Status.COMPLETED:
        task["output"] = [{"type": {"text": label}, "valueString": value} for label, value in (
            ("诊断结果", referral.result_diagnosis), ("住院病案号", referral.inpatient_no), ("主要检查结果", referral.main_findings),
            ("治疗经过", referral.treatment_summary), ("下一步治疗方案及康复建议", referral.next_plan)) if value]
    resources = [Patient.model_validate(patient), ServiceRequest.model_validate(service_request), Task.model_validate(task)]
    if referral.appointment_date:
        resources.append(Appointment.model_validate({
            "resourceType": "Appointment", "id": f"a-{rid}",
            "status": "fulfilled" if referral.status in (Status.ARRIVED, Status.COMPLETED) else
                      "cancelled" if referral.status in (Status.CANCELLED, Status.WITHDRAWN) else
                      "noshow" if referral.status == Status.CLOSED else "booked",
            "basedOn": [_ref("ServiceRequest", f"sr-{rid}")],
            "start": f"{referral.appointment_date.isoformat()}T08:00:00+08:00",
            "end": f"{referral.appointment_date.isoformat()}T17:00:00+08:00",
            "participant": [{"actor": _ref("Patient", f"p-{rid}"), "status": "accepted"},
                            {"actor": {"display": referral.to_desk_name or referral.to_unit_name}, "status": "accepted"}],
        }))
    for att in referral.attachments.all():
        resources.append(DocumentReference.model_validate({
            "resourceType": "DocumentReference", "id": f"d-{att.pk}-{rid[:8]}", "status": "current",
            "subject": _ref("Patient", f"p-{rid}"), "context": {"related": [_ref("ServiceRequest", f"sr-{rid}")]},
            "content": [{"attachment": {"contentType": att.content_type, "title": att.filename, "size": att.size,
                                        "hash": base64.b64encode(bytes.fromhex(att.sha256)).decode(),
                                        "data": base64.b64encode(bytes(att.data)).decode()}}],
        }))
    result = Bundle.model_validate({"resourceType": "Bundle", "type": "collection",
                                    "entry": [{"fullUrl": f"{SYSTEM}/{type(r).__name__}/{r.id}", "resource": r} for r in resources]})
    return json.loads(result.model_dump_json(exclude_none=True))
