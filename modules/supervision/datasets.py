"""Data sets: what a unit reports (`DataSet`: monthly, quarterly or yearly, assigned by hierarchy
level and unit type), when a submission is on time (`due_days` after the period's last day) and
when entry locks (`lock_days` after it) unless an approver of the unit's community or above
reopens it. Every call that names no data set means the standard monthly one
(`STANDARD_DATA_SET`).

Locking: a unit's period of a data set is locked when its approval is SUBMITTED or further
(`SUBMITTED`), or when the lock date has passed and no reopening (`EntryReopening`) runs until
today or later (`PAST_LOCK_DATE`). Manual entry, imports (per-row `PERIOD_LOCKED`) and the entry
form obey both; automatic collection only the first (what an app counted is a fact, however late
it arrives).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError
from jianlian.hierarchy.models import OrgUnit
from modules.supervision.definitions import check_code, ensure_standard_set, require_definitions_manager
from modules.supervision.models import STANDARD_DATA_SET, Approval, DataElement, DataSet, EntryReopening, PeriodType, Step
from modules.supervision.periods import Period, parse_period

REPORTING_LEVELS = ("lead", "member", "hospital")
PERIOD_MONTHS = {PeriodType.MONTHLY: 1, PeriodType.QUARTERLY: 3, PeriodType.YEARLY: 12}
PERIOD_EXAMPLES = {PeriodType.MONTHLY: "2026-03", PeriodType.QUARTERLY: "2026Q1", PeriodType.YEARLY: "2026"}


def get_data_set(code=None, field_name: str = "dataSet") -> DataSet:
    """The data set with that code; no code means the standard monthly set. UNKNOWN_DATA_SET."""
    code = str(code or "").strip() or STANDARD_DATA_SET
    ds = DataSet.objects.filter(code=code).first()
    if ds is None and code == STANDARD_DATA_SET:
        ensure_standard_set()  # a flushed database (transactional tests) lost the seeded set
        ds = DataSet.objects.filter(code=code).first()
    if ds is None:
        raise DomainError("UNKNOWN_DATA_SET", _("没有代码为 %(code)s 的数据集。") % {"code": code}, field_name)
    return ds


def data_set_period(ds: DataSet, text, field_name: str = "period") -> Period:
    """The period `text` names, which must be of the data set's period type (INVALID_PERIOD)."""
    period = parse_period(text, field_name)
    if len(period.months) != PERIOD_MONTHS[ds.period_type]:
        raise DomainError("INVALID_PERIOD", _("数据集「%(name)s」按%(type)s填报，期间应写作 %(example)s。") % {
            "name": ds.name, "type": PeriodType(ds.period_type).label, "example": PERIOD_EXAMPLES[ds.period_type]}, field_name)
    return period


def due_date(ds: DataSet, period: Period) -> dt.date:
    """The last day on which a submission counts as on time."""
    return period.end - dt.timedelta(days=1) + dt.timedelta(days=ds.due_days)


def due_at(ds, month: dt.date) -> dt.datetime:
    """The end of the last day on which the data set's period starting at `month` is on time
    (`due_date`, as a moment in the active time zone)."""
    return timezone.make_aware(dt.datetime.combine(due_date(ds, parse_period(month)), dt.time.max))


def lock_date(ds: DataSet, period: Period) -> dt.date | None:
    """The last day of entry (None: the data set never locks by date)."""
    if ds.lock_days is None:
        return None
    return period.end - dt.timedelta(days=1) + dt.timedelta(days=ds.lock_days)


def reopened_until(ds: DataSet, unit_id: int, start: dt.date, today: dt.date | None = None) -> dt.date | None:
    """The end of the active reopening of the unit's period, if one runs today or later."""
    today = today or timezone.localdate()
    return (EntryReopening.objects.filter(data_set=ds, unit_id=unit_id, period=start, until__gte=today)
            .order_by("-until").values_list("until", flat=True).first())


