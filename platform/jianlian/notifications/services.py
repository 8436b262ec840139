"""Notification actions: send, read, preferences, the sender whitelist.

Every action works in the schema of the current tenant (or the province console's), validates
its input, raises DomainError with a stable code, audits its write, and announces deliveries to
the recipients' subscriptions after commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianlian.access.checks import has_perm
from jianlian.audit import service as audit
from tenants.context import current_tenant
from jianlian.core.errors import DomainError, NotFoundError, PermissionDeniedError
from jianlian.notifications.models import Delivery, Kind, Notification, Preference, Priority, SenderGrant
from jianlian.notifications.texts import Texts
from jianlian.realtime import events

MAX_DIRECT_RECIPIENTS = 50  # more than this is a broadcast and needs the whitelist
RECEIVED = "notifications.received"


@dataclass
class Audience:
    user_ids: list[int] = field(default_factory=list)
    unit_ids: list[int] = field(default_factory=list)
    role_codes: list[str] = field(default_factory=list)
    whole_tenant: bool = False
    # Departments, tags and groups of the tenant's organisation (resolved by jianlian.org.audience).
    department_ids: list[int] = field(default_factory=list)
    tag_ids: list[int] = field(default_factory=list)
    group_ids: list[int] = field(default_factory=list)

    def is_broadcast(self) -> bool:
        return (self.whole_tenant or bool(self.unit_ids or self.role_codes or self.org_targets())
                or len(self.user_ids) > MAX_DIRECT_RECIPIENTS)

    def org_targets(self) -> bool:
        return bool(self.department_ids or self.tag_ids or self.group_ids)

    def range_unit_ids(self) -> list[int]:
        """The units a sender's whitelisted range must cover; [] when only a whole-tenant grant
        will do (the whole tenant, tags and groups, which cut across units)."""
        if self.whole_tenant or self.tag_ids or self.group_ids:
            return []
        units = list(self.unit_ids)
        if self.department_ids and current_tenant() is not None:  # the console has no departments
            from jianlian.org.models import Department

            units += list(Department.objects.filter(pk__in=self.department_ids).values_list("unit_id", flat=True))
        return units

    def as_json(self) -> dict:
        return {"users": self.user_ids, "units": self.unit_ids, "roles": self.role_codes, "tenant": self.whole_tenant,
                "departments": self.department_ids, "tags": self.tag_ids, "groups": self.group_ids}


def _tenant_units(tenant):
    from jianlian.hierarchy.models import OrgUnit

    if tenant is None:
        return OrgUnit.objects.all()
    return tenant.org_unit.get_descendants(include_self=True)


def _members(tenant):
    """Active people of this tenant (the province console: everyone with a role at an authority)."""
    from jianlian.access.models import Membership, RoleGrant

    if tenant is None:
        return set(RoleGrant.objects.filter(role__tenant__isnull=True).values_list("user_id", flat=True))
    return set(Membership.objects.filter(tenant=tenant, is_active=True, user__is_active=True).values_list("user_id", flat=True))


def may_broadcast(user, tenant, unit_ids: list[int]) -> bool:
    """Whitelisted for the whole tenant, or for a unit whose subtree covers every target unit."""
    from jianlian.hierarchy.models import OrgUnit

    grants = list(SenderGrant.objects.filter(user_id=user.pk).values_list("unit_id", flat=True))
    if None in grants:
        return True
    if not unit_ids or not grants:
        return False
    allowed = OrgUnit.objects.filter(pk__in=grants)
    targets = OrgUnit.objects.filter(pk__in=unit_ids)
    return all(any(t.is_descendant_of(a, include_self=True) for a in allowed) for t in targets)


def resolve_recipients(tenant, audience: Audience) -> set[int]:
    from jianlian.access.models import Membership, RoleGrant

    members = _members(tenant)
    if audience.whole_tenant:
        return members
    recipients: set[int] = set()
    unknown = set(audience.user_ids) - members
    if unknown:
        raise DomainError("UNKNOWN_RECIPIENT", _("有接收人不是本单位成员（%(ids)s）。") % {"ids": ", ".join(map(str, sorted(unknown)[:5]))}, "userIds")
    recipients |= set(audience.user_ids)
    if audience.unit_ids:
        units = _tenant_units(tenant).filter(pk__in=audience.unit_ids)
        if units.count() != len(set(audience.unit_ids)):
            raise DomainError("NOT_FOUND", _("发送范围中有单位不属于本租户。"), "unitIds")
        from django.db.models import Q

        q = Q()
        for u in units:
            q |= Q(unit__tree_id=u.tree_id, unit__lft__gte=u.lft, unit__rght__lte=u.rght)
        qs = Membership.objects.filter(q, is_active=True)
        if tenant is not None:
            qs = qs.filter(tenant=tenant)
        recipients |= set(qs.values_list("user_id", flat=True))
    if audience.role_codes:
        roles = RoleGrant.objects.filter(role__code__in=audience.role_codes, node__in=_tenant_units(tenant))
        recipients |= set(roles.values_list("user_id", flat=True)) & members
    if audience.org_targets():
        if tenant is None:
            raise DomainError("NOT_FOUND", _("科室、标签和群组只能在租户内使用。"), "departmentIds")
        from jianlian.org.audience import Targets, resolve_audience

        recipients |= resolve_audience(Targets(department_ids=audience.department_ids, tag_ids=audience.tag_ids,
                                               group_ids=audience.group_ids), tenant)
    return recipients


def _validate(title: str, body: str, kind: str, priority: str, link: str) -> tuple[str, str, str]:
    problems = []
    title, body, link = (title or "").strip(), (body or "").strip(), (link or "").strip()
    if not title or len(title) > 120:
        problems.append(DomainError("INVALID_NAME", _("请填写标题（不超过120个字）。"), "title"))
    if len(body) > 5000:
        problems.append(DomainError("TOO_LONG", _("正文不能超过5000个字。"), "body"))
    if kind not in Kind.values:
        problems.append(DomainError("INVALID_KIND", _("未知的消息类型。"), "kind"))
    if priority not in Priority.values:
        problems.append(DomainError("INVALID_PRIORITY", _("未知的优先级。"), "priority"))
    if link and not (link.startswith("/") and not link.startswith("//") or link.startswith(("https://", "http://"))) or len(link) > 500:
        problems.append(DomainError("INVALID_LINK", _("链接应为站内路径（以 / 开头）或 http(s) 地址。"), "link"))
    if problems:
        raise DomainError.many(problems)
    return title, body, link


def send(sender, *, title: str, body: str = "", kind: str = Kind.NOTICE, priority: str = Priority.NORMAL,
         link: str = "", audience: Audience, mandatory: bool = False) -> Notification:
    """Send a notification in the current tenant.

    Who: any member (`platform.use`) to up to MAX_DIRECT_RECIPIENTS named colleagues; a whole
    tenant, units, roles or more people only for whitelisted senders (SenderGrant). People who
    switched the type off do not get it, except urgent ones. Emits `notifications.received` to each
    recipient's user group after commit, and queues SMS / e-mail where preferences ask for them
    (always SMS for urgent). `mandatory`: the copies are also the readers' access and read
    receipts (announcements, documents), so everyone in the audience gets one whatever they
    muted (SMS and e-mail still follow their preferences).
    """
    from jianlian.access.checks import can_enter_tenant

    tenant = current_tenant()
    allowed = can_enter_tenant(sender, tenant) if tenant else sender.is_authenticated
    if not allowed:
        raise PermissionDeniedError()
    texts = Texts.of(title=title, body=body)
    texts.title, texts.body, link = _validate(texts.title, texts.body, kind, priority, link)
    if audience.is_broadcast() and not may_broadcast(sender, tenant, audience.range_unit_ids()):
        raise DomainError("SENDER_NOT_WHITELISTED", _("您不在推送白名单中，只能给不超过%(n)s位同事发送消息。请联系管理员开通。") % {"n": MAX_DIRECT_RECIPIENTS})
    recipients = resolve_recipients(tenant, audience)
    prefs = _preferences(kind, recipients)
    if priority != Priority.URGENT and not mandatory:
        recipients -= prefs.muted
    if not recipients:
        raise DomainError("NO_RECIPIENTS", _("发送范围内没有可接收的人员。"))
    everyone = audience.whole_tenant and (mandatory or priority == Priority.URGENT or not prefs.muted)
    with transaction.atomic():
        texts.sender_name = getattr(sender, "real_name", "") or sender.get_username()
        note = _deliver(sender.pk, texts, kind, priority, link, audience.as_json(), recipients, prefs, everyone=everyone)
        audit.record("notifications.send", actor=sender, target=note,
                     after={"title": texts.title, "kind": kind, "priority": priority, "recipients": len(recipients)})
    return note


@dataclass
class _Preferences:
    """What the recipients of one kind of notification asked for (one read for all three)."""

    muted: set[int]
    sms: set[int]
    email: set[int]


def _preferences(kind: str, user_ids) -> _Preferences:
    prefs = _Preferences(set(), set(), set())
    for uid, receive, sms, email in Preference.objects.filter(kind=kind, user_id__in=user_ids).filter(
            Q(receive=False) | Q(sms=True) | Q(email=True)).values_list("user_id", "receive", "sms", "email"):
        if not receive:
            prefs.muted.add(uid)
        if sms:
            prefs.sms.add(uid)
        if email:
            prefs.email.add(uid)
    return prefs


def _deliver(sender_id, texts: Texts, kind, priority, link, audience_json, recipients,
             prefs: _Preferences, *, everyone: bool = False) -> Notification:
    """Write the notification and its deliveries; announce them after commit; queue SMS/e-mail.

    The copies go in with one set-based INSERT (an array of ids, however many: 300,000 copies
    take seconds, not the minutes of row-by-row inserts). `everyone`: the recipients are the whole
    tenant, so one event to the tenant's group replaces one per person."""
    note = Notification.objects.create(
        sender_id=sender_id, sender_name=texts.sender_name[:150], title=texts.title, body=texts.body, english=texts.english(),
        kind=kind, priority=priority, link=link, audience=audience_json, recipient_count=len(recipients),
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {Delivery._meta.db_table} (notification_id, user_id, delivered_at) "
                       "SELECT %s, u, %s FROM unnest(%s::bigint[]) AS u ORDER BY u",
                       [note.pk, note.created_at, sorted(recipients)])
    schema = connection.schema_name
    groups = [events.tenant_group(schema)] if everyone else [events.user_group(uid, schema) for uid in sorted(recipients)]
    events.publish(RECEIVED, event_payload(note), groups=groups)
    _queue_outbound(note, recipients, prefs)
    return note


