"""Official documents (issue 18 item 2): a 发文 is reviewed, countersigned and signed on the
approvals engine, numbered and read by its recipients with a personal watermark (crossing into
another unit and concurrent signing: test_documents_bus.py); a 收文 is routed 拟办 → 批办 → 承办 →
传阅 → 办结 with a to-do at each step and read receipts; nobody else reads either by any API."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from graphql_relay import to_global_id
from pypdf import PdfReader

from jianlian.identity.signed_links import create_link
from jianlian.todos.models import TodoItem
from modules.approvals import actions as approvals
from modules.approvals.models import Task
from modules.documents import incoming, outgoing
from modules.documents.models import InStatus, Incoming, OutStatus, Outgoing
from tenants.context import tenant_context
from tests.documents_world import build
from tests.utils import gql


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    from tests.conftest import _built_for_the_module, build_province

    yield from _built_for_the_module(django_db_blocker, lambda: build(build_province()))


@pytest.fixture
def w(db, _module_world):
    held, world = _module_world
    for u in [*world.a.people.values(), *world.b_people.values()]:
        u.__dict__.pop("_jl_grants", None)
    yield world


def call(client, w, who, query, variables=None, tenant="tonglu"):
    status, body = gql(client, query, variables, user=w.user(who), HTTP_X_TENANT=tenant)
    assert status == 200, body
    return body


def gid(kind, pk):
    return to_global_id(kind, pk)


SAVE = """mutation($input: SaveOutgoingDocumentInput!) { saveOutgoingDocument(input: $input) {
  document { id status availableActions docxPath } errors { field code message } } }"""
SUBMIT = """mutation($input: SubmitOutgoingDocumentInput!) { submitOutgoingDocument(input: $input) {
  document { id status approvalId } errors { field code message } } }"""
OUT = """query($id: ID!) { outgoingDocument(id: $id) { id status number signerName pdfPath docxPath availableActions
  mainTo { kind name } } }"""
IN = """query($id: ID!) { incomingDocument(id: $id) { id status issuer number title waitingNames readCount circulatedCount
  availableActions steps { kind actorName opinion } } }"""
ROUTE = """mutation($input: RouteIncomingDocumentInput!) { routeIncomingDocument(input: $input) {
  document { id status availableActions readCount circulatedCount } errors { field code message } } }"""
NODE = """query($id: ID!) { node(id: $id) { id } }"""


def draft(w, title="关于做好冬季传染病防控工作的通知", main_to=None, copy_to=None):
    """A draft by 外科主任 to 内科主任 (a person here) and, cc, nobody."""
    return outgoing.save_draft(w.user("外科主任"), title=title, series_id=w.series.pk, body="第一段。\n第二段。",
                               main_to=main_to or [{"kind": "user", "id": w.user("内科主任").pk}], copy_to=copy_to)


def decide_all(w, doc, *names):
    """Each named person approves their pending task on the document's approval, in order."""
    for name in names:
        user = w.user(name)
        task = Task.objects.get(instance_id=doc.approval_id, assignee_id=user.pk, status="pending")
        approvals.approve(user, task.pk, comment="同意")
    return Outgoing.objects.get(pk=doc.pk)


