"""Supervision online (监管在线): the actions. Every write of the app goes through here — GraphQL,
the bus handler, the collection task and imports all call these functions.

Where values live, and why: supervision facts are aggregates about units (no patient data) that
the province, cities and counties read across tenants, so definitions, values and approval state
live once in the public schema (manifest `public_models`). What a tenant computes from its own
data (the installed apps' data elements, e.g. referrals' `stats.monthly`) it sends up through the
bus (`supervision.values` to "public"), committed with nothing else and applied once by
`apply_collected`, keyed by unit / element / option / period — so collection is idempotent, and a
stopped worker delays values without losing them. Manual entry and imports write to public
directly, inside one transaction each.

How history survives moves: each value carries the unit's path (its ancestors and itself) in force
at the end of its period, read from the hierarchy's placement history (`UnitPlacement`); rolling
up filters `path @> [node]`. A unit that moves keeps its past months under its old community.

Data sets: what a unit reports is a data set (`DataSet`: monthly, quarterly or yearly, assigned by
hierarchy level and unit type). Approval, completeness and timeliness are per (data set, unit,
period); a period is stored at its first month (see models.py). Every call that names no data set
means the standard monthly one (`STANDARD_DATA_SET`). A submission is on time up to the end of its
data set's due date (`due_days` after the period's last day).

Approval: OPEN → SUBMITTED (the unit) → COMMUNITY (its lead) → COUNTY → CITY → PROVINCE, skipping
levels a unit does not have above it (a standalone hospital). `unapprove` (with a reason) steps
back one level. Every step is audited and the next approvers (or, stepping back, the reporters)
are notified.

Locking: a unit's period of a data set is locked when its approval is SUBMITTED or further
(`SUBMITTED`), or when the data set's lock date (`lock_days` after the period's last day) has
passed and no reopening (`EntryReopening`, granted by an approver at the unit's community or above)
runs until today or later (`PAST_LOCK_DATE`). Manual entry, imports (per-row `PERIOD_LOCKED`) and
the entry form obey both. Automatic collection from the installed apps is blocked only by
approval, never by the lock date: what an app counted is a fact, however late it arrives.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian.access.checks import has_perm
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, PermissionDeniedError
from jianlian.hierarchy.models import OrgUnit, UnitPlacement
from modules.supervision import formulas, standard
from modules.supervision.models import (
    DISAGGREGATIONS, STEP_LEVEL, Aggregate, Aggregation, Approval, ApprovalEvent, DataElement, DataValue, Indicator, Operator, Origin,
    RollupState, Step, ValidationRule, DataSet, EntryReopening, PeriodType, STANDARD_DATA_SET,
)

CODE_RE = re.compile(r"^[a-z][a-z0-9_.]{1,59}$")
MAX_IMPORT_ROWS = 50_000
REPORTING_LEVELS = ("lead", "member", "hospital")
LEAF_LEVELS = ("member", "hospital")  # levels that never have units below them


# --- periods ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    label: str  # "2026-03", "2026Q1", "2026"
    start: dt.date
    end: dt.date  # exclusive

    @property
    def months(self) -> list[dt.date]:
        out, d = [], self.start
        while d < self.end:
            out.append(d)
            d = _next_month(d)
        return out

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def _next_month(d: dt.date) -> dt.date:
    return (d.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


PERIOD_RE = re.compile(r"^(\d{4})(?:-(\d{2})|Q([1-4]))?$")


def parse_period(text, field_name: str = "period") -> Period:
    """A month "YYYY-MM", a quarter "YYYYQn" or a year "YYYY"; a date means its month."""
    if isinstance(text, dt.date):
        text = text.strftime("%Y-%m")
    m = PERIOD_RE.match(str(text or "").strip())
    if not m or not 2000 <= int(m.group(1)) <= 2100 or (m.group(2) and not 1 <= int(m.group(2)) <= 12):
        raise DomainError("INVALID_PERIOD", _("期间格式不正确，应为 2026-03（月）、2026Q1（季）或 2026（年）。"), field_name)
    year = int(m.group(1))
    if m.group(2):
        start = dt.date(year, int(m.group(2)), 1)
        return Period(start.strftime("%Y-%m"), start, _next_month(start))
    if m.group(3):
        q = int(m.group(3))
        start = dt.date(year, 3 * q - 2, 1)
        end = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
        return Period(f"{year}Q{q}", start, end)
    return Period(str(year), dt.date(year, 1, 1), dt.date(year + 1, 1, 1))


def parse_month(text, field_name: str = "period") -> dt.date:
    p = parse_period(text, field_name)
    if len(p.months) != 1:
        raise DomainError("INVALID_PERIOD", _("数据按月填报，期间应为 2026-03 这样的月份。"), field_name)
    return p.start


# --- definitions -----------------------------------------------------------------------------------

def _catalogue() -> dict[str, DataElement]:
    return {e.code: e for e in DataElement.objects.all()}


def _known(elements: dict[str, DataElement]):
    def known(code: str, option: str):
        e = elements.get(code)
        if e is None:
            return f"unknown data element {code}"
        if option and option not in e.options():
            return f"data element {code} has no option {option}"
        return None

    return known


def check_formula(text: str, field_name: str, elements: dict[str, DataElement] | None = None) -> formulas.Formula:
    """Parse a formula against the catalogue; INVALID_FORMULA (with the reason) otherwise."""
    try:
        return formulas.parse(text, _known(elements if elements is not None else _catalogue()))
    except formulas.FormulaError as e:
        raise DomainError("INVALID_FORMULA", _("公式有误：%(reason)s。请使用 #{数据元代码}、#{代码.分类选项}、数字与 + - * / ( )。")
                          % {"reason": e.args[0]}, field_name) from None


def _formula_problems(*formulas_and_fields: tuple[str, str]) -> list[DomainError]:
    """Every formula's problem at once (one per field)."""
    elements, problems = _catalogue(), []
    for text, field_name in formulas_and_fields:
        try:
            check_formula(text, field_name, elements)
        except DomainError as e:
            problems.append(e)
    return problems


def _require_definitions_manager(user) -> None:
    root = OrgUnit.objects.filter(parent__isnull=True, level="province").first()
    if user is not None and not (root and has_perm(user, "supervision.approve", root)):
        raise PermissionDeniedError()


def _check_code(code: str) -> str:
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise DomainError("INVALID_CODE", _("代码须为2–60位小写字母、数字、点或下划线，以字母开头。"), "code")
    return code


