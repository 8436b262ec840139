"""Payslip actions: publish and withdraw a batch (the payroll office), the re-auth grant, open,
confirm, raise a question (a to-do for the payroll office) and answer it. Who may act is checked
here (access.py); every write is audited."""

from __future__ import annotations

import json

from django.core import signing
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from jianlian import todos
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError
from modules.payslips import access, crypto
from modules.payslips.models import Batch, BatchStatus, Payslip, SlipStatus

GRANT_SECONDS = 300
_SALT = "payslips.grant"
SOURCE = "payslips"


def _gid(kind: str, pk: int) -> str:
    from graphql_relay import to_global_id

    return to_global_id(kind, pk)


def slip_link(slip_id: int) -> str:
    return f"/payslips/{_gid('Payslip', slip_id)}"


def question_key(slip_id: int) -> str:
    return f"payslips:question:{slip_id}"


# --- the payroll office ---------------------------------------------------------------------------

def publish(actor, batch_id: int) -> Batch:
    """A draft or withdrawn batch goes out: each person's payslip becomes readable by them and one
    notification reaches them all."""
    from jianlian.notifications import services as notes

    access.require_office(actor)
    with transaction.atomic():
        batch = access.access_batch(actor, batch_id, for_update=True)
        if batch.status == BatchStatus.PUBLISHED:
            raise DomainError("PAYSLIPS_WRONG_STATE", _("该批次已发布。"), "batch")
        user_ids = list(batch.payslips.values_list("user_id", flat=True))
        if not user_ids:
            raise DomainError("PAYSLIPS_WRONG_STATE", _("该批次没有工资条，不能发布。"), "batch")
        batch.payslips.update(status=SlipStatus.UNREAD, read_at=None, confirmed_at=None, question="", reply="")
        batch.status, batch.published_at, batch.withdrawn_at, batch.withdraw_reason = BatchStatus.PUBLISHED, timezone.now(), None, ""
        batch.save(update_fields=["status", "published_at", "withdrawn_at", "withdraw_reason"])
        notes.notify(user_ids, sender_name=_("工资条"), title=lambda: _g("%(title)s 已发放，请查看并确认。") % {"title": batch.title},
                     body=_("查看工资条需再次输入登录密码。"), link="/payslips")
        audit.record("payslips.publish", actor=actor, object_type="payslips.batch", object_id=str(batch.pk),
                     after={"people": len(user_ids), "version": batch.version})
    return batch


def withdraw(actor, batch_id: int, reason: str) -> Batch:
    """A published batch is taken back (to be corrected and published again): nobody but the
    payroll office sees it meanwhile; open questions leave the office's to-do lists."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("REQUIRED", _("请填写撤回原因。"), "reason")
    with transaction.atomic():
        batch = access.access_batch(actor, batch_id, for_update=True)
        if batch.status != BatchStatus.PUBLISHED:
            raise DomainError("PAYSLIPS_WRONG_STATE", _("只有已发布的批次可以撤回。"), "batch")
        batch.status, batch.withdrawn_at, batch.withdraw_reason = BatchStatus.WITHDRAWN, timezone.now(), reason[:200]
        batch.save(update_fields=["status", "withdrawn_at", "withdraw_reason"])
        for pk in batch.payslips.filter(status=SlipStatus.QUESTIONED).values_list("pk", flat=True):
            todos.remove_todo(question_key(pk))
        audit.record("payslips.withdraw", actor=actor, object_type="payslips.batch", object_id=str(batch.pk),
                     after={"reason": reason[:200]})
    return batch


def reply(actor, slip_id: int, text: str) -> Payslip:
    from jianlian.notifications import services as notes

    access.require_office(actor)
    text = (text or "").strip()
    if not text:
        raise DomainError("REQUIRED", _("请填写答复。"), "text")
    with transaction.atomic():
        slip = access.access_payslip(actor, slip_id, for_update=True)
        if slip.status != SlipStatus.QUESTIONED:
            raise DomainError("PAYSLIPS_WRONG_STATE", _("这张工资条没有待答复的疑问。"), "payslip")
        slip.reply, slip.status = text[:500], SlipStatus.READ
        slip.save(update_fields=["reply", "status"])
        todos.complete_todo(question_key(slip.pk), outcome="replied")
        notes.notify([slip.user_id], sender_name=_("工资条"), title=_("您对工资条的疑问已答复。"), body=text[:200],
                     link=slip_link(slip.pk))
        audit.record("payslips.reply", actor=actor, object_type="payslips.payslip", object_id=str(slip.pk))
    return slip


# --- the person -----------------------------------------------------------------------------------

def _grant_subject(user) -> str:
    return f"{user.pk}:{connection.schema_name}"


def grant_access(user, password: str) -> tuple[str, object]:
    """The re-auth step before a payslip opens: the sign-in password again gives a grant valid
    for GRANT_SECONDS in this tenant. Wrong passwords count towards the account's sign-in lockout."""
    from jianlian.identity import lockout

    key = lockout.account_key(user.pk, user.username)
    lockout.check(key)
    if not password or not user.check_password(password):
        lock = lockout.fail(key, None)
        audit.record("payslips.reauth_failed", actor=user, object_type="payslips.grant", object_id=str(user.pk))
        if lock:
            raise DomainError("ACCOUNT_LOCKED", lock.message(), "password")
        raise DomainError("INVALID_CREDENTIALS", _("密码不正确。"), "password")
    lockout.clear(key)
    token = signing.TimestampSigner(salt=_SALT).sign(_grant_subject(user))
    return token, timezone.now() + timezone.timedelta(seconds=GRANT_SECONDS)


