"""Payslips (issue 21 item 3): the import with bad rows, sealed storage (the stored bytes are not
the plaintext), publishing with a notice, the password re-check before opening, confirm and
question, withdraw and correct — and that nobody but the person and the payroll office reads a
payslip by any API (the lists, node(id), openPayslip, with or without someone else's grant)."""

from __future__ import annotations

import base64

import pytest
from django.db import connection
from graphql_relay import to_global_id

from jianlian.notifications.models import Delivery
from jianlian.todos.models import TodoItem
from modules.payslips import importer, services
from modules.payslips.models import Payslip
from tenants.context import tenant_context
from tests.factories import PASSWORD, build_province
from tests.payslips_world import build, workbook
from tests.utils import gql

IMPORT = """mutation($input: ImportPayslipsInput!) { importPayslips(input: $input) {
  report { applied rows created headers rowErrors { row column columnLetter code message } }
  batch { id status } errors { field code } } }"""
MINE = "{ myPayslips { id month status title } }"
GRANT = "mutation($p: String!) { grantPayslipAccess(input: {password: $p}) { grant errors { field code } } }"
OPEN = """mutation($s: ID!, $g: String!) { openPayslip(input: {payslip: $s, grant: $g}) {
  payslip { status isMine } lines { item amount } errors { code } } }"""
CONFIRM = "mutation($s: ID!) { confirmPayslip(input: {payslip: $s}) { payslip { status } errors { code } } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"
BATCHES = "{ payslipBatches { id status counts { total confirmed } } }"
INBOX = "{ myNotifications(first: 5) { edges { node { notification { title body senderName } } } } }"


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    from tests.conftest import _built_for_the_module

    def make():
        p = build_province()
        with tenant_context(p.tenant_a):
            return build(p)

    yield from _built_for_the_module(django_db_blocker, make)


@pytest.fixture
def w(db, _world):
    _held, world = _world
    for u in world.people.values():
        u.__dict__.pop("_jl_grants", None)
        u.__dict__.pop("_jl_payslips_office", None)
    with tenant_context(world.p.tenant_a):
        yield world


def call(client, user, query, variables=None, tenant="tonglu"):
    status, body = gql(client, query, variables, user=user, HTTP_X_TENANT=tenant)
    assert status == 200, body
    return body


def published(w, rows=None):
    report = importer.import_batch(w.user("office"), workbook(rows or w.rows()), month="2026-11", mode="valid_only")
    services.publish(w.user("office"), report.batch.pk)
    return report.batch


def opened(client, w, who, slip_gid):
    grant = call(client, w.user(who), GRANT, {"p": PASSWORD})["data"]["grantPayslipAccess"]["grant"]
    return call(client, w.user(who), OPEN, {"s": slip_gid, "g": grant})["data"]["openPayslip"]


def test_a_bad_row_is_named_and_the_stored_bytes_are_not_the_plaintext(client, w):
    rows = w.rows() + [["NOPE01", "无此人", "1", "1", "1", "1"], [w.staff_no["钱进"], "钱进", "五千", "1", "1", "1"]]
    data = {"file": base64.b64encode(workbook(rows)).decode(), "month": "2026-11", "mode": "ALL_OR_NOTHING"}
    strict = call(client, w.user("office"), IMPORT, {"input": data})["data"]["importPayslips"]
    assert strict["batch"] is None and strict["errors"] == [{"field": "file", "code": "IMPORT_HAS_ERRORS"}]
    assert [(e["row"], e["columnLetter"], e["code"]) for e in strict["report"]["rowErrors"]] == [
        (5, "A", "PAYSLIPS_UNKNOWN_STAFF"), (6, "A", "PAYSLIPS_DUPLICATE_ROW")]
    assert strict["report"]["rowErrors"][0]["message"].startswith("第5行「工号」列：")
    loose = call(client, w.user("office"), IMPORT, {"input": {**data, "mode": "VALID_ONLY"}})["data"]["importPayslips"]
    assert loose["errors"] == [] and loose["report"]["created"] == 3 and loose["batch"]["status"] == "DRAFT"
    assert loose["report"]["headers"] == ["基本工资", "绩效工资", "个人所得税", "实发合计"]
    # a nurse sees nothing of a draft; a bad amount is named too
    assert call(client, w.user("赵敏"), MINE)["data"]["myPayslips"] == []
    bad = [[w.staff_no["孙立"], "孙立", "5200", "3800.555", "0", "0"]]
    report = importer.import_batch(w.user("office"), workbook(bad), month="2026-11", dry_run=True)
    assert [(e["column"], e["code"]) for e in report.errors] == [("绩效工资", "PAYSLIPS_BAD_AMOUNT")]

    with connection.cursor() as cur:
        cur.execute("SELECT user_id, batch_id, sealed FROM payslips_payslip")
        stored = cur.fetchall()
    assert len(stored) == 3
    for _uid, _batch, blob in stored:
        raw = bytes(blob)
        for clear in ("8765.43", "5200", "实发合计".encode().hex(), "基本工资"):
            assert (clear.encode() if isinstance(clear, str) else clear) not in raw
        assert "实发合计".encode() not in raw
    # a blob copied onto another person's row does not open (bound to batch and person)
    mine = Payslip.objects.get(user_id=w.user("赵敏").pk)
    theirs = Payslip.objects.get(user_id=w.user("钱进").pk)
    assert ("实发合计", "8765.43") in services.lines_of(mine)
    Payslip.objects.filter(pk=theirs.pk).update(sealed=mine.sealed)
    from cryptography.exceptions import InvalidTag

    with pytest.raises(InvalidTag):
        services.lines_of(Payslip.objects.get(pk=theirs.pk))


