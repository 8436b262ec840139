"""Supervision's feed into the platform's to-do centre: a report waiting for approval is on the
list of the next level's approvers (in the tenant where their role lives) and off everyone else's
on its chain. Called by every approval step (`actions._step`), inside its transaction."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from modules.supervision.models import Approval, Step
from modules.supervision.periods import Period
from modules.supervision.placement import chain_at


def feed(approval: Approval, period: Period | None) -> None:
    from jianlian import todos
    from jianlian.access.models import RoleGrant
    from tenants.context import tenant_context

    unit, month = approval.unit, approval.period
    label = period.label if period else month.strftime("%Y-%m")
    chain = chain_at(unit, month)
    following = [n for s, n in chain if s > approval.step] if approval.step >= Step.SUBMITTED else []
    key = f"supervision:approval:{approval.pk}"
    for _step_no, node in chain:
        by_tenant = defaultdict(set)
        for g in RoleGrant.objects.select_related("role__tenant").filter(
                node=node, role__permissions__contains=["supervision.approve"]):
            if g.role.tenant is not None:  # the province console has no to-do list
                by_tenant[g.role.tenant].add(g.user_id)
        for tenant, users in by_tenant.items():
            with tenant_context(tenant):
                if following and node.pk == following[0].pk:
                    todos.create_todo(users, source="supervision", kind="approve", key=key, link="/supervision/approval",
                                      title=_("监管数据待审核：%(unit)s %(period)s") % {"unit": unit.name, "period": label},
                                      summary=approval.data_set.name)
                else:
                    todos.complete_todo(key, user_ids=users)
