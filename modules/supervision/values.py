"""Writing values: one checked row at a time (`upsert`), by hand (`save_value`), and the checks
that imports and automatic collection share. Each value carries the unit's path in force at the
end of its period (`placement.path_at`), so rolling up keeps history where it happened; every
write marks its month stale for the next roll-up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from jianlian.access.checks import has_perm
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, PermissionDeniedError
from jianlian.hierarchy.models import OrgUnit
from modules.supervision import live
from modules.supervision.datasets import data_set_period, element_in, get_data_set, lock_error, lock_reason
from modules.supervision.models import Approval, DataElement, DataValue, Origin, Step
from modules.supervision.placement import path_at
from modules.supervision.rollup import mark_stale


@dataclass


class Row:
    unit: OrgUnit
    element: DataElement
    option: str
    period: dt.date
    value: Decimal
    comment: str = ""


@dataclass


class WriteResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)  # {row, field, code, message}

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged, "errors": self.errors}


def approval_locked(unit_id: int, period: dt.date, element: DataElement) -> bool:
    """Whether a data set holding the element has the unit's period (starting at `period`)
    submitted or approved: what blocks automatic collection (the lock date does not)."""
    return Approval.objects.filter(unit_id=unit_id, period=period, step__gte=Step.SUBMITTED, data_set__elements=element).exists()


def parse_value(raw, element: DataElement) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise DomainError("INVALID_VALUE", _("请填写数字。"), "value") from None
    if not value.is_finite() or abs(value) >= Decimal("1e14"):
        raise DomainError("INVALID_VALUE", _("请填写数字。"), "value")
    if element.value_type == "integer" and value != value.to_integral_value():
        raise DomainError("INVALID_VALUE", _("「%(name)s」须为整数。") % {"name": element.name}, "value")
    return value


def _outlier(element: DataElement, value: Decimal) -> bool:
    return (element.min_value is not None and value < element.min_value) or (
        element.max_value is not None and value > element.max_value)


def check_row(element: DataElement, option: str, value: Decimal, comment: str) -> None:
    if option and option not in element.options():
        raise DomainError("UNKNOWN_CATEGORY", _("「%(name)s」没有分类选项 %(option)s。") % {"name": element.name, "option": option}, "option")
    if element.options() and not option:
        raise DomainError("UNKNOWN_CATEGORY", _("「%(name)s」须按分类填报：%(options)s。")
                          % {"name": element.name, "options": "、".join(element.options())}, "option")
    if _outlier(element, value) and not comment.strip():
        raise DomainError("OUTLIER_COMMENT_REQUIRED", _("「%(name)s」的值 %(value)s 超出合理范围（%(lo)s–%(hi)s），请填写说明。") % {
            "name": element.name, "value": value, "lo": element.min_value if element.min_value is not None else "",
            "hi": element.max_value if element.max_value is not None else ""}, "comment")


def upsert(row: Row, origin: str, actor=None, source_tenant: str = "", paths: dict | None = None) -> str:
    """Write one checked row; returns "created", "updated" or "unchanged". Caller holds the
    transaction and has checked the lock."""
    key = (row.unit.pk, row.period)
    if paths is not None and key in paths:
        path = paths[key]
    else:
        path = path_at(row.unit, row.period)
        if paths is not None:
            paths[key] = path
    existing = DataValue.objects.select_for_update().filter(
        unit=row.unit, element=row.element, option=row.option, period=row.period).first()
    outlier = _outlier(row.element, row.value)
    if existing is None or existing.value != row.value or existing.path != path:
        mark_stale(row.period)
    if existing is None:
        DataValue.objects.create(unit=row.unit, element=row.element, option=row.option, period=row.period,
                                 value=row.value, path=path, comment=row.comment, is_outlier=outlier, origin=origin,
                                 source_tenant=source_tenant, updated_by=actor)
        return "created"
    if existing.value == row.value and existing.comment == row.comment and existing.path == path:
        return "unchanged"
    before = existing.value
    existing.value, existing.comment, existing.path, existing.is_outlier = row.value, row.comment, path, outlier
    existing.origin, existing.updated_by = origin, actor
    if source_tenant:
        existing.source_tenant = source_tenant
    existing.save()
    if origin != Origin.AUTO:
        audit.record("supervision.change_value", actor=actor, object_type="supervision.value", object_id=str(existing.pk),
                     before={"value": str(before)}, after={"value": str(row.value), "origin": origin})
    return "updated"


def save_value(user, *, unit_id: int, element: str, period, value, option: str = "", comment: str = "",
               data_set: str | None = None) -> DataValue:
    """Manual entry of one value of a data set (default: the standard monthly one), stored at the
    period's first month. Who: holders of supervision.report at the unit. Refuses a locked period
    (DATA_LOCKED when submitted, PERIOD_LOCKED past the lock date without a reopening), an element
    outside the data set (UNKNOWN_ELEMENT), a data set not assigned to the unit (NOT_ASSIGNED) and
    a value outside the element's bounds without a comment (OUTLIER_COMMENT_REQUIRED). Audited
    and announced live (`supervisionChanged`) when it changes a value."""
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None or not has_perm(user, "supervision.report", unit):
        raise PermissionDeniedError()
    el = DataElement.objects.filter(code=(element or "").strip()).first()
    if el is None:
        raise DomainError("UNKNOWN_ELEMENT", _("没有代码为 %(code)s 的数据元。") % {"code": element}, "element")
    ds = get_data_set(data_set)
    p = data_set_period(ds, period)
    element_in(ds, el, unit)
    number = parse_value(value, el)
    comment = (comment or "").strip()[:500]
    check_row(el, option or "", number, comment)
    with transaction.atomic():
        reason = lock_reason(ds, unit.pk, p, for_update=True)
        if reason:
            raise lock_error(reason, ds, unit, p)
        outcome = upsert(Row(unit, el, option or "", p.start, number, comment), Origin.MANUAL, actor=user)
        if outcome != "unchanged":
            live.announce(ds, unit, p.start, "save")
    return DataValue.objects.get(unit=unit, element=el, option=option or "", period=p.start)