def save_indicator(user, *, code: str, name: str, numerator: str, denominator: str = "1", factor: int = 1,
                   unit_label: str = "", source: str = "", description: str = "") -> Indicator:
    """Add or change an indicator; both formulas are validated against the catalogue first.
    Who: province-level holders of supervision.approve (actor None for seeds). Audited."""
    _require_definitions_manager(user)
    code = _check_code(code)
    problems = []
    name, source = (name or "").strip(), (source or "").strip()
    if not name or len(name) > 150:
        problems.append(DomainError("INVALID", _("请填写指标名称（不超过150字）。"), "name"))
    if not source or len(source) > 300:
        problems.append(DomainError("REQUIRED", _("请注明指标定义的来源（文件名称与文号）。"), "source"))
    if factor not in (1, 100, 1000, 10000, 100000):
        problems.append(DomainError("INVALID", _("系数只能是1、100（百分比）、1000（千分比）、10000或100000。"), "factor"))
    problems += _formula_problems((numerator, "numerator"), (denominator or "1", "denominator"))
    if problems:
        raise DomainError.many(problems)
    with transaction.atomic():
        before = Indicator.objects.filter(code=code).values("numerator", "denominator", "factor").first()
        ind, _created = Indicator.objects.update_or_create(code=code, defaults=dict(
            name=name, numerator=numerator.strip(), denominator=(denominator or "1").strip(), factor=factor,
            unit_label=unit_label, source=source, description=description))
        audit.record("supervision.save_indicator", actor=user, object_type="supervision.indicator", object_id=code,
                     before=before, after={"numerator": ind.numerator, "denominator": ind.denominator, "factor": factor})
    return ind


def save_rule(user, *, code: str, name: str, left: str, operator: str, right: str, instruction: str = "") -> ValidationRule:
    """Add or change a validation rule (left side, operator, right side). Who: as save_indicator."""
    _require_definitions_manager(user)
    code = _check_code(code)
    if operator not in Operator.values:
        raise DomainError("INVALID", _("运算符只能是 <=、<、==、!=、>=、>。"), "operator")
    problems = _formula_problems((left, "left"), (right, "right"))
    if problems:
        raise DomainError.many(problems)
    with transaction.atomic():
        rule, _c = ValidationRule.objects.update_or_create(code=code, defaults=dict(
            name=(name or code)[:150], left=left.strip(), operator=operator, right=right.strip(), instruction=instruction[:300]))
        audit.record("supervision.save_rule", actor=user, object_type="supervision.rule", object_id=code,
                     after={"left": rule.left, "operator": operator, "right": rule.right})
    return rule


def ensure_standard_set() -> None:
    """Load the national monitoring set (standard.py) and the standard monthly data set where they
    are missing; never overwrites what the province has edited. Idempotent (the data migrations
    and tests call it)."""
    with transaction.atomic():
        standard.load(DataElement, Indicator, ValidationRule)
        standard.load_data_set(DataSet, DataElement)


# --- data sets -------------------------------------------------------------------------------------

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


def _lock_error(reason: str, ds: DataSet, unit: OrgUnit, period: Period) -> DomainError:
    if reason == "SUBMITTED":
        return DomainError("DATA_LOCKED", _("%(unit)s %(period)s 的数据已上报或审核，已锁定；如需修改请先退回。")
                           % {"unit": unit.name, "period": period.label}, "period")
    return DomainError("PERIOD_LOCKED", _("%(unit)s %(period)s 的「%(name)s」已过锁定日期；如需补报，请医共体或上级审核人重新开放填报。")
                       % {"unit": unit.name, "period": period.label, "name": ds.name}, "period")


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

    _require_definitions_manager(user)
    code = _check_code(code)
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


def _community_of(unit: OrgUnit) -> OrgUnit:
    """The unit's community lead (a member's parent), or a lead or standalone hospital itself."""
    return unit.get_ancestors(include_self=True).filter(level__in=("lead", "hospital")).last() or unit


def reopen_entry(user, *, data_set, unit_id: int, period, until, reason: str) -> EntryReopening:
    """Reopen a unit's period of a data set for entry past its lock date, until the end of
    `until`. Who: supervision.approve at the unit's community or above. Audited; the unit's
    reporters are notified."""
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None or not has_perm(user, "supervision.approve", _community_of(unit)):
        raise PermissionDeniedError()
    ds = get_data_set(data_set)
    p = data_set_period(ds, period)
    problems = []
    try:
        end = until if isinstance(until, dt.date) else dt.date.fromisoformat(str(until or "").strip())
        if end < timezone.localdate():
            raise ValueError
    except ValueError:
        end = None
        problems.append(DomainError("INVALID_DATE", _("开放截止日期须为今天或以后的日期，如 2026-03-31。"), "until"))
    reason = (reason or "").strip()
    if not reason:
        problems.append(DomainError("REASON_REQUIRED", _("重新开放填报须填写原因。"), "reason"))
    elif len(reason) > 500:
        problems.append(DomainError("TOO_LONG", _("原因不能超过500字。"), "reason"))
    if problems:
        raise DomainError.many(problems)
    with transaction.atomic():
        reopening = EntryReopening.objects.create(data_set=ds, unit=unit, period=p.start, until=end, reason=reason, granted_by=user)
        audit.record("supervision.reopen", actor=user, object_type="supervision.reopening", object_id=str(reopening.pk),
                     after={"data_set": ds.code, "unit": unit.pk, "period": p.label, "until": end.isoformat(), "reason": reason})
        _notify([n for n in OrgUnit.objects.filter(pk__in=path_at(unit, p.start), level__in=REPORTING_LEVELS)],
                "supervision.report", _("监管数据已重新开放填报"),
                _("%(unit)s %(period)s 的「%(name)s」已重新开放填报，截至 %(until)s：%(reason)s") % {
                    "unit": unit.name, "period": p.label, "name": ds.name, "until": end.isoformat(), "reason": reason})
    return reopening


# --- where a unit sat ------------------------------------------------------------------------------

def path_at(unit: OrgUnit, month: dt.date) -> list[int]:
    """The unit's ancestors and itself, root first, as placed at the end of `month` (from the
    placement history; the current tree where a unit has none)."""
    moment = timezone.make_aware(dt.datetime.combine(_next_month(month), dt.time.min)) - dt.timedelta(microseconds=1)
    chain, node_id, seen = [], unit.pk, set()
    while node_id is not None and node_id not in seen:
        seen.add(node_id)
        chain.append(node_id)
        placements = list(UnitPlacement.objects.filter(unit_id=node_id).order_by("valid_from").values_list(
            "parent_id", "valid_from", "valid_to"))
        if not placements:
            node_id = OrgUnit.objects.filter(pk=node_id).values_list("parent_id", flat=True).first()
            continue
        # Before its history begins a unit is taken to have sat where it was first placed.
        node_id = placements[0][0]
        for parent_id, valid_from, valid_to in placements:
            if valid_from <= moment and (valid_to is None or valid_to > moment):
                node_id = parent_id
                break
            if valid_from <= moment:
                node_id = parent_id
    return list(reversed(chain))