def test_publish_notifies_and_a_nurse_opens_with_her_password_then_confirms(client, w):
    batch = published(w)
    nurse = w.user("赵敏")
    assert Delivery.objects.filter(user_id=nurse.pk, notification__link="/payslips").exists()
    for language, told in (("en", ("Payslip", " is out: please view and confirm it.", "Viewing a payslip asks")),
                           ("zh-Hans", ("工资条", " 已发放，请查看并确认。", "查看工资条需再次输入"))):
        _, inbox = gql(client, INBOX, user=nurse, HTTP_X_TENANT="tonglu", HTTP_ACCEPT_LANGUAGE=language)
        [note] = [e["node"]["notification"] for e in inbox["data"]["myNotifications"]["edges"]]
        assert (note["senderName"], note["title"], note["body"][:len(told[2])]) == (
            told[0], batch.title + told[1], told[2]), language  # the notice reads in the reader's language
    [slip] = call(client, nurse, MINE)["data"]["myPayslips"]
    assert slip["status"] == "UNREAD" and slip["month"] == "2026-11"
    wrong = call(client, nurse, GRANT, {"p": "not-my-password"})["data"]["grantPayslipAccess"]
    assert wrong["grant"] is None and wrong["errors"] == [{"field": "password", "code": "INVALID_CREDENTIALS"}]
    no_grant = call(client, nurse, OPEN, {"s": slip["id"], "g": "forged"})["data"]["openPayslip"]
    assert no_grant["lines"] is None and no_grant["errors"] == [{"code": "PAYSLIPS_GRANT_EXPIRED"}]
    too_early = call(client, nurse, CONFIRM, {"s": slip["id"]})["data"]["confirmPayslip"]
    assert too_early["errors"] == [{"code": "PAYSLIPS_WRONG_STATE"}]
    seen = opened(client, w, "赵敏", slip["id"])
    assert seen["errors"] == [] and seen["payslip"] == {"status": "READ", "isMine": True}
    assert {"item": "实发合计", "amount": "8765.43"} in seen["lines"]
    assert call(client, nurse, CONFIRM, {"s": slip["id"]})["data"]["confirmPayslip"] == {
        "payslip": {"status": "CONFIRMED"}, "errors": []}
    [row] = call(client, w.user("office"), BATCHES)["data"]["payslipBatches"]
    assert row == {"id": to_global_id("PayslipBatch", batch.pk), "status": "PUBLISHED", "counts": {"total": 3, "confirmed": 1}}