def test_a_draft_is_reviewed_countersigned_signed_numbered_and_read_with_a_watermark(client, w):
    with tenant_context(w.p.tenant_a):
        # given a draft saved over the API
        body = call(client, w, "外科主任", SAVE, {"input": {
            "series": gid("DocumentSeries", w.series.pk), "title": "关于开展院感自查的通知", "body": "请各科室自查。\n周五前报送。",
            "mainTo": [{"user": gid("User", w.user("内科主任").pk)}], "copyTo": [{"tenant": "xiangshan"}]}})
        doc = body["data"]["saveOutgoingDocument"]["document"]
        assert doc["status"] == "DRAFT" and "SUBMIT" in doc["availableActions"] and doc["docxPath"]
        # when it is sent for 核稿 (副院长), 会签 (内科主任, 外科主任) and 签发 (院长)
        body = call(client, w, "外科主任", SUBMIT, {"input": {"id": doc["id"], "reviewers": [gid("User", w.user("副院长").pk)],
                                                          "cosigners": [gid("User", w.user("内科主任").pk)],
                                                          "signers": [gid("User", w.user("院长").pk)]}})
        assert body["data"]["submitOutgoingDocument"]["errors"] == []
        pk = int(body["data"]["submitOutgoingDocument"]["document"]["approvalId"] and
                 Outgoing.objects.get(title="关于开展院感自查的通知").pk)
        out = Outgoing.objects.get(pk=pk)
        assert out.status == OutStatus.REVIEWING
        # the reviewer has an approvals to-do for it
        assert TodoItem.objects.filter(user_id=w.user("副院长").pk, source="approvals", state="pending").exists()
        out = decide_all(w, out, "副院长", "内科主任")
        assert out.status == OutStatus.REVIEWING and not out.number
        out = decide_all(w, out, "院长")
        # then it is signed: numbered, sent, and the person it went to has a to-do to read it
        year = timezone.localdate().year
        assert out.status == OutStatus.SENT and out.number == f"桐卫发〔{year}〕1号" and out.signer_name == "院长"
        read_todo = TodoItem.objects.get(user_id=w.user("内科主任").pk, key=outgoing.todo_key(out.pk))
        assert read_todo.state == "pending"
        got = call(client, w, "内科主任", OUT, {"id": gid("OutgoingDocument", out.pk)})["data"]["outgoingDocument"]
        assert got["number"] == out.number and got["docxPath"] is None  # only drafters get the Word file
        # the reader's PDF carries their name; the drafter's .docx opens; a reader's .docx does not
        client.logout()
        pdf = client.get(create_link(w.user("内科主任"), w.p.tenant_a, got["pdfPath"]))
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "关于开展院感自查的通知" in text and out.number in text and "内科主任" in text
        docx = client.get(create_link(w.user("外科主任"), w.p.tenant_a, f"/apps/documents/outgoing/{out.pk}/docx"))
        assert docx.status_code == 200 and docx.content[:2] == b"PK"
        assert client.get(create_link(w.user("内科主任"), w.p.tenant_a, f"/apps/documents/outgoing/{out.pk}/docx")).status_code == 404
        outgoing.read(w.user("内科主任"), out.pk)
        read_todo.refresh_from_db()
        assert read_todo.state == "done"


def test_a_rejected_document_goes_back_to_its_drafter_and_the_next_signing_takes_the_next_number(w):
    with tenant_context(w.p.tenant_a):
        first = outgoing.submit(w.user("外科主任"), draft(w, "退回的").pk, reviewers=[w.user("副院长").pk], signers=[w.user("院长").pk])
        task = Task.objects.get(instance_id=first.approval_id, status="pending")
        approvals.reject(w.user("副院长"), task.pk, comment="请修改")
        first.refresh_from_db()
        assert first.status == OutStatus.DRAFT and not first.number
        second = outgoing.submit(w.user("外科主任"), draft(w, "通过的").pk, reviewers=[w.user("副院长").pk],
                                 signers=[w.user("院长").pk])
        second = decide_all(w, second, "副院长", "院长")
        assert second.sequence == 1  # the rejected one took no number
        with pytest.raises(Exception) as e:
            outgoing.save_draft(w.user("赵敏"), title="x", series_id=w.series.pk, body="y", main_to=[])
        assert getattr(e.value, "code", "") == "PERMISSION_DENIED"


