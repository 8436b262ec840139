"""Referral demo data (never in production: only the demo seed calls this): each lead hospital and
standalone hospital that has the app publishes a receiving desk with daily slots, so a fresh
machine can book a referral at once. A second run finds the desks there and writes nothing."""

from __future__ import annotations

DESKS = (("内科", 20), ("外科", 10), ("康复医学科", 10))


def seed(say) -> int:
    from jianlian.marketplace.services import is_installed
    from modules.referrals.models import Desk
    from modules.referrals.services import set_desk
    from tenants.context import tenant_context
    from tenants.models import Tenant

    created = 0
    for tenant in Tenant.objects.select_related("org_unit"):  # fresh: MPTT intervals moved since creation
        if not is_installed(tenant, "referrals"):
            continue
        with tenant_context(tenant):
            if Desk.objects.filter(unit_id=tenant.org_unit_id).exists():
                continue
            for name, slots in DESKS:
                set_desk(None, unit_id=tenant.org_unit_id, name=name, daily_slots=slots)
                created += 1
    if created:
        say(f"转诊：{created} 个接诊科室已发布号源。")
    return created