def lock_reason(ds: DataSet, unit_id: int, period: Period, *, for_update: bool = False) -> str | None:
    """Why the unit's period of the data set is closed to entry: "SUBMITTED" (submitted or
    approved), "PAST_LOCK_DATE" (past the lock date, not reopened), or None (open)."""
    approvals = Approval.objects.filter(data_set=ds, unit_id=unit_id, period=period.start, step__gte=Step.SUBMITTED)
    if (approvals.select_for_update() if for_update else approvals).exists():
        return "SUBMITTED"
    last = lock_date(ds, period)
    if last is not None and timezone.localdate() > last and reopened_until(ds, unit_id, period.start) is None:
        return "PAST_LOCK_DATE"
    return None


def lock_error(reason: str, ds: DataSet, unit: OrgUnit, period: Period) -> DomainError:
    if reason == "SUBMITTED":
        return DomainError("DATA_LOCKED", _("%(unit)s %(period)s 的数据已上报或审核，已锁定；如需修改请先退回。")
                           % {"unit": unit.name, "period": period.label}, "period")
    return DomainError("PERIOD_LOCKED", _("%(unit)s %(period)s 的「%(name)s」已过锁定日期；如需补报，请医共体或上级审核人重新开放填报。")
                       % {"unit": unit.name, "period": period.label, "name": ds.name}, "period")


def not_assigned(ds: DataSet, unit: OrgUnit) -> DomainError:
    return DomainError("NOT_ASSIGNED", _("数据集「%(name)s」不适用于 %(unit)s。") % {"name": ds.name, "unit": unit.name}, "dataSet")


def not_in_set(ds: DataSet, el: DataElement) -> DomainError:
    return DomainError("UNKNOWN_ELEMENT", _("数据集「%(name)s」不含数据元 %(code)s。") % {"name": ds.name, "code": el.code}, "element")


def element_in(ds: DataSet, el: DataElement, unit: OrgUnit) -> None:
    """The element must belong to the data set, and the data set to the unit."""
    if not ds.assigned_to(unit):
        raise not_assigned(ds, unit)
    if not ds.elements.filter(pk=el.pk).exists():
        raise not_in_set(ds, el)


def data_sets_for(unit: OrgUnit | None = None) -> list[DataSet]:
    """Every data set, or those assigned to the unit (by its level and unit type)."""
    sets = list(DataSet.objects.prefetch_related("elements"))
    return [ds for ds in sets if unit is None or ds.assigned_to(unit)]


def _period_type_clash(code: str, period_type: str, element_codes: set[str], levels, unit_types):
    """Another data set of another period type that some unit would report the same elements in:
    (that set, the shared element codes), or None. Values carry no period type (a quarter's sits
    at its first month), so one unit reports one element by one period type only."""
    for other in DataSet.objects.exclude(code=code).exclude(period_type=period_type).prefetch_related("elements"):
        same_units = set(levels) & set(other.levels) and (not unit_types or not other.unit_types
                                                          or set(unit_types) & set(other.unit_types))
        shared = element_codes & {e.code for e in other.elements.all()}
        if same_units and shared:
            return other, shared
    return None