def notify(user_ids, *, sender_name, title, body="", kind: str = Kind.TASK, priority: str = Priority.NORMAL,
           link: str = "") -> Notification | None:
    """A notice from the platform or an app (a referral arrived, a deadline passed) to people of
    the current tenant, in the caller's transaction. Not limited by the sender whitelist: no
    person sends it. Preferences apply as for `send` (urgent ones always arrive). Returns None
    when nobody is left to receive it.

    `sender_name`, `title` and `body` may be lazy translations or callables that build the text
    (`lambda: _("待您审批：%(title)s") % {...}`): they are then stored in Chinese and English and
    each reader reads them in their language (see `texts`). Plain strings are read as written."""
    texts = Texts.of(sender_name=sender_name, title=title, body=body)
    texts.title, texts.body, link = _validate(texts.title, texts.body, kind, priority, link)
    recipients = set(user_ids)
    prefs = _preferences(kind, recipients)
    if priority != Priority.URGENT:
        recipients -= prefs.muted
    if not recipients:
        return None
    return _deliver(None, texts, kind, priority, link, {"users": sorted(recipients), "system": True}, recipients, prefs)


def deliver_to_tenant(*, sender_id: int | None, sender_name, title, body="", kind: str = Kind.NOTICE,
                      link: str = "") -> Notification:
    """A notice from an authority above the tenant (the province's announcements reach every
    tenant this way) to every active member of the current tenant, whatever they muted (the
    copies are their access and read receipts). The whitelist was checked where it was sent
    (the province console); this runs in each tenant, in the caller's transaction."""
    texts = Texts.of(sender_name=sender_name, title=title, body=body)
    texts.title, texts.body, link = _validate(texts.title, texts.body, kind, Priority.NORMAL, link)
    tenant = current_tenant()
    recipients = _members(tenant)
    if not recipients:
        raise DomainError("NO_RECIPIENTS", _("发送范围内没有可接收的人员。"))
    prefs = _preferences(kind, recipients)
    return _deliver(sender_id, texts, kind, Priority.NORMAL, link, {"tenant": True, "from_above": True}, recipients, prefs,
                    everyone=True)


