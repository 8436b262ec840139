"""Clinic sessions for the demo province (only the demo seed calls this): in 桐庐 (the tenant whose
admin exists), this week's sessions for the first departments with staff, one of them already
stopped through an approved 停诊, so the lobby screen and the feed show both states.
Written once: a tenant that already has sessions is left alone."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string


def seed_tenant(admin) -> int:
    from jianlian.org.models import DepartmentMembership
    from modules.clinics import changes, services
    from modules.clinics.models import Session

    if Session.objects.exists():
        return 0
    today = timezone.localdate()
    rows = (DepartmentMembership.objects.filter(staff__user_id__isnull=False).order_by("department_id", "staff__staff_no")
            .values_list("department_id", "staff__user_id"))
    by_dept: dict[int, list[int]] = {}
    for dept_id, user_id in rows:
        by_dept.setdefault(dept_id, []).append(user_id)
    made = []
    with transaction.atomic():
        for n, (dept_id, people) in enumerate(list(by_dept.items())[:4]):
            for d in range(7):
                day = today + dt.timedelta(days=d)
                for h, half in enumerate(("am", "pm")):
                    doctor = people[(d + h) % len(people)]
                    made.append(services.create_session(admin, department_id=dept_id, day=day, half=half, doctor_id=doctor,
                                                        room=f"{n + 1}{h + 1}{d % 3 + 1}诊室", quota=30 - 10 * h,
                                                        doctor_title="主任医师" if (d + h) % 3 == 0 else "主治医师"))
        if made:
            approve = import_string("modules.approvals.hooks.approve_owned")
            change = changes.request(admin, session_id=made[0].pk, kind="stop", reason="外出会诊",
                                     head_ids=[admin.pk], office_ids=[admin.pk])
            approve(admin, change.approval_id, "同意")
            approve(admin, change.approval_id, "同意")
    return len(made)


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
    for key in ("approvals", "clinics"):
        if not is_installed(tenant, key):
            install(None, tenant, key)
    role = Role.objects.filter(code="clinic_scheduler", tenant=tenant).first()
    if role:
        RoleGrant.objects.get_or_create(user=admin, role=role, node=tenant.org_unit)
    with tenant_context(tenant):
        made = seed_tenant(admin)
    if made:
        say(f"门诊排班：生成 {made} 个出诊（大厅屏 /t/tonglu/apps/clinics/lobby/）。")
    return made
