"""A hospital for the meetings tests: 桐庐 (tenant A) with the app installed, two rooms in
行政楼 and one in 门诊楼, staff of the lead hospital, and the tenant admin as room manager."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from jianlian.identity.models import User
from jianlian.marketplace import services as market
from modules.meetings import rooms
from tests.factories import grant, make_department, make_staff


@dataclass
class World:
    p: object
    people: dict = field(default_factory=dict)
    rooms: dict = field(default_factory=dict)

    def user(self, name: str) -> User:
        return self.people[name]


def tomorrow(hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def build(p) -> World:
    """Call inside tenant_context(p.tenant_a)."""
    market.install(None, p.tenant_a, "meetings")
    w = World(p)
    dept = make_department("BGS", "院办", unit=p.lead_a)
    staff = {name: make_staff(name, unit=p.lead_a, department=dept) for name in ("赵敏", "钱进", "孙立", "李想")}
    User.objects.filter(pk__in=[s.user_id for s in staff.values()]).update(status="active")
    w.people = {n: User.objects.get(pk=s.user_id) for n, s in staff.items()}
    w.people["admin"] = p.users["tenant_admin"]
    grant(p.users["tenant_admin"], "meetings_admin", p.lead_a, p.tenant_a)
    w.rooms = {
        "一会": rooms.create_room(None, p.lead_a.pk, name="第一会议室", capacity=30, building="行政楼", floor="3F",
                                equipment=["投影", "视频会议"]),
        "小会": rooms.create_room(None, p.lead_a.pk, name="小会议室", capacity=8, building="行政楼", floor="3F"),
        "医务": rooms.create_room(None, p.lead_a.pk, name="医务科会议室", capacity=12, building="门诊楼", floor="2F"),
    }
    return w