def test_nobody_else_reads_a_payslip_by_any_api(client, w):
    batch = published(w)
    slip = Payslip.objects.get(user_id=w.user("赵敏").pk)
    slip_gid, batch_gid = to_global_id("Payslip", slip.pk), to_global_id("PayslipBatch", batch.pk)
    nurse_grant = call(client, w.user("赵敏"), GRANT, {"p": PASSWORD})["data"]["grantPayslipAccess"]["grant"]
    for who in ("钱进", "admin"):
        user = w.user(who)
        assert all(s["id"] != slip_gid for s in call(client, user, MINE)["data"]["myPayslips"])
        for gid in (slip_gid, batch_gid):
            assert call(client, user, NODE, {"id": gid})["data"]["node"] is None
        own = call(client, user, GRANT, {"p": PASSWORD})["data"]["grantPayslipAccess"]["grant"] if who == "钱进" else "x"
        for grant in (own, nurse_grant):  # her grant is bound to her: it opens nothing for them
            body = call(client, user, OPEN, {"s": slip_gid, "g": grant})
            out = body["data"]["openPayslip"]
            if out is None:  # missing and forbidden answer alike, at the top level
                assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
            else:
                assert out["lines"] is None and out["errors"] == [{"code": "PAYSLIPS_GRANT_EXPIRED"}]
        denied = call(client, user, BATCHES)
        assert denied["data"] is None or denied["data"]["payslipBatches"] is None
        assert denied["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    # someone of another tenant, and the province administrator, get nothing either
    for user, tenant in ((w.p.users["doctor_b"], "xiangshan"), (w.p.users["province_admin"], "tonglu")):
        body = call(client, user, NODE, {"id": slip_gid}, tenant=tenant)
        assert (body.get("data") or {}).get("node") is None
    # the payroll office opens it (audited), the nurse's notice and to-dos carry no amount
    office = opened(client, w, "office", slip_gid)
    assert office["payslip"]["isMine"] is False and {"item": "实发合计", "amount": "8765.43"} in office["lines"]
    assert not Delivery.objects.filter(notification__body__contains="8765").exists()
    assert not TodoItem.objects.filter(summary__contains="8765").exists()


def test_a_question_becomes_a_todo_and_a_withdrawn_batch_is_corrected(client, w):
    batch = published(w)
    nurse, office = w.user("赵敏"), w.user("office")
    slip = Payslip.objects.get(user_id=nurse.pk)
    opened(client, w, "赵敏", to_global_id("Payslip", slip.pk))
    services.ask(nurse, slip.pk, "绩效工资少了夜班费")
    [todo] = TodoItem.objects.filter(user_id=office.pk, key=services.question_key(slip.pk), state="pending")
    assert "赵敏" in todo.title and todo.summary == "绩效工资少了夜班费"

    services.withdraw(office, batch.pk, "夜班费漏算")
    assert call(client, nurse, MINE)["data"]["myPayslips"] == []
    assert call(client, nurse, NODE, {"id": to_global_id("Payslip", slip.pk)})["data"]["node"] is None
    assert not TodoItem.objects.filter(key=services.question_key(slip.pk), state="pending").exists()
    fixed = importer.import_batch(office, workbook(w.rows(net="9065.43")), month="2026-11", batch_id=batch.pk)
    assert fixed.applied and fixed.batch.version == 2
    services.publish(office, batch.pk)
    [again] = call(client, nurse, MINE)["data"]["myPayslips"]
    assert again["status"] == "UNREAD"
    assert {"item": "实发合计", "amount": "9065.43"} in opened(client, w, "赵敏", again["id"])["lines"]


def test_pay_data_outlives_a_new_secret_key_and_a_rotated_field_key(w, settings):
    from cryptography.fernet import Fernet

    batch = published(w)
    mine = Payslip.objects.get(batch=batch, user_id=w.user("赵敏").pk)
    before = services.lines_of(mine)
    assert ("实发合计", "8765.43") in before
    # SECRET_KEY is rotated (sessions and signed links end; pay data must not)
    settings.SECRET_KEY = "a-new-secret-key-after-an-incident-0123456789"
    assert services.lines_of(mine) == before
    # the field key is rotated: new first, old after; old slips open, a new import seals under the new key
    old = settings.FIELD_ENCRYPTION_KEY
    settings.FIELD_ENCRYPTION_KEY = f"{Fernet.generate_key().decode()},{old}"
    assert services.lines_of(mine) == before
    report = importer.import_batch(w.user("office"), workbook(w.rows()), month="2026-12", mode="valid_only")
    fresh = Payslip.objects.get(batch=report.batch, user_id=w.user("赵敏").pk)
    settings.FIELD_ENCRYPTION_KEY = settings.FIELD_ENCRYPTION_KEY.split(",")[0]  # the old key retired
    assert ("实发合计", "8765.43") in services.lines_of(fresh)