def save_data_set(user, *, code: str, name: str, name_en: str = "", period_type: str = PeriodType.MONTHLY,
                  elements=(), levels=(), unit_types=(), due_days: int = 10, lock_days: int | None = None,
                  description: str = "") -> DataSet:
    """Add or change a data set. Who: province-level holders of supervision.approve (actor None
    for seeds). Every problem is reported at once (INVALID_CODE, UNKNOWN_ELEMENT, INVALID_LEVEL,
    INVALID_UNIT_TYPE, INVALID …), then PERIOD_TYPE_CONFLICT when some unit would report an element
    by two period types. Audited."""
    from jianlian.hierarchy.models import UnitType

    require_definitions_manager(user)
    code = check_code(code)
    problems = []
    name = (name or "").strip()
    if not name or len(name) > 100:
        problems.append(DomainError("INVALID", _("请填写数据集名称（不超过100字）。"), "name"))
    if period_type not in PeriodType.values:
        problems.append(DomainError("INVALID", _("报告周期只能是月、季或年。"), "periodType"))
    elif code == STANDARD_DATA_SET and period_type != PeriodType.MONTHLY:  # what calls without a data set mean
        problems.append(DomainError("INVALID", _("标准月报只能按月填报。"), "periodType"))
    codes = [str(c).strip() for c in elements or ()]
    known = dict(DataElement.objects.filter(code__in=codes).values_list("code", "pk"))
    unknown = [c for c in codes if c not in known]
    if unknown:
        problems.append(DomainError("UNKNOWN_ELEMENT", _("没有代码为 %(code)s 的数据元。") % {"code": "、".join(unknown)}, "elements"))
    if not codes:
        problems.append(DomainError("REQUIRED", _("数据集至少要包含一个数据元。"), "elements"))
    levels = [str(x).strip() for x in levels or ()]
    # Communities and hospitals report (each is a tenant, whose workspace holds the entry page);
    # the province, cities and counties approve and read, and report nothing of their own.
    if not levels or any(x not in REPORTING_LEVELS for x in levels):
        problems.append(DomainError("INVALID_LEVEL", _("适用层级须从医共体牵头单位、成员单位、独立医院中选择（省、市、县卫生健康部门负责审核，不填报）。"), "levels"))
    unit_types = [str(x).strip() for x in unit_types or ()]
    if any(x not in UnitType.values for x in unit_types):
        problems.append(DomainError("INVALID_UNIT_TYPE", _("单位类型不正确。"), "unitTypes"))
    if not isinstance(due_days, int) or not 0 <= due_days <= 366:
        problems.append(DomainError("INVALID", _("按时上报天数须在0–366之间。"), "dueDays"))
    elif lock_days is not None and (not isinstance(lock_days, int) or not due_days <= lock_days <= 730):
        problems.append(DomainError("INVALID", _("锁定天数不能早于按时上报天数，且不超过730天。"), "lockDays"))
    if not problems:
        clash = _period_type_clash(code, period_type, set(known), levels, unit_types)
        if clash:
            problems.append(DomainError("PERIOD_TYPE_CONFLICT", _("数据元 %(codes)s 已在%(type)s数据集「%(name)s」中由同样的单位填报；"
                                                                "同一单位的同一数据元只能按一种周期填报。") % {
                "codes": "、".join(sorted(clash[1])), "type": PeriodType(clash[0].period_type).label, "name": clash[0].name},
                "elements"))
    if problems:
        raise DomainError.many(problems)
    with transaction.atomic():
        before = DataSet.objects.filter(code=code).values("period_type", "levels", "unit_types", "due_days", "lock_days").first()
        ds, _c = DataSet.objects.update_or_create(code=code, defaults=dict(
            name=name, name_en=(name_en or "").strip()[:150], period_type=period_type, levels=levels,
            unit_types=unit_types, due_days=due_days, lock_days=lock_days, description=description or ""))
        ds.elements.set(list(known.values()))
        audit.record("supervision.save_data_set", actor=user, object_type="supervision.data_set", object_id=code,
                     before=before, after={"period_type": period_type, "levels": levels, "unit_types": unit_types,
                                           "due_days": due_days, "lock_days": lock_days, "elements": sorted(codes)})
    return ds


def reporting_units(user) -> list[OrgUnit]:
    """The active units the user may enter data for (supervision.report there) that some data set
    is assigned to, by name."""
    from jianlian.access.checks import scope_nodes

    levels = {lv for ds in DataSet.objects.all() for lv in ds.levels}
    return list(scope_nodes(user, "supervision.report").filter(level__in=levels, is_active=True).order_by("tree_id", "lft"))


def period_label(ds: DataSet, start: dt.date) -> str:
    """The label of the data set's period that starts at `start` (2026-03, 2026Q1 or 2026)."""
    if ds.period_type == PeriodType.QUARTERLY:
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    if ds.period_type == PeriodType.YEARLY:
        return str(start.year)
    return start.strftime("%Y-%m")