# --- writing values --------------------------------------------------------------------------------

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


def _parse_value(raw, element: DataElement) -> Decimal:
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


def _check_row(element: DataElement, option: str, value: Decimal, comment: str) -> None:
    if option and option not in element.options():
        raise DomainError("UNKNOWN_CATEGORY", _("「%(name)s」没有分类选项 %(option)s。") % {"name": element.name, "option": option}, "option")
    if element.options() and not option:
        raise DomainError("UNKNOWN_CATEGORY", _("「%(name)s」须按分类填报：%(options)s。")
                          % {"name": element.name, "options": "、".join(element.options())}, "option")
    if _outlier(element, value) and not comment.strip():
        raise DomainError("OUTLIER_COMMENT_REQUIRED", _("「%(name)s」的值 %(value)s 超出合理范围（%(lo)s–%(hi)s），请填写说明。") % {
            "name": element.name, "value": value, "lo": element.min_value if element.min_value is not None else "",
            "hi": element.max_value if element.max_value is not None else ""}, "comment")


def _upsert(row: Row, origin: str, actor=None, source_tenant: str = "", paths: dict | None = None) -> str:
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


def _unit_of(code) -> OrgUnit | None:
    """A unit by its unified social credit code, its division code (authorities) or its id."""
    code = str(code or "").strip()
    if not code:
        return None
    unit = OrgUnit.objects.filter(Q(credit_code=code.upper()) | Q(division_code=code, level__in=("province", "city", "county"))).first()
    if unit is None and code.isdigit() and len(code) < 12:
        unit = OrgUnit.objects.filter(pk=int(code)).first()
    return unit


def _not_assigned(ds: DataSet, unit: OrgUnit) -> DomainError:
    return DomainError("NOT_ASSIGNED", _("数据集「%(name)s」不适用于 %(unit)s。") % {"name": ds.name, "unit": unit.name}, "dataSet")


def _not_in_set(ds: DataSet, el: DataElement) -> DomainError:
    return DomainError("UNKNOWN_ELEMENT", _("数据集「%(name)s」不含数据元 %(code)s。") % {"name": ds.name, "code": el.code}, "element")


def _element_in(ds: DataSet, el: DataElement, unit: OrgUnit) -> None:
    """The element must belong to the data set, and the data set to the unit."""
    if not ds.assigned_to(unit):
        raise _not_assigned(ds, unit)
    if not ds.elements.filter(pk=el.pk).exists():
        raise _not_in_set(ds, el)


def save_value(user, *, unit_id: int, element: str, period, value, option: str = "", comment: str = "",
               data_set: str | None = None) -> DataValue:
    """Manual entry of one value of a data set (default: the standard monthly one), stored at the
    period's first month. Who: holders of supervision.report at the unit. Refuses a locked period
    (DATA_LOCKED when submitted, PERIOD_LOCKED past the lock date without a reopening), an element
    outside the data set (UNKNOWN_ELEMENT), a data set not assigned to the unit (NOT_ASSIGNED) and
    a value outside the element's bounds without a comment (OUTLIER_COMMENT_REQUIRED). Audited
    when it changes a value."""
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None or not has_perm(user, "supervision.report", unit):
        raise PermissionDeniedError()
    el = DataElement.objects.filter(code=(element or "").strip()).first()
    if el is None:
        raise DomainError("UNKNOWN_ELEMENT", _("没有代码为 %(code)s 的数据元。") % {"code": element}, "element")
    ds = get_data_set(data_set)
    p = data_set_period(ds, period)
    _element_in(ds, el, unit)
    number = _parse_value(value, el)
    comment = (comment or "").strip()[:500]
    _check_row(el, option or "", number, comment)
    with transaction.atomic():
        reason = lock_reason(ds, unit.pk, p, for_update=True)
        if reason:
            raise _lock_error(reason, ds, unit, p)
        _upsert(Row(unit, el, option or "", p.start, number, comment), Origin.MANUAL, actor=user)
    return DataValue.objects.get(unit=unit, element=el, option=option or "", period=p.start)


IMPORT_FIELDS = ("unit", "element", "option", "period", "value", "comment")


def _xlsx_rows(content: str) -> list[dict]:
    """Rows of the first sheet of an .xlsx workbook sent as Base64, keyed by its header row."""
    import base64
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(base64.b64decode(content, validate=True)), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as e:
        raise ValueError("not an xlsx workbook") from e
    sheet = book.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = [str(h or "").strip() for h in next(lines, ())]
    if not {"unit", "element", "period", "value"} <= set(header):
        raise ValueError("no header")
    rows = []
    for line in lines:
        if all(v in (None, "") for v in line):
            continue
        row = {}
        for name, v in zip(header, line):
            if name:
                row[name] = v.strftime("%Y-%m") if isinstance(v, dt.date) and name == "period" else ("" if v is None else str(v) if name != "value" else v)
        rows.append(row)
    book.close()
    return rows


def read_import(fmt: str, content: str) -> list[dict]:
    """Rows from a JSON array of objects, a CSV with a header (unit, element, option, period,
    value, comment), or an Excel workbook (.xlsx, Base64) with the same header on its first sheet.
    INVALID_IMPORT when the document cannot be read."""
    fmt = (fmt or "").lower()
    try:
        if fmt == "json":
            data = json.loads(content)
            if isinstance(data, dict):
                data = data.get("rows") or data.get("dataValues")
            if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
                raise ValueError
            rows = data
        elif fmt == "csv":
            reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
            if not reader.fieldnames or not {"unit", "element", "period", "value"} <= {f.strip() for f in reader.fieldnames}:
                raise ValueError
            rows = [{(k or "").strip(): v for k, v in r.items()} for r in reader]
        elif fmt == "xlsx":
            rows = _xlsx_rows(content)
        else:
            raise DomainError("INVALID_IMPORT", _("只支持 JSON、CSV 和 Excel（xlsx）格式。"), "format")
    except (ValueError, csv.Error):
        raise DomainError("INVALID_IMPORT", _("无法读取导入文件：JSON 须为对象数组，CSV 与 Excel 须有表头 unit,element,option,period,value,comment。"),
                          "content") from None
    if len(rows) > MAX_IMPORT_ROWS:
        raise DomainError("INVALID_IMPORT", _("一次最多导入50000行。"), "content")
    return rows