def check_grant(user, grant: str) -> None:
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(grant or "", max_age=GRANT_SECONDS)
    except signing.BadSignature:
        value = None
    if value != _grant_subject(user):
        raise DomainError("PAYSLIPS_GRANT_EXPIRED", _("请重新输入密码后查看工资条。"), "grant")


def lines_of(slip: Payslip) -> list[tuple[str, str]]:
    return [tuple(x) for x in json.loads(crypto.unseal(connection.schema_name, slip.batch_id, slip.user_id, slip.sealed))]


def open_payslip(user, slip_id: int, grant: str) -> tuple[Payslip, list]:
    """The payslip's items, for its person or the payroll office, with a fresh grant. The
    person's first opening marks it read; an office opening is audited."""
    check_grant(user, grant)
    slip = access.access_payslip(user, slip_id)
    lines = lines_of(slip)
    if slip.user_id == user.pk:
        if slip.status == SlipStatus.UNREAD:
            Payslip.objects.filter(pk=slip.pk, status=SlipStatus.UNREAD).update(status=SlipStatus.READ, read_at=timezone.now())
            slip.refresh_from_db()
    else:
        audit.record("payslips.view", actor=user, object_type="payslips.payslip", object_id=str(slip.pk))
    return slip, lines


def confirm(user, slip_id: int) -> Payslip:
    with transaction.atomic():
        slip = access.access_payslip(user, slip_id, own=True, for_update=True)
        if slip.status not in (SlipStatus.READ, SlipStatus.QUESTIONED):
            raise DomainError("PAYSLIPS_WRONG_STATE", _("请先查看工资条再确认。") if slip.status == SlipStatus.UNREAD
                              else _("已确认过。"), "payslip")
        if slip.status == SlipStatus.QUESTIONED:
            todos.remove_todo(question_key(slip.pk))
        slip.status, slip.confirmed_at = SlipStatus.CONFIRMED, timezone.now()
        slip.save(update_fields=["status", "confirmed_at"])
        audit.record("payslips.confirm", actor=user, object_type="payslips.payslip", object_id=str(slip.pk))
    return slip


def ask(user, slip_id: int, question: str) -> Payslip:
    """The person raises a question: a to-do for every member of the payroll office."""
    question = (question or "").strip()
    if not question:
        raise DomainError("REQUIRED", _("请写下您的疑问。"), "question")
    if len(question) > 500:
        raise DomainError("TOO_LONG", _("疑问不能超过500字。"), "question")
    with transaction.atomic():
        slip = access.access_payslip(user, slip_id, own=True, for_update=True)
        if slip.status not in (SlipStatus.READ, SlipStatus.QUESTIONED):
            raise DomainError("PAYSLIPS_WRONG_STATE", _("请先查看工资条。") if slip.status == SlipStatus.UNREAD
                              else _("已确认的工资条不能再提疑问。"), "payslip")
        slip.status, slip.question, slip.reply = SlipStatus.QUESTIONED, question, ""
        slip.save(update_fields=["status", "question", "reply"])
        todos.create_todo(access.office_user_ids(), source=SOURCE, kind="question", key=question_key(slip.pk),
                          title=_g("%(name)s 对%(title)s有疑问") % {"name": slip.name, "title": slip.batch.title},
                          summary=question[:200], link=f"/payslips/batches/{_gid('PayslipBatch', slip.batch_id)}",
                          started_by=slip.name)
        audit.record("payslips.question", actor=user, object_type="payslips.payslip", object_id=str(slip.pk))
    return slip
