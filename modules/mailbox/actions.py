"""Every write on letters. Anonymous writes go through `_anonymously`, which binds a blank request
context (no user, IP or request id) for their audit record, and names nobody anywhere."""

from __future__ import annotations

import hashlib
import secrets
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian import todos
from jianlian.access.checks import has_perm
from jianlian.audit import service as audit
from jianlian.core import context
from jianlian.core.errors import DomainError, NotFoundError, PermissionDeniedError
from jianlian.notifications import services as notices
from modules.mailbox.models import Kind, Letter, Message, Status

APP = "mailbox"
HANDLE, MANAGE = "mailbox.handle", "mailbox.manage"


def _node():
    from jianlian.access.helpers import require_tenant

    return require_tenant().org_unit


def may(user, code: str) -> bool:
    return has_perm(user, code, _node())


def todo_key(pk: int) -> str:
    return f"mailbox:letter:{pk}"


def link(pk: int) -> str:
    return f"/mailbox/letters/{pk}"


def digest(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


@contextmanager
def _anonymously():
    """The audit record of an anonymous write: no user, IP or request id to tie it to a person."""
    blank = context.RequestContext(tenant=context.current().tenant, request_id="")
    token = context.bind(blank)
    try:
        yield
    finally:
        context.reset(token)


def _handlers() -> list[int]:
    from jianlian.org.audience import Targets, resolve_audience

    return sorted(resolve_audience(Targets(role_codes=["mailbox_handler", "mailbox_admin"])))


def _text(value, field: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError("REQUIRED", _("请填写内容。"), field)
    if len(value) > limit:
        raise DomainError("TOO_LONG", _("内容过长（不超过%(n)s字）。") % {"n": limit}, field)
    return value


def submit(user, *, subject: str, body: str, kind: str = Kind.MAILBOX, anonymous: bool = False) -> tuple[Letter, str]:
    """Write a letter. Returns (letter, claim code). The claim code is shown to the writer once;
    for an anonymous letter it is the only way back to it. Handlers are told (a to-do and a
    notification from 院长信箱, naming nobody for an anonymous letter)."""
    subject, body = _text(subject, "subject", 100), _text(body, "body", 5000)
    if kind not in Kind.values:
        raise DomainError("INVALID", _("来信类型不正确。"), "kind")
    code = secrets.token_urlsafe(18)
    now = timezone.now()
    handlers = _handlers()
    writer = "" if anonymous else (getattr(user, "real_name", "") or user.get_username())[:60]
    with transaction.atomic():
        letter = Letter.objects.create(
            kind=kind, subject=subject, body=body, anonymous=bool(anonymous), sender_id=None if anonymous else user.pk,
            sender_name=writer, claim_hash=digest(code), handler_ids=handlers,
            created_at=now.replace(minute=0, second=0, microsecond=0) if anonymous else now)
        if handlers:
            title = (_("新来信：%(s)s") % {"s": subject})[:120]
            todos.create_todo(handlers, source=APP, kind="letter", key=todo_key(letter.pk), title=title, link=link(letter.pk),
                              summary=body[:120], started_by=writer or _("匿名"))
            notices.notify(handlers, sender_name=lambda: _("院长信箱"), link=link(letter.pk),
                           title=lambda: (_("新来信：%(s)s") % {"s": subject})[:120])
        if anonymous:
            with _anonymously():
                audit.record("mailbox.submit", target=letter, actor_label=_("匿名"), after={"kind": kind})
        else:
            audit.record("mailbox.submit", actor=user, target=letter, after={"kind": kind})
    return letter, code


def access_letter(user, pk: int, *, for_update: bool = False) -> Letter:
    """A letter its handler (or `mailbox.handle` holder) or its named writer may open."""
    qs = Letter.objects.select_for_update() if for_update else Letter.objects
    letter = qs.filter(pk=pk).first()
    if letter is None or not (may(user, HANDLE) or (letter.sender_id and letter.sender_id == user.pk)):
        raise NotFoundError(_("来信不存在或您无权查看。"), field="id")
    return letter


def by_claim_code(code: str, *, for_update: bool = False) -> Letter:
    qs = Letter.objects.select_for_update() if for_update else Letter.objects
    letter = qs.filter(claim_hash=digest(code or "")).first() if (code or "").strip() else None
    if letter is None:
        raise DomainError("INVALID_CLAIM_CODE", _("取件码不正确。"), "code")
    return letter


def _open(letter: Letter) -> None:
    if letter.status == Status.CLOSED:
        raise DomainError("LETTER_CLOSED", _("该来信已办结。"))


def reply(user, pk: int, body: str) -> Letter:
    """A handler answers (the writer is told: by notification when named; by the claim code otherwise)."""
    body = _text(body, "body", 5000)
    if not may(user, HANDLE):
        raise PermissionDeniedError()
    with transaction.atomic():
        letter = access_letter(user, pk, for_update=True)
        _open(letter)
        Message.objects.create(letter=letter, from_handler=True, author_name=_("办理人"), body=body)
        letter.status = Status.REPLIED
        letter.save(update_fields=["status"])
        todos.complete_todo(todo_key(letter.pk), outcome="replied")
        if letter.sender_id:
            notices.notify([letter.sender_id], sender_name=lambda: _("院长信箱"), link=link(letter.pk),
                           title=lambda: (_("您的来信有了答复：%(s)s") % {"s": letter.subject})[:120])
        audit.record("mailbox.reply", actor=user, target=letter)
    return letter


def follow_up(letter: Letter, body: str) -> Letter:
    """The writer adds to their letter (named: found by account; anonymous: by claim code). Back to the handlers."""
    body = _text(body, "body", 5000)
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        _open(letter)
        Message.objects.create(letter=letter, from_handler=False, author_name=letter.sender_name or _("写信人"), body=body)
        letter.status = Status.HANDLING
        letter.save(update_fields=["status"])
        todos.create_todo(letter.handler_ids, source=APP, kind="letter", key=todo_key(letter.pk),
                          title=(_("来信追问：%(s)s") % {"s": letter.subject})[:120], link=link(letter.pk),
                          started_by=letter.sender_name or _("匿名"))
    return letter


def rate(letter: Letter, satisfaction: int) -> Letter:
    """The writer rates the answer (1–5) and the letter is closed."""
    if satisfaction not in range(1, 6):
        raise DomainError("INVALID", _("满意度为1到5分。"), "satisfaction")
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if letter.status != Status.REPLIED:
            raise DomainError("LETTER_CLOSED", _("答复之后才能评价，评价后来信办结。"))
        letter.satisfaction, letter.status, letter.closed_at = satisfaction, Status.CLOSED, timezone.now()
        letter.save(update_fields=["satisfaction", "status", "closed_at"])
        todos.remove_todo(todo_key(letter.pk))
    return letter


def statistics() -> dict:
    from django.db.models import Avg, Count

    rows = Letter.objects.values("kind", "status").annotate(n=Count("id"))
    rated = Letter.objects.exclude(satisfaction=None).aggregate(avg=Avg("satisfaction"), n=Count("id"))
    return {"counts": list(rows), "average_satisfaction": rated["avg"], "rated": rated["n"],
            "anonymous": Letter.objects.filter(anonymous=True).count(), "total": Letter.objects.count()}