def import_values(user, fmt: str, content: str, *, origin: str = Origin.IMPORT) -> WriteResult:
    """Import values keyed by unit code, data element code, option and period, of the data set a
    row names in its optional `dataSet` column (default: the standard monthly one). Idempotent (the
    same file twice changes nothing the second time); every bad row is reported with its row
    number (1 = the first data row) and the good rows are written together, in one transaction.
    A row of a submitted period is DATA_LOCKED, one past the lock date without a reopening
    PERIOD_LOCKED. Who: holders of supervision.report at each row's unit (others are per-row
    errors)."""
    rows = read_import(fmt, content)
    elements = _catalogue()
    result = WriteResult()
    good: list[tuple[int, Row]] = []
    row_sets: dict[int, tuple[DataSet, Period]] = {}
    sets: dict[str, DataSet] = {}
    members: dict[int, set[int]] = {}
    seen = set()
    for n, raw in enumerate(rows, start=1):
        try:
            unit = _unit_of(raw.get("unit"))
            if unit is None:
                raise DomainError("UNKNOWN_UNIT", _("找不到单位：%(code)s。") % {"code": raw.get("unit") or ""}, "unit")
            if not has_perm(user, "supervision.report", unit):
                raise DomainError("PERMISSION_DENIED", _("您不能填报该单位的数据。"), "unit")
            el = elements.get(str(raw.get("element") or "").strip())
            if el is None:
                raise DomainError("UNKNOWN_ELEMENT", _("没有代码为 %(code)s 的数据元。") % {"code": raw.get("element") or ""}, "element")
            ds_code = str(raw.get("dataSet") or raw.get("data_set") or "").strip() or STANDARD_DATA_SET
            if ds_code not in sets:
                sets[ds_code] = get_data_set(ds_code)
            ds = sets[ds_code]
            p = data_set_period(ds, raw.get("period"))
            if ds.pk not in members:
                members[ds.pk] = set(ds.elements.values_list("pk", flat=True))
            if not ds.assigned_to(unit):
                raise _not_assigned(ds, unit)
            if el.pk not in members[ds.pk]:
                raise _not_in_set(ds, el)
            number = _parse_value(raw.get("value"), el)
            option = str(raw.get("option") or "").strip()
            comment = str(raw.get("comment") or "").strip()[:500]
            _check_row(el, option, number, comment)
            key = (unit.pk, el.pk, option, p.start)
            if key in seen:
                raise DomainError("INVALID", _("与前面的行重复（同一单位、数据元、分类与期间）。"), "unit")
            seen.add(key)
            good.append((n, Row(unit, el, option, p.start, number, comment)))
            row_sets[n] = (ds, p)
        except DomainError as e:
            result.errors.append({"row": n, "field": e.field, "code": e.code, "message": str(e.message)})
    with transaction.atomic():
        reasons: dict = {}
        paths: dict = {}
        for n, row in good:
            ds, p = row_sets[n]
            key = (ds.pk, row.unit.pk, p.start)
            if key not in reasons:
                reasons[key] = lock_reason(ds, row.unit.pk, p, for_update=True)
            if reasons[key]:
                e = _lock_error(reasons[key], ds, row.unit, p)
                result.errors.append({"row": n, "field": "period", "code": e.code, "message": str(e.message)})
                continue
            outcome = _upsert(row, origin, actor=user, paths=paths)
            setattr(result, outcome, getattr(result, outcome) + 1)
        audit.record("supervision.import", actor=user, object_type="supervision.import", object_id=fmt,
                     after={"rows": len(rows), "created": result.created, "updated": result.updated,
                            "errors": len(result.errors)})
    result.errors.sort(key=lambda e: e["row"])
    return result


# --- automatic collection (inside a tenant) --------------------------------------------------------

VALUES_MESSAGE = "supervision.values"


def last_month(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def collect(month: dt.date | None = None) -> int:
    """In the current tenant: gather every installed app's data elements for `month` (default
    last month) from its `stats.monthly(period)` and send them to the province through the bus,
    in one message. Who: the periodic task `collect` (and operators). Returns the rows sent."""
    from importlib import import_module

    from django.db import connection

    from jianlian import bus
    from jianlian.marketplace import manifest as manifests
    from jianlian.marketplace.services import installed_keys
    from tenants.models import Tenant

    month = (month or last_month()).replace(day=1)
    tenant = Tenant.objects.filter(schema_name=connection.schema_name).first()
    if tenant is None:
        return 0
    installed = installed_keys(tenant)
    rows = []
    for key, m in manifests.registry().items():
        if key not in installed or not m.data_elements:
            continue
        try:
            stats = import_module(f"{m.app_name}.stats")
        except ModuleNotFoundError:
            continue
        wanted = set(m.data_elements)
        for r in stats.monthly(month):
            if r["element"] in wanted:
                rows.append({"unit": r["unit_id"], "element": r["element"], "option": r.get("option", ""),
                             "value": str(r["value"])})
    with transaction.atomic():
        bus.send("public", VALUES_MESSAGE, {"period": month.strftime("%Y-%m"), "apps": sorted(installed), "rows": rows},
                 conversation=f"collect:{month:%Y-%m}")
    return len(rows)


def apply_collected(sender_schema: str, payload: dict) -> WriteResult:
    """In public (the bus handler): apply a tenant's collected values. A row counts only for a
    unit that tenant owns and an element the catalogue knows; a locked month is left as approved
    (reported in the result, not an error of the message). Idempotent by the value key."""
    from tenants.models import Tenant

    result = WriteResult()
    tenant = Tenant.objects.select_related("org_unit").filter(schema_name=sender_schema).first()
    if tenant is None:
        return result
    month = parse_month(payload.get("period"))
    own = set(tenant.org_unit.get_descendants(include_self=True).values_list("pk", flat=True))
    elements = _catalogue()
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=own)}
    paths: dict = {}
    for n, raw in enumerate(payload.get("rows") or [], start=1):
        unit, el = units.get(raw.get("unit")), elements.get(raw.get("element"))
        if unit is None or el is None:
            result.errors.append({"row": n, "field": "unit" if unit is None else "element", "code": "UNKNOWN_UNIT" if unit is None else "UNKNOWN_ELEMENT", "message": ""})
            continue
        if approval_locked(unit.pk, month, el):
            result.errors.append({"row": n, "field": "period", "code": "DATA_LOCKED", "message": ""})
            continue
        try:
            value = _parse_value(raw.get("value"), el)
        except DomainError as e:
            result.errors.append({"row": n, "field": "value", "code": e.code, "message": ""})
            continue
        outcome = _upsert(Row(unit, el, raw.get("option") or "", month, value, ""), Origin.AUTO,
                          source_tenant=sender_schema, paths=paths)
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result


# --- reading and rolling up -------------------------------------------------------------------------

def mark_stale(month: dt.date) -> None:
    """The month's aggregates no longer match its values (in the writer's transaction)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO supervision_rollupstate AS s (period, stale) VALUES (%s, true)
               ON CONFLICT (period) DO UPDATE SET stale = true WHERE NOT s.stale""", [month])


