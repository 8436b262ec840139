"""收文: every write. 登记 (by hand, or by the bus when another tenant's 发文 arrives) → 拟办 (the
office proposes, naming the leader) → 批办 (the leader instructs, naming the lead handler and the
assistants) → 承办 (each handler reports; the lead's report ends the step) → 传阅 (the office
circulates it: a notification whose deliveries are the read receipts) → 办结.

The office may also circulate a registered document directly (for information only). Whoever a
step waits on has a to-do (`todo_key`); `available_actions` is what the client shows.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian import todos
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, PermissionDeniedError
from jianlian.notifications.models import Delivery
from modules.documents import access
from modules.documents.models import Classification, InStatus, Incoming, Step, Urgency

APP = "documents"
MAX_OPINION = 1000


def link(doc_id: int) -> str:
    return f"/documents/incoming/{doc_id}"


def todo_key(doc_id: int) -> str:
    return f"documents:in:{doc_id}"


def read_key(doc_id: int) -> str:
    return f"documents:in-read:{doc_id}"


def _name(user) -> str:
    return (getattr(user, "real_name", "") or user.get_username())[:60]


def clerks() -> list[int]:
    """The office: people holding the documents clerk role in this tenant."""
    from jianlian.org.audience import Targets, resolve_audience

    return sorted(resolve_audience(Targets(role_codes=["documents_clerk"])))


def _members(ids, field: str) -> list[int]:
    from jianlian.org.audience import Targets, resolve_audience

    ids = sorted({int(i) for i in ids or []})
    if ids and set(ids) - resolve_audience(Targets(user_ids=ids)):
        raise DomainError("UNKNOWN_RECIPIENT", _("所选人员不是本单位人员。"), field)
    return ids


def _opinion(text, required: bool = False) -> str:
    text = (text or "").strip()
    if required and not text:
        raise DomainError("REQUIRED", _("请填写意见。"), "opinion")
    if len(text) > MAX_OPINION:
        raise DomainError("TOO_LONG", _("意见不能超过1000字。"), "opinion")
    return text


def _wait_on(doc: Incoming, user_ids: list[int], title: str) -> None:
    """The document now waits on `user_ids`: their to-do replaces the previous step's."""
    todos.remove_todo(todo_key(doc.pk))
    doc.waiting_ids = sorted(set(user_ids))
    doc.participant_ids = sorted({*doc.participant_ids, *user_ids})
    if user_ids:
        todos.create_todo(user_ids, source=APP, kind="incoming", key=todo_key(doc.pk), title=title % {"t": doc.title},
                          link=link(doc.pk), summary=f"{doc.issuer} {doc.number}".strip(),
                          due_at=_deadline(doc.deadline), started_by=doc.issuer, urgent=doc.urgency != Urgency.NORMAL)


def _deadline(d):
    if not d:
        return None
    from datetime import datetime, time

    return timezone.make_aware(datetime.combine(d, time(18, 0)))


def _step(doc: Incoming, kind: str, user=None, opinion: str = "", actor_label: str = "") -> None:
    Step.objects.create(incoming=doc, kind=kind, actor_id=getattr(user, "pk", None),
                        actor_name=_name(user) if user else actor_label[:60], opinion=opinion)
    audit.record(f"documents.incoming.{kind}", actor=user, target=doc, after={"status": doc.status},
                 actor_label="" if user else actor_label)


def _create(*, issuer, number, title, body="", main_to="", copy_to="", role="main", classification=Classification.PUBLIC,
            urgency=Urgency.NORMAL, deadline=None, signed_on=None, user=None, source_message=None, source_tenant="") -> Incoming:
    doc = Incoming.objects.create(
        issuer=issuer[:60], number=number[:40], title=title[:120], body=body, main_to=main_to[:300], copy_to=copy_to[:300],
        role=role, classification=classification, urgency=urgency, deadline=deadline, signed_on=signed_on,
        registered_by_name=_name(user) if user else "", source_message=source_message, source_tenant=source_tenant)
    _step(doc, "register", user, actor_label=_("系统（来文自动登记）"))
    _wait_on(doc, clerks(), _("收文待拟办：%(t)s"))
    doc.save()
    return doc


