"""Two-way referrals: across tenants through the bus (also with the relay stopped mid-way),
inside one tenant, permissions, illegal transitions, slots under parallel booking, SLA with
controlled time, attachments, and bad input on the form."""

from __future__ import annotations

import base64
import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from jianlian.bus import relay
from jianlian.core.errors import DomainError
from jianlian.marketplace import services as market
from modules.referrals import services
from modules.referrals.models import Referral, Side, SlotDay, Status
from tenants.context import tenant_context
from tests.factories import build_province, grant, make_user, member
from tests.utils import gql
from tests.worlds import FORM, TOMORROW

def _codes(fn, *args, **kwargs):
    with pytest.raises(DomainError) as e:
        fn(*args, **kwargs)
    return [p.code for p in e.value.problems]


@pytest.fixture
def w(referral_world):
    return referral_world


RETURN = dict(result_diagnosis="冠心病 不稳定型心绞痛", inpatient_no="ZY2026120001", main_findings="冠脉造影：LAD 狭窄70%",
              treatment_summary="PCI 植入支架1枚", next_plan="双抗治疗12个月，社区随访血压血脂，3个月复查")


OUTGOING = """{ referrals(box: OUTGOING, first: 5) { edges { node { status deliveredAt } } } }"""


def _outgoing(client, w):
    status, body = gql(client, OUTGOING, user=w.sender, HTTP_X_TENANT="tonglu")
    assert status == 200, body
    return [e["node"] for e in body["data"]["referrals"]["edges"]]


def test_a_referral_up_to_another_tenant_flows_both_ways_through_the_bus(client, w):
    out = w.refer_up()
    assert (out.side, out.status, out.direction) == (Side.OUTGOING, Status.REQUESTED, "up")
    assert w.in_h(out.uid) is None  # nothing crosses until the relay runs
    assert _outgoing(client, w) == [{"status": "REQUESTED", "deliveredAt": None}]  # sent, not delivered

    relay.run_once()
    inc = w.in_h(out.uid)
    assert (inc.side, inc.status, inc.patient_name, inc.diagnosis_code) == (Side.INCOMING, Status.REQUESTED, "陈阿婆", "I20.0")
    # the receiver's system registered it (the bus acknowledged): delivered, though nobody has seen it yet
    [row] = _outgoing(client, w)
    assert row["status"] == "REQUESTED" and row["deliveredAt"] is not None
    with tenant_context(w.p.tenant_h):
        from jianlian.notifications.models import Delivery

        assert Delivery.objects.filter(user_id=w.cardio.pk).exists()  # the receiving doctor was told

    w.act_h(out.uid, "accept", appointment_date=TOMORROW)
    relay.run_once()
    a = w.in_a(out.uid)
    assert (a.status, a.appointment_date) == (Status.BOOKED, TOMORROW)

    w.act_h(out.uid, "arrive")
    w.act_h(out.uid, "complete", **RETURN)
    relay.run_once()
    a = w.in_a(out.uid)
    assert a.status == Status.COMPLETED
    assert (a.result_diagnosis, a.inpatient_no, a.next_plan) == (RETURN["result_diagnosis"], "ZY2026120001", RETURN["next_plan"])
    with tenant_context(w.p.tenant_a):
        assert list(a.events.values_list("action", flat=True)) == ["create", "submit", "accept", "arrive", "complete"]
    with tenant_context(w.p.tenant_h):
        assert SlotDay.objects.get(desk_id=w.desk_h, date=TOMORROW).booked == 1


def test_with_the_relay_stopped_mid_way_nothing_is_lost_or_applied_twice(w):
    out = w.refer_up()
    relay.run_once()
    # The relay stops: H accepts, the patient arrives, H completes — three steps queued in order.
    w.act_h(out.uid, "accept", appointment_date=TOMORROW)
    w.act_h(out.uid, "arrive")
    w.act_h(out.uid, "complete", **RETURN)
    assert w.in_a(out.uid).status == Status.REQUESTED

    relay.run_once()  # restarted
    relay.run_once()  # and again: nothing is applied twice
    a = w.in_a(out.uid)
    assert a.status == Status.COMPLETED and a.seq == 4  # create is step 0
    with tenant_context(w.p.tenant_a):
        assert list(a.events.values_list("action", flat=True)) == ["create", "submit", "accept", "arrive", "complete"]


