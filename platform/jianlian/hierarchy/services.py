"""Actions on the province's organisation tree: add a unit, move a subtree.

Level rules (`models.ALLOWED_PARENTS`) and code rules are checked here so that the GraphQL API,
the admin, the seed and imports all share them. Tree writes take a transaction-scoped advisory
lock: MPTT renumbers intervals, so two concurrent writers would corrupt the tree.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, PermissionDeniedError
from jianlian.core.validators import division_level, validate_credit_code, validate_division_code
from jianlian.hierarchy.models import (
    ALLOWED_PARENTS, AUTHORITY_LEVELS, Level, OrgUnit, UnitPlacement, UnitType, may_sit_under,
)

_PREFIX = {"province": 2, "city": 4}


def _lock_tree() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('jianlian:orgtree'))")


def _level_problem(level: str, parent: OrgUnit | None, unit_type: str = "") -> DomainError | None:
    allowed = ALLOWED_PARENTS[str(level)]
    if may_sit_under(str(level), str(unit_type), parent):
        return None
    if level == "member" and parent is not None and parent.level == "member":
        return DomainError("LEVEL_VIOLATION", _("成员单位之下只能设村卫生室，且须在乡镇卫生院之下。"), "parent")
    names = "、".join(str(Level(p).label) for p in allowed if p) or str(_("无（顶级）"))
    return DomainError(
        "LEVEL_VIOLATION",
        _("「%(level)s」只能设在以下层级之下：%(parents)s。") % {"level": Level(level).label, "parents": names},
        "parent",
    )


def _division_problem(level: str, code: str, parent: OrgUnit | None) -> DomainError | None:
    """Authority units carry a GB/T 2260 code of their own level, prefixed by their parent's."""
    if level not in AUTHORITY_LEVELS:
        if code:
            return DomainError("DIVISION_CODE_NOT_APPLICABLE", _("只有卫生健康行政部门需要填写行政区划代码。"), "divisionCode")
        return None
    if not code:
        return DomainError("REQUIRED", _("卫生健康行政部门必须填写行政区划代码。"), "divisionCode")
    try:
        code = validate_division_code(code)
    except ValidationError as e:
        return DomainError(e.code, e.messages[0], "divisionCode")
    if division_level(code) != level:  # authority levels share their names with GB/T 2260's
        return DomainError(
            "DIVISION_LEVEL_MISMATCH",
            _("行政区划代码 %(code)s 不是「%(level)s」一级的代码。") % {"code": code, "level": Level(level).label},
            "divisionCode",
        )
    if parent is not None and parent.division_code:
        n = _PREFIX[division_level(parent.division_code)]
        if code[:n] != parent.division_code[:n]:
            return DomainError(
                "DIVISION_PREFIX_MISMATCH",
                _("行政区划代码 %(code)s 与上级「%(parent)s」（%(pcode)s）不一致。")
                % {"code": code, "parent": parent.name, "pcode": parent.division_code},
                "divisionCode",
            )
    return None


def _type_problem(level: str, unit_type: str) -> DomainError | None:
    if unit_type not in UnitType.values:
        return DomainError("INVALID_UNIT_TYPE", _("未知的单位类型。"), "unitType")
    is_commission = unit_type == UnitType.HEALTH_COMMISSION
    if (level in AUTHORITY_LEVELS) != is_commission:
        return DomainError(
            "INVALID_UNIT_TYPE",
            _("卫生健康行政部门的单位类型必须是「卫生健康行政部门」，医疗机构则不能是。"),
            "unitType",
        )
    return None


