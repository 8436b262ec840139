"""Who may look at what: supervisors see the aggregates of their subtree
(supervision.view_aggregates), units see their own (supervision.report); the supervision pages
start at the reader's topmost such nodes. Every read takes the reader first and checks them here,
so a supervisor of another city gets PERMISSION_DENIED, never someone else's numbers. The live
`supervisionChanged` events are filtered by the same rule (`VIEW_PERMS`)."""

from __future__ import annotations

from jianlian.access.checks import has_perm
from jianlian.core.errors import PermissionDeniedError
from jianlian.hierarchy.models import OrgUnit

VIEW_PERMS = ("supervision.view_aggregates", "supervision.report")  # any of them, at the node
SCOPE_PERMS = ("supervision.view_aggregates", "supervision.approve", "supervision.report")


def can_view(user, node: OrgUnit) -> bool:
    """Supervisors see aggregates of their subtree; units see their own."""
    return any(has_perm(user, perm, node) for perm in VIEW_PERMS)


def access_node(user, node_id: int) -> OrgUnit:
    node = OrgUnit.objects.filter(pk=node_id).first()
    if node is None or not can_view(user, node):
        raise PermissionDeniedError()
    return node


def scope(user) -> list[OrgUnit]:
    """The topmost nodes where the reader may look at supervision data (a grant of view,
    approve or report that no other such grant of theirs covers), where their pages start."""
    from jianlian.access.checks import _grants

    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(OrgUnit.objects.filter(parent__isnull=True).order_by("tree_id"))
    grants = [g for g in _grants(user) if any(p in g.perms for p in SCOPE_PERMS)]
    top = [g for g in grants if not any(o is not g and o.tree_id == g.tree_id and o.lft <= g.lft and g.rght <= o.rght
                                        and (o.lft, o.rght) != (g.lft, g.rght) for o in grants)]
    ids = list(dict.fromkeys(g.node_id for g in top))
    nodes = {u.pk: u for u in OrgUnit.objects.filter(pk__in=ids)}
    return [nodes[i] for i in ids if i in nodes]


def node_view(user, node_id: int) -> dict:
    """A node with the ancestors the reader may also see (root first, for a breadcrumb) and its
    active children (to drill down)."""
    node = access_node(user, node_id)
    ancestors = [a for a in node.get_ancestors() if can_view(user, a)]
    children = list(node.get_children().filter(is_active=True))
    return {"node": node, "ancestors": ancestors, "children": children}