def refresh_paths(month: dt.date) -> int:
    """Re-home the month's values of units placed anew since the month began (a move recorded
    after a value was entered for the month it happened in), so that every value of the month
    sits where its unit was at the month's end. Earlier months are not touched: their placement
    is history. Marks the month stale when something moved. Returns how many values moved."""
    start = timezone.make_aware(dt.datetime.combine(month, dt.time.min))
    placed = list(UnitPlacement.objects.filter(valid_from__gte=start).values_list("unit_id", flat=True).distinct())
    if not placed:
        return 0
    moved = 0
    units = DataValue.objects.filter(period=month, path__overlap=placed).values_list("unit_id", flat=True).distinct()
    for unit in OrgUnit.objects.filter(pk__in=list(units)):
        moved += DataValue.objects.filter(period=month, unit=unit).exclude(path=path_at(unit, month)).update(
            path=path_at(unit, month))
    if moved:
        mark_stale(month)
    return moved


def rollup(months: list[dt.date] | None = None) -> list[dt.date]:
    """Recompute the aggregates of the given months (default: every stale one) for every node,
    from the values and the paths they were reported under, in one statement per month: each
    value counts once for each node on its path. Leaf units (members, standalone hospitals) get
    no aggregate rows: their own values are what they aggregate to. Months another rollup is working on are
    skipped (SKIP LOCKED). Values of the current and the last month are re-homed first when their
    unit moved since they were entered (`refresh_paths`). Who: the periodic task `rollup`, benchmarks, operators. Returns the
    months done."""
    from django.db import connection

    done = []
    with transaction.atomic():
        for m in months or []:
            RollupState.objects.get_or_create(period=m)
        for m in months or [timezone.localdate().replace(day=1), last_month()]:  # moves only touch recent months
            refresh_paths(m)
        qs = RollupState.objects.select_for_update(skip_locked=True)
        qs = qs.filter(period__in=months) if months else qs.filter(stale=True)
        for state in qs.order_by("period"):
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM supervision_aggregate WHERE period = %s", [state.period])
                cursor.execute(
                    """INSERT INTO supervision_aggregate (node_id, element_id, option, level, period, value, units)
                       SELECT n.node, v.element_id, v.option, u.level, v.period,
                              CASE WHEN e.aggregation = 'average' THEN AVG(v.value) ELSE SUM(v.value) END, COUNT(*)
                       FROM supervision_datavalue v
                       JOIN supervision_dataelement e ON e.id = v.element_id
                       JOIN hierarchy_orgunit u ON u.id = v.unit_id
                       CROSS JOIN LATERAL unnest(v.path) AS n(node)
                       WHERE v.period = %s AND NOT (n.node = v.unit_id AND u.level = ANY(%s))
                       GROUP BY n.node, v.element_id, v.option, u.level, v.period, e.aggregation""",
                    [state.period, list(LEAF_LEVELS)])
            state.stale, state.rolled_up_at = False, timezone.now()
            state.save(update_fields=["stale", "rolled_up_at"])
            done.append(state.period)
        if done:
            check_alerts(done)
    return done


# --- threshold alerts ------------------------------------------------------------------------

ALERT_LEVELS = ("county", "lead", "hospital")  # what a supervisor watches below their node
_COMPARE = {"<=": lambda a, b: a <= b, "<": lambda a, b: a < b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
            ">=": lambda a, b: a >= b, ">": lambda a, b: a > b}


def save_alert(user, *, indicator: str, node_id: int, operator: str, threshold, active: bool = True) -> "Alert":
    """Watch an indicator over a subtree: a supervisor (supervision.view_aggregates at the node)
    is told when a county, community or hospital below it crosses the threshold in a month. The
    same indicator, node and operator again changes that alert's threshold and whether it is
    active. Raises UNKNOWN_INDICATOR, INVALID_OPERATOR, INVALID_VALUE. Audited."""
    from modules.supervision.models import Alert

    node = OrgUnit.objects.filter(pk=node_id).first()
    if node is None or not has_perm(user, "supervision.view_aggregates", node):
        raise PermissionDeniedError()
    ind = Indicator.objects.filter(code=str(indicator or "").strip()).first()
    problems = []
    if ind is None:
        problems.append(DomainError("UNKNOWN_INDICATOR", _("没有这个指标。"), "indicator"))
    if operator not in Operator.values:
        problems.append(DomainError("INVALID_OPERATOR", _("运算符只能是 <、<=、=、!=、>=、>。"), "operator"))
    try:
        number = Decimal(str(threshold))
        if not number.is_finite() or abs(number) >= Decimal("1e14"):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems.append(DomainError("INVALID_VALUE", _("阈值必须是数字。"), "threshold"))
    if problems:
        raise DomainError.many(problems)
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(indicator=ind, node=node, operator=operator).order_by("pk").first()
        if alert is None:
            alert = Alert.objects.create(indicator=ind, node=node, operator=operator, threshold=number,
                                         active=bool(active), created_by=user.pk)
        else:
            alert.threshold, alert.active = number, bool(active)
            alert.save(update_fields=["threshold", "active"])
        audit.record("supervision.alert", actor=user, object_type="supervision.alert", object_id=str(alert.pk),
                     after={"indicator": ind.code, "node": node.pk, "operator": operator, "threshold": str(number),
                            "active": bool(active)})
    return alert


def _watched(user, node_id: int) -> OrgUnit:
    node = OrgUnit.objects.filter(pk=node_id).first()
    if node is None or not has_perm(user, "supervision.view_aggregates", node):
        raise PermissionDeniedError()
    return node


def alerts(user, node_id: int) -> list["Alert"]:
    """The alerts set at the node or below it. Who: supervision.view_aggregates at the node."""
    from modules.supervision.models import Alert

    node = _watched(user, node_id)
    return list(Alert.objects.filter(node__tree_id=node.tree_id, node__lft__gte=node.lft, node__rght__lte=node.rght)
                .select_related("indicator", "node").order_by("pk"))


def alert_firings(user, node_id: int, period_text=None) -> list["AlertFiring"]:
    """The crossings at the node or below it (of a period's months, when given), newest first.
    Who: supervision.view_aggregates at the node."""
    from modules.supervision.models import AlertFiring

    node = _watched(user, node_id)
    firings = AlertFiring.objects.filter(node__tree_id=node.tree_id, node__lft__gte=node.lft, node__rght__lte=node.rght)
    if period_text:
        period = parse_period(period_text)
        firings = firings.filter(period__gte=period.start, period__lt=period.end)
    return list(firings.select_related("alert__indicator", "node").order_by("-period", "-fired_at", "-pk"))