def test_the_same_flow_inside_one_tenant(w):
    p = w.p
    with tenant_context(p.tenant_a):
        r = services.create_draft(w.sender, from_unit_id=p.member_a1.pk, to_unit_id=p.lead_a.pk, desk_id=w.desk_a, **FORM)
        assert r.side == Side.INTERNAL and r.direction == "up"
        services.transition(w.sender, r.pk, "submit")
        services.transition(w.lead_doctor, r.pk, "receive")
        services.transition(w.lead_doctor, r.pk, "accept", appointment_date=TOMORROW)
        services.transition(w.lead_doctor, r.pk, "arrive")
        r = services.transition(w.lead_doctor, r.pk, "complete", **RETURN)
        assert r.status == Status.COMPLETED and r.result_diagnosis == RETURN["result_diagnosis"]
        assert [e.to_status for e in r.events.all()] == ["draft", "requested", "received", "booked", "arrived", "completed"]
        from jianlian.bus.models import OutboxMessage

        assert not OutboxMessage.objects.filter(type="referrals.transition").exists()  # no bus inside one tenant


def test_a_referral_down_for_rehabilitation(w):
    p = w.p
    with tenant_context(p.tenant_a):
        r = services.create_draft(w.lead_doctor, from_unit_id=p.lead_a.pk, to_unit_id=p.member_a1.pk,
                                  **{**FORM, "reason": "PCI术后病情稳定，转回社区康复", "urgency": "routine"})
        assert r.direction == "down"


# --- permissions -------------------------------------------------------------------------------------

def test_people_outside_the_referral_cannot_read_it(w):
    out = w.refer_up()
    relay.run_once()
    doctor_b = w.p.users["doctor_b"]  # 象山, an unrelated tenant
    with tenant_context(w.p.tenant_b):
        assert not Referral.objects.filter(uid=out.uid).exists()  # never copied there
        assert services.visible_referrals(doctor_b).count() == 0
    with tenant_context(w.p.tenant_h):
        inc = Referral.objects.get(uid=out.uid)
        assert _codes(services.access_referral, doctor_b, inc.pk) == ["PERMISSION_DENIED"]
        assert _codes(services.transition, doctor_b, inc.pk, "accept") == ["PERMISSION_DENIED"]
        # a missing referral answers exactly like a forbidden one
        assert _codes(services.access_referral, doctor_b, inc.pk + 10_000) == ["PERMISSION_DENIED"]
    county_sup = make_user("县监管员")
    grant(county_sup, "county_supervisor", w.p.county_a)
    with tenant_context(w.p.tenant_a):
        assert services.visible_referrals(county_sup).count() == 0  # aggregates only
        assert _codes(services.access_referral, county_sup, out.pk) == ["PERMISSION_DENIED"]
        from modules.referrals.stats import monthly

        rows = monthly(timezone.localdate().replace(day=1))
        assert [(r["unit_id"], r["element"], r["value"]) for r in rows] == [(w.p.member_a1.pk, "referrals.up", 1)]
    with tenant_context(w.p.tenant_h):
        rows = monthly(timezone.localdate().replace(day=1))
        assert {r["element"]: r["value"] for r in rows} == {"referrals.received": 1, "referrals.acceptance_rate": 0}
        assert all(set(r) == {"unit_id", "element", "period", "value"} for r in rows)  # counts, no patient data