def register(user, *, issuer: str, number: str, title: str, classification: str = Classification.PUBLIC,
             urgency: str = Urgency.NORMAL, deadline: date | None = None, body: str = "") -> Incoming:
    """登记 a paper (or e-mailed) incoming document. Who: `documents.register`."""
    if not access.may(user, access.REGISTER):
        raise PermissionDeniedError()
    problems = []
    issuer, number, title = (issuer or "").strip(), (number or "").strip(), (title or "").strip()
    if not issuer or len(issuer) > 60:
        problems.append(DomainError("REQUIRED", _("请填写来文单位（不超过60字）。"), "issuer"))
    if not title or len(title) > 120:
        problems.append(DomainError("REQUIRED", _("请填写标题（不超过120字）。"), "title"))
    if len(number) > 40:
        problems.append(DomainError("TOO_LONG", _("来文字号不能超过40字。"), "number"))
    if classification not in Classification.values or urgency not in Urgency.values:
        problems.append(DomainError("INVALID", _("密级或紧急程度不正确。"), "classification"))
    if deadline and deadline < timezone.localdate():
        problems.append(DomainError("INVALID_DATE", _("办理期限不能早于今天。"), "deadline"))
    if problems:
        raise DomainError.many(problems)
    with transaction.atomic():
        return _create(issuer=issuer, number=number, title=title, body=(body or "").strip(), classification=classification,
                       urgency=urgency, deadline=deadline, user=user)


def receive(message) -> Incoming:
    """The bus handler's work: another tenant's 发文 arrived. Registered once per message id (the
    inbox applies a message once; the unique `source_message` makes a replay a no-op too)."""
    p = message.payload
    found = Incoming.objects.filter(source_message=message.id).first()
    if found is not None:
        return found
    signed = date.fromisoformat(p["signed_on"]) if p.get("signed_on") else None
    return _create(issuer=p.get("issuer", ""), number=p.get("number", ""), title=p.get("title", ""), body=p.get("body", ""),
                   main_to=p.get("main_to", ""), copy_to=p.get("copy_to", ""), role=p.get("role", "main"),
                   classification=p.get("classification") or Classification.PUBLIC, urgency=p.get("urgency") or Urgency.NORMAL,
                   signed_on=signed, source_message=message.id, source_tenant=message.sender)


def _at(user, doc_id: int, statuses, *, office: bool = False, waiting: bool = False) -> Incoming:
    doc = access.access_incoming(user, doc_id, for_update=True)
    ok = doc.status in statuses
    if office and not access.may(user, access.REGISTER):
        ok = False
    if waiting and user.pk not in doc.waiting_ids:
        ok = False
    if not ok:
        raise DomainError("DOCUMENT_WRONG_STEP", _("该收文当前不在这一环节，或不由您办理。"))
    return doc


def propose(user, doc_id: int, *, opinion: str, leader_id: int) -> Incoming:
    """拟办: the office writes a proposal and names the leader who instructs (批办)."""
    opinion = _opinion(opinion, required=True)
    leaders = _members([leader_id], "leader")
    with transaction.atomic():
        doc = _at(user, doc_id, [InStatus.REGISTERED], office=True)
        doc.status = InStatus.PROPOSED
        _step(doc, "propose", user, opinion)
        _wait_on(doc, leaders, _("收文待批办：%(t)s"))
        doc.save()
    return doc


def instruct(user, doc_id: int, *, opinion: str, lead_id: int, assist_ids=None) -> Incoming:
    """批办: the leader instructs and names the lead handler (主办) and the assistants (协办)."""
    opinion = _opinion(opinion, required=True)
    lead = _members([lead_id], "lead")
    assists = [u for u in _members(assist_ids, "assists") if u not in lead]
    with transaction.atomic():
        doc = _at(user, doc_id, [InStatus.PROPOSED], waiting=True)
        doc.status, doc.lead_id, doc.assist_ids = InStatus.HANDLING, lead[0], assists
        _step(doc, "instruct", user, opinion)
        _wait_on(doc, lead + assists, _("收文待承办：%(t)s"))
        doc.save()
    return doc


def handle(user, doc_id: int, *, opinion: str) -> Incoming:
    """承办: a handler reports what was done. An assistant's report closes their part; the lead's
    closes the step (open assistants' to-dos go) and hands the document back to the office."""
    opinion = _opinion(opinion, required=True)
    with transaction.atomic():
        doc = _at(user, doc_id, [InStatus.HANDLING], waiting=True)
        if user.pk == doc.lead_id:
            doc.status = InStatus.HANDLED
            _step(doc, "handle", user, opinion)
            _wait_on(doc, clerks(), _("收文待传阅或办结：%(t)s"))
        else:
            _step(doc, "assist", user, opinion)
            todos.complete_todo(todo_key(doc.pk), user_ids=[user.pk], outcome="handled")
            doc.waiting_ids = [u for u in doc.waiting_ids if u != user.pk]
        doc.save()
    return doc