def test_an_incoming_document_is_routed_step_by_step_with_to_dos_and_read_receipts(client, w):
    p = w.p
    with tenant_context(p.tenant_b):
        clerk, dean, doctor, nurse = (w.user(n) for n in ("陈文书", "象山院长", "象山医生", "象山护士"))
        doc = incoming.register(clerk, issuer="象山县卫生健康局", number="象卫〔2026〕8号", title="关于做好医保基金监管的通知",
                                urgency="urgent", deadline=timezone.localdate())
        gid_ = gid("IncomingDocument", doc.pk)

        def route(who, **input):
            return call(client, w, who, ROUTE, {"input": {"id": gid_, **input}}, tenant="xiangshan")["data"][
                "routeIncomingDocument"]

        # a step out of turn is refused with a clear code
        assert route("陈文书", step="HANDLE", opinion="x")["errors"][0]["code"] == "DOCUMENT_WRONG_STEP"
        assert route("陈文书", step="PROPOSE", opinion="")["errors"][0]["code"] in ("REQUIRED",)
        r = route("陈文书", step="PROPOSE", opinion="拟请院长阅示", leader=gid("User", dean.pk))
        assert r["errors"] == [] and r["document"]["status"] == "PROPOSED"
        assert TodoItem.objects.get(user_id=dean.pk, key=incoming.todo_key(doc.pk)).state == "pending"
        assert not TodoItem.objects.filter(user_id=clerk.pk, key=incoming.todo_key(doc.pk), state="pending").exists()
        r = route("象山院长", step="INSTRUCT", opinion="请医生主办，护士协办", lead=gid("User", doctor.pk),
                  assists=[gid("User", nurse.pk)])
        assert r["document"]["status"] == "HANDLING"
        assert "HANDLE" in call(client, w, "象山护士", IN, {"id": gid_}, tenant="xiangshan")["data"]["incomingDocument"][
            "availableActions"]
        route("象山护士", step="HANDLE", opinion="已协助")
        r = route("象山医生", step="HANDLE", opinion="已自查并上报")
        assert r["document"]["status"] == "HANDLED"
        r = route("陈文书", step="CIRCULATE", departments=[gid("Department", w.office_b.pk)])
        assert r["document"]["status"] == "CIRCULATING" and r["document"]["circulatedCount"] == 3
        # reading counts once
        route("象山护士", step="READ")
        route("象山护士", step="READ")
        seen = call(client, w, "陈文书", IN, {"id": gid_}, tenant="xiangshan")["data"]["incomingDocument"]
        assert seen["readCount"] == 1 and seen["circulatedCount"] == 3
        assert TodoItem.objects.get(user_id=nurse.pk, key=incoming.read_key(doc.pk)).state == "done"
        assert TodoItem.objects.get(user_id=doctor.pk, key=incoming.read_key(doc.pk)).state == "pending"
        r = route("陈文书", step="FINISH", opinion="办结")
        assert r["document"]["status"] == "DONE"
        assert [s["kind"] for s in seen["steps"]] == ["register", "propose", "instruct", "assist", "handle", "circulate"]


def test_nobody_outside_a_document_reads_it_by_any_api(client, w):
    p = w.p
    with tenant_context(p.tenant_a):
        out = outgoing.submit(w.user("外科主任"), draft(w, "内部发文").pk, reviewers=[w.user("副院长").pk],
                              signers=[w.user("院长").pk])
        out = decide_all(w, out, "副院长", "院长")
        oid = gid("OutgoingDocument", out.pk)
        for who in ("赵敏", "孙立"):  # not drafter, approver, recipient or office
            assert call(client, w, who, OUT, {"id": oid})["data"]["outgoingDocument"] is None
            assert call(client, w, who, NODE, {"id": oid})["data"]["node"] is None
            client.logout()
            assert client.get(create_link(w.user(who), p.tenant_a, f"/apps/documents/outgoing/{out.pk}/pdf")).status_code == 404
        assert call(client, w, "内科主任", NODE, {"id": oid})["data"]["node"] == {"id": oid}
    with tenant_context(p.tenant_b):
        doc = incoming.register(w.user("陈文书"), issuer="某局", number="", title="仅办公室可见")
        iid = gid("IncomingDocument", doc.pk)
        assert call(client, w, "象山医生", IN, {"id": iid}, tenant="xiangshan")["data"]["incomingDocument"] is None
        assert call(client, w, "陈文书", IN, {"id": iid}, tenant="xiangshan")["data"]["incomingDocument"]["title"] == "仅办公室可见"
