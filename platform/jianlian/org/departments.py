"""Department writes beyond creation: rename and move within the unit's tree. Adding one is
`services.create_department`; all three audit and take `org.manage`.

A move changes the MPTT tree (every row's lft/rght/tree_id between the old and new place), so
moves take a transaction-level advisory lock: two concurrent moves in one tenant run one after
the other and the nested sets stay consistent.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError
from jianlian.org.models import Department, DepartmentKind
from jianlian.org.services import _department, _text, require_manage

_TREE_LOCK = "jianlian.org.department_tree"


def rename_department(actor, department_id: int, *, name: str) -> Department:
    """Give a department a new name (its code stays). Who: `org.manage`. Audited."""
    require_manage(actor)
    dept = _department(department_id)
    name = _text(name, 60, "name", required=True, label=_("科室名称"))
    if name == dept.name:
        return dept
    with transaction.atomic():
        before = {"name": dept.name}
        dept.name = name
        dept.save(update_fields=["name"])
        audit.record("org.rename_department", actor=actor, target=dept, before=before, after={"name": name})
    return dept


def move_department(actor, department_id: int, *, parent_id: int | None) -> Department:
    """Place a department (with its sub-departments and wards) under another department of the same
    unit, or at the top of the unit (`parent_id` None). Who: `org.manage`. A department cannot go
    under itself, one of its own sub-departments or a ward, nor into another unit. Audited."""
    require_manage(actor)
    dept = _department(department_id)
    parent = _department(parent_id, "parent") if parent_id else None
    if parent is not None:
        if parent.unit_id != dept.unit_id:
            raise DomainError("INVALID_DEPARTMENT_MOVE", _("只能移动到本单位的科室下。"), "parent")
        if parent.kind == DepartmentKind.WARD:
            raise DomainError("INVALID_DEPARTMENT_MOVE", _("病区下不能再设科室，请选择科室或分组。"), "parent")
        if parent.pk == dept.pk or parent.is_descendant_of(dept):
            raise DomainError("INVALID_DEPARTMENT_MOVE", _("不能移动到本科室或其下级科室下。"), "parent")
    if dept.parent_id == (parent.pk if parent else None):
        return dept
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s || current_schema()))", [_TREE_LOCK])
        dept = Department.objects.get(pk=dept.pk)  # fresh lft/rght after waiting for the lock
        before = {"parent": dept.parent_id}
        parent = Department.objects.get(pk=parent.pk) if parent else None
        dept.parent = parent
        dept.save()
        audit.record("org.move_department", actor=actor, target=dept, before=before,
                     after={"parent": parent.pk if parent else None})
    return dept