def check_alerts(months: list[dt.date]) -> int:
    """After a roll-up: evaluate every active alert for the months, at each county, community and
    hospital below its node, and tell the alert node's supervisors of each new crossing (once per
    alert, node and month). Returns how many fired."""
    from modules.supervision.models import Alert, AlertFiring

    fired = 0
    elements = _catalogue()
    for alert in Alert.objects.filter(active=True).select_related("indicator", "node"):
        root = alert.node
        nodes = OrgUnit.objects.filter(tree_id=root.tree_id, lft__gte=root.lft, rght__lte=root.rght, level__in=ALERT_LEVELS)
        for month in months:
            period = parse_period(month.strftime("%Y-%m"))
            for node in nodes:
                [row] = indicator_values(node, period, [alert.indicator], elements=elements)
                value = row["value"]
                if value is None or not _COMPARE[alert.operator](Decimal(str(value)), alert.threshold):
                    continue
                firing, created = AlertFiring.objects.get_or_create(alert=alert, node=node, period=month,
                                                                    defaults={"value": Decimal(str(value))})
                if created:
                    fired += 1
                    _notify(root, "supervision.view_aggregates",
                            _("指标预警：%(node)s %(indicator)s") % {"node": node.name, "indicator": alert.indicator.name},
                            _("%(period)s %(node)s 的「%(indicator)s」为 %(value)s，%(op)s 预警阈值 %(threshold)s。") % {
                                "period": month.strftime("%Y-%m"), "node": node.name, "indicator": alert.indicator.name,
                                "value": value, "op": Operator(alert.operator).label, "threshold": alert.threshold})
    return fired

def can_view(user, node: OrgUnit) -> bool:
    """Supervisors see aggregates of their subtree; units see their own."""
    return has_perm(user, "supervision.view_aggregates", node) or has_perm(user, "supervision.report", node)


def access_node(user, node_id: int) -> OrgUnit:
    node = OrgUnit.objects.filter(pk=node_id).first()
    if node is None or not can_view(user, node):
        raise PermissionDeniedError()
    return node


def aggregate(node: OrgUnit, period: Period, element_ids=None) -> dict[tuple[int, str, str], float]:
    """{(element_id, option, unit level): value} for the node's subtree in the period, as the
    tree was in each month: sums for SUM; for LAST, each unit's last month in the period, summed
    over units; for AVERAGE, the mean of all monthly values. A month whose rollup is current is
    read from the aggregates; anything else is computed from the values."""
    from django.db import connection

    if (len(period.months) == 1 and node.level not in LEAF_LEVELS
            and RollupState.objects.filter(period=period.start, stale=False).exists()):
        rows = Aggregate.objects.filter(node_id=node.pk, period=period.start)
        if element_ids is not None:
            rows = rows.filter(element_id__in=list(element_ids))
        return {(e, o, lv): val for e, o, lv, val in rows.values_list("element_id", "option", "level", "value")}
    return compute_aggregate(node, period, element_ids)


