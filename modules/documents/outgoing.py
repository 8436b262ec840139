"""发文: every write. Draft → 核稿 (→ 会签) → 签发 on the approvals engine (an embedded template,
`modules.approvals.hooks`) → numbered and distributed in the 签发 transaction → 归档.

Distribution: people of this tenant get a notification (its deliveries are the read receipts) and a
to-do; other tenants get a `documents.dispatched` bus message in the same transaction, which their
documents app registers as a 收文 (handlers.py) exactly once.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from jianlian import todos
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, PermissionDeniedError
from modules.documents import access, numbering
from modules.documents.models import Classification, OutStatus, Outgoing, Series, Urgency

APP = "documents"
FLOW_VERSION = 1


def link(doc_id: int) -> str:
    return f"/documents/outgoing/{doc_id}"


def todo_key(doc_id: int) -> str:
    return f"documents:out:{doc_id}"


def _name(user) -> str:
    return (getattr(user, "real_name", "") or user.get_username())[:60]


def _node(node_id: str, name: str, mode: str, child=None) -> dict:
    return {"id": node_id, "type": "approver", "name": name, "mode": mode, "assignee": {"kind": "chosen"}, "child": child}


def flow_spec(cosign: bool) -> dict:
    """The embedded approval template: 核稿 → (会签, everyone) → 签发."""
    sign = _node("sign", "签发", "seq")
    middle = _node("cosign", "会签", "all", sign) if cosign else sign
    form = {"type": "object", "required": ["title", "issuer"], "properties": {
        "title": {"type": "string", "title": "标题", "maxLength": 120},
        "issuer": {"type": "string", "title": "发文机关", "maxLength": 60},
        "mainTo": {"type": "string", "title": "主送", "maxLength": 300},
        "summary": {"type": "string", "title": "正文摘要", "maxLength": 500}}}
    return {"key": "documents-outgoing-cosign" if cosign else "documents-outgoing",
            "name": "发文会签签发" if cosign else "发文签发", "version": FLOW_VERSION, "category": "公文",
            "form_schema": form, "policies": {"dedupe": False},
            "flow": {"id": "start", "type": "start", "name": "拟稿人", "child": _node("review", "核稿", "seq", middle)}}


def _recipients(items, field: str) -> list[dict]:
    """[{"kind": "tenant", "slug"} | {"kind": "user", "id"}] checked and named."""
    from jianlian.identity.models import User
    from jianlian.org.audience import Targets, resolve_audience
    from tenants.context import current_tenant
    from tenants.models import Tenant

    out, seen = [], set()
    for item in items or []:
        kind = (item or {}).get("kind")
        if kind == "tenant":
            slug = str(item.get("slug") or "").strip()
            tenant = Tenant.objects.filter(slug=slug).exclude(pk=current_tenant().pk).first()
            if tenant is None:
                raise DomainError("UNKNOWN_RECIPIENT", _("收文单位不存在：%(s)s。") % {"s": slug}, field)
            entry = {"kind": "tenant", "slug": slug, "name": tenant.name}
        elif kind == "user":
            uid = int(item.get("id") or 0)
            if uid not in resolve_audience(Targets(user_ids=[uid])):
                raise DomainError("UNKNOWN_RECIPIENT", _("收件人不是本单位人员。"), field)
            entry = {"kind": "user", "id": uid, "name": User.objects.get(pk=uid).real_name}
        else:
            raise DomainError("UNKNOWN_RECIPIENT", _("主送、抄送只能是单位或本单位人员。"), field)
        key = (entry["kind"], entry.get("slug") or entry.get("id"))
        if key not in seen:
            seen.add(key)
            out.append(entry)
    return out


def names(items: list[dict]) -> str:
    return "、".join(i["name"] for i in items)


def save_draft(user, *, title: str, series_id: int, body: str, main_to, copy_to=None, issuer: str = "",
               urgency: str = Urgency.NORMAL, classification: str = Classification.PUBLIC,
               doc_id: int | None = None) -> Outgoing:
    """Create or change a draft 发文. Who: `documents.draft` (a draft only by its drafter)."""
    if not access.may(user, access.DRAFT):
        raise PermissionDeniedError()
    problems = []
    title, body = (title or "").strip(), (body or "").strip()
    if not title or len(title) > 120:
        problems.append(DomainError("REQUIRED", _("请填写标题（不超过120个字）。"), "title"))
    if not body:
        problems.append(DomainError("REQUIRED", _("请填写正文。"), "body"))
    series = Series.objects.filter(pk=series_id, is_active=True).first()
    if series is None:
        problems.append(DomainError("NOT_FOUND", _("发文字号不存在或已停用。"), "series"))
    try:
        main = _recipients(main_to, "mainTo")
        if not main:
            problems.append(DomainError("REQUIRED", _("请选择主送单位或人员。"), "mainTo"))
        copy = _recipients(copy_to, "copyTo")
    except DomainError as e:
        problems += e.problems
    if urgency not in Urgency.values or classification not in Classification.values:
        problems.append(DomainError("INVALID", _("紧急程度或密级不正确。"), "urgency"))
    if problems:
        raise DomainError.many(problems)
    fields = dict(title=title, series=series, body=body, main_to=main, copy_to=copy, urgency=urgency,
                  classification=classification, issuer=(issuer or "").strip()[:60] or series.issuer)
    with transaction.atomic():
        if doc_id is None:
            doc = Outgoing.objects.create(drafter_id=user.pk, drafter_name=_name(user), **fields)
        else:
            doc = access.access_outgoing(user, doc_id, for_update=True)
            if doc.status != OutStatus.DRAFT or doc.drafter_id != user.pk:
                raise DomainError("DOCUMENT_NOT_EDITABLE", _("只有拟稿人可以修改草稿。"))
            for k, v in fields.items():
                setattr(doc, k, v)
            doc.save()
        audit.record("documents.save_draft", actor=user, target=doc, after={"title": doc.title})
    return doc


def submit(user, doc_id: int, *, reviewers: list[int], signers: list[int], cosigners: list[int] | None = None) -> Outgoing:
    """Send a draft for 核稿 (reviewers, one after another), 会签 (cosigners, all of them; optional)
    and 签发 (signers). Who: its drafter. The approvals engine gives each a task and a to-do."""
    start = import_string("modules.approvals.hooks.start_owned")
    with transaction.atomic():
        doc = access.access_outgoing(user, doc_id, for_update=True)
        if doc.status != OutStatus.DRAFT or doc.drafter_id != user.pk:
            raise DomainError("DOCUMENT_NOT_EDITABLE", _("只有拟稿人可以提交草稿。"))
        chosen = {"review": reviewers or [], "sign": signers or []}
        if cosigners:
            chosen["cosign"] = cosigners
        data = {"title": doc.title, "issuer": doc.issuer, "mainTo": names(doc.main_to)[:300], "summary": doc.body[:500]}
        doc.approval_id = start(user, app=APP, ref=str(doc.pk), template=flow_spec(bool(cosigners)), data=data,
                                chosen=chosen, title=_("发文：%(t)s") % {"t": doc.title})
        doc.status = OutStatus.REVIEWING
        doc.participant_ids = sorted({*doc.participant_ids, *chosen["review"], *chosen["sign"], *(cosigners or [])})
        doc.save()
        audit.record("documents.submit", actor=user, target=doc, after={"approval": doc.approval_id})
    return doc


def approval_finished(doc_id: int, *, status: str, actor_id: int | None, now=None) -> None:
    """The approval of a 发文 ended (called in the deciding transaction). Approved: 签发 — the
    next number of its series is taken (counter row locked) and the document is distributed.
    Rejected or withdrawn: back to draft for the drafter."""
    from jianlian.identity.models import User

    now = now or timezone.now()
    doc = Outgoing.objects.select_for_update(of=("self",)).select_related("series").get(pk=doc_id)
    if doc.status != OutStatus.REVIEWING:
        return
    if status != "approved":
        doc.status = OutStatus.DRAFT
        doc.save(update_fields=["status", "updated_at"])
        audit.record("documents.returned", target=doc, after={"approval": status}, actor_label=_("系统（审批）"))
        return
    year = timezone.localdate(now).year
    doc.year, doc.sequence = year, numbering.next_number(doc.series, year)
    doc.number = numbering.format_number(doc.series, year, doc.sequence)
    doc.signed_at = now
    doc.signer_name = (User.objects.filter(pk=actor_id).values_list("real_name", flat=True).first() or "")[:60]
    doc.status = OutStatus.SENT
    _distribute(doc)
    doc.save()
    audit.record("documents.sign", target=doc, after={"number": doc.number}, actor_label=doc.signer_name or _("系统（审批）"))


def dispatch_payload(doc: Outgoing, role: str) -> dict:
    from tenants.context import current_tenant

    return {"outgoing": doc.pk, "from": current_tenant().slug, "issuer": doc.issuer, "number": doc.number,
            "title": doc.title, "body": doc.body, "main_to": names(doc.main_to), "copy_to": names(doc.copy_to),
            "classification": doc.classification, "urgency": doc.urgency, "role": role,
            "signed_on": timezone.localdate(doc.signed_at).isoformat()}


def _distribute(doc: Outgoing) -> None:
    from jianlian.bus import services as bus
    from jianlian.notifications import services as notices

    people: list[int] = []
    for role, items in (("main", doc.main_to), ("copy", doc.copy_to)):
        for item in items:
            if item["kind"] == "tenant":
                bus.send(item["slug"], "documents.dispatched", dispatch_payload(doc, role), conversation=f"documents:{doc.pk}")
            else:
                people.append(item["id"])
    if people:
        note = notices.notify(people, sender_name=doc.issuer, title=lambda: _("公文：%(t)s") % {"t": doc.title},
                              body=doc.number, link=link(doc.pk), kind="notice")
        doc.notification_id = note.pk if note else None
        todos.create_todo(people, source=APP, kind="read", key=todo_key(doc.pk), title=_("阅文：%(t)s") % {"t": doc.title},
                          link=link(doc.pk), summary=doc.number, started_by=doc.drafter_name,
                          urgent=doc.urgency != Urgency.NORMAL)
        doc.participant_ids = sorted({*doc.participant_ids, *people})


def read(user, doc_id: int) -> Outgoing:
    """A person it was sent to read it: receipt stamped once, to-do done."""
    from jianlian.notifications.models import Delivery

    with transaction.atomic():
        doc = access.access_outgoing(user, doc_id)
        if doc.notification_id and Delivery.objects.filter(notification_id=doc.notification_id, user_id=user.pk,
                                                           read_at__isnull=True).update(read_at=timezone.now()):
            todos.complete_todo(todo_key(doc.pk), user_ids=[user.pk], outcome="read")
    return doc


def archive(user, doc_id: int) -> Outgoing:
    """归档 a sent 发文. Who: `documents.register`."""
    if not access.may(user, access.REGISTER):
        raise PermissionDeniedError()
    with transaction.atomic():
        doc = access.access_outgoing(user, doc_id, for_update=True)
        if doc.status != OutStatus.SENT:
            raise DomainError("DOCUMENT_WRONG_STEP", _("只有已签发的发文可以归档。"))
        doc.status, doc.archived_at = OutStatus.ARCHIVED, timezone.now()
        doc.save(update_fields=["status", "archived_at", "updated_at"])
        audit.record("documents.archive", actor=user, target=doc, after={"number": doc.number})
    return doc


def available_actions(user, doc: Outgoing) -> list[str]:
    acts = []
    if doc.status == OutStatus.DRAFT and doc.drafter_id == user.pk:
        acts += ["EDIT", "SUBMIT"]
    if doc.status == OutStatus.SENT and access.may(user, access.REGISTER):
        acts.append("ARCHIVE")
    if doc.drafter_id == user.pk or access.may(user, access.MANAGE):
        acts.append("DOWNLOAD_DOCX")
    return acts