def test_every_illegal_transition_is_refused_with_a_clear_code(w):
    out = w.refer_up()
    relay.run_once()
    with tenant_context(w.p.tenant_a):  # the sender cannot take the receiver's steps
        assert _codes(services.transition, w.sender, out.pk, "accept") == ["ILLEGAL_TRANSITION"]
        assert _codes(services.transition, w.sender, out.pk, "submit") == ["ILLEGAL_TRANSITION"]
        assert _codes(services.transition, w.sender, out.pk, "fly") == ["ILLEGAL_TRANSITION"]
    assert [c for c in _codes(w.act_h, out.uid, "complete", **RETURN)] == ["ILLEGAL_TRANSITION"]  # not arrived yet
    assert _codes(w.act_h, out.uid, "reject") == ["REASON_REQUIRED"]
    assert _codes(w.act_h, out.uid, "withdraw") == ["ILLEGAL_TRANSITION"]
    with pytest.raises(DomainError) as e:
        w.act_h(out.uid, "arrive")
    assert "待接收" in str(e.value.message)
    w.act_h(out.uid, "reject", reason="本院心内科床位已满，建议转市级医院")
    assert _codes(w.act_h, out.uid, "accept") == ["ILLEGAL_TRANSITION"]  # rejected is final
    relay.run_once()
    assert w.in_a(out.uid).status == Status.REJECTED and "床位已满" in w.in_a(out.uid).status_reason


def test_submitting_needs_consent_except_for_emergencies(w):
    p = w.p
    with tenant_context(p.tenant_a):
        r = services.create_draft(w.sender, from_unit_id=p.member_a1.pk, to_unit_id=p.hospital.pk, **{**FORM, "consent": False})
        assert _codes(services.transition, w.sender, r.pk, "submit") == ["CONSENT_REQUIRED"]
        e = services.create_draft(w.sender, from_unit_id=p.member_a1.pk, to_unit_id=p.hospital.pk,
                                  **{**FORM, "consent": False, "urgency": "emergency"})
        assert e.paperwork_pending
        assert services.transition(w.sender, e.pk, "submit").status == Status.REQUESTED


def test_internal_review_before_submission(w):
    p = w.p
    reviewer = make_user("周科长")
    member(reviewer, p.tenant_a, p.member_a1)
    grant(reviewer, "referral_office", p.member_a1, p.tenant_a)
    with tenant_context(p.tenant_a):
        r = services.create_draft(w.sender, from_unit_id=p.member_a1.pk, to_unit_id=p.hospital.pk, needs_review=True, **FORM)
        assert services.transition(w.sender, r.pk, "submit").status == Status.REVIEW
        assert _codes(services.transition, w.sender, r.pk, "approve") == ["PERMISSION_DENIED"]
        assert services.transition(reviewer, r.pk, "approve").status == Status.REQUESTED
    relay.run_once()
    assert w.in_h(r.uid).status == Status.REQUESTED