def circulate(user, doc_id: int, *, user_ids=None, department_ids=None) -> Incoming:
    """传阅: send it to people and departments to read. Each reader gets a notification (the read
    receipt) and a to-do; the office sees who has read it. Who: `documents.register`."""
    from jianlian.notifications import services as notices

    with transaction.atomic():
        doc = _at(user, doc_id, [InStatus.REGISTERED, InStatus.HANDLED, InStatus.CIRCULATING], office=True)
        from jianlian.org.audience import Targets, resolve_audience

        # departments resolved to their people: up to 50 readers need no sender whitelist (more do)
        people = resolve_audience(Targets(user_ids=[int(u) for u in user_ids or []],
                                          department_ids=[int(d) for d in department_ids or []]))
        if not people:
            raise DomainError("REQUIRED", _("请选择传阅人员或科室。"), "readers")
        audience = notices.Audience(user_ids=sorted(people))
        note = notices.send(user, title=lambda: _("传阅：%(t)s") % {"t": doc.title}, body=f"{doc.issuer} {doc.number}".strip(),
                            link=link(doc.pk), audience=audience, mandatory=True)
        readers = list(Delivery.objects.filter(notification=note).values_list("user_id", flat=True))
        if doc.notification_id:  # a second round: earlier readers keep their receipts on the earlier notice
            Delivery.objects.filter(notification_id=doc.notification_id).exclude(user_id__in=readers).update(
                notification_id=note.pk)
        doc.notification_id = note.pk
        doc.status = InStatus.CIRCULATING
        doc.participant_ids = sorted({*doc.participant_ids, *readers})
        todos.remove_todo(todo_key(doc.pk))
        doc.waiting_ids = []
        todos.create_todo(readers, source=APP, kind="read", key=read_key(doc.pk), title=_("传阅：%(t)s") % {"t": doc.title},
                          link=link(doc.pk), summary=f"{doc.issuer} {doc.number}".strip(), started_by=_name(user))
        _step(doc, "circulate", user, _("传阅%(n)s人") % {"n": len(readers)})
        doc.save()
    return doc


def read(user, doc_id: int) -> Incoming:
    """A reader read it: their receipt is stamped once and their to-do done."""
    with transaction.atomic():
        doc = access.access_incoming(user, doc_id)
        if doc.notification_id and Delivery.objects.filter(notification_id=doc.notification_id, user_id=user.pk,
                                                           read_at__isnull=True).update(read_at=timezone.now()):
            todos.complete_todo(read_key(doc.pk), user_ids=[user.pk], outcome="read")
    return doc


def finish(user, doc_id: int, *, opinion: str = "") -> Incoming:
    """办结. Who: `documents.register`. Open step to-dos go; unread readers keep theirs."""
    opinion = _opinion(opinion)
    with transaction.atomic():
        doc = _at(user, doc_id, [InStatus.REGISTERED, InStatus.HANDLED, InStatus.CIRCULATING], office=True)
        doc.status = InStatus.DONE
        _step(doc, "finish", user, opinion)
        todos.remove_todo(todo_key(doc.pk))
        doc.waiting_ids = []
        doc.save()
    return doc


def read_counts(doc: Incoming) -> tuple[int, int]:
    if not doc.notification_id:
        return 0, 0
    qs = Delivery.objects.filter(notification_id=doc.notification_id)
    return qs.exclude(read_at=None).count(), qs.count()


def available_actions(user, doc: Incoming) -> list[str]:
    office = access.may(user, access.REGISTER)
    acts = []
    if doc.status == InStatus.REGISTERED and office:
        acts.append("PROPOSE")
    if doc.status == InStatus.PROPOSED and user.pk in doc.waiting_ids:
        acts.append("INSTRUCT")
    if doc.status == InStatus.HANDLING and user.pk in doc.waiting_ids:
        acts.append("HANDLE")
    if doc.status in (InStatus.REGISTERED, InStatus.HANDLED, InStatus.CIRCULATING) and office:
        acts += ["CIRCULATE", "FINISH"]
    if doc.notification_id and Delivery.objects.filter(notification_id=doc.notification_id, user_id=user.pk,
                                                       read_at__isnull=True).exists():
        acts.append("READ")
    return acts
