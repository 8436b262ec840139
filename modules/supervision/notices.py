"""Notices of supervision steps to the people who act next, in the schema where their role
lives (a community's data officer in its tenant, a supervisor on the province console)."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _


def notify(node, permission: str, title, body) -> None:
    """Tell the people granted `permission` at `node` (or at any of a list of nodes), in the
    schema where their role lives. `title` and `body` are built in each language when callables
    (the notification centre stores them in Chinese and English)."""
    from jianlian.access.models import RoleGrant
    from jianlian.notifications.services import notify
    from tenants.context import tenant_context

    by_tenant = defaultdict(set)
    for user_id, tenant in ((g.user_id, g.role.tenant) for g in
                            RoleGrant.objects.select_related("role__tenant").filter(
                                node__in=node if isinstance(node, list) else [node], role__permissions__contains=[permission])):
        by_tenant[tenant].add(user_id)
    for tenant, users in by_tenant.items():
        if tenant is None:
            notify(users, sender_name=lambda: _("监管在线"), title=title, body=body)
        else:
            with tenant_context(tenant):
                notify(users, sender_name=lambda: _("监管在线"), title=title, body=body)