# --- slots -----------------------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_parallel_bookings_never_overbook(unique):
    from django.db import connections

    p = build_province(unique(""))
    market.install(None, p.tenant_h, "referrals")
    office = make_user("号源管理员")
    member(office, p.tenant_h, p.hospital)
    grant(office, "referral_office", p.hospital, p.tenant_h)
    with tenant_context(p.tenant_h):
        desk = services.set_desk(office, unit_id=p.hospital.pk, name="骨科", daily_slots=3).pk
    results, barrier = [], threading.Barrier(8)

    def book():
        try:
            with tenant_context(p.tenant_h):
                barrier.wait()
                results.append(services.book_slot(desk, TOMORROW))
        except DomainError as e:
            results.append(e.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(map(str, results)).count("SLOT_FULL") == 5 and len(results) == 8
    with tenant_context(p.tenant_h):
        assert SlotDay.objects.get(desk_id=desk, date=TOMORROW).booked == 3
        assert services.slots(desk, TOMORROW, 1)[0]["free"] == 0


def test_cancelling_frees_the_slot(w):
    out = w.refer_up()
    relay.run_once()
    w.act_h(out.uid, "accept", appointment_date=TOMORROW)
    with tenant_context(w.p.tenant_h):
        assert services.slots(w.desk_h, TOMORROW, 1)[0]["free"] == 1
    w.act_h(out.uid, "close", reason="患者未按预约到诊")
    with tenant_context(w.p.tenant_h):
        assert services.slots(w.desk_h, TOMORROW, 1)[0]["free"] == 2


# --- SLA -------------------------------------------------------------------------------------------------

def test_sla_reminds_then_escalates_once_with_controlled_time(w):
    from jianlian.notifications.models import Delivery, Notification

    out = w.refer_up(urgency="urgent")  # urgent: 60 min to acknowledge, 240 to escalate (defaults)
    relay.run_once()
    inc = w.in_h(out.uid)
    start = inc.submitted_at
    with tenant_context(w.p.tenant_h):
        before = Notification.objects.count()
        assert services.check_sla(now=start + dt.timedelta(minutes=30)) == {"reminded": 0, "escalated": 0}
        assert services.check_sla(now=start + dt.timedelta(minutes=61)) == {"reminded": 1, "escalated": 0}
        assert services.check_sla(now=start + dt.timedelta(minutes=62)) == {"reminded": 0, "escalated": 0}
        assert services.check_sla(now=start + dt.timedelta(minutes=241)) == {"reminded": 0, "escalated": 1}
        assert services.check_sla(now=start + dt.timedelta(minutes=500)) == {"reminded": 0, "escalated": 0}
        r = Referral.objects.get(pk=inc.pk)
        assert r.overdue and r.escalated_at is not None
        escalation = Notification.objects.order_by("-pk").first()
        assert escalation.priority == "urgent" and "超时" in escalation.title
        assert list(Delivery.objects.filter(notification=escalation).values_list("user_id", flat=True)) == [w.cardio.pk]  # the head
        assert Notification.objects.count() == before + 2


def test_sla_is_configurable_per_tenant(w):
    office = w.p.users["tenant_admin"]
    with tenant_context(w.p.tenant_a):
        services.set_sla(office, "routine", 30, 90)
        assert services.sla_policy()["routine"] == (30, 90)
        assert _codes(services.set_sla, office, "routine", 90, 30) == ["INVALID"]
        assert _codes(services.set_sla, w.sender, "routine", 30, 90) == ["PERMISSION_DENIED"]


# --- the form and attachments ---------------------------------------------------------------------------

def test_bad_input_on_every_field_is_reported_at_once(w):
    p = w.p
    bad = dict(patient_name="", patient_sex="x", patient_birth_date=dt.date(2999, 1, 1), patient_id_number="330122198503120000",
               patient_phone="12345", reason="", diagnosis_code="胸痛", diagnosis_text="", urgency="soon", kind="home",
               wished_date=timezone.localdate() - dt.timedelta(days=1), allergies="过" * 1001)
    with tenant_context(p.tenant_a), pytest.raises(DomainError) as e:
        services.create_draft(w.sender, from_unit_id=p.member_a1.pk, to_unit_id=p.hospital.pk, **bad)
    fields = {(x.field, x.code) for x in e.value.problems}
    assert fields == {("patient_name", "REQUIRED"), ("patient_sex", "INVALID"), ("patient_birth_date", "INVALID_DATE"),
                      ("patient_id_number", "INVALID_ID_NUMBER"), ("patient_phone", "INVALID_MOBILE"), ("reason", "REQUIRED"),
                      ("diagnosis_code", "INVALID_ICD10"), ("diagnosis_text", "REQUIRED"), ("urgency", "INVALID"),
                      ("kind", "INVALID"), ("wished_date", "INVALID_DATE"), ("allergies", "TOO_LONG")}
    with tenant_context(p.tenant_a):
        assert not Referral.objects.exists()  # nothing half-written
        assert _codes(services.create_draft, w.sender, from_unit_id=p.member_a1.pk, to_unit_id=p.county_a.pk, **FORM) == ["INVALID_TARGET"]
        lateral = services.create_draft(w.sender, from_unit_id=p.member_a1.pk, to_unit_id=p.member_b1.pk, **FORM)
        assert (lateral.direction, lateral.side) == ("lateral", Side.OUTGOING)  # 象山's township centre
        assert _codes(services.create_draft, w.p.users["doctor_b"], from_unit_id=p.member_a1.pk, to_unit_id=p.hospital.pk, **FORM) == ["PERMISSION_DENIED"]


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_attachments_are_checked_by_type_and_size_and_travel_with_the_referral(w):
    p = w.p
    with tenant_context(p.tenant_a):
        r = services.create_draft(w.sender, from_unit_id=p.member_a1.pk, to_unit_id=p.hospital.pk, desk_id=w.desk_h, **FORM)
        b64 = base64.b64encode(PDF).decode()
        assert _codes(services.add_attachment, w.sender, r.pk, filename="a.exe", content_type="application/x-msdownload", data_base64=b64) == ["ATTACHMENT_TYPE"]
        assert _codes(services.add_attachment, w.sender, r.pk, filename="a.png", content_type="image/png", data_base64=b64) == ["ATTACHMENT_TYPE"]
        big = base64.b64encode(b"%PDF-" + b"0" * (10 * 1024 * 1024)).decode()
        assert _codes(services.add_attachment, w.sender, r.pk, filename="big.pdf", content_type="application/pdf", data_base64=big) == ["ATTACHMENT_TOO_LARGE"]
        assert _codes(services.add_attachment, w.sender, r.pk, filename="x.pdf", content_type="application/pdf", data_base64="***") == ["INVALID"]
        services.add_attachment(w.sender, r.pk, filename="心电图.pdf", content_type="application/pdf", data_base64=b64)
        services.transition(w.sender, r.pk, "submit")
    relay.run_once()
    with tenant_context(p.tenant_h):
        [att] = Referral.objects.get(uid=r.uid).attachments.all()
        assert (att.filename, bytes(att.data)) == ("心电图.pdf", PDF)


def test_the_patient_id_number_is_encrypted_at_rest(w):
    p = w.p
    with tenant_context(p.tenant_a):
        from tests.factories import make_id_number

        number = make_id_number()
        r = services.create_draft(w.sender, from_unit_id=p.member_a1.pk, to_unit_id=p.hospital.pk, **{**FORM, "patient_id_number": number})
        with connection.cursor() as c:
            c.execute("SELECT patient_id_number FROM referrals_referral WHERE id = %s", [r.pk])
            stored = c.fetchone()[0]
        assert number not in stored and Referral.objects.get(pk=r.pk).patient_id_number == number


# --- FHIR ------------------------------------------------------------------------------------------------

def test_a_referral_exports_as_valid_fhir_r4b_resources(w):
    from fhir.resources.R4B.bundle import Bundle

    from modules.referrals.fhir import bundle

    p = w.p
    with tenant_context(p.tenant_a):
        r = services.create_draft(w.sender, from_unit_id=p.member_a1.pk, to_unit_id=p.hospital.pk, desk_id=w.desk_h, **FORM)
        services.add_attachment(w.sender, r.pk, filename="心电图.pdf", content_type="application/pdf",
                                data_base64=base64.b64encode(PDF).decode())
        services.transition(w.sender, r.pk, "submit")
    relay.run_once()
    w.act_h(r.uid, "accept", appointment_date=TOMORROW)
    with tenant_context(p.tenant_h):
        doc = bundle(Referral.objects.get(uid=r.uid))
    Bundle.model_validate(doc)  # round-trips through the R4B models
    by_type = {e["resource"]["resourceType"]: e["resource"] for e in doc["entry"]}
    assert set(by_type) == {"Patient", "ServiceRequest", "Task", "Appointment", "DocumentReference"}
    assert by_type["Task"]["status"] == "in-progress" and by_type["Task"]["businessStatus"]["coding"][0]["code"] == "booked"
    assert by_type["ServiceRequest"]["reasonCode"][0]["coding"][0] == {
        "system": "http://hl7.org/fhir/sid/icd-10", "code": "I20.0", "display": "不稳定型心绞痛"}
    assert by_type["Patient"]["gender"] == "female" and by_type["Appointment"]["status"] == "booked"
    assert base64.b64decode(by_type["DocumentReference"]["content"][0]["attachment"]["data"]) == PDF
    # An invalid resource is refused by the models, which is what makes the export a validation.
    task = {k: v for k, v in by_type["Task"].items() if k != "status"}  # Task.status is required
    with pytest.raises(Exception):
        Bundle.model_validate({**doc, "entry": [{"fullUrl": "https://jianlian.invalid/fhir/Task/x", "resource": task}]})


def test_the_paper_forms_print_with_their_stubs_for_people_who_may_see_them(w, client):
    from tests.utils import token_for

    out = w.refer_up()
    relay.run_once()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(w.sender)}", "HTTP_X_TENANT": w.p.tenant_a.slug}
    page = client.get(f"/apps/referrals/{out.pk}/print/outbound/", **auth)
    html = page.content.decode()
    assert page.status_code == 200 and "存根" in html and "双向转诊（转出）单" in html and "陈阿婆" in html and "不稳定型心绞痛" in html
    assert client.get(f"/apps/referrals/{out.pk}/print/return/", **auth).status_code == 409  # not completed yet
    fhir = client.get(f"/apps/referrals/{out.pk}/fhir/", **auth)
    assert fhir["Content-Type"] == "application/fhir+json" and fhir.json()["resourceType"] == "Bundle"

    w.act_h(out.uid, "accept")
    w.act_h(out.uid, "arrive")
    w.act_h(out.uid, "complete", **RETURN)
    relay.run_once()
    html = client.get(f"/apps/referrals/{out.pk}/print/return/", **auth).content.decode()
    assert "双向转诊（回转）单" in html and "ZY2026120001" in html and "双抗治疗12个月" in html

    neighbour = make_user("吴医生")  # 横村镇卫生院: same community, another unit
    member(neighbour, w.p.tenant_a, w.p.member_a2)
    grant(neighbour, "doctor", w.p.member_a2, w.p.tenant_a)
    other = {"HTTP_AUTHORIZATION": f"Bearer {token_for(neighbour)}", "HTTP_X_TENANT": w.p.tenant_a.slug}
    assert client.get(f"/apps/referrals/{out.pk}/print/outbound/", **other).status_code == 404  # not his unit's referral
    outsider = {"HTTP_AUTHORIZATION": f"Bearer {token_for(w.p.users['doctor_b'])}", "HTTP_X_TENANT": w.p.tenant_b.slug}
    assert client.get(f"/apps/referrals/{out.pk}/print/outbound/", **outsider).status_code == 404