def compute_aggregate(node: OrgUnit, period: Period, element_ids=None) -> dict[tuple[int, str, str], float]:
    """`aggregate` computed from the values (no rollup)."""
    from django.db import connection

    params = [node.pk, period.start, period.end]
    only = ""
    if element_ids is not None:
        only = " AND v.element_id = ANY(%s)"
        params.append(list(element_ids))
    sql = f"""
        WITH v AS (
            SELECT v.unit_id, v.element_id, v.option, v.period, v.value, e.aggregation, u.level
            FROM supervision_datavalue v
            JOIN supervision_dataelement e ON e.id = v.element_id
            JOIN hierarchy_orgunit u ON u.id = v.unit_id
            WHERE v.path @> ARRAY[%s]::bigint[] AND v.period >= %s AND v.period < %s{only}
        ), last AS (
            SELECT DISTINCT ON (unit_id, element_id, option) element_id, option, level, value
            FROM v WHERE aggregation = 'last' ORDER BY unit_id, element_id, option, period DESC
        )
        SELECT element_id, option, level, SUM(value)::float FROM v WHERE aggregation = 'sum'
            GROUP BY element_id, option, level
        UNION ALL
        SELECT element_id, option, level, SUM(value)::float FROM last GROUP BY element_id, option, level
        UNION ALL
        SELECT element_id, option, level, AVG(value)::float FROM v WHERE aggregation = 'average'
            GROUP BY element_id, option, level
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(e, o, lv): val for e, o, lv, val in cursor.fetchall()}


class Lookup:
    """Resolves formula references against one aggregate: the element's total is the sum of its
    options (or, for AVERAGE elements, their mean); a level restricts to units of that level."""

    def __init__(self, agg: dict, elements: dict[str, DataElement]):
        self.elements = elements
        self.by = defaultdict(list)
        for (eid, option, level), value in agg.items():
            self.by[eid].append((option, level, value))

    def __call__(self, ref: formulas.Ref):
        el = self.elements.get(ref.element)
        if el is None:
            return None
        xs = [v for o, lv, v in self.by.get(el.pk, ()) if (not ref.option or o == ref.option) and (not ref.level or lv == ref.level)]
        if not xs:
            return None
        return sum(xs) / len(xs) if el.aggregation == Aggregation.AVERAGE else sum(xs)


def indicator_values(node: OrgUnit, period: Period, indicators=None, *, elements=None, agg=None) -> list[dict]:
    """Each indicator at the node for the period, recomputed from the aggregated numerator and
    denominator (never an average of the children's percentages)."""
    elements = elements or _catalogue()
    indicators = list(indicators if indicators is not None else Indicator.objects.all())
    agg = agg if agg is not None else aggregate(node, period)
    lookup = Lookup(agg, elements)
    out = []
    for ind in indicators:
        num_f = formulas.parse(ind.numerator, _known(elements))
        den_f = formulas.parse(ind.denominator or "1", _known(elements))
        num, den = num_f.evaluate(lookup, period.days), den_f.evaluate(lookup, period.days)
        value = None
        if num is not None and den:
            value = round(num / den * ind.factor, 4)
        out.append({"indicator": ind, "numerator": num, "denominator": den, "value": value})
    return out


def dashboard(user, node_id: int, period_text) -> dict:
    """A supervisor's view of one node: its indicators, and the same for each child (a league
    table), for the period. Who: supervision.view_aggregates at the node (or a unit's own)."""
    node = access_node(user, node_id)
    period = parse_period(period_text)
    elements = _catalogue()
    indicators = list(Indicator.objects.all())
    rows = [{"node": node, "values": indicator_values(node, period, indicators, elements=elements)}]
    for child in node.get_children():
        rows.append({"node": child, "values": indicator_values(child, period, indicators, elements=elements)})
    return {"period": period, "rows": rows}


def run_validation(user, unit_id: int, period_text) -> list[dict]:
    """The validation rules that a unit's values for the period violate: [{rule, left, right}].
    A rule whose sides have no data is skipped. Who: whoever may see the unit's values."""
    node = access_node(user, unit_id)
    period = parse_period(period_text)
    elements = _catalogue()
    lookup = Lookup(aggregate(node, period), elements)
    ops = {"<=": lambda a, b: a <= b, "<": lambda a, b: a < b, "==": lambda a, b: abs(a - b) < 1e-9,
           "!=": lambda a, b: abs(a - b) >= 1e-9, ">=": lambda a, b: a >= b, ">": lambda a, b: a > b}
    out = []
    for rule in ValidationRule.objects.all():
        left = formulas.parse(rule.left, _known(elements)).evaluate(lookup, period.days)
        right = formulas.parse(rule.right, _known(elements)).evaluate(lookup, period.days)
        if left is None or right is None:
            continue
        if not ops[rule.operator](left, right):
            out.append({"rule": rule, "left": left, "right": right})
    return out


def completeness(user, node_id: int, period_text, data_set: str | None = None) -> list[dict]:
    """Per unit under the node that the data set (default: the standard monthly one) is assigned
    to (and every unit that reported under it in that period, as the tree was then): whether it
    submitted (complete), on time (by the data set's due date), and how many of the data set's
    values it has. Who: supervision.view_aggregates at the node."""
    node = access_node(user, node_id)
    ds = get_data_set(data_set)
    month = data_set_period(ds, period_text).start
    element_ids = list(ds.elements.values_list("pk", flat=True))
    in_period = DataValue.objects.filter(path__contains=[node.pk], period=month, element_id__in=element_ids)
    counts = defaultdict(int)
    for unit_id in in_period.values_list("unit_id", flat=True):
        counts[unit_id] += 1
    units = [u for u in node.get_descendants(include_self=True).filter(level__in=ds.levels, is_active=True)
             if ds.assigned_to(u)]
    moved_in_ids = set(counts) - {u.pk for u in units}
    units += list(OrgUnit.objects.filter(pk__in=moved_in_ids))
    approvals = {a.unit_id: a for a in Approval.objects.filter(data_set=ds, period=month, unit__in=units)}
    out = []
    for u in units:
        a = approvals.get(u.pk)
        out.append({"unit": u, "values": counts.get(u.pk, 0), "complete": bool(a and a.step >= Step.SUBMITTED),
                    "on_time": bool(a and a.on_time), "step": a.step if a else Step.OPEN})
    return out


# --- approval up the tree ---------------------------------------------------------------------------

def _chain(unit: OrgUnit, month: dt.date) -> list[tuple[int, OrgUnit]]:
    """The approval steps after submission for the unit's month: [(step, node)], from its path
    in force at the month (skipping levels it has not above it)."""
    nodes = {u.pk: u for u in OrgUnit.objects.filter(pk__in=path_at(unit, month))}
    by_level = {}
    for u in nodes.values():
        by_level.setdefault(u.level, u)
    return [(step, by_level[level]) for step, level in STEP_LEVEL.items() if level in by_level]


def _notify(node, permission: str, title: str, body: str) -> None:
    """Tell the people granted `permission` at `node` (or at any of a list of nodes), in the
    schema where their role lives."""
    from jianlian.access.models import RoleGrant
    from jianlian.notifications.services import notify
    from tenants.context import tenant_context

    by_tenant = defaultdict(set)
    for user_id, tenant in ((g.user_id, g.role.tenant) for g in
                            RoleGrant.objects.select_related("role__tenant").filter(
                                node__in=node if isinstance(node, list) else [node], role__permissions__contains=[permission])):
        by_tenant[tenant].add(user_id)
    for tenant, users in by_tenant.items():
        if tenant is None:
            notify(users, sender_name=_("监管在线"), title=title, body=body)
        else:
            with tenant_context(tenant):
                notify(users, sender_name=_("监管在线"), title=title, body=body)


def _feed_todos(approval: Approval, unit: OrgUnit, month: dt.date, period: Period) -> None:
    """The to-do centre: a report waiting for approval is on the list of the approvers of the
    next level (in the tenant where their role lives) and off everyone else's on its chain."""
    from jianlian import todos
    from jianlian.access.models import RoleGrant
    from tenants.context import tenant_context

    chain = _chain(unit, month)
    following = [n for s, n in chain if s > approval.step] if approval.step >= Step.SUBMITTED else []
    key = f"supervision:approval:{approval.pk}"
    for _step_no, node in chain:
        by_tenant = defaultdict(set)
        for g in RoleGrant.objects.select_related("role__tenant").filter(
                node=node, role__permissions__contains=["supervision.approve"]):
            if g.role.tenant is not None:  # the province console has no to-do list
                by_tenant[g.role.tenant].add(g.user_id)
        for tenant, users in by_tenant.items():
            with tenant_context(tenant):
                if following and node.pk == following[0].pk:
                    todos.create_todo(users, source="supervision", kind="approve", key=key, link="/supervision/approvals",
                                      title=_("监管数据待审核：%(unit)s %(period)s") % {"unit": unit.name, "period": period.label},
                                      summary=approval.data_set.name)
                else:
                    todos.complete_todo(key, user_ids=users)


def approves_at(user, node: OrgUnit) -> bool:
    """Each level takes its own step: the approver must hold supervision.approve by a grant at
    that very node (a county supervisor, whose grant covers the communities below, still cannot
    approve in a community's place)."""
    from jianlian.access.models import RoleGrant

    if not has_perm(user, "supervision.approve", node):
        return False
    return user.is_superuser or RoleGrant.objects.filter(
        user_id=user.pk, node_id=node.pk, role__permissions__contains=["supervision.approve"]).exists()


def _approval(ds: DataSet, unit: OrgUnit, month: dt.date) -> Approval:
    approval, _c = Approval.objects.get_or_create(data_set=ds, unit=unit, period=month)
    return Approval.objects.select_for_update().get(pk=approval.pk)


def _step(approval: Approval, user, action: str, to_step: int, reason: str = "", period: Period | None = None) -> Approval:
    before = approval.step
    approval.step = to_step
    if action == "submit":
        approval.submitted_at = timezone.now()
        approval.on_time = timezone.localdate(approval.submitted_at) <= due_date(approval.data_set, period)
    approval.save()
    ApprovalEvent.objects.create(approval=approval, action=action, from_step=before, to_step=to_step, actor=user, reason=reason)
    audit.record(f"supervision.{action}", actor=user, object_type="supervision.approval", object_id=str(approval.pk),
                 before={"step": before}, after={"step": to_step, "unit": approval.unit_id, "data_set": approval.data_set.code,
                                                 "period": period.label if period else approval.period.strftime("%Y-%m"),
                                                 "reason": reason})
    return approval


def submit(user, unit_id: int, period_text, data_set: str | None = None) -> Approval:
    """The unit reports its period of a data set (default: the standard monthly one): OPEN →
    SUBMITTED, which locks entry; on time up to the data set's due date. Who: supervision.report
    at the unit. Notifies its community's approvers."""
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None or not has_perm(user, "supervision.report", unit):
        raise PermissionDeniedError()
    ds = get_data_set(data_set)
    period = data_set_period(ds, period_text)
    month = period.start
    if not ds.assigned_to(unit):
        raise _not_assigned(ds, unit)
    with transaction.atomic():
        approval = _approval(ds, unit, month)
        if approval.step != Step.OPEN:
            raise DomainError("ILLEGAL_APPROVAL", _("该月数据已上报，不能重复上报。"), "period")
        approval = _step(approval, user, "submit", Step.SUBMITTED, period=period)
        _feed_todos(approval, unit, month, period)
        chain = _chain(unit, month)
        if chain:
            _notify(chain[0][1], "supervision.approve", _("监管数据待审核"),
                    _("%(unit)s 已上报 %(period)s 的监管数据，请审核。") % {"unit": unit.name, "period": period.label})
    return approval


def approve(user, unit_id: int, period_text, data_set: str | None = None) -> Approval:
    """The next level up approves the unit's period of a data set (community → county → city →
    province). Who: supervision.approve granted at that level's node (`approves_at`). Notifies the
    level after it."""
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise PermissionDeniedError()
    ds = get_data_set(data_set)
    period = data_set_period(ds, period_text)
    month = period.start
    with transaction.atomic():
        approval = _approval(ds, unit, month)
        chain = _chain(unit, month)
        following = [(s, n) for s, n in chain if s > approval.step]
        if approval.step < Step.SUBMITTED or not following:
            raise DomainError("ILLEGAL_APPROVAL", _("该月数据尚未上报或已完成全部审核。"), "period")
        step, node = following[0]
        if not approves_at(user, node):
            raise PermissionDeniedError()
        approval = _step(approval, user, "approve", step, period=period)
        _feed_todos(approval, unit, month, period)
        if len(following) > 1:
            _notify(following[1][1], "supervision.approve", _("监管数据待审核"),
                    _("%(unit)s %(period)s 的监管数据已通过%(by)s审核，请继续审核。")
                    % {"unit": unit.name, "period": period.label, "by": node.name})
    return approval


def unapprove(user, unit_id: int, period_text, reason: str, data_set: str | None = None) -> Approval:
    """Step the unit's period of a data set back one level, with a reason (returning a submission
    reopens entry, up to the lock date). Who: supervision.approve at the node that took the
    current step (for a submission, the community's), or at the next node up. Notifies the unit's
    reporters."""
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise PermissionDeniedError()
    ds = get_data_set(data_set)
    period = data_set_period(ds, period_text)
    month = period.start
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("REASON_REQUIRED", _("退回或撤销审核须填写原因。"), "reason")
    if len(reason) > 500:
        raise DomainError("TOO_LONG", _("原因不能超过500字。"), "reason")
    with transaction.atomic():
        approval = _approval(ds, unit, month)
        if approval.step == Step.OPEN:
            raise DomainError("ILLEGAL_APPROVAL", _("该月数据尚未上报，无需退回。"), "period")
        chain = _chain(unit, month)
        steps = [Step.SUBMITTED] + [s for s, _n in chain]
        nodes = dict(chain)
        current = steps.index(approval.step) if approval.step in steps else len(steps) - 1
        allowed = [nodes.get(approval.step), nodes.get(steps[current + 1]) if current + 1 < len(steps) else None]
        if approval.step == Step.SUBMITTED:
            allowed = [nodes.get(steps[1])] if len(steps) > 1 else [unit]
        if not any(n is not None and approves_at(user, n) for n in allowed):
            raise PermissionDeniedError()
        to_step = Step.OPEN if current == 0 else steps[current - 1]
        approval = _step(approval, user, "unapprove", to_step, reason, period=period)
        _feed_todos(approval, unit, month, period)
        _notify([n for n in OrgUnit.objects.filter(pk__in=path_at(unit, month), level__in=REPORTING_LEVELS)],
                "supervision.report", _("监管数据被退回"),
                _("%(unit)s %(period)s 的监管数据被退回：%(reason)s") % {"unit": unit.name, "period": period.label, "reason": reason})
    return approval


def unit_values(user, unit_id: int, period_text, data_set: str | None = None) -> list[DataValue]:
    """The values a unit reported for a period of a data set (default: every element, monthly).
    Who: whoever may see the unit."""
    unit = access_node(user, unit_id)
    values = DataValue.objects.filter(unit=unit).select_related("element").order_by("element__code", "option")
    if data_set:
        ds = get_data_set(data_set)
        values = values.filter(element__in=ds.elements.all())
    else:
        ds = get_data_set(None)
    return list(values.filter(period=data_set_period(ds, period_text).start))


def approvals(user, node_id: int, period_text, data_set: str | None = None) -> list[Approval]:
    """The approval state of every unit under the node for a period of a data set (default: the
    standard monthly one; an approver's queue). Who: whoever may see the node."""
    node = access_node(user, node_id)
    ds = get_data_set(data_set)
    month = data_set_period(ds, period_text).start
    return list(Approval.objects.filter(data_set=ds, period=month, unit__in=node.get_descendants(include_self=True))
                .select_related("unit", "data_set"))


def entry_form(user, data_set, unit_id: int, period_text) -> dict:
    """What the entry form of a unit's period of a data set shows: the data set, the period, its
    due and lock dates, whether it is locked and why (`lock_reason`), the approval step, one row
    per element (its options, with the current values, comments and outlier flags) and the
    validation rules the values break. Who: supervision.report at the unit, or whoever may see
    its aggregates (`can_report` False: read-only). NOT_ASSIGNED when the data set is not the unit's."""
    unit = access_node(user, unit_id)
    ds = get_data_set(data_set)
    period = data_set_period(ds, period_text)
    if not ds.assigned_to(unit):
        raise _not_assigned(ds, unit)
    elements = list(ds.elements.order_by("code"))
    values = {(v.element_id, v.option): v for v in DataValue.objects.filter(unit=unit, period=period.start, element__in=elements)}
    rows = []
    for el in elements:
        labels = dict(DISAGGREGATIONS.get(el.disaggregation, []))
        cells = [{"option": o, "label": labels.get(o, o), "value": values.get((el.pk, o))} for o in (el.options() or [""])]
        rows.append({"element": el, "cells": cells})
    approval = Approval.objects.filter(data_set=ds, unit=unit, period=period.start).first()
    reason = lock_reason(ds, unit.pk, period)
    return {"can_report": has_perm(user, "supervision.report", unit), "data_set": ds, "unit": unit, "period": period, "due_date": due_date(ds, period),
            "lock_date": lock_date(ds, period), "reopened_until": reopened_until(ds, unit.pk, period.start),
            "lock_reason": reason, "step": approval.step if approval else Step.OPEN,
            "on_time": approval.on_time if approval else None, "rows": rows,
            "violations": run_validation(user, unit.pk, period.label)}
