"""Who may see and do what in the union. Each `access_*` helper fetches and checks in one call;
a missing object and a forbidden one answer alike.

- Members: an active `Member` row of the caller (UNION_NOT_MEMBER otherwise).
- Officers manage their node and everything below it — never a sibling's part. Holders of
  `union.manage` at the tenant's unit (the union administrator) manage the whole tree.
- Confidential requests are not here on purpose: confidential.py alone opens them.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jianlian.access.checks import has_perm
from jianlian.core.errors import DomainError, NotFoundError, PermissionDeniedError
from modules.union.models import Member, MemberStatus, Officer, UnionNode

MANAGE = "union.manage"


def tenant():
    from jianlian.access.helpers import require_tenant

    return require_tenant()


def is_admin(user) -> bool:
    if getattr(user, "pk", None) is None:
        return False
    cache = user.__dict__.setdefault("_jl_union_admin", {})
    t = tenant()
    if t.pk not in cache:
        cache[t.pk] = has_perm(user, MANAGE, t.org_unit)
    return cache[t.pk]


def officer_paths(user) -> list[str]:
    """The paths of the subtrees `user` manages ("/" = the whole tree for the administrator)."""
    if is_admin(user):
        return ["/"]
    paths = list(Officer.objects.filter(user_id=user.pk).values_list("node__path", flat=True))
    # a path inside another one adds nothing
    return sorted(p for p in paths if not any(p != q and p.startswith(q) for q in paths))


def manages_path(user, path: str) -> bool:
    return any(path.startswith(p) for p in officer_paths(user))


def is_officer(user) -> bool:
    return bool(officer_paths(user))


def require_officer(user) -> list[str]:
    paths = officer_paths(user)
    if not paths:
        raise PermissionDeniedError(_("只有工会干部可以执行此操作。"))
    return paths


def access_node(user, node_id: int | None, *, manage: bool = True, field: str = "node") -> UnionNode:
    """The node `node_id`, which `user` manages (or, with manage=False, may see: any member)."""
    node = UnionNode.objects.filter(pk=node_id).first() if node_id else None
    if node is None:
        raise NotFoundError(_("工会组织不存在。"), field=field)
    if manage and not manages_path(user, node.path):
        raise PermissionDeniedError(_("您只能管理本级及下级工会组织。"))
    return node


def member_of(user, *, for_update: bool = False) -> Member:
    """The caller's active membership (UNION_NOT_MEMBER otherwise)."""
    qs = Member.objects.select_for_update() if for_update else Member.objects
    member = qs.filter(user_id=getattr(user, "pk", None), status=MemberStatus.ACTIVE).first()
    if member is None:
        raise DomainError("UNION_NOT_MEMBER", _("您还不是工会会员，请先入会。"))
    return member


def access_member(user, member_id: int, *, for_update: bool = False) -> Member:
    """A member whose node `user` manages."""
    qs = Member.objects.select_for_update() if for_update else Member.objects
    member = qs.select_related("node").filter(pk=member_id).first()
    if member is None or not manages_path(user, member.path):
        raise NotFoundError(_("会员不存在或不在您管理的工会组织内。"), field="member")
    return member


def scope_q(user) -> Q:
    """Rows (with a `node`) the user sees: of their member node or its ancestors, or under a node they manage."""
    member = Member.objects.filter(user_id=getattr(user, "pk", None), status=MemberStatus.ACTIVE).first()
    q = Q(node_id__in=[int(x) for x in member.path.strip("/").split("/") if x] if member else [])
    for p in officer_paths(user):
        q |= Q(node__path__startswith=p)
    return q
