"""The one permission check, used by GraphQL, the admin, commands and tasks.

`has_perm(user, code, target)`: does `user` hold permission `code` at `target` (an org unit, a
tenant, or an object with `org_unit`/`unit`)? A role granted at a node covers the node's whole
subtree (MPTT interval containment). The user's grants are loaded once and cached on the user
object, so a request that checks many objects runs one query.
"""

from __future__ import annotations

from dataclasses import dataclass

from jianlian.hierarchy.models import OrgUnit


@dataclass(frozen=True)
class _Grant:
    perms: frozenset
    tree_id: int
    lft: int
    rght: int
    node_id: int

    def covers(self, node: OrgUnit) -> bool:
        return self.tree_id == node.tree_id and self.lft <= node.lft and node.rght <= self.rght


def _grants(user) -> list[_Grant]:
    cached = getattr(user, "_jl_grants", None)
    if cached is None:
        from jianlian.access.models import RoleGrant

        rows = RoleGrant.objects.filter(user_id=user.pk).values_list(
            "role__permissions", "node__tree_id", "node__lft", "node__rght", "node_id"
        )
        cached = [_Grant(frozenset(p), t, l, r, n) for p, t, l, r, n in rows]
        user._jl_grants = cached
    return cached


def forget(user) -> None:
    """Drop the cached grants (after granting or revoking)."""
    user.__dict__.pop("_jl_grants", None)


def node_of(target) -> OrgUnit | None:
    if target is None:
        return None
    if isinstance(target, OrgUnit):
        return target
    for attr in ("org_unit", "unit", "node"):
        node = getattr(target, attr, None)
        if isinstance(node, OrgUnit):
            return node
    raise TypeError(f"has_perm cannot place {type(target).__name__} in the hierarchy")


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and getattr(user, "status", "active") == "active")


def has_perm(user, code: str, target) -> bool:
    """True when `user` holds `code` at `target` or at one of its ancestors."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    node = node_of(target)
    if node is None:
        return False
    if getattr(user, "is_app", False):  # an external app's token: its granted permissions, its tenant only
        return user.allows(code, node)
    return any(code in g.perms and g.covers(node) for g in _grants(user))


def has_perm_anywhere(user, code: str) -> bool:
    """True when `user` holds `code` somewhere (to decide whether to show a menu, never to
    authorise an action on an object)."""
    if not _active(user):
        return False
    if getattr(user, "is_app", False):
        return code in user.permissions
    return user.is_superuser or any(code in g.perms for g in _grants(user))


def permissions_at(user, node: OrgUnit) -> set[str]:
    """The codes `user` holds over all of `node` (granted there or above): what a menu of a
    workspace whose unit is `node` may offer for the whole of it."""
    if not _active(user) or node is None:
        return set()
    if user.is_superuser:
        from jianlian.access.permissions import REGISTRY

        return set(REGISTRY)
    if getattr(user, "is_app", False):
        return {c for c in user.permissions if user.allows(c, node)}
    return {c for g in _grants(user) if g.covers(node) for c in g.perms}


def permissions_within(user, node: OrgUnit) -> set[str]:
    """The codes `user` holds at `node`, above it or at some unit below it: a page that serves
    a part of the workspace (one's own unit) may show for these."""
    if not _active(user) or node is None:
        return set()
    if user.is_superuser or getattr(user, "is_app", False):
        return permissions_at(user, node)
    inside = [g for g in _grants(user) if g.covers(node) or (
        g.tree_id == node.tree_id and node.lft <= g.lft and g.rght <= node.rght)]
    return {c for g in inside for c in g.perms}


def scope_nodes(user, code: str):
    """The org units where `user` holds `code`, for filtering lists: a queryset of the subtrees."""
    if user.is_superuser:
        return OrgUnit.objects.all()
    if getattr(user, "is_app", False):
        if not (_active(user) and code in user.permissions):
            return OrgUnit.objects.none()
        return user.installation.tenant.org_unit.get_descendants(include_self=True)
    grants = [g for g in _grants(user) if code in g.perms] if _active(user) else []
    if not grants:
        return OrgUnit.objects.none()
    from django.db.models import Q

    q = Q()
    for g in grants:
        q |= Q(tree_id=g.tree_id, lft__gte=g.lft, rght__lte=g.rght)
    return OrgUnit.objects.filter(q)


def can_enter_tenant(user, tenant) -> bool:
    """A member of the tenant, or someone who manages tenants above it (the province console)."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if getattr(user, "is_app", False):
        return tenant.pk == user.tenant_id
    from jianlian.access.models import Membership

    member = getattr(tenant, "members_known", {}).get(user.pk)  # answered with the tenant's look-up
    if member is None:
        member = Membership.objects.filter(user_id=user.pk, tenant_id=tenant.pk, is_active=True).exists()
    return member or has_perm(user, "platform.manage_tenants", tenant.org_unit)


def membership_exists(user):
    """An expression for a tenant query: is `user` an active member of the row's tenant."""
    from django.db.models import Exists, OuterRef

    from jianlian.access.models import Membership

    return Exists(Membership.objects.filter(user_id=user.pk, tenant_id=OuterRef("pk"), is_active=True))


def holds_any_grant_outside_tenants(user) -> bool:
    """Supervisors and province staff work on authority nodes, not inside a tenant."""
    from jianlian.hierarchy.models import AUTHORITY_LEVELS

    node_ids = [g.node_id for g in _grants(user)]
    return bool(node_ids) and OrgUnit.objects.filter(pk__in=node_ids, level__in=AUTHORITY_LEVELS).exists()
