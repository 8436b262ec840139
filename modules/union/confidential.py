"""心理咨询 and 法律帮扶: confidential requests, stored encrypted and readable only by the member
who wrote one and the counsellor or lawyer it was assigned to. No officer, no administrator and
no aggregate view reads them: the only figures are counts by kind and status.

Encryption: the platform's sealed blobs (`jianlian.identity.crypto.seal`): AES-256-GCM under a key
derived with HKDF-SHA256 from the deployment's FIELD_ENCRYPTION_KEY (each of its keys, so it can be
rotated) and the tenant's schema name (a copied row does not open in another tenant), a fresh
96-bit nonce per write, and associated data binding the ciphertext to the row's ref, kind and
requester.
"""

from __future__ import annotations

import json

from django.db import connection, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, NotFoundError, PermissionDeniedError
from jianlian.identity import crypto
from jianlian.notifications import services as notices
from modules.union import access
from modules.union.confidential_models import Confidential, ConfidentialKind, ConfidentialStatus, Counsellor


SALT = b"jianlian.union.confidential"


def _aad(row: Confidential) -> bytes:
    return f"{row.ref}|{row.kind}|{row.requester_id}".encode()


def seal(row: Confidential, data: dict) -> None:
    row.sealed = crypto.seal(SALT, connection.schema_name.encode(), _aad(row),
                             json.dumps(data, ensure_ascii=False).encode())


def unseal(row: Confidential) -> dict:
    return json.loads(crypto.unseal(SALT, connection.schema_name.encode(), _aad(row), row.sealed))


def add_counsellor(actor, user_id: int, kind: str, *, intro: str = "") -> Counsellor:
    """Name a counsellor or lawyer (administrator only). They read only what is assigned to them."""
    from jianlian.identity.models import User

    if actor is not None and not access.is_admin(actor):
        raise PermissionDeniedError(_("只有工会管理员可以设置咨询师和律师。"))
    user = User.objects.filter(pk=user_id).first()
    if user is None or kind not in ConfidentialKind.values:
        raise DomainError("INVALID", _("人员或类别不正确。"), "user")
    c, _created = Counsellor.objects.update_or_create(user_id=user_id, kind=kind, defaults={
        "name": user.real_name or user.username, "intro": (intro or "")[:200], "is_active": True})
    return c


def open_kind(kind: str) -> str:
    """A kind any member may submit directly (the green channel goes through womens_health, which checks eligibility)."""
    if kind not in (ConfidentialKind.COUNSELLING, ConfidentialKind.LEGAL):
        raise DomainError("INVALID", _("求助类别不正确。"), "kind")
    return kind


def submit(user, kind: str, *, subject: str, text: str, contact: str = "", extra: dict | None = None) -> Confidential:
    """A member asks for help. The request goes to the counsellor (or lawyer) of that kind with the
    fewest open requests; only they and the member can read it. `extra` (e.g. the clinic and date
    of a green-channel request) is sealed with the rest."""
    access.member_of(user)
    subject, text = (subject or "").strip(), (text or "").strip()
    if not subject or not text:
        raise DomainError("REQUIRED", _("请填写主题和内容。"), "text" if subject else "subject")
    if len(subject) > 100 or len(text) > 5000:
        raise DomainError("TOO_LONG", _("主题最多100字，内容最多5000字。"), "text")
    with transaction.atomic():
        counsellor = (Counsellor.objects.filter(kind=kind, is_active=True)
                      .annotate(open=Count("requests", filter=models_open())).order_by("open", "pk").first())
        if counsellor is None:
            raise DomainError("UNION_NO_COUNSELLOR", _("暂时没有可接单的咨询师或律师，请稍后再试或电话联系工会。"), "kind")
        row = Confidential(requester_id=user.pk, counsellor=counsellor, kind=kind)
        seal(row, {**(extra or {}), "subject": subject, "text": text, "contact": (contact or "")[:100], "reply": ""})
        row.save()
        # the audit trail says that a request exists, never what it says
        audit.record("union.confidential_submit", actor=user, object_type="union.confidential", object_id=str(row.ref))
        notices.notify([counsellor.user_id], sender_name=lambda: _("工会"), title=lambda: _("您有一条新的保密求助"),
                       link=f"/union/confidential/{row.pk}")
    return row


def models_open():
    from django.db.models import Q

    return Q(requests__status=ConfidentialStatus.OPEN)


def access_request(user, request_id: int) -> tuple[Confidential, dict]:
    """The request and its decrypted content — for its requester or its counsellor, nobody else
    (an officer, the administrator, another counsellor: NOT_FOUND, as if it did not exist)."""
    row = Confidential.objects.select_related("counsellor").filter(pk=request_id).first()
    uid = getattr(user, "pk", None)
    if row is None or uid is None or uid not in (row.requester_id, row.counsellor.user_id):
        raise NotFoundError()
    return row, unseal(row)


def is_counsellor(user) -> bool:
    """Named a counsellor, lawyer or coordinator (an inactive one still answers what was assigned)."""
    return Counsellor.objects.filter(user_id=user.pk).exists()


def mine(user):
    """Requests the caller wrote, and those assigned to them as counsellor."""
    from django.db.models import Q

    return (Confidential.objects.select_related("counsellor")
            .filter(Q(requester_id=user.pk) | Q(counsellor__user_id=user.pk)).order_by("-created_at")[:100])


def reply(user, request_id: int, text: str, *, close: bool = False) -> Confidential:
    """The assigned counsellor answers (only they may)."""
    with transaction.atomic():
        row, data = access_request(user, request_id)
        if row.counsellor.user_id != user.pk:
            raise NotFoundError()
        data["reply"] = (text or "").strip()[:5000]
        seal(row, data)
        row.status = ConfidentialStatus.CLOSED if close else ConfidentialStatus.ANSWERED
        row.save(update_fields=["sealed", "status", "updated_at"])
        audit.record("union.confidential_reply", actor=user, object_type="union.confidential", object_id=str(row.ref))
        notices.notify([row.requester_id], sender_name=lambda: _("工会"), title=lambda: _("您的求助已有回复"),
                       link=f"/union/confidential/{row.pk}")
    return row


def counts(actor) -> list[dict]:
    """Requests by kind and status — the only aggregate view (officers), with no names."""
    access.require_officer(actor)
    return [{"kind": r["kind"], "status": r["status"], "count": r["n"]}
            for r in Confidential.objects.values("kind", "status").annotate(n=Count("pk")).order_by("kind", "status")]
