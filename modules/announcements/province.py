"""Province-wide announcements: one post from the province console to every staff member of every
tenant (300,000 people across a hundred-odd tenant schemas).

Posts, receipts and read rates live in each tenant's schema, so a province-wide post is the
province publishing and **each tenant receiving its own copy**: `publish_to_province` (in the
console) checks who may send it, sanitises it once and queues one task per tenant with the app
installed; `receive_in_tenant` (in the tenant) writes the tenant's post in 通知公告 and its one
notification to every active member through the notification centre (`deliver_to_tenant`: one
set-based insert of the copies, one realtime event to the tenant's group), so the tenant's
editors see the read rate by department as for their own posts. A tenant receives a given
province post once (`audience.province_key`), so a retried task is harmless.

Who may: the console's sender whitelist (a `SenderGrant` covering the province's root unit) and
`announcements.manage` at the root.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian import todos
from jianlian.access.checks import has_perm
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, PermissionDeniedError
from modules.announcements.actions import _clean, _name, link, todo_key
from modules.announcements.models import Column, Post, Status

COLUMN = "notices"


def province_tenants(root):
    """The tenants under `root` with the app installed and not suspended."""
    from jianlian.marketplace.models import InstallStatus, Installation
    from tenants.models import Tenant

    installed = Installation.objects.filter(app__key="announcements", status=InstallStatus.INSTALLED).values("tenant_id")
    units = root.get_descendants(include_self=True)
    return (Tenant.objects.filter(pk__in=installed, org_unit__in=units).exclude(status="suspended").order_by("pk"))


def prepare(user, *, title: str, body: str = "", required: bool = False, read_deadline=None, now=None) -> dict:
    """Check the sender and clean the post once, in the province console. Returns the spec each
    tenant receives."""
    from jianlian.hierarchy.models import OrgUnit
    from jianlian.notifications.services import may_broadcast

    now = now or timezone.now()
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("tree_id").first()
    if root is None or not has_perm(user, "announcements.manage", root):
        raise PermissionDeniedError()
    if not may_broadcast(user, None, [root.pk]):
        raise DomainError("SENDER_NOT_WHITELISTED", _("您不在推送白名单中，不能向全省发布。请联系管理员开通。"))
    fields = _clean(title, body, None, required, read_deadline, None, now)
    spec = {"key": uuid.uuid4().hex, "root_id": root.pk, "author_id": user.pk, "author_name": _name(user),
            "title": fields["title"], "body": fields["body"], "text": fields["text"], "required": fields["required"],
            "read_deadline": fields["read_deadline"].isoformat() if fields["read_deadline"] else None,
            "published_at": now.isoformat()}
    audit.record("announcements.province_publish", actor=user, after={"title": spec["title"], "key": spec["key"]})
    return spec


def publish_to_province(user, **kwargs) -> dict:
    """Publish to every staff member of the province: one task per tenant, queued after commit.
    Who: see the module doc. Returns the spec (its `key` names the copies)."""
    from jianlian.hierarchy.models import OrgUnit
    from modules.announcements.tasks import receive_province_post

    spec = prepare(user, **kwargs)
    tenants = list(province_tenants(OrgUnit.objects.get(pk=spec["root_id"])))
    transaction.on_commit(lambda: [receive_province_post.delay_in(t, spec) for t in tenants])
    spec["tenants"] = len(tenants)
    return spec


def receive_in_tenant(spec: dict) -> Post:
    """The current tenant's copy of a province post: published at once in 通知公告 to every active
    member, 必读 as a to-do. Idempotent by the spec's key."""
    from django.utils.dateparse import parse_datetime

    from jianlian.notifications.models import Delivery, Kind
    from jianlian.notifications.services import deliver_to_tenant

    with transaction.atomic():
        done = Post.objects.filter(audience__province_key=spec["key"]).first()
        if done is not None:
            return done
        column = Column.objects.filter(key=COLUMN).first() or Column.objects.order_by("sort", "pk").first()
        deadline = parse_datetime(spec["read_deadline"]) if spec.get("read_deadline") else None
        post = Post.objects.create(column=column, title=spec["title"], body=spec["body"], text=spec["text"],
                                   audience={"whole_tenant": True, "province_key": spec["key"]}, required=spec["required"],
                                   read_deadline=deadline, status=Status.PUBLISHED,
                                   published_at=parse_datetime(spec["published_at"]), author_id=spec["author_id"],
                                   author_name=spec["author_name"])
        note = deliver_to_tenant(sender_id=spec["author_id"], sender_name=spec["author_name"], title=post.title,
                                 body=post.text[:300], kind=Kind.NOTICE, link=link(post.pk))
        post.notification_id, post.recipient_count = note.pk, note.recipient_count
        post.save(update_fields=["notification_id", "recipient_count"])
        if post.required:
            todos.create_todo(Delivery.objects.filter(notification_id=note.pk).values_list("user_id", flat=True),
                              source="announcements", kind="read", key=todo_key(post.pk),
                              title=_("必读：%(t)s") % {"t": post.title}, link=link(post.pk), summary=post.text[:120],
                              due_at=deadline, started_by=post.author_name)
        audit.record("announcements.publish", target=post,
                     after={"title": post.title, "recipients": post.recipient_count, "province": spec["key"]})
    return post
