"""Duty roster actions: shift types, a department's month edited cell by cell (the grid), publish
(each person on it is notified), each person's shifts, and the calendar source the meetings feed
reads (manifest `calendar_sources`). Schedulers hold `rosters.manage` at the tenant's unit; a
published roster is readable by every member of the tenant."""

from __future__ import annotations

import calendar as cal
import datetime as dt
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from jianlian.access.checks import has_perm
from jianlian.access.helpers import require_tenant
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, NotFoundError, PermissionDeniedError
from modules.rosters.models import Entry, Roster, RosterStatus, ShiftType

MANAGE = "rosters.manage"
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_COLORS = {"blue", "green", "orange", "purple", "red", "cyan", "gold", "magenta"}


def is_scheduler(user) -> bool:
    return getattr(user, "pk", None) is not None and has_perm(user, MANAGE, require_tenant().org_unit)


def require_scheduler(user) -> None:
    if not is_scheduler(user):
        raise PermissionDeniedError()


def is_member(user) -> bool:
    from jianlian.access.models import Membership

    return getattr(user, "pk", None) is not None and Membership.objects.filter(
        tenant=require_tenant(), user_id=user.pk, is_active=True).exists()


def days_of(month: str) -> list[dt.date]:
    if not _MONTH.match(month or ""):
        raise DomainError("ROSTERS_BAD_MONTH", _("月份格式须为 2026-12。"), "month")
    y, m = (int(x) for x in month.split("-"))
    return [dt.date(y, m, d) for d in range(1, cal.monthrange(y, m)[1] + 1)]


def create_shift_type(actor, *, code: str, name: str, start: dt.time, end: dt.time, color: str = "blue") -> ShiftType:
    require_scheduler(actor)
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise DomainError("REQUIRED", _("请填写班次代码和名称。"), "code" if not code else "name")
    if len(code) > 8 or len(name) > 20:
        raise DomainError("TOO_LONG", _("代码最多8个字符，名称最多20个字。"), "code" if len(code) > 8 else "name")
    if color not in _COLORS:
        raise DomainError("INVALID", _("颜色不在可选范围内。"), "color")
    if start == end:
        raise DomainError("INVALID", _("班次的开始和结束不能相同。"), "end")
    if ShiftType.objects.filter(code=code).exists():
        raise DomainError("ROSTERS_DUPLICATE", _("班次代码已存在。"), "code")
    shift = ShiftType.objects.create(code=code, name=name, start=start, end=end, color=color)
    audit.record("rosters.shift_type", actor=actor, object_type="rosters.shifttype", object_id=str(shift.pk), after={"code": code})
    return shift


def department_staff(department_id: int) -> dict[int, str]:
    """user id → name of the department's active staff (primary or not)."""
    from jianlian.org.models import DepartmentMembership, StaffStatus

    return dict(DepartmentMembership.objects.filter(department_id=department_id).exclude(staff__status=StaffStatus.LEFT)
                .order_by("staff__staff_no").values_list("staff__user_id", "staff__name"))


def _department(department_id: int):
    from jianlian.org.models import Department

    dept = Department.objects.filter(pk=department_id).first()
    if dept is None:
        raise NotFoundError(_("科室不存在。"), field="department")
    return dept


def roster_of(user, department_id: int, month: str) -> Roster | None:
    """The month's roster of a department: schedulers see drafts too, members the published one."""
    days_of(month)
    r = Roster.objects.filter(department_id=department_id, month=month).first()
    if r is None:
        return None
    if is_scheduler(user) or (r.status == RosterStatus.PUBLISHED and is_member(user)):
        return r
    return None


