"""Clinic sessions: who may edit them (`clinics.manage` at the tenant's unit), creating one, the
week of a department, and what the public sees (lobby screen, website feed): every session of a
day with its state — a 停诊 or 替诊 shows only once its approval has finished approved, because
only then does the session itself change (changes.py)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from jianlian.access.checks import has_perm
from jianlian.access.helpers import require_tenant
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, NotFoundError, PermissionDeniedError
from modules.clinics.models import Half, Session

MANAGE = "clinics.manage"


def is_scheduler(user) -> bool:
    return getattr(user, "pk", None) is not None and has_perm(user, MANAGE, require_tenant().org_unit)


def require_scheduler(user) -> None:
    if not is_scheduler(user):
        raise PermissionDeniedError()


def is_member(user) -> bool:
    from jianlian.access.models import Membership

    return getattr(user, "pk", None) is not None and Membership.objects.filter(
        tenant=require_tenant(), user_id=user.pk, is_active=True).exists()


def department(department_id: int):
    from jianlian.org.models import Department

    dept = Department.objects.filter(pk=department_id, is_active=True).first()
    if dept is None:
        raise NotFoundError(_("科室不存在。"), field="department")
    return dept


def person_name(user_id: int) -> str:
    from jianlian.identity.models import User

    u = User.objects.filter(pk=user_id).first()
    if u is None:
        raise NotFoundError(_("医生不存在。"), field="doctor")
    return (u.real_name or u.get_username())[:60]


def check_fields(*, half: str, room: str, quota: int) -> None:
    if half not in Half.values:
        raise DomainError("CLINICS_BAD_SESSION", _("时段须为上午或下午。"), "half")
    if len(room or "") > 30:
        raise DomainError("CLINICS_BAD_SESSION", _("诊室最多30个字。"), "room")
    if not 0 <= int(quota) <= 500:
        raise DomainError("CLINICS_BAD_SESSION", _("号源须在0到500之间。"), "quota")


def create_session(actor, *, department_id: int, day: dt.date, half: str, doctor_id: int, room: str = "",
                   quota: int = 0, doctor_title: str = "") -> Session:
    require_scheduler(actor)
    check_fields(half=half, room=room, quota=quota)
    dept = department(department_id)
    try:
        with transaction.atomic():
            s = Session.objects.create(department_id=dept.pk, department_name=dept.name, day=day, half=half,
                                       doctor_id=doctor_id, doctor_name=person_name(doctor_id),
                                       doctor_title=(doctor_title or "")[:20], room=(room or "").strip(), quota=quota)
    except IntegrityError:
        raise DomainError("CLINICS_DUPLICATE", _("该医生在这个科室的这个时段已有出诊。"), "doctor") from None
    audit.record("clinics.session", actor=actor, object_type="clinics.session", object_id=str(s.pk),
                 after={"day": day.isoformat(), "half": half})
    return s


def week_of(department_id: int | None, start: dt.date):
    """Sessions of the 7 days from `start` (one department, or all)."""
    qs = Session.objects.filter(day__gte=start, day__lt=start + dt.timedelta(days=7))
    return qs.filter(department_id=department_id) if department_id else qs


def public_rows(day: dt.date) -> list[dict]:
    """What the lobby screen and the website show for a day: no ids of people, only names."""
    return [{"department": s.department_name, "half": s.half, "halfLabel": str(s.get_half_display()),
             "doctor": s.doctor_name, "title": s.doctor_title, "room": s.room, "quota": s.quota,
             "status": s.status, "statusLabel": str(s.get_status_display()), "substituteFor": s.substitute_for}
            for s in Session.objects.filter(day=day)]
