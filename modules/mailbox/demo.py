"""Letters for the demo province (only the demo seed calls this). In 桐庐 (tonglu): an anonymous
staff appeal already answered (its claim code is printed once, as a writer would see it), a named
letter from 杨文斌 waiting for the handler (陈志刚, tonglu_admin, 信箱管理员) and a named one answered
and rated. Written once."""

from __future__ import annotations

from django.db import transaction

from jianlian.identity.models import User

TENANT = "tonglu"


def seed_tenant(tenant, say=print) -> int:
    from modules.mailbox import actions
    from modules.mailbox.models import Letter

    admin = User.objects.filter(username=f"{tenant.slug}_admin").first()
    doctor = User.objects.filter(username=f"{tenant.slug}_doctor").first()
    staff = User.objects.filter(username=f"{tenant.slug}_staff").first()
    if Letter.objects.exists() or not (admin and doctor and staff):
        return 0
    with transaction.atomic():
        appeal, code = actions.submit(staff, kind="appeal", anonymous=True, subject="夜班后次日仍被排白班",
                                      body="急诊科近两个月多次出现夜班后次日又排白班的情况，休息不足，担心影响医疗安全。希望规范排班。")
        actions.reply(admin, appeal.pk, "已转护理部核查急诊科排班，下月起夜班后安排休息一天，请继续关注。")
        actions.submit(doctor, subject="建议增设院内班车",
                       body="新院区与老院区之间往返不便，建议早晚各增设一班院内班车。")
        named, _code = actions.submit(staff, subject="职工食堂晚餐时间", body="希望食堂晚餐延长到19:30，方便下班晚的同事。")
        actions.reply(admin, named.pk, "已与后勤协商，下周起晚餐供应延长至19:30。")
        actions.rate(named, 5)
    say(f"院长信箱：3 封演示来信（匿名诉求的取件码 {code}）。")
    return 3


def seed(say=print) -> int:
    from jianlian.marketplace.services import is_installed
    from tenants.context import tenant_context
    from tenants.models import Tenant

    tenant = Tenant.objects.select_related("org_unit").filter(slug=TENANT).first()
    if tenant is None or not is_installed(tenant, "mailbox"):
        return 0
    with tenant_context(tenant):
        return seed_tenant(tenant, say)
