"""The one audience resolver: people, units, roles, departments, tags and groups → user ids.

The notification centre, app visibility (the marketplace) and approvals all ask the same
question — who is in this range? — and get the same answer here:

    from jianlian.org.audience import Targets, resolve_audience
    user_ids = resolve_audience(Targets(department_ids=[3], tag_ids=[1], group_ids=[2]))

Only people who are active in the current tenant are returned: an active membership of the
tenant and, for department, tag and group targets, an active staff profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jianlian.core.errors import DomainError


@dataclass
class Targets:
    user_ids: list[int] = field(default_factory=list)
    unit_ids: list[int] = field(default_factory=list)
    role_codes: list[str] = field(default_factory=list)
    department_ids: list[int] = field(default_factory=list)
    tag_ids: list[int] = field(default_factory=list)
    group_ids: list[int] = field(default_factory=list)


def _members(tenant, among: list[int] | None = None) -> set[int]:
    """The tenant's active members (of `among` only, when given: checking a few named people need
    not read every membership of a large tenant)."""
    from jianlian.access.models import Membership

    qs = Membership.objects.filter(tenant=tenant, is_active=True, user__is_active=True)
    if among is not None:
        qs = qs.filter(user_id__in=among)
    return set(qs.values_list("user_id", flat=True))


def resolve_audience(targets: Targets, tenant=None) -> set[int]:
    """The user ids of everyone in any of `targets`, within the current tenant. Departments
    include their sub-departments and units their member units. Unknown ids raise DomainError
    (UNKNOWN_DEPARTMENT, UNKNOWN_TAG, NOT_FOUND) naming the input field."""
    from jianlian.access.models import Membership, RoleGrant
    from jianlian.hierarchy.models import OrgUnit
    from jianlian.org.models import Department, Group, Tag
    from jianlian.access.helpers import require_tenant
    from jianlian.org.services import active_staff, group_members

    tenant = tenant or require_tenant()
    only_people = not any((targets.unit_ids, targets.role_codes, targets.department_ids, targets.tag_ids, targets.group_ids))
    members = _members(tenant, [u for u in targets.user_ids if isinstance(u, int)] if only_people else None)
    found: set[int] = set(targets.user_ids) & members
    if targets.unit_ids:
        units = tenant.org_unit.get_descendants(include_self=True).filter(pk__in=targets.unit_ids)
        if units.count() != len(set(targets.unit_ids)):
            raise DomainError("NOT_FOUND", _("发送范围中有单位不属于本租户。"), "unitIds")
        q = Q(pk__in=[])
        for u in units:
            q |= Q(unit__tree_id=u.tree_id, unit__lft__gte=u.lft, unit__rght__lte=u.rght)
        found |= set(Membership.objects.filter(q, tenant=tenant, is_active=True).values_list("user_id", flat=True))
    if targets.role_codes:
        nodes = OrgUnit.objects.filter(pk__in=tenant.org_unit.get_descendants(include_self=True))
        found |= set(RoleGrant.objects.filter(role__code__in=targets.role_codes, node__in=nodes)
                     .values_list("user_id", flat=True)) & members
    profiles = Q(pk__in=[])
    if targets.department_ids:
        depts = list(Department.objects.filter(pk__in=targets.department_ids))
        if len(depts) != len(set(targets.department_ids)):
            raise DomainError("UNKNOWN_DEPARTMENT", _("发送范围中有科室不存在。"), "departmentIds")
        for d in depts:
            profiles |= Q(department_links__department__tree_id=d.tree_id, department_links__department__lft__gte=d.lft,
                          department_links__department__rght__lte=d.rght)
    if targets.tag_ids:
        if Tag.objects.filter(pk__in=targets.tag_ids).count() != len(set(targets.tag_ids)):
            raise DomainError("UNKNOWN_TAG", _("发送范围中有标签不存在。"), "tagIds")
        profiles |= Q(tags__in=targets.tag_ids)
    if targets.department_ids or targets.tag_ids:
        found |= set(active_staff().filter(profiles).values_list("user_id", flat=True)) & members
    if targets.group_ids:
        groups = list(Group.objects.filter(pk__in=targets.group_ids))
        if len(groups) != len(set(targets.group_ids)):
            raise DomainError("NOT_FOUND", _("发送范围中有群组不存在。"), "groupIds")
        for g in groups:
            found |= set(group_members(g).values_list("user_id", flat=True)) & members
    return found
