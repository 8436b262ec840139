"""Director's mailbox and staff appeals (issue 18 item 3): an anonymous letter keeps no trace of
its writer — not in its row, its audit record, the notifications and to-dos it causes, nor any
API the handler can call — while the writer still reads the reply and rates it with the claim
code shown once; named letters name their writer; statistics for the administrator."""

from __future__ import annotations

import pytest
from graphql_relay import to_global_id

from jianlian.audit.models import AuditRecord
from jianlian.marketplace import services as market
from jianlian.notifications.models import Delivery, Notification
from jianlian.todos.models import TodoItem
from modules.mailbox.models import Letter
from tenants.context import tenant_context
from tests.factories import grant, make_user, member
from tests.utils import gql


class World:
    def __init__(self, p):
        self.p = p
        market.install(None, p.tenant_a, "mailbox")
        self.writer = p.users["doctor"]  # 赵医生
        self.handler = make_user("信箱办理人")
        member(self.handler, p.tenant_a, p.lead_a)
        grant(self.handler, "mailbox_handler", p.lead_a, p.tenant_a)
        self.admin = p.users["tenant_admin"]
        grant(self.admin, "mailbox_admin", p.lead_a, p.tenant_a)


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    from tests.conftest import _built_for_the_module, build_province

    def make():
        p = build_province()
        with tenant_context(p.tenant_a):
            return World(p)

    yield from _built_for_the_module(django_db_blocker, make)


@pytest.fixture
def w(db, _module_world):
    held, world = _module_world
    for u in (world.writer, world.handler, world.admin):
        u.__dict__.pop("_jl_grants", None)
    with tenant_context(world.p.tenant_a):
        yield world


def call(client, user, query, variables=None):
    status, body = gql(client, query, variables, user=user, HTTP_X_TENANT="tonglu")
    assert status == 200, body
    return body


SUBMIT = """mutation($input: SubmitMailboxLetterInput!) { submitMailboxLetter(input: $input) {
  claimCode letter { id senderName anonymous status } errors { field code message } } }"""
ONE = """query($id: ID!) { mailboxLetter(id: $id) { id subject senderName anonymous status messages { body } } }"""
NODE = """query($id: ID!) { node(id: $id) { ... on MailboxLetter { id senderName } } }"""
LIST = """{ mailboxLetters(first: 50) { edges { node { id senderName } } } }"""
BY_CODE = """query($code: String!) { mailboxLetterByCode(code: $code) { id status messages { fromHandler body } } }"""
REPLY = """mutation($id: ID!) { replyToMailboxLetter(input: {id: $id, body: "已转后勤处理，下周更换。"}) {
  letter { status } errors { code } } }"""
RATE = """mutation($code: String!) { rateMailboxLetter(input: {code: $code, satisfaction: 5}) { letter { status satisfaction }
  errors { code message } } }"""


def test_an_anonymous_letter_keeps_no_trace_of_its_writer_in_any_api_or_audit_record(client, w):
    audits_before = AuditRecord.objects.count()
    notes_before = set(Notification.objects.values_list("pk", flat=True))
    # when the doctor writes anonymously
    body = call(client, w.writer, SUBMIT, {"input": {"subject": "食堂晚餐太早", "body": "夜班同事吃不上热饭。", "anonymous": True}})
    out = body["data"]["submitMailboxLetter"]
    assert out["errors"] == [] and out["letter"]["senderName"] is None and len(out["claimCode"]) >= 20
    code = out["claimCode"]
    letter = Letter.objects.get(subject="食堂晚餐太早")
    gid = to_global_id("MailboxLetter", letter.pk)
    # then the row holds nothing of the writer, and only a digest of the claim code
    assert (letter.sender_id, letter.sender_name, letter.anonymous) == (None, "", True)
    assert code not in letter.claim_hash and letter.created_at.minute == 0 and letter.created_at.second == 0
    # the audit records of the submission name no actor, IP or request
    new = AuditRecord.objects.order_by("seq")[audits_before:]
    assert [r.action for r in new] == ["mailbox.submit"]
    assert all(r.actor_id is None and r.actor_label == "匿名" and not r.ip and not r.request_id for r in new)
    assert not AuditRecord.objects.filter(actor_id=w.writer.pk, object_type="mailbox.letter").exists()
    # the handlers' notification and to-do come from nobody
    notes = Notification.objects.exclude(pk__in=notes_before)
    assert notes and all(n.sender_id is None and w.writer.real_name not in f"{n.title}{n.body}{n.sender_name}" for n in notes)
    assert set(Delivery.objects.filter(notification__in=notes).values_list("user_id", flat=True)) == {w.handler.pk, w.admin.pk}
    todo = TodoItem.objects.get(user_id=w.handler.pk, key=f"mailbox:letter:{letter.pk}")
    assert todo.started_by == "匿名" and not TodoItem.objects.filter(user_id=w.writer.pk, source="mailbox").exists()
    # and no API the handler (or the administrator) can call names the writer
    for who in (w.handler, w.admin):
        assert call(client, who, ONE, {"id": gid})["data"]["mailboxLetter"]["senderName"] is None
        assert call(client, who, NODE, {"id": gid})["data"]["node"]["senderName"] is None
        assert all(e["node"]["senderName"] is None for e in call(client, who, LIST)["data"]["mailboxLetters"]["edges"]
                   if e["node"]["id"] == gid)
    # and the writer cannot reopen it by id later: only the claim code leads back to it
    assert call(client, w.writer, ONE, {"id": gid})["data"]["mailboxLetter"] is None

    # the handler replies; the writer reads it with the code and rates it
    assert call(client, w.handler, REPLY, {"id": gid})["data"]["replyToMailboxLetter"]["letter"]["status"] == "REPLIED"
    seen = call(client, w.writer, BY_CODE, {"code": code})["data"]["mailboxLetterByCode"]
    assert seen["id"] == gid and seen["messages"] == [{"fromHandler": True, "body": "已转后勤处理，下周更换。"}]
    assert call(client, w.writer, BY_CODE, {"code": code + "x"})["data"]["mailboxLetterByCode"] is None
    rated = call(client, w.writer, RATE, {"code": code})["data"]["rateMailboxLetter"]
    assert rated["letter"] == {"status": "CLOSED", "satisfaction": 5}
    assert call(client, w.writer, RATE, {"code": code})["data"]["rateMailboxLetter"]["errors"][0]["code"] == "LETTER_CLOSED"


def test_a_named_appeal_names_its_writer_who_hears_of_the_reply_and_statistics_count_both(client, w):
    body = call(client, w.writer, SUBMIT, {"input": {"kind": "APPEAL", "subject": "夜班补贴", "body": "请核实十月夜班补贴。"}})
    out = body["data"]["submitMailboxLetter"]
    assert out["letter"]["senderName"] == w.writer.real_name
    gid = out["letter"]["id"]
    assert call(client, w.writer, ONE, {"id": gid})["data"]["mailboxLetter"]["senderName"] == w.writer.real_name
    call(client, w.handler, REPLY, {"id": gid})
    assert Delivery.objects.filter(user_id=w.writer.pk, notification__title__contains="夜班补贴").exists()
    bad = call(client, w.writer, SUBMIT, {"input": {"subject": "", "body": "x"}})["data"]["submitMailboxLetter"]
    assert bad["errors"][0]["code"] == "REQUIRED"
    stats = call(client, w.admin, "{ mailboxStatistics }")["data"]["mailboxStatistics"]
    assert '"total": 1' in stats and '"appeal"' in stats
    denied = call(client, w.handler, "{ mailboxStatistics }")
    assert denied["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