def set_cells(actor, department_id: int, month: str, cells: list[dict]) -> Roster:
    """Write cells of the grid: each {user_id, day, shift_id or None (clears it)}. Everyone must
    be staff of the department and every day in the month; nothing is written when one is wrong."""
    require_scheduler(actor)
    days = set(days_of(month))
    dept = _department(department_id)
    staff = department_staff(dept.pk)
    shifts = {s.pk: s for s in ShiftType.objects.filter(is_active=True)}
    for n, c in enumerate(cells):
        if c["user_id"] not in staff:
            raise DomainError("ROSTERS_NOT_IN_DEPARTMENT", _("第%(n)s格：此人不是本科室人员。") % {"n": n + 1}, "cells")
        if c["day"] not in days:
            raise DomainError("ROSTERS_BAD_DAY", _("第%(n)s格：日期不在该月内。") % {"n": n + 1}, "cells")
        if c.get("shift_id") is not None and c["shift_id"] not in shifts:
            raise DomainError("ROSTERS_BAD_SHIFT", _("第%(n)s格：班次不存在或已停用。") % {"n": n + 1}, "cells")
    with transaction.atomic():
        roster, _made = Roster.objects.get_or_create(department_id=dept.pk, month=month, defaults={"department_name": dept.name})
        roster = Roster.objects.select_for_update().get(pk=roster.pk)
        for c in cells:
            Entry.objects.filter(roster=roster, user_id=c["user_id"], day=c["day"]).delete()
        Entry.objects.bulk_create([Entry(roster=roster, user_id=c["user_id"], name=staff[c["user_id"]], day=c["day"],
                                         shift_id=c["shift_id"]) for c in cells if c.get("shift_id") is not None])
        roster.save(update_fields=["updated_at"])
        audit.record("rosters.edit", actor=actor, object_type="rosters.roster", object_id=str(roster.pk), after={"cells": len(cells)})
    return roster


def publish(actor, roster_id: int) -> Roster:
    """The roster goes out (again): everyone on it is notified and sees it in their calendar."""
    from jianlian.notifications import services as notes

    require_scheduler(actor)
    with transaction.atomic():
        roster = Roster.objects.select_for_update().filter(pk=roster_id).first()
        if roster is None:
            raise NotFoundError(_("排班表不存在。"), field="roster")
        people = sorted(set(roster.entries.values_list("user_id", flat=True)))
        if not people:
            raise DomainError("ROSTERS_EMPTY", _("排班表是空的，不能发布。"), "roster")
        again = roster.status == RosterStatus.PUBLISHED
        roster.status, roster.published_at = RosterStatus.PUBLISHED, timezone.now()
        roster.save(update_fields=["status", "published_at"])
        notes.notify(people, sender_name=_("排班"), body=_("请在“我的排班”中查看。"), link="/rosters/mine",
                     title=lambda: (_g("%(dept)s %(month)s 排班已更新") if again else _g("%(dept)s %(month)s 排班已发布")) % {
                         "dept": roster.department_name, "month": roster.month})
        audit.record("rosters.publish", actor=actor, object_type="rosters.roster", object_id=str(roster.pk), after={"people": len(people)})
    return roster


def shifts_of(user_id: int, lo: dt.date, hi: dt.date):
    """A person's shifts on published rosters, days in [lo, hi)."""
    return (Entry.objects.filter(user_id=user_id, day__gte=lo, day__lt=hi, roster__status=RosterStatus.PUBLISHED)
            .select_related("shift", "roster").order_by("day", "shift__start"))


def calendar_events(user_id: int, lo: dt.datetime, hi: dt.datetime) -> list[dict]:
    """The manifest's `calendar_sources` entry: the person's shifts as calendar events."""
    out = []
    for e in shifts_of(user_id, lo.date() - dt.timedelta(days=1), hi.date() + dt.timedelta(days=1)):
        start, end = e.shift.span(e.day)
        if start < hi and end > lo:
            out.append({"uid": f"roster-{e.pk}@jianlian", "start": start, "end": end,
                        "summary": f"{e.shift.name}（{e.roster.department_name}）", "location": e.roster.department_name})
    return out
