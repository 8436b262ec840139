"""The staff union for the demo province (only the demo seed calls this): installed in 桐庐,
a union whose sub-unions follow the lead hospital's top department groups and whose groups follow
the departments under them; every active staff member a member; tonglu_admin the union
administrator and tonglu_doctor (杨文斌) chair of his sub-union; two weeks of check-ins and
steps for the charts; a running activity that is already full (with a waiting list) and a welfare
campaign with choices, women's-health articles and a green-channel coordinator — so a fresh `make run` shows a lively union. Written once."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone


def seed_tenant(tenant, admin, chair_user) -> int:
    from jianlian.org.models import Department, DepartmentMembership, StaffProfile, StaffStatus
    from modules.union import activities, confidential, membership, welfare
    from modules.union.models import CheckIn, Member, NodeKind, PointEntry, StepCount, UnionNode

    if UnionNode.objects.exists():
        return 0
    rng = random.Random(19)
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        root = membership.create_node(None, name=f"{tenant.org_unit.name}工会")
        tops = list(Department.objects.filter(parent__isnull=True, unit_id=tenant.org_unit_id).order_by("lft")[:10])
        subs = []
        for i, dept in enumerate(tops):
            sub = membership.create_node(None, name=f"{dept.name}分工会", parent_id=root.pk, department_id=dept.pk, sort=i)
            subs.append(sub)
            for j, child in enumerate(dept.get_children().order_by("lft")[:4]):
                membership.create_node(None, name=f"{child.name}小组", parent_id=sub.pk, department_id=child.pk, sort=j)
        if not subs:
            subs.append(membership.create_node(None, name="综合分工会", parent_id=root.pk))
        by_dept = membership._nodes_by_department()
        primary = dict(DepartmentMembership.objects.filter(is_primary=True).values_list("staff__user_id", "department_id"))
        members = []
        for s in StaffProfile.objects.filter(status=StaffStatus.ACTIVE).order_by("pk")[:2000]:
            node = by_dept.get(primary.get(s.user_id)) or subs[s.pk % len(subs)]
            members.append(Member(user_id=s.user_id, name=s.name, node=node, path=node.path, joined_at=now - dt.timedelta(days=20)))
        Member.objects.bulk_create(members, ignore_conflicts=True)
        members = list(Member.objects.select_related("node"))
        chair_member = next((m for m in members if m.user_id == getattr(chair_user, "pk", None)), None)
        chair_node = UnionNode.objects.get(path="/".join(chair_member.path.split("/")[:3]) + "/") if chair_member else subs[0]
        if chair_user is not None:
            membership.set_officer(None, chair_node.pk, chair_user.pk, title="分工会主席")
        checkins, ledger, steps = [], [], []
        for m in members:
            streak = 0
            for back in range(13, -1, -1):
                day = today - dt.timedelta(days=back)
                if back == 0 or rng.random() > 0.35 + 0.3 * (m.node_id % 3) / 2:
                    streak = 0 if back == 0 else streak + 1
                    if back == 0:
                        continue  # today's check-in is left to the person
                    checkins.append(CheckIn(member=m, day=day, streak=streak))
                    ledger.append(PointEntry(member=m, rule="check_in", points=5, key=f"checkin:{m.pk}:{day.isoformat()}",
                                             note="每日签到"))
                else:
                    streak = 0
            steps.append(StepCount(member=m, day=today, steps=rng.randint(1500, 16000)))
        CheckIn.objects.bulk_create(checkins, batch_size=5000)
        PointEntry.objects.bulk_create(ledger, batch_size=5000)
        from modules.union import points

        points.recount()
        StepCount.objects.bulk_create(steps, batch_size=5000)
        start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=3), dt.time(14)))
        run = activities.create_activity(None, chair_node.pk, title="职工健步走（钱塘江绿道）", start_at=start,
                                         end_at=start + dt.timedelta(hours=3), quota=8, place="富春江滨江绿道南门",
                                         description="全程约8公里，完成即可获得积分。",
                                         form=[{"key": "size", "label": "T恤尺码", "required": True, "options": ["S", "M", "L", "XL"]}])
        from modules.union.activity_models import Signup

        branch = [m for m in members if m.path.startswith(chair_node.path) and m.user_id != getattr(chair_user, "pk", None)]
        Signup.objects.bulk_create([Signup(activity=run, member=m, status="confirmed" if i < 8 else "waiting",
                                           answers={"size": "M"}) for i, m in enumerate(branch[:10])])
        campaign = welfare.create_campaign(None, root.pk, title="春节慰问品（每人一份）",
                                           closes_at=now + dt.timedelta(days=10), description="请在截止前选择，可随时更改。",
                                           options=[{"name": "五常大米礼盒 10kg", "supplier": "富春粮油"},
                                                    {"name": "坚果礼盒", "supplier": "桐君堂食品"},
                                                    {"name": "山茶油礼盒 2L", "supplier": "富春粮油"}])
        from modules.union.welfare_models import WelfareChoice

        options = list(campaign.options.order_by("sort"))
        WelfareChoice.objects.bulk_create([WelfareChoice(campaign=campaign, member=m, option=rng.choice(options))
                                           for m in members[: len(members) // 2]
                                           if m.user_id != getattr(chair_user, "pk", None)])
        from modules.union import demo_care

        demo_care.seed(rng, root, chair_node, chair_user, members)
        demo_care.seed_womens_health(admin, chair_user, members)
        from modules.union import demo_extras

        demo_extras.seed(rng, root, chair_user, members, run)
        if admin is not None:
            confidential.add_counsellor(None, admin.pk, "legal", intro="劳动合同与医疗纠纷咨询")
            _seed_legal_help(admin, members)
        return len(members) + len(checkins)


def _seed_legal_help(lawyer, members) -> None:
    """法律帮扶 in use: tonglu_staff asked and was answered; another member's request awaits the
    lawyer (tonglu_admin) on the counselling desk."""
    from jianlian.identity.models import User
    from modules.union import confidential

    users = User.objects.in_bulk([m.user_id for m in members if m.user_id != lawyer.pk])
    askers = sorted(users.values(), key=lambda u: (u.username != "tonglu_staff", u.pk))[:2]
    if len(askers) < 2:
        return
    answered = confidential.submit(askers[0], "legal", subject="劳动合同续签",
                                   text="合同下月到期，科室说不再续签，我能拿到经济补偿吗？")
    confidential.reply(lawyer, answered.pk, "非本人原因不续签的，按工作年限支付经济补偿，每满一年一个月工资。可带合同来工会面谈。")
    confidential.submit(askers[1], "legal", subject="夜班补贴", text="去年的夜班补贴一直没有发，想了解怎么维权。")


def seed(say=print) -> int:
    """桐庐 only, once: install, grant tonglu_admin the union administrator role, then the union."""
    from jianlian.access.models import Role, RoleGrant
    from jianlian.identity.models import User
    from jianlian.marketplace import services as market
    from tenants.context import tenant_context
    from tenants.models import Tenant

    tenant = Tenant.objects.select_related("org_unit").filter(slug="tonglu").first()
    if tenant is None:
        return 0
    if not market.is_installed(tenant, "union"):
        market.install(None, tenant, "union")
    admin = User.objects.filter(username="tonglu_admin").first()
    role = Role.objects.filter(code="union_admin", tenant=tenant).first()
    if admin and role:
        RoleGrant.objects.get_or_create(user=admin, role=role, node=tenant.org_unit)
    with tenant_context(tenant):
        made = seed_tenant(tenant, admin, User.objects.filter(username="tonglu_doctor").first())
    if made:
        say(f"工会云：桐庐工会（分工会、小组、会员、签到、进行中的活动与福利选择）共 {made} 条。")
    return made
