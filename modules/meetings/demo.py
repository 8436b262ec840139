"""Meeting rooms for the demo province (only the demo seed calls this): the app is installed in
every hospital tenant, each unit gets a few rooms in its buildings, and today holds a handful of
bookings — one of them tonglu_staff (赵敏)'s with tonglu_doctor (杨文斌) invited, one private,
one weekly — so a fresh `make run` shows a lively board. tonglu_admin manages the rooms.
Written once: a tenant that already has rooms is left alone."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from jianlian.identity.models import User

ROOMS = (  # building, floor, name, capacity, equipment
    ("行政楼", "3F", "第一会议室", 30, ["投影", "视频会议", "话筒"]),
    ("行政楼", "3F", "小会议室", 8, ["电视", "白板"]),
    ("行政楼", "5F", "学术报告厅", 150, ["投影", "音响", "录播"]),
    ("门诊楼", "2F", "医务科会议室", 12, ["电视", "视频会议"]),
)
MEETINGS = (  # room index, title, start hour, minutes, private, invite doctor, weeks
    (0, "院周会", 8, 60, False, True, 4),
    (0, "医疗质量分析会", 14, 90, False, True, 1),
    (1, "护理部晨会", 9, 30, False, False, 1),
    (1, "人事谈话", 15, 60, True, True, 1),
    (2, "继续医学教育讲座", 10, 120, False, False, 1),
    (3, "病例讨论", 16, 60, False, True, 1),
)


def _people(tenant):
    from jianlian.access.models import Membership

    members = list(Membership.objects.filter(tenant=tenant, is_active=True).values_list("user_id", flat=True))
    named = {u.username: u for u in User.objects.filter(username__in=("tonglu_staff", "tonglu_doctor"), pk__in=members)}
    others = list(User.objects.filter(pk__in=members).order_by("pk")[:2])
    organiser = named.get("tonglu_staff") or (others[0] if others else None)
    guest = named.get("tonglu_doctor") or (others[1] if len(others) > 1 else None)
    return organiser, guest


def seed_tenant(tenant, now=None) -> int:
    from modules.meetings import booking, rooms
    from modules.meetings.models import Room

    if Room.objects.exists():
        return 0
    organiser, guest = _people(tenant)
    made = 0
    with transaction.atomic():
        units = list(tenant.org_unit.get_descendants(include_self=True).order_by("lft")[:3])
        created = []
        for i, unit in enumerate(units):
            for building, floor, name, capacity, equipment in ROOMS if i == 0 else ROOMS[:2]:
                created.append(rooms.create_room(None, unit.pk, name=name, capacity=capacity, building=building,
                                                 floor=floor, equipment=equipment))
        made += len(created)
        if organiser is None:
            return made
        now = now or timezone.now()
        today = timezone.localdate(now)
        for index, title, hour, minutes, private, invite, weeks in MEETINGS:
            start = timezone.make_aware(dt.datetime.combine(today, dt.time(hour)))
            if start < now:  # earlier today: show it tomorrow instead, a past booking cannot be made
                start += dt.timedelta(days=1)
            made += len(booking.book(organiser, created[index].pk, title=title, start=start,
                                     end=start + dt.timedelta(minutes=minutes), is_private=private, weeks=weeks,
                                     invitee_ids=[guest.pk] if invite and guest else [], now=now))
    return made


DEMO_TENANTS = 6  # 桐庐 and a few more: enough to look at, without installing into every tenant


def seed(say=print) -> int:
    """桐庐 and a few other tenants: install the app (once), grant tonglu_admin the room manager
    role, then their rooms and today's bookings."""
    from jianlian.access.models import Role, RoleGrant
    from jianlian.marketplace.services import install, is_installed
    from tenants.context import tenant_context
    from tenants.models import Tenant

    made = 0
    tenants = sorted(Tenant.objects.select_related("org_unit").order_by("pk"), key=lambda t: t.slug != "tonglu")
    for tenant in tenants[:DEMO_TENANTS]:
        if not is_installed(tenant, "meetings"):
            try:
                install(None, tenant, "meetings")
            except Exception as e:  # noqa: BLE001 — a tenant that cannot take it is skipped, not the whole seed
                say(f"会议室：{tenant.slug} 未安装（{e}）。")
                continue
        admin = User.objects.filter(username="tonglu_admin").first()
        role = Role.objects.filter(code="meetings_admin", tenant=tenant).first()
        if tenant.slug == "tonglu" and admin and role:
            RoleGrant.objects.get_or_create(user=admin, role=role, node=tenant.org_unit)
        with tenant_context(tenant):
            made += seed_tenant(tenant)
    if made:
        say(f"会议室：生成 {made} 间会议室与预订。")
    return made
