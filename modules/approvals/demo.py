"""Approvals for the demo province (only the demo seed calls this): in every tenant with the app,
a handful of instances in every state — running, approved, rejected, withdrawn, returned — so a
fresh `make run` shows tonglu_staff (赵敏) a submitted leave request and its approver (her
department's head, tonglu_doctor 杨文斌) a waiting task. Written once: a tenant that already
has instances is left alone."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from jianlian.identity.models import User
from jianlian.org.models import Department, DepartmentMembership, StaffProfile, StaffStatus


def _leave(days_from_now: int, days: int, kind="年假", reason="家中有事") -> dict:
    start = timezone.localdate() + dt.timedelta(days=days_from_now)
    return {"leaveType": kind, "range": {"start": start.isoformat(), "end": (start + dt.timedelta(days=days - 1)).isoformat()},
            "reason": reason}


def _task(inst, user_id=None):
    from modules.approvals.models import Task

    qs = Task.objects.filter(instance=inst, status="pending")
    return qs.filter(assignee_id=user_id).first() if user_id else qs.first()


def _act(inst, verb, **kw):
    from modules.approvals import actions

    task = _task(inst)
    if task is None:
        return
    user = User.objects.get(pk=task.assignee_id)
    getattr(actions, verb)(user, task.pk, **kw)


def _pair(tenant) -> tuple[User, User] | None:
    """A submitter and the head who approves them: tonglu_staff and tonglu_doctor in 桐庐 (made
    her department's head if need be), elsewhere the first staff member under a head."""
    if tenant.slug == "tonglu":
        staff = User.objects.filter(username="tonglu_staff").first()
        doctor = User.objects.filter(username="tonglu_doctor").first()
        sp = StaffProfile.objects.filter(user_id=getattr(staff, "pk", None)).first()
        dp = StaffProfile.objects.filter(user_id=getattr(doctor, "pk", None)).first()
        link = DepartmentMembership.objects.filter(staff=sp, is_primary=True).first() if sp else None
        if link and dp:
            Department.objects.filter(pk=link.department_id).update(head=dp)
            return staff, doctor
    for dept in Department.objects.filter(head__isnull=False, head__status=StaffStatus.ACTIVE).select_related("head"):
        member = (StaffProfile.objects.filter(department_links__department=dept, department_links__is_primary=True,
                                              status=StaffStatus.ACTIVE).exclude(pk=dept.head_id).first())
        if member:
            return User.objects.get(pk=member.user_id), User.objects.get(pk=dept.head.user_id)
    return None


def seed_tenant(tenant) -> int:
    from modules.approvals import actions
    from modules.approvals.models import Instance, Template

    if Instance.objects.exists():
        return 0
    pair = _pair(tenant)
    if pair is None:
        return 0
    staff, head = pair
    t = {x.key: x for x in Template.objects.all()}
    with transaction.atomic():
        running = actions.submit(staff, t["leave"].pk, _leave(3, 2, reason="孩子学校家长会，需请假两天"))
        done = actions.submit(staff, t["overtime"].pk, {"date": timezone.localdate().isoformat(), "hours": 3,
                                                        "reason": "急诊夜班支援"})
        _act(done, "approve", comment="同意，注意休息")
        rejected = actions.submit(staff, t["purchase"].pk, {"item": "电动护理床", "quantity": 2, "budget": 16800,
                                                            "reason": "病区护理床老化"})
        _act(rejected, "reject", comment="本季度预算已用完，请下季度申请")
        withdrawn = actions.submit(staff, t["vehicle"].pk, {"date": timezone.localdate().isoformat(),
                                                            "destination": "县疾控中心", "passengers": 3, "reason": "送检样本"})
        actions.withdraw(staff, withdrawn.pk, reason="改为快递送检")
        returned = actions.submit(staff, t["seal"].pk, {"sealType": "院章", "document": "进修推荐函", "copies": 1,
                                                        "reason": "外出进修"})
        task = _task(returned)
        if task is not None:
            actions.return_to(User.objects.get(pk=task.assignee_id), task.pk, "start", comment="请附上推荐函原文")
        mine = actions.submit(head, t["business_trip"].pk, {"destination": "杭州", "range": _leave(7, 3)["range"],
                                                            "reason": "参加省医学会年会", "budget": 2600})
    return Instance.objects.filter(pk__in=[running.pk, done.pk, rejected.pk, withdrawn.pk, returned.pk, mine.pk]).count()


def seed(say=print) -> int:
    """Every tenant with the app installed, once."""
    from jianlian.marketplace.services import is_installed
    from tenants.context import tenant_context
    from tenants.models import Tenant

    made = 0
    for tenant in Tenant.objects.select_related("org_unit").order_by("pk"):
        if not is_installed(tenant, "approvals"):
            continue
        with tenant_context(tenant):
            made += seed_tenant(tenant)
    if made:
        say(f"审批：生成 {made} 条演示审批单。")
    return made
