"""Role management inside a tenant: which roles its admins may hand out, who holds them, and the
grant and revoke actions (`platform.manage_roles` at the tenant; audited in the tenant's chain).

Grantable roles are the tenant's own `Role` rows: the platform's per-tenant built-ins (seeded at
provisioning) and the default roles of the apps installed here (seeded at install, see
`jianlian.marketplace.services._seed_roles`). Province-wide roles (supervisors) are never handed
out from inside a tenant. A role is granted at a unit of the tenant's subtree, to a person with an
active membership in the tenant; it covers that unit's subtree (`jianlian.access.checks`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jianlian.audit import service as audit
from jianlian.access.checks import forget
from jianlian.access.helpers import access_current_tenant
from jianlian.access.models import Membership, Role, RoleGrant
from jianlian.access.permissions import BUILTIN_BY_CODE, REGISTRY
from jianlian.core.errors import DomainError, NotFoundError

MANAGE_ROLES = "platform.manage_roles"


@dataclass(frozen=True)
class RoleSource:
    """Where a role comes from: the platform, or an installed app (its key and names)."""

    key: str
    name_zh: str
    name_en: str


PLATFORM = RoleSource("platform", "平台", "Platform")


def _sources(tenant) -> dict[str, RoleSource]:
    """Role code → the installed app that defines it (codes of uninstalled apps are absent)."""
    from jianlian.marketplace import manifest
    from jianlian.marketplace.services import installed_keys

    found = {}
    for key in sorted(installed_keys(tenant)):
        m = manifest.get(key)
        for spec in (m.default_roles if m else ()):
            found.setdefault(spec.code, RoleSource(key, m.name_zh, m.name_en))
    return found


def grantable_roles(tenant) -> list[tuple[Role, RoleSource]]:
    """The roles an admin of `tenant` may grant, each with its source: the platform's first,
    then each installed app's, by name."""
    sources = _sources(tenant)
    out = []
    for role in Role.objects.filter(tenant=tenant).order_by("pk"):
        if role.code in sources:
            out.append((role, sources[role.code]))
        elif role.code in BUILTIN_BY_CODE or not role.is_builtin:
            out.append((role, PLATFORM))
    out.sort(key=lambda rs: (rs[1].key != "platform", rs[1].key, rs[0].pk))
    return out


def permission_labels(role: Role) -> list[tuple[str, str]]:
    return [(c, str(REGISTRY[c].label) if c in REGISTRY else c) for c in role.permissions]


def grants_in(tenant, role_ids):
    """The grants of these roles (at units of the tenant), with holder and unit, oldest first."""
    return (RoleGrant.objects.filter(role_id__in=role_ids, node__tree_id=tenant.org_unit.tree_id,
                                     node__lft__gte=tenant.org_unit.lft, node__rght__lte=tenant.org_unit.rght)
            .select_related("user", "node").order_by("granted_at", "pk"))


def grant_role(actor, *, role_id: int, user_id: int, unit_id: int) -> RoleGrant:
    """Grant role `role_id` to person `user_id` at unit `unit_id` of the request's tenant.
    Who: `platform.manage_roles` at the tenant. Audited (`access.grant_role`)."""
    from jianlian.hierarchy.models import OrgUnit

    tenant = access_current_tenant(actor, MANAGE_ROLES)
    roles = {r.pk: (r, s) for r, s in grantable_roles(tenant)}
    if role_id not in roles:
        raise DomainError("ROLE_NOT_GRANTABLE", _("该角色不属于本单位已安装的应用或平台，不能授予。"), "role")
    role, _source = roles[role_id]
    root = tenant.org_unit
    unit = OrgUnit.objects.filter(pk=unit_id, tree_id=root.tree_id, lft__gte=root.lft, rght__lte=root.rght).first()
    if unit is None:
        raise DomainError("UNIT_OUTSIDE_TENANT", _("只能在本单位及其下属单位授予角色。"), "unit")
    if not Membership.objects.filter(user_id=user_id, tenant=tenant, is_active=True).exists():
        raise DomainError("NOT_A_MEMBER", _("此人不是本单位的在职人员，请先办理入职或借调。"), "user")
    with transaction.atomic():
        grant, created = RoleGrant.objects.get_or_create(user_id=user_id, role=role, node=unit)
        if not created:
            raise DomainError("ALREADY_GRANTED", _("此人已在该单位持有这个角色。"), "user")
        audit.record("access.grant_role", actor=actor, target=grant,
                     after={"role": role.code, "role_name": role.name, "user": user_id, "user_name": grant.user.real_name, "unit": unit.pk,
                            "unit_name": unit.name})
    forget(grant.user)
    return grant


def revoke_role(actor, *, grant_id: int) -> None:
    """Take back one grant made in the request's tenant. Who: `platform.manage_roles` at the
    tenant. The last grant of `platform.manage_roles` at the tenant's own unit stays (nobody could
    manage roles any more). Audited (`access.revoke_role`)."""
    tenant = access_current_tenant(actor, MANAGE_ROLES)
    grant = grants_in(tenant, Role.objects.filter(tenant=tenant).values("pk")).filter(pk=grant_id).first()
    if grant is None:
        raise NotFoundError(code="NOT_FOUND", field="grant")
    with transaction.atomic():
        if MANAGE_ROLES in grant.role.permissions and grant.node_id == tenant.org_unit_id:
            others = RoleGrant.objects.filter(
                node=tenant.org_unit, role__permissions__contains=[MANAGE_ROLES], user__is_active=True,
            ).exclude(pk=grant.pk)
            if not others.exists():
                raise DomainError("LAST_ROLE_ADMIN", _("这是本单位最后一个可以管理角色的授权，不能收回。"), "grant")
        audit.record("access.revoke_role", actor=actor, target=grant,
                     before={"role": grant.role.code, "role_name": grant.role.name, "user": grant.user_id,
                             "user_name": grant.user.real_name, "unit": grant.node_id, "unit_name": grant.node.name})
        grant.delete()
    forget(grant.user)
