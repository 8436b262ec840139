"""Payslips for the demo province (only the demo seed calls this): the app is installed in every
hospital tenant; in 桐庐 the tenant admin (tonglu_admin) is the payroll office, and last month's
batch is published to the staff of the lead hospital, so tonglu_staff finds a payslip to open.
Written once: a tenant that already has a batch is left alone."""

from __future__ import annotations

import io

from django.utils import timezone


def _workbook(staff) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["工号", "姓名", "基本工资", "绩效工资", "津贴补贴", "个人所得税", "实发合计"])
    for n, (no, name) in enumerate(staff):
        base, perf, extra = 5200 + 100 * (n % 7), 3800 + 150 * (n % 5), 600
        tax = round((base + perf + extra - 5000) * 0.03, 2)
        ws.append([no, name, base, perf, extra, tax, round(base + perf + extra - tax, 2)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def seed_tenant(tenant, admin) -> int:
    from jianlian.org.models import StaffProfile, StaffStatus
    from modules.payslips import importer, services
    from modules.payslips.models import Batch

    if Batch.objects.exists() or admin is None:
        return 0
    staff = list(StaffProfile.objects.exclude(status=StaffStatus.LEFT).filter(unit_id=tenant.org_unit_id)
                 .exclude(staff_no="").order_by("staff_no").values_list("staff_no", "name")[:200])
    if not staff:
        return 0
    last = (timezone.localdate().replace(day=1) - timezone.timedelta(days=1)).strftime("%Y-%m")
    report = importer.import_batch(admin, _workbook(staff), month=last, mode="valid_only")
    if report.batch is not None:
        services.publish(admin, report.batch.pk)
    return report.created


DEMO_TENANTS = 3  # 桐庐 and a couple more


def seed(say=print) -> int:
    """桐庐 and a couple of other tenants: install the app (once), make tonglu_admin the payroll
    office of 桐庐, then last month's batch published."""
    from jianlian.access.models import Role, RoleGrant
    from jianlian.identity.models import User
    from jianlian.marketplace.services import install, is_installed
    from tenants.context import tenant_context
    from tenants.models import Tenant

    made = 0
    tenants = sorted(Tenant.objects.select_related("org_unit").order_by("pk"), key=lambda t: t.slug != "tonglu")
    admin = User.objects.filter(username="tonglu_admin").first()
    for tenant in tenants[:DEMO_TENANTS]:
        if not is_installed(tenant, "payslips"):
            try:
                install(None, tenant, "payslips")
            except Exception as e:  # noqa: BLE001 — a tenant that cannot take it is skipped, not the whole seed
                say(f"工资条：{tenant.slug} 未安装（{e}）。")
                continue
        role = Role.objects.filter(code="payroll_office", tenant=tenant).first()
        if tenant.slug == "tonglu" and admin and role:
            RoleGrant.objects.get_or_create(user=admin, role=role, node=tenant.org_unit)
            with tenant_context(tenant):
                made += seed_tenant(tenant, admin)
    if made:
        say(f"工资条：发布 {made} 张工资条。")
    return made
