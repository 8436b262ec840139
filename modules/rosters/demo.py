"""Duty rosters for the demo province (only the demo seed calls this): in 桐庐, tonglu_admin is a
scheduler; three shift types; this month's roster of the first department with staff is
published, so tonglu_staff (when in it) and its nurses see their shifts and the feed carries them.
Written once: a tenant that already has shift types is left alone."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

SHIFTS = (("白", "白班", dt.time(8), dt.time(16), "blue"), ("夜", "夜班", dt.time(16), dt.time(8), "purple"),
          ("行", "行政班", dt.time(8, 30), dt.time(17, 30), "green"))


def seed_tenant(admin) -> int:
    from jianlian.org.models import DepartmentMembership
    from modules.rosters import services
    from modules.rosters.models import ShiftType

    if ShiftType.objects.exists():
        return 0
    with transaction.atomic():
        shifts = [services.create_shift_type(admin, code=c, name=n, start=s, end=e, color=col) for c, n, s, e, col in SHIFTS]
        dept_id = (DepartmentMembership.objects.values_list("department_id", flat=True).order_by("department_id").first())
        if dept_id is None:
            return len(shifts)
        month = timezone.localdate().strftime("%Y-%m")
        people = list(services.department_staff(dept_id))[:12]
        cells = [{"user_id": uid, "day": day, "shift_id": shifts[(i + day.day) % 3].pk}
                 for i, uid in enumerate(people) for day in services.days_of(month) if (i + day.day) % 7 != 0]
        roster = services.set_cells(admin, dept_id, month, cells)
        services.publish(admin, roster.pk)
    return len(shifts) + len(cells)


def seed(say=print) -> int:
    from jianlian.access.models import Role, RoleGrant
    from jianlian.identity.models import User
    from jianlian.marketplace.services import install, is_installed
    from tenants.context import tenant_context
    from tenants.models import Tenant

    tenant = Tenant.objects.select_related("org_unit").filter(slug="tonglu").first()
    admin = User.objects.filter(username="tonglu_admin").first()
    if tenant is None or admin is None:
        return 0
    if not is_installed(tenant, "rosters"):
        install(None, tenant, "rosters")
    role = Role.objects.filter(code="roster_scheduler", tenant=tenant).first()
    if role:
        RoleGrant.objects.get_or_create(user=admin, role=role, node=tenant.org_unit)
    with tenant_context(tenant):
        made = seed_tenant(admin)
    if made:
        say(f"排班：生成 {made} 个班次与排班。")
    return made
