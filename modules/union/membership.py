"""The union tree and its members (会员中心, 分工会组织): build the tree, name officers, join,
transfer, leave — and follow the organisation's staff lifecycle: a person who leaves the
organisation leaves the union; a transfer into a department tied to a node moves the member there.

Who: the administrator (`union.manage`) builds the root; officers build and manage below their
node. Any active staff member with an activated account (the ID-number + mobile activation) joins.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, PermissionDeniedError
from modules.union import access, events
from modules.union.models import Member, MemberStatus, NodeKind, Officer, UnionNode

CHILD_KIND = {NodeKind.UNION: NodeKind.SUB_UNION, NodeKind.SUB_UNION: NodeKind.GROUP}


def _name(value: str, field: str = "name", limit: int = 60) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError("REQUIRED", _("请填写名称。"), field)
    if len(value) > limit:
        raise DomainError("TOO_LONG", _("名称不能超过%(n)s个字。") % {"n": limit}, field)
    return value


def create_node(actor, *, name: str, parent_id: int | None = None, department_id: int | None = None,
                sort: int = 0) -> UnionNode:
    """A new node: the union itself (no parent; administrator only, once), or a sub-union under the
    union / a group under a sub-union (officers of the parent's part)."""
    name = _name(name)
    with transaction.atomic():
        if parent_id is None:
            if actor is not None and not access.is_admin(actor):
                raise PermissionDeniedError(_("只有工会管理员可以建立工会。"))
            if UnionNode.objects.filter(kind=NodeKind.UNION).exists():
                raise DomainError("UNION_BAD_NODE", _("本单位已经建立了工会。"), "parent")
            kind, parent = NodeKind.UNION, None
        else:
            parent = (UnionNode.objects.get(pk=parent_id) if actor is None
                      else access.access_node(actor, parent_id, field="parent"))
            kind = CHILD_KIND.get(parent.kind)
            if kind is None:
                raise DomainError("UNION_BAD_NODE", _("工会小组下不能再设下级。"), "parent")
        node = UnionNode(parent=parent, kind=kind, name=name, department_id=department_id, sort=sort, path="")
        try:
            with transaction.atomic():
                node.save()
        except IntegrityError:
            raise DomainError("UNION_BAD_NODE", _("同一上级下已有同名组织。"), "name") from None
        node.path = f"{parent.path if parent else '/'}{node.pk}/"
        node.save(update_fields=["path"])
        audit.record("union.create_node", actor=actor, target=node, after={"name": name, "kind": kind, "path": node.path})
    return node


def set_officer(actor, node_id: int, user_id: int, *, title: str = "", remove: bool = False) -> UnionNode:
    """Name (or remove) an officer of a node. Who: officers above the node, or the administrator —
    an officer cannot appoint colleagues at their own level."""
    from jianlian.identity.models import User

    with transaction.atomic():
        node = UnionNode.objects.get(pk=node_id) if actor is None else access.access_node(actor, node_id)
        if actor is not None and not access.is_admin(actor) and node.parent is not None and not access.manages_path(actor, node.parent.path):
            raise PermissionDeniedError(_("干部由上级工会任命。"))
        user = User.objects.filter(pk=user_id).first()
        if user is None:
            raise DomainError("NOT_FOUND", _("人员不存在。"), "user")
        if remove:
            Officer.objects.filter(node=node, user_id=user_id).delete()
        else:
            Officer.objects.update_or_create(node=node, user_id=user_id,
                                             defaults={"name": user.real_name or user.username, "title": title[:30]})
        audit.record("union.remove_officer" if remove else "union.set_officer", actor=actor, target=node,
                     after={"user_id": user_id, "title": title})
    return node


def _staff(user_id: int):
    from jianlian.org.models import StaffProfile, StaffStatus

    return StaffProfile.objects.filter(user_id=user_id, status__in=(StaffStatus.ACTIVE, StaffStatus.SECONDED)).first()


def _primary_department_id(staff) -> int | None:
    link = staff.department_links.filter(is_primary=True).first() if staff else None
    return link.department_id if link else None


def node_for_department(department_id: int | None) -> UnionNode | None:
    """The node tied to the department or its nearest ancestor that has one (deepest first)."""
    if not department_id:
        return None
    from jianlian.org.models import Department

    dept = Department.objects.filter(pk=department_id).first()
    if dept is None:
        return None
    ids = list(dept.get_ancestors(ascending=True, include_self=True).values_list("pk", flat=True))
    by_dept = {n.department_id: n for n in UnionNode.objects.filter(department_id__in=ids)}
    return next((by_dept[i] for i in ids if i in by_dept), None)


def _root() -> UnionNode:
    root = UnionNode.objects.filter(kind=NodeKind.UNION).first()
    if root is None:
        raise DomainError("UNION_BAD_NODE", _("本单位尚未建立工会。"), "node")
    return root


def join(user, *, node_id: int | None = None, now=None) -> Member:
    """`user` joins the union (会员中心 入会). They must be active staff here whose account was
    activated with their ID number and mobile (the platform's activation). The node is the one
    they chose, else the one tied to their department, else the union itself. A former member
    rejoins with their history (points and check-ins) intact."""
    from jianlian.identity.models import UserStatus

    now = now or timezone.now()
    staff = _staff(user.pk)
    if staff is None or getattr(user, "status", UserStatus.ACTIVE) != UserStatus.ACTIVE:
        raise DomainError("UNION_NOT_STAFF", _("请先用身份证号和手机号激活账号；只有本单位在职职工可以入会。"))
    with transaction.atomic():
        node = (UnionNode.objects.filter(pk=node_id).first() if node_id
                else node_for_department(_primary_department_id(staff))) or (None if node_id else _root())
        if node is None:
            raise DomainError("NOT_FOUND", _("工会组织不存在。"), "node")
        existing = Member.objects.select_for_update().filter(user_id=user.pk).first()
        if existing is not None and existing.active:
            raise DomainError("UNION_ALREADY_MEMBER", _("您已经是工会会员。"))
        member = existing or Member(user_id=user.pk)
        member.name, member.node, member.path = staff.name, node, node.path
        member.status, member.joined_at, member.left_at, member.left_reason = MemberStatus.ACTIVE, now, None, ""
        member.save()
        audit.record("union.join", actor=user, target=member, after={"node": node.pk})
        events.member_changed(member, events.MEMBER_JOINED)
    return member


def transfer(actor, member_id: int, node_id: int) -> Member:
    """Move a member to another node (转会). Who: an officer who manages both the member's current
    node and the target (so a sub-union cannot take or give away another's members), or the
    administrator."""
    with transaction.atomic():
        member = access.access_member(actor, member_id, for_update=True) if actor else Member.objects.get(pk=member_id)
        node = access.access_node(actor, node_id) if actor else UnionNode.objects.get(pk=node_id)
        return _move(actor, member, node)


def _move(actor, member: Member, node: UnionNode) -> Member:
    before = member.node_id
    member.node, member.path = node, node.path
    member.save(update_fields=["node", "path"])
    audit.record("union.transfer", actor=actor, target=member, before={"node": before}, after={"node": node.pk})
    return member


def leave(actor, member: Member, *, reason: str, now=None) -> Member:
    """End a membership (退会). Points and history stay; a rejoin picks them up again."""
    if not member.active:
        return member
    member.status, member.left_at, member.left_reason = MemberStatus.LEFT, now or timezone.now(), reason[:60]
    member.save(update_fields=["status", "left_at", "left_reason"])
    audit.record("union.leave", actor=actor, target=member, after={"reason": reason})
    events.member_changed(member, events.MEMBER_LEFT)
    return member


def leave_self(user) -> Member:
    with transaction.atomic():
        return leave(user, access.member_of(user, for_update=True), reason=_("本人申请退会"))


def remove(actor, member_id: int) -> Member:
    with transaction.atomic():
        return leave(actor, access.access_member(actor, member_id, for_update=True), reason=_("工会干部办理退会"))


# --- the organisation's staff lifecycle --------------------------------------------------------

def on_staff_change(from_user_id, to_user_id, *, reason, event_id=None) -> int:
    """Hand-over handler (manifest `handover_handlers`), run inside the lifecycle event's
    transaction, before the organisation applies it: a leave ends the membership, a transfer to a
    department tied to a node moves the member. Returns 1 when the membership changed. (The
    periodic `sync_members` covers events applied without a hand-over.) The platform runs it only
    in tenants where the union is installed."""
    member = Member.objects.select_for_update().filter(user_id=from_user_id, status=MemberStatus.ACTIVE).first()
    if member is None:
        return 0
    if reason == "leave":
        leave(None, member, reason=_("离职"))
        return 1
    if reason == "transfer" and event_id:
        from jianlian.org.models import LifecycleEvent

        event = LifecycleEvent.objects.filter(pk=event_id).first()
        node = node_for_department((event.payload or {}).get("department_id")) if event else None
        if node is not None and not member.path.startswith(node.path):
            _move(None, member, node)
            return 1
    return 0


def sync_members() -> int:
    """Bring every membership in line with the organisation (beat, every minute): members whose
    staff profile has left (or is gone) leave; members whose primary department is tied to another
    node move there. Returns how many changed."""
    from jianlian.org.models import DepartmentMembership, StaffProfile, StaffStatus

    changed = 0
    with transaction.atomic():
        active = Member.objects.select_for_update(skip_locked=True).filter(status=MemberStatus.ACTIVE)
        staying = set(StaffProfile.objects.filter(status__in=(StaffStatus.ACTIVE, StaffStatus.SECONDED))
                      .values_list("user_id", flat=True))
        for member in active.exclude(user_id__in=staying):
            leave(None, member, reason=_("离职"))
            changed += 1
        by_department = _nodes_by_department()
        if by_department:
            primary = dict(DepartmentMembership.objects.filter(is_primary=True).values_list("staff__user_id", "department_id"))
            for member in active.filter(user_id__in=list(primary)):
                node = by_department.get(primary[member.user_id])
                if node is not None and not member.path.startswith(node.path):
                    _move(None, member, node)
                    changed += 1
    return changed


def _nodes_by_department() -> dict:
    """{department id: the node tied to it or to its nearest ancestor}, in two queries."""
    from jianlian.org.models import Department

    tied = {n.department_id: n for n in UnionNode.objects.filter(department_id__isnull=False)}
    if not tied:
        return {}
    parents = dict(Department.objects.values_list("pk", "parent_id"))
    out = {}
    for dept in parents:
        at, seen = dept, 0
        while at is not None and at not in tied and seen < 64:
            at, seen = parents.get(at), seen + 1
        if at in tied:
            out[dept] = tied[at]
    return out