def event_payload(note: Notification) -> dict:
    """Encoded once for every subscriber, so it carries both languages and the workbench picks."""
    en = note.english or {}
    return {
        "id": note.pk, "title": note.title, "body": note.body[:500], "kind": note.kind, "priority": note.priority,
        "link": note.link, "senderName": note.sender_name, "createdAt": note.created_at.isoformat(),
        "titleEn": en.get("title", ""), "bodyEn": en.get("body", "")[:500], "senderNameEn": en.get("sender_name", ""),
    }


def _queue_outbound(note: Notification, recipients: set[int], prefs: _Preferences) -> None:
    sms = set(recipients) if note.priority == Priority.URGENT else prefs.sms & recipients
    email = prefs.email & recipients
    if sms or email:
        from jianlian.notifications.outbound import send_outbound

        schema = connection.schema_name
        transaction.on_commit(lambda: send_outbound(schema, note.pk, sorted(sms), sorted(email)))


def mark_read(user, notification_ids: list[int] | None = None) -> int:
    """Mark the caller's copies read (all unread when ids is None). Returns the unread count left."""
    qs = Delivery.objects.filter(user_id=user.pk, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(notification_id__in=notification_ids)
    qs.update(read_at=timezone.now())
    return unread_count(user)


def unread_count(user) -> int:
    return Delivery.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def access_notification(user, notification_id: int) -> Notification:
    """A notification of the current tenant that `user` may read: one they received or sent, or —
    for a tenant admin — one a person sent (for its read receipts). Notices the platform or an
    app sent (a referral arrived, a deadline passed) are for their recipients only. NotFound for
    anything else, alike for missing ones."""
    if current_tenant() is None or getattr(user, "pk", None) is None:  # an app's token is nobody's inbox
        raise NotFoundError()
    note = Notification.objects.filter(pk=notification_id).first()
    if note is None:
        raise NotFoundError()
    if note.sender_id == user.pk or Delivery.objects.filter(notification_id=note.pk, user_id=user.pk).exists():
        return note
    if note.sender_id is not None:
        try:
            return access_sent(user, note.pk)
        except PermissionDeniedError:
            pass
    raise NotFoundError()


def access_sent(user, notification_id: int) -> Notification:
    """A notification the caller sent (or, for a tenant admin, any in the tenant) — for receipts."""
    note = Notification.objects.filter(pk=notification_id).first()
    tenant = current_tenant()
    sender = note is not None and user.pk is not None and note.sender_id == user.pk
    if note is None or not (sender or (tenant and has_perm(user, "platform.manage_users", tenant.org_unit))):
        raise PermissionDeniedError()
    return note


def set_preference(user, kind: str, *, receive: bool = True, sms: bool = False, email: bool = False) -> Preference:
    if kind not in Kind.values:
        raise DomainError("INVALID_KIND", _("未知的消息类型。"), "kind")
    pref, _created = Preference.objects.update_or_create(user_id=user.pk, kind=kind, defaults={"receive": receive, "sms": sms, "email": email})
    audit.record("notifications.set_preference", actor=user, target=pref, after={"kind": kind, "receive": receive, "sms": sms, "email": email})
    return pref


def grant_sender(actor, user_id: int, unit_id: int | None = None) -> SenderGrant:
    """Whitelist a member to push to the whole tenant (unit_id None) or a unit's subtree.
    Who: holders of `notifications.manage_senders` at the tenant."""
    tenant = current_tenant()
    if tenant is None or not has_perm(actor, "notifications.manage_senders", tenant.org_unit):
        raise PermissionDeniedError()
    if user_id not in _members(tenant):
        raise DomainError("UNKNOWN_RECIPIENT", _("该人员不是本单位成员。"), "userId")
    if unit_id is not None and not _tenant_units(tenant).filter(pk=unit_id).exists():
        raise DomainError("NOT_FOUND", _("单位不属于本租户。"), "unitId")
    with transaction.atomic():
        grant, _created = SenderGrant.objects.get_or_create(user_id=user_id, unit_id=unit_id, defaults={"granted_by_id": actor.pk})
        audit.record("notifications.grant_sender", actor=actor, target=grant, after={"user_id": user_id, "unit_id": unit_id})
    return grant