def create_unit(
    actor, *, parent: OrgUnit | None, level: str, name: str, unit_type: str, short_name: str = "",
    division_code: str = "", credit_code: str = "",
) -> OrgUnit:
    """Add a unit under `parent`, enforcing the level, unit-type and code rules.

    Who: holders of `platform.manage_hierarchy` at the parent (actor=None for seed and CLI).
    Every problem found is reported at once; nothing is written unless all pass.
    """
    from jianlian.access.checks import has_perm

    if actor is not None and not (parent and has_perm(actor, "platform.manage_hierarchy", parent)) and not getattr(actor, "is_superuser", False):
        raise PermissionDeniedError()
    problems: list[DomainError] = []
    name, short_name = (name or "").strip(), (short_name or "").strip()
    division_code, credit_code = (division_code or "").strip(), (credit_code or "").strip().upper()
    if not name or len(name) > 100:
        problems.append(DomainError("INVALID_NAME", _("请填写单位名称（不超过100个字）。"), "name"))
    if len(short_name) > 40:
        problems.append(DomainError("TOO_LONG", _("简称不能超过40个字。"), "shortName"))
    if level not in Level.values:
        problems.append(DomainError("INVALID_LEVEL", _("未知的层级。"), "level"))
    else:
        for p in (_level_problem(level, parent, unit_type), _division_problem(level, division_code, parent), _type_problem(level, unit_type)):
            if p:
                problems.append(p)
    if credit_code:
        try:
            credit_code = validate_credit_code(credit_code)
        except ValidationError as e:
            problems.append(DomainError(e.code, e.messages[0], "creditCode"))
        else:
            if OrgUnit.objects.filter(credit_code=credit_code).exists():
                problems.append(DomainError("CREDIT_CODE_TAKEN", _("该统一社会信用代码已被其他单位使用。"), "creditCode"))
    if level in AUTHORITY_LEVELS and division_code and not problems:
        if OrgUnit.objects.filter(level=level, division_code=division_code).exists():
            problems.append(DomainError("DIVISION_CODE_TAKEN", _("该行政区划代码已被其他部门使用。"), "divisionCode"))
    if problems:
        raise DomainError.many(problems)
    with transaction.atomic():
        _lock_tree()
        unit = OrgUnit.objects.create(
            parent=OrgUnit.objects.get(pk=parent.pk) if parent else None, level=level, name=name,
            short_name=short_name, unit_type=unit_type, division_code=division_code, credit_code=credit_code,
        )
        UnitPlacement.objects.create(unit=unit, parent=parent, valid_from=timezone.now(), reason=str(_("新建")))
        audit.record("hierarchy.create_unit", actor=actor, target=unit, after={
            "name": name, "level": level, "parent": parent.pk if parent else None, "division_code": division_code,
        })
    return unit


def move_unit(actor, unit: OrgUnit, new_parent: OrgUnit, reason: str = "") -> OrgUnit:
    """Move `unit` and its subtree under `new_parent` (a township centre changes community).

    Who: holders of `platform.manage_hierarchy` at both the old and the new parent. Keeps the
    placement history (the old placement is closed, a new one opened) and is audited.
    """
    from jianlian.access.checks import has_perm

    unit = OrgUnit.objects.get(pk=unit.pk)
    new_parent = OrgUnit.objects.get(pk=new_parent.pk)
    old_parent = unit.parent
    if actor is not None and not all(
        p is not None and has_perm(actor, "platform.manage_hierarchy", p) for p in (old_parent, new_parent)
    ):
        raise PermissionDeniedError()
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise DomainError("TOO_LONG", _("原因不能超过200字。"), "reason")
    if old_parent and old_parent.pk == new_parent.pk:
        raise DomainError("SAME_PARENT", _("该单位已在目标上级之下。"), "newParent")
    if new_parent.is_descendant_of(unit, include_self=True):
        raise DomainError("CYCLE", _("不能把单位移到它自己或它的下级之下。"), "newParent")
    problem = _level_problem(unit.level, new_parent, unit.unit_type) or (
        _division_problem(unit.level, unit.division_code, new_parent) if unit.level in AUTHORITY_LEVELS else None
    )
    if problem:
        raise DomainError(problem.code, problem.message, "newParent")  # the move's only input to blame
    with transaction.atomic():
        _lock_tree()
        now = timezone.now()
        UnitPlacement.objects.filter(unit=unit, valid_to__isnull=True).update(valid_to=now)
        unit.parent = new_parent
        unit.save()  # MPTT re-places the subtree, honouring order_insertion_by
        UnitPlacement.objects.create(unit=unit, parent=new_parent, valid_from=now, reason=reason)
        audit.record(
            "hierarchy.move_unit", actor=actor, target=unit,
            before={"parent": old_parent.pk if old_parent else None, "parent_name": old_parent.name if old_parent else ""},
            after={"parent": new_parent.pk, "parent_name": new_parent.name, "reason": reason},
        )
    return OrgUnit.objects.get(pk=unit.pk)
