"""Who acts on a node, resolved when the node is entered against the live organisation — so a
flow started before a transfer reaches whoever heads the department now, and one that resolves
to nobody follows the template's policy instead of stalling.

Policies (TemplateVersion.policies): `on_empty` pass | admin | user (`empty_user_id`);
`on_submitter` skip | self | superior; `dedupe` (default on): an approver who approved the
node just before is passed automatically.
"""

from __future__ import annotations

from jianlian.org.audience import Targets, resolve_audience
from jianlian.org.models import Department, StaffProfile, StaffStatus
from modules.approvals.flow import Submitter

ACTIVE = (StaffStatus.ACTIVE, StaffStatus.SECONDED)


def _primary_department(user_id: int) -> Department | None:
    return Department.objects.filter(member_links__staff__user_id=user_id, member_links__is_primary=True).first()


def submitter_facts(user_id: int) -> Submitter:
    """The submitter as conditions see them: departments (with their ancestors), post, position, tags."""
    profile = StaffProfile.objects.filter(user_id=user_id).prefetch_related("tags").first()
    if profile is None:
        return Submitter()
    depts: set[int] = set()
    for link in profile.department_links.select_related("department"):
        depts |= set(link.department.get_ancestors(include_self=True).values_list("pk", flat=True))
    tags = list(profile.tags.all())
    return Submitter(department_ids=depts, post=profile.post, position=profile.position,
                     tag_ids={t.pk for t in tags}, tag_codes={t.code for t in tags})


def department_head(user_id: int, level: int = 1, department: Department | None = None) -> list[int]:
    """The head of the submitter's department `level` steps up (1 = their own department); when
    that department has no active head, the nearest head above it. `department`: the submitter's
    primary department when the caller has just read it."""
    dept = department or _primary_department(user_id)
    if dept is None:
        return []
    chain = list(dept.get_ancestors(ascending=True, include_self=True).select_related("head"))
    for d in chain[level - 1:]:
        head = d.head
        if head is not None and head.status in ACTIVE:
            return [head.user_id]
    return []


def superior(user_id: int) -> list[int]:
    """The person's superior: the head of their department, or above when they head it."""
    dept = _primary_department(user_id)
    if dept is None:
        return []
    for d in dept.get_ancestors(ascending=True, include_self=True).select_related("head"):
        if d.head is not None and d.head.user_id != user_id and d.head.status in ACTIVE:
            return [d.head.user_id]
    return []


def resolve(assignee: dict, *, submitter_id: int, chosen: dict, node_id: str, department: Department | None = None) -> list[int]:
    """The people of an approver or cc node, in order, active members of this tenant only
    (`department`: the submitter's primary department, when the caller has just read it)."""
    kind = assignee.get("kind")
    if kind == "submitter":
        found = [submitter_id]
    elif kind == "department_head":
        found = department_head(submitter_id, int(assignee.get("level") or 1), department)
    elif kind == "chosen":
        found = [int(u) for u in chosen.get(node_id) or []]
    elif kind == "users":
        found = [int(u) for u in assignee.get("userIds") or []]
    else:
        targets = {"role": Targets(role_codes=[assignee.get("role")]),
                   "tag": Targets(tag_ids=[int(assignee.get("tagId") or 0)]),
                   "group": Targets(group_ids=[int(assignee.get("groupId") or 0)])}[kind]
        try:
            found = sorted(resolve_audience(targets))
        except Exception:  # a tag or group deleted since the flow was designed resolves to nobody
            return []
    if not found:
        return []
    active = resolve_audience(Targets(user_ids=found))
    return list(dict.fromkeys(u for u in found if u in active))


def admins() -> list[int]:
    """Who gets a node that resolved to nobody under the `admin` policy: the app's managers."""
    from jianlian.access.models import RoleGrant
    from jianlian.org.services import tenant_unit_ids

    ids = set(RoleGrant.objects.filter(node_id__in=tenant_unit_ids(), role__permissions__contains=["approvals.manage"])
              .values_list("user_id", flat=True))
    active = resolve_audience(Targets(user_ids=list(ids)))
    return sorted(ids & active)


def names(user_ids) -> dict[int, str]:
    from jianlian.identity.models import User

    ids = list(user_ids)
    found = dict(StaffProfile.objects.filter(user_id__in=ids).values_list("user_id", "name"))
    missing = [u for u in ids if u not in found]
    if missing:
        found.update(User.objects.filter(pk__in=missing).values_list("pk", "real_name"))
    return found