# --- end to end over GraphQL and a real WebSocket ------------------------------------------------------------

CREATE = """mutation($from: ID!, $to: ID!, $desk: Int) { createReferral(input: {fromUnit: $from, toUnit: $to, toDesk: $desk,
  patientName: "陈阿婆", patientSex: FEMALE, patientBirthDate: "1948-05-02", reason: "反复胸闷胸痛3天",
  diagnosisCode: "I20.0", diagnosisText: "不稳定型心绞痛", urgency: URGENT, consent: true}) {
  referral { id status } errors { field code message } } }"""
STEP = """mutation($id: ID!, $action: ReferralAction!, $date: Date) { referralTransition(input: {id: $id, action: $action,
  appointmentDate: $date}) { referral { id status appointmentDate } errors { field code message } } }"""


def test_a_receiving_doctor_sees_a_referral_arrive_live_and_the_sender_sees_the_acceptance(live_asgi, w):
    import asyncio
    import json

    import httpx
    import websockets
    from graphql_relay import to_global_id

    from tests.utils import token_for

    p = w.p
    tok = {"sender": token_for(w.sender), "cardio": token_for(w.cardio)}

    def relay_pass():
        from django.db import connections

        try:
            relay.run_once()
        finally:
            connections.close_all()

    async def socket(tenant, token, box):
        ws = await websockets.connect(f"ws://{live_asgi}/t/{tenant.slug}/graphql/", subprotocols=["graphql-transport-ws"])
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "r", "type": "subscribe", "payload": {
            "query": f"subscription {{ referralChanged(box: {box}) {{ number status patientName appointmentDate }} }}"}}))
        return ws

    async def gql_post(http, tenant, token, query, variables):
        r = await http.post("/graphql/", json={"query": query, "variables": variables},
                            headers={"X-Tenant": tenant.slug, "Authorization": f"Bearer {token}"})
        body = r.json()
        assert "errors" not in body, body
        return body["data"]

    async def next_payload(ws):
        return json.loads(await asyncio.wait_for(ws.recv(), 10))["payload"]["data"]["referralChanged"]

    async def scenario():
        receiver = await socket(p.tenant_h, tok["cardio"], "INCOMING")
        sender = await socket(p.tenant_a, tok["sender"], "OUTGOING")
        await asyncio.sleep(0.5)
        async with httpx.AsyncClient(base_url=f"http://{live_asgi}", timeout=20) as http:
            data = await gql_post(http, p.tenant_a, tok["sender"], CREATE, {
                "from": to_global_id("OrgUnit", p.member_a1.pk), "to": to_global_id("OrgUnit", p.hospital.pk), "desk": w.desk_h})
            rid = data["createReferral"]["referral"]["id"]
            data = await gql_post(http, p.tenant_a, tok["sender"], STEP, {"id": rid, "action": "SUBMIT"})
            assert data["referralTransition"]["referral"]["status"] == "REQUESTED"
            await asyncio.to_thread(relay_pass)
            arrived = await next_payload(receiver)
            assert (arrived["status"], arrived["patientName"]) == ("REQUESTED", "陈阿婆")

            incoming = await http.post("/graphql/", json={"query": "{ referrals(box: INCOMING) { edges { node { id } } } }"},
                                       headers={"X-Tenant": p.tenant_h.slug, "Authorization": f"Bearer {tok['cardio']}"})
            inc_id = incoming.json()["data"]["referrals"]["edges"][0]["node"]["id"]
            day = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
            data = await gql_post(http, p.tenant_h, tok["cardio"], STEP, {"id": inc_id, "action": "ACCEPT", "date": day})
            assert data["referralTransition"]["referral"]["status"] == "BOOKED"
            await asyncio.to_thread(relay_pass)
            seen = []  # the sender's board: its own submit, then the receiver's acceptance
            while not seen or seen[-1]["status"] != "BOOKED":
                seen.append(await next_payload(sender))
            assert [x["status"] for x in seen] == ["REQUESTED", "BOOKED"]
        for ws in (receiver, sender):
            await ws.close()
        return seen[-1]

    final = asyncio.run(scenario())
    assert final["status"] == "BOOKED" and final["appointmentDate"] == (timezone.localdate() + dt.timedelta(days=1)).isoformat()


