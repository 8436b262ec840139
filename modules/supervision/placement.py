"""Where a unit sat, who approves it and which community it belongs to — one rule each, asked for
one unit or for many at once (the single forms call the batch ones, so they cannot drift).

- **Paths**: a unit's ancestors and itself, root first, as placed at the end of a month, from the
  hierarchy's placement history (`UnitPlacement`; the current tree where a unit has none). Values
  keep that path, so a unit that moved keeps its past months under its old community.
- **Approval chains**: the steps after submission (community → county → city → province) and the
  node that takes each, from the unit's path that month, skipping levels it has not above it.
- **Approvers**: each level takes its own step; the approver must hold supervision.approve by a
  grant at that very node (a county supervisor, whose grant covers the communities below, still
  cannot approve in a community's place).
- **Communities**: a lead or a standalone hospital is its own community; a member belongs to its
  lead (its parent), in the tree as it is now.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from jianlian.access.checks import has_perm
from jianlian.hierarchy.models import OrgUnit, UnitPlacement
from modules.supervision.models import STEP_LEVEL
from modules.supervision.periods import month_end

COMMUNITY_LEVELS = ("lead", "hospital")


def paths_at(unit_ids, month: dt.date) -> dict[int, list[int]]:
    """Each unit's chain (root first) at the end of the month, from the placement history, a
    couple of queries per level of the tree."""
    moment = month_end(month)
    parent_of: dict[int, int | None] = {}
    frontier = set(unit_ids)
    while frontier:
        placements = defaultdict(list)
        for unit_id, parent_id, valid_from, valid_to in UnitPlacement.objects.filter(unit_id__in=frontier).order_by(
                "valid_from").values_list("unit_id", "parent_id", "valid_from", "valid_to"):
            placements[unit_id].append((parent_id, valid_from, valid_to))
        current = dict(OrgUnit.objects.filter(pk__in=frontier - set(placements)).values_list("pk", "parent_id"))
        for n in frontier:
            history = placements.get(n)
            if not history:
                parent_of[n] = current.get(n)
                continue
            # Before its history begins a unit is taken to have sat where it was first placed.
            chosen = history[0][0]
            for parent_id, valid_from, valid_to in history:
                if valid_from <= moment:
                    chosen = parent_id
                    if valid_to is None or valid_to > moment:
                        break
            parent_of[n] = chosen
        frontier = {p for p in parent_of.values() if p is not None and p not in parent_of}
    out = {}
    for unit_id in unit_ids:
        chain, n = [], unit_id
        while n is not None and n not in chain:
            chain.append(n)
            n = parent_of.get(n)
        out[unit_id] = list(reversed(chain))
    return out


def path_at(unit: OrgUnit, month: dt.date) -> list[int]:
    """`paths_at` for one unit."""
    return paths_at([unit.pk], month)[unit.pk]


def chain_of(path: list[int], nodes: dict[int, OrgUnit]) -> list[tuple[int, OrgUnit]]:
    """The approval steps after submission along a path: [(step, node)], skipping levels the path
    has not. `nodes` holds (at least) the path's units."""
    by_level = {}
    for n in path:
        if n in nodes:
            by_level.setdefault(nodes[n].level, nodes[n])
    return [(step, by_level[level]) for step, level in STEP_LEVEL.items() if level in by_level]


def chains_at(unit_ids, month: dt.date) -> dict[int, list[tuple[int, OrgUnit]]]:
    """Each unit's approval chain for the month, from its path then (one query for the nodes)."""
    paths = paths_at(unit_ids, month)
    nodes = {u.pk: u for u in OrgUnit.objects.filter(pk__in={n for p in paths.values() for n in p})}
    return {unit_id: chain_of(path, nodes) for unit_id, path in paths.items()}


def chain_at(unit: OrgUnit, month: dt.date) -> list[tuple[int, OrgUnit]]:
    """`chains_at` for one unit."""
    return chains_at([unit.pk], month)[unit.pk]


class Approver:
    """Whether the user takes a step at a node (supervision.approve granted at that very node),
    with the user's direct grants read once for any number of nodes."""

    def __init__(self, user):
        from jianlian.access.models import RoleGrant

        self.user = user
        self.direct = set(RoleGrant.objects.filter(user_id=user.pk, role__permissions__contains=["supervision.approve"])
                          .values_list("node_id", flat=True)) if user.is_authenticated else set()

    def __call__(self, node: OrgUnit | None) -> bool:
        if node is None or not has_perm(self.user, "supervision.approve", node):
            return False
        return self.user.is_superuser or node.pk in self.direct


def approves_at(user, node: OrgUnit) -> bool:
    """`Approver` for one node."""
    return Approver(user)(node)


def communities_of(units: list[OrgUnit], known: dict[int, OrgUnit] | None = None) -> dict[int, OrgUnit]:
    """Each unit's community in the tree as it is now: a lead or a standalone hospital is its
    own, a member belongs to its lead (its parent); a unit with neither answers for itself. One
    query at most, for the parents not already in `known`."""
    known = dict(known or {})
    missing = {u.parent_id for u in units if u.level not in COMMUNITY_LEVELS and u.parent_id not in known}
    known.update({u.pk: u for u in OrgUnit.objects.filter(pk__in=missing)} if missing else {})

    def community(u: OrgUnit) -> OrgUnit:
        if u.level in COMMUNITY_LEVELS:
            return u
        parent = known.get(u.parent_id)
        return parent if parent is not None and parent.level in COMMUNITY_LEVELS else u

    return {u.pk: community(u) for u in units}


def community_of(unit: OrgUnit) -> OrgUnit:
    """`communities_of` for one unit."""
    return communities_of([unit])[unit.pk]