def test_a_receiving_doctor_who_leaves_hands_open_referrals_to_the_successor(w):
    from jianlian.org.services import apply_due_events, schedule_leave
    from tests.factories import make_department, make_staff

    p = w.p
    with tenant_context(p.tenant_a):
        rehab = make_department("KF", "康复科", unit=p.lead_a)
        leaving = make_staff("郑医生", unit=p.lead_a, department=rehab)
        successor = make_staff("冯医生", unit=p.lead_a, department=rehab)
    from jianlian.identity.models import User

    leaver = User.objects.get(pk=leaving.user_id)
    User.objects.filter(pk=leaver.pk).update(status="active")  # activated their account
    leaver.refresh_from_db()
    grant(leaver, "doctor", p.lead_a, p.tenant_a)
    with tenant_context(p.tenant_a):
        r = services.create_draft(w.sender, from_unit_id=p.member_a1.pk, to_unit_id=p.lead_a.pk, desk_id=w.desk_a,
                                  doctor_id=leaver.pk, **FORM)
        services.transition(w.sender, r.pk, "submit")
        schedule_leave(None, leaving.pk, effective_at=timezone.now(), successor_user_id=successor.user_id)
        apply_due_events()
        r = Referral.objects.get(pk=r.pk)
        assert (r.to_doctor_id, r.to_doctor_name, r.status) == (successor.user_id, "冯医生", Status.REQUESTED)
