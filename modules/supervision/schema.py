"""GraphQL for supervision online: the catalogue, data sets, dashboards (indicators of a node and
its children), completeness, validation, the entry form, manual entry, import, reopening, approval
up the tree and threshold alerts. Arguments named `dataSet` take a data set's code; without one
they mean the standard monthly set.

Supervisors work on the province console (no tenant): the read fields and the approval and
definition mutations are listed in the manifest's `console_fields`, so they are open there and
check their own permissions; in a tenant they are gated by the installation as usual.
"""

from __future__ import annotations

import graphene

from jianlian.api.base import BaseMutation, decode_id, require_user
from jianlian.api.types import ModelType
from jianlian.core.errors import DomainError, PermissionDeniedError
from modules.supervision import services
from modules.supervision.actions import ACTIONS
from modules.supervision.report_mutations import ReportMutation
from jianlian.hierarchy.schema import OrgUnitType
from modules.supervision.models import (
    Aggregation, Approval, DataElement, DataSet, Disaggregation, Indicator, PeriodType, Step, ValueType,
)
from modules.supervision.schema_views import ViewsQuery

AggregationEnum = graphene.Enum.from_enum(Aggregation, name="SupervisionAggregation", description="汇总方式。")
ValueTypeEnum = graphene.Enum.from_enum(ValueType, name="SupervisionValueType", description="值类型。")
StepEnum = graphene.Enum("SupervisionStep", [(s.name, s.value) for s in Step], description="审核进度。")
PeriodTypeEnum = graphene.Enum.from_enum(PeriodType, name="SupervisionPeriodType", description="报告周期：月、季、年。")
LockReasonEnum = graphene.Enum("SupervisionLockReason", [("SUBMITTED", "SUBMITTED"), ("PAST_LOCK_DATE", "PAST_LOCK_DATE")],
                               description="填报锁定的原因：已上报或审核；已过锁定日期且未重新开放。")
ReportActionEnum = graphene.Enum("SupervisionReportAction", [(a, a) for a in ACTIONS],
                                 description="监管报表可以进行的操作：SUBMIT 上报、APPROVE 审核通过、RETURN 退回（须填原因）、"
                                             "REOPEN 过锁定日期后重新开放填报。")
FormatEnum = graphene.Enum("SupervisionImportFormat", [("JSON", "json"), ("CSV", "csv"), ("XLSX", "xlsx")],
                         description="导入格式：JSON、CSV，或 Excel（xlsx，内容用 Base64 编码）。")


def _perm_error(fn, *args, **kwargs):
    from jianlian.api.base import auth_error

    try:
        return fn(*args, **kwargs)
    except PermissionDeniedError as e:
        raise auth_error(e.code, e.message) from None


class DataElementType(ModelType):
    """A data element: a plain count or amount that units report each month."""

    aggregation = AggregationEnum(required=True, description="汇总方式。")
    value_type = ValueTypeEnum(required=True, description="值类型。")
    options = graphene.List(graphene.NonNull(graphene.String), required=True, description="分类选项（不分类时为空）。")

    class Meta:
        model = DataElement
        name = "SupervisionDataElement"
        fields = ("code", "name", "name_en", "disaggregation", "min_value", "max_value", "source_app", "description")

    @staticmethod
    def resolve_options(e, info):
        return e.options()


class IndicatorType(ModelType):
    """An indicator: numerator / denominator × factor, with the source of its definition."""

    class Meta:
        model = Indicator
        name = "SupervisionIndicator"
        fields = ("code", "name", "name_en", "numerator", "denominator", "factor", "unit_label", "source", "description")


class IndicatorValueType(graphene.ObjectType):
    """An indicator's value at a node, recomputed from its aggregated numerator and denominator."""

    code = graphene.String(required=True, description="指标代码。")
    name = graphene.String(required=True, description="指标名称。")
    numerator = graphene.Float(description="分子。")
    denominator = graphene.Float(description="分母。")
    value = graphene.Float(description="指标值（无数据或分母为零时为空）。")


class DashboardRowType(graphene.ObjectType):
    """One node of the dashboard (the node asked for first, then each child)."""

    unit_id = graphene.Int(required=True, description="组织单元编号。")
    unit_name = graphene.String(required=True, description="名称。")
    level = graphene.String(required=True, description="层级。")
    indicators = graphene.List(graphene.NonNull(IndicatorValueType), required=True, description="指标值。")


class DashboardType(graphene.ObjectType):
    """Indicators of a node and of its children for a period (a league table)."""

    period = graphene.String(required=True, description="期间。")
    rows = graphene.List(graphene.NonNull(DashboardRowType), required=True, description="各单位。")


class CompletenessType(graphene.ObjectType):
    """Whether a reporting unit submitted a month, and on time."""

    unit_id = graphene.Int(required=True, description="单位编号。")
    unit_name = graphene.String(required=True, description="单位名称。")
    values = graphene.Int(required=True, description="已有数据值个数。")
    complete = graphene.Boolean(required=True, description="已上报。")
    on_time = graphene.Boolean(required=True, description="按时上报。")
    step = StepEnum(required=True, description="审核进度。")


class ViolationType(graphene.ObjectType):
    """A validation rule the unit's values break."""

    code = graphene.String(required=True, description="规则代码。")
    name = graphene.String(required=True, description="规则名称。")
    left = graphene.Float(required=True, description="左侧值。")
    operator = graphene.String(required=True, description="运算符。")
    right = graphene.Float(required=True, description="右侧值。")
    instruction = graphene.String(required=True, description="提示。")


class ReturnType(graphene.ObjectType):
    """The return a unit's period stands at: its last step was a return (退回), with its reason."""

    reason = graphene.String(required=True, description="退回原因。")
    actor_name = graphene.String(required=True, description="退回人。")
    at = graphene.DateTime(required=True, description="退回时间。")

    class Meta:
        name = "SupervisionReturn"


def _return(e) -> ReturnType | None:
    if e is None:
        return None
    return ReturnType(reason=e.reason, actor_name=(e.actor.real_name or e.actor.username) if e.actor else "", at=e.at)


class ApprovalType(graphene.ObjectType):
    """Where a unit's period of a data set (its report) stands on its way up the tree."""

    class Meta:
        name = "SupervisionReport"

    unit_id = graphene.Int(required=True, description="单位编号。")
    data_set = graphene.String(required=True, description="数据集代码。")
    period = graphene.String(required=True, description="期间：2026-03、2026Q1 或 2026。")
    step = StepEnum(required=True, description="审核进度。")
    on_time = graphene.Boolean(description="按时上报。")
    available_actions = graphene.List(graphene.NonNull(ReportActionEnum), required=True,
                                      description="当前用户现在可以进行的操作（由服务器按进度与权限计算）。")

    @staticmethod
    def resolve_available_actions(root, info):
        return root.available(info.context.user)


def _label(ds: DataSet, start) -> str:
    if ds.period_type == PeriodType.QUARTERLY:
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    if ds.period_type == PeriodType.YEARLY:
        return str(start.year)
    return start.strftime("%Y-%m")


def _violation(v) -> "ViolationType":
    return ViolationType(code=v["rule"].code, name=v["rule"].name, left=v["left"], operator=v["rule"].operator,
                         right=v["right"], instruction=v["rule"].instruction)


def _approval(a: Approval) -> ApprovalType:
    def available(user):
        from modules.supervision.queue import period_state

        return period_state(user, a.unit, a.data_set, services.data_set_period(a.data_set, _label(a.data_set, a.period)))[
            "available_actions"]

    approval = ApprovalType(unit_id=a.unit_id, data_set=a.data_set.code, period=_label(a.data_set, a.period), step=int(a.step),
                            on_time=a.on_time)
    approval.available = available
    return approval


class DataSetType(ModelType):
    """A data set: the elements a kind of unit reports each period, with its due and lock days."""

    period_type = PeriodTypeEnum(required=True, description="报告周期。")
    elements = graphene.List(graphene.NonNull(DataElementType), required=True, description="数据元。")
    levels = graphene.List(graphene.NonNull(graphene.String), required=True, description="适用层级（OrgLevel 的值，如 member）。")
    unit_types = graphene.List(graphene.NonNull(graphene.String), required=True, description="适用单位类型；为空表示不限。")
    lock_days = graphene.Int(description="期末后第几天起锁定填报；为空表示不按日期锁定。")

    class Meta:
        model = DataSet
        name = "SupervisionDataSet"
        fields = ("code", "name", "name_en", "due_days", "description")

    @staticmethod
    def resolve_elements(ds, info):
        return ds.elements.all()


class EntryCellType(graphene.ObjectType):
    """One input of the entry form: an element's option (or its total when not disaggregated)."""

    option = graphene.String(required=True, description="分类选项（不分类时为空）。")
    label = graphene.String(required=True, description="分类选项名称（不分类时为空）。")
    value = graphene.Float(description="当前值；未填为空。")
    comment = graphene.String(required=True, description="说明。")
    is_outlier = graphene.Boolean(required=True, description="超出合理范围。")


class EntryRowType(graphene.ObjectType):
    """One element of the entry form, with its inputs."""

    element = graphene.Field(DataElementType, required=True, description="数据元。")
    min_value = graphene.Float(description="合理范围下限。")
    max_value = graphene.Float(description="合理范围上限。")
    cells = graphene.List(graphene.NonNull(EntryCellType), required=True, description="各分类选项的输入。")


class EntryFormType(graphene.ObjectType):
    """A unit's entry form for one period of a data set."""

    data_set = graphene.Field(DataSetType, required=True, description="数据集。")
    unit = graphene.Field(OrgUnitType, required=True, description="填报单位。")
    period = graphene.String(required=True, description="期间：2026-03、2026Q1 或 2026。")
    due_date = graphene.Date(required=True, description="按时上报的最后一天。")
    lock_date = graphene.Date(description="可填报的最后一天；为空表示不按日期锁定。")
    reopened_until = graphene.Date(description="重新开放填报至（含）；未重新开放为空。")
    locked = graphene.Boolean(required=True, description="已锁定，不能填报。")
    lock_reason = LockReasonEnum(description="锁定原因；未锁定为空。")
    can_report = graphene.Boolean(required=True, description="当前用户可以填报该单位（否则只读）。")
    step = StepEnum(required=True, description="审核进度。")
    on_time = graphene.Boolean(description="按时上报；未上报为空。")
    returned = graphene.Field(ReturnType, description="被退回（最后一步是退回）时的原因；否则为空。")
    available_actions = graphene.List(graphene.NonNull(ReportActionEnum), required=True,
                                      description="当前用户现在可以进行的操作（由服务器按进度与权限计算）。")
    rows = graphene.List(graphene.NonNull(EntryRowType), required=True, description="表单各行（每个数据元一行）。")
    violations = graphene.List(graphene.NonNull(lambda: ViolationType), required=True, description="违反的校验规则。")


def _float(x):
    return None if x is None else float(x)


class AlertType(graphene.ObjectType):
    """A threshold on an indicator over a supervisor's subtree."""

    id = graphene.Int(required=True, description="预警编号。")
    indicator = graphene.Field(IndicatorType, required=True, description="指标。")
    node = graphene.Field(OrgUnitType, required=True, description="监管范围（该单位及其下级）。")
    operator = graphene.String(required=True, description="运算符：<=、<、==、!=、>=、>。")
    threshold = graphene.Float(required=True, description="阈值。")
    active = graphene.Boolean(required=True, description="启用。")

    class Meta:
        name = "SupervisionAlert"


def _alert(a) -> AlertType:
    return AlertType(id=a.pk, indicator=a.indicator, node=a.node, operator=a.operator, threshold=float(a.threshold), active=a.active)


class AlertFiringType(graphene.ObjectType):
    """An alert that fired for one node and month."""

    alert = graphene.Field(AlertType, required=True, description="预警。")
    node = graphene.Field(OrgUnitType, required=True, description="越过阈值的单位。")
    period = graphene.String(required=True, description="月份。")
    value = graphene.Float(required=True, description="指标值。")
    fired_at = graphene.DateTime(required=True, description="触发时间。")

    class Meta:
        name = "SupervisionAlertFiring"


class DataValueType(graphene.ObjectType):
    """One value a unit reported (what its entry form shows)."""

    element = graphene.String(required=True, description="数据元代码。")
    option = graphene.String(required=True, description="分类选项（不分类时为空）。")
    period = graphene.String(required=True, description="月份。")
    value = graphene.Float(required=True, description="值。")
    comment = graphene.String(required=True, description="说明。")
    is_outlier = graphene.Boolean(required=True, description="超出合理范围。")
    origin = graphene.String(required=True, description="来源：auto 自动采集、import 导入、manual 手工填报。")


class ImportErrorType(graphene.ObjectType):
    """A row that was not imported."""

    row = graphene.Int(required=True, description="行号（第一行数据为1）。")
    field = graphene.String(description="出错的列。")
    code = graphene.String(required=True, description="错误代码。")
    message = graphene.String(required=True, description="说明。")


def _node(unit) -> int:
    return decode_id(unit, "OrgUnit", "unit")


class Query(ViewsQuery, graphene.ObjectType):
    supervision_data_elements = graphene.List(graphene.NonNull(DataElementType), required=True, description="数据元目录。")
    supervision_indicators = graphene.List(graphene.NonNull(IndicatorType), required=True, description="指标目录（含定义来源）。")
    supervision_dashboard = graphene.Field(
        DashboardType, required=True, unit=graphene.ID(required=True, description="组织单元。"),
        period=graphene.String(required=True, description="期间：2026-03、2026Q1 或 2026。"),
        description="某单位及其下级的指标（由汇总后的分子分母重新计算）。需要该单位的 supervision.view_aggregates 权限（本单位可看自己）。",
    )
    supervision_completeness = graphene.List(
        graphene.NonNull(CompletenessType), required=True, unit=graphene.ID(required=True, description="组织单元。"),
        period=graphene.String(required=True, description="期间（按数据集周期）：2026-03、2026Q1 或 2026。"),
        data_set=graphene.String(description="数据集代码；默认标准月报。"),
        description="辖区内适用该数据集的各单位某期的完整性与及时性（按数据集的上报期限）。需要 supervision.view_aggregates 权限。",
    )
    supervision_violations = graphene.List(
        graphene.NonNull(ViolationType), required=True, unit=graphene.ID(required=True, description="单位。"),
        period=graphene.String(required=True, description="期间。"), description="该单位数据违反的校验规则。",
    )
    supervision_values = graphene.List(
        graphene.NonNull(DataValueType), required=True, unit=graphene.ID(required=True, description="单位。"),
        period=graphene.String(required=True, description="期间（按数据集周期），默认为月份 2026-03。"),
        data_set=graphene.String(description="数据集代码；给出时只列该数据集的数据元。"),
        description="某单位某月已有的数据值（填报表单）。需要该单位的 supervision.report 或 supervision.view_aggregates 权限。",
    )
    supervision_approvals = graphene.List(
        graphene.NonNull(ApprovalType), required=True, unit=graphene.ID(required=True, description="组织单元。"),
        period=graphene.String(required=True, description="期间（按数据集周期）：2026-03、2026Q1 或 2026。"),
        data_set=graphene.String(description="数据集代码；默认标准月报。"),
        description="辖区各单位某期某数据集的审核进度（审核队列）。",
    )
    supervision_data_sets = graphene.List(
        graphene.NonNull(DataSetType), required=True, unit=graphene.ID(description="给出时只列适用于该单位的数据集。"),
        description="数据集（按报告周期，按层级与单位类型分配）。",
    )
    supervision_entry_form = graphene.Field(
        EntryFormType, required=True, data_set=graphene.String(required=True, description="数据集代码。"),
        unit=graphene.ID(required=True, description="填报单位。"),
        period=graphene.String(required=True, description="期间（按数据集周期）：2026-03、2026Q1 或 2026。"),
        description="某单位某期的填报表单：各数据元的当前值、上报与锁定日期、锁定原因、审核进度与违反的校验规则。"
                    "需要该单位的 supervision.report 权限（有 supervision.view_aggregates 者只读）。",
    )
    supervision_reporting_units = graphene.List(
        graphene.NonNull(OrgUnitType), required=True, description="当前用户可以填报的单位（有 supervision.report 权限且适用某个数据集）。",
    )
    supervision_alerts = graphene.List(
        graphene.NonNull(AlertType), required=True, node=graphene.ID(required=True, description="组织单元。"),
        description="设在该单位及其下级的指标预警。需要该单位的 supervision.view_aggregates 权限。",
    )
    supervision_alert_firings = graphene.List(
        graphene.NonNull(AlertFiringType), required=True, node=graphene.ID(required=True, description="组织单元。"),
        period=graphene.String(description="期间：2026-03、2026Q1 或 2026；为空表示全部。"),
        description="该单位及其下级触发的预警，新的在前。需要该单位的 supervision.view_aggregates 权限。",
    )

    @staticmethod
    def resolve_supervision_data_elements(root, info):
        require_user(info)
        return DataElement.objects.all()

    @staticmethod
    def resolve_supervision_indicators(root, info):
        require_user(info)
        return Indicator.objects.all()

    @staticmethod
    def resolve_supervision_dashboard(root, info, unit, period):
        user = require_user(info)
        data = _perm_error(services.dashboard, user, _node(unit), period)
        return DashboardType(period=data["period"].label, rows=[
            DashboardRowType(unit_id=r["node"].pk, unit_name=r["node"].name, level=r["node"].level, indicators=[
                IndicatorValueType(code=v["indicator"].code, name=v["indicator"].name, numerator=v["numerator"],
                                   denominator=v["denominator"], value=v["value"]) for v in r["values"]])
            for r in data["rows"]])

    @staticmethod
    def resolve_supervision_completeness(root, info, unit, period, data_set=None):
        user = require_user(info)
        return [CompletenessType(unit_id=r["unit"].pk, unit_name=r["unit"].name, values=r["values"], complete=r["complete"],
                                 on_time=r["on_time"], step=int(r["step"]))
                for r in _perm_error(services.completeness, user, _node(unit), period, data_set)]

    @staticmethod
    def resolve_supervision_violations(root, info, unit, period):
        user = require_user(info)
        return [_violation(v) for v in _perm_error(services.run_validation, user, _node(unit), period)]


    @staticmethod
    def resolve_supervision_values(root, info, unit, period, data_set=None):
        user = require_user(info)
        return [DataValueType(element=v.element.code, option=v.option, period=v.period.strftime("%Y-%m"), value=float(v.value),
                              comment=v.comment, is_outlier=v.is_outlier, origin=v.origin)
                for v in _perm_error(services.unit_values, user, _node(unit), period, data_set)]

    @staticmethod
    def resolve_supervision_approvals(root, info, unit, period, data_set=None):
        user = require_user(info)
        return [_approval(a) for a in _perm_error(services.approvals, user, _node(unit), period, data_set)]

    @staticmethod
    def resolve_supervision_data_sets(root, info, unit=None):
        from jianlian.hierarchy.models import OrgUnit

        require_user(info)
        node = None
        if unit:
            node = OrgUnit.objects.filter(pk=_node(unit)).first()
            if node is None:
                return []
        return services.data_sets_for(node)

    @staticmethod
    def resolve_supervision_entry_form(root, info, data_set, unit, period):
        user = require_user(info)
        f = _perm_error(services.entry_form, user, data_set, _node(unit), period)
        rows = [EntryRowType(element=r["element"], min_value=_float(r["element"].min_value), max_value=_float(r["element"].max_value),
                             cells=[EntryCellType(option=c["option"], label=c["label"], value=_float(c["value"].value) if c["value"] else None,
                                                  comment=c["value"].comment if c["value"] else "",
                                                  is_outlier=bool(c["value"] and c["value"].is_outlier)) for c in r["cells"]])
                for r in f["rows"]]
        return EntryFormType(
            data_set=f["data_set"], unit=f["unit"], period=f["period"].label, due_date=f["due_date"], lock_date=f["lock_date"],
            reopened_until=f["reopened_until"], locked=f["lock_reason"] is not None, lock_reason=f["lock_reason"],
            can_report=f["can_report"], step=int(f["step"]), on_time=f["on_time"], rows=rows, returned=_return(f["returned"]),
            available_actions=f["available_actions"],
            violations=[_violation(v) for v in f["violations"]])

    @staticmethod
    def resolve_supervision_reporting_units(root, info):
        return services.reporting_units(require_user(info))

    @staticmethod
    def resolve_supervision_alerts(root, info, node):
        user = require_user(info)
        return [_alert(a) for a in _perm_error(services.alerts, user, _node(node))]

    @staticmethod
    def resolve_supervision_alert_firings(root, info, node, period=None):
        user = require_user(info)
        return [AlertFiringType(alert=_alert(f.alert), node=f.node, period=f.period.strftime("%Y-%m"), value=float(f.value),
                                fired_at=f.fired_at)
                for f in _perm_error(services.alert_firings, user, _node(node), period)]


class SaveSupervisionValueInput(graphene.InputObjectType):
    """One value entered by hand."""

    unit = graphene.ID(required=True, description="填报单位。")
    element = graphene.String(required=True, description="数据元代码。")
    option = graphene.String(description="分类选项（分类数据元必填）。")
    period = graphene.String(required=True, description="期间（按数据集周期）：2026-03、2026Q1 或 2026。")
    value = graphene.String(required=True, description="值。")
    comment = graphene.String(description="说明（超出合理范围时必填）。")
    data_set = graphene.String(description="数据集代码；默认标准月报。")


class SaveSupervisionValue(BaseMutation):
    """手工填报一个数据值。需要该单位的 supervision.report 权限；已上报或审核、或已过锁定日期且未重新开放的期间已锁定。"""

    ok = graphene.Boolean(required=True, description="已保存。")
    is_outlier = graphene.Boolean(description="超出合理范围（已附说明）。")

    class Arguments:
        input = SaveSupervisionValueInput(required=True)

    @classmethod
    def perform(cls, info, input):
        v = services.save_value(info.context.user, unit_id=_node(input["unit"]), element=input["element"],
                                option=input.get("option") or "", period=input["period"], value=input["value"],
                                comment=input.get("comment") or "", data_set=input.get("data_set"))
        return cls(ok=True, is_outlier=v.is_outlier, errors=[])


class ImportSupervisionValuesInput(graphene.InputObjectType):
    """An import document: JSON (an array of {unit, element, option, period, value, comment}) or CSV with that header."""

    format = FormatEnum(required=True, description="格式。")
    content = graphene.String(required=True, description="文件内容（文本）。")


class ImportSupervisionValues(BaseMutation):
    """批量导入数据值（按单位代码、数据元代码、分类与期间，幂等），逐行报告错误。"""

    created = graphene.Int(description="新增。")
    updated = graphene.Int(description="更新。")
    unchanged = graphene.Int(description="未变。")
    row_errors = graphene.List(graphene.NonNull(ImportErrorType), description="未导入的行。")

    class Arguments:
        input = ImportSupervisionValuesInput(required=True)

    @classmethod
    def perform(cls, info, input):
        r = services.import_values(info.context.user, getattr(input["format"], "value", input["format"]), input["content"])
        return cls(created=r.created, updated=r.updated, unchanged=r.unchanged,
                   row_errors=[ImportErrorType(**e) for e in r.errors], errors=[])


class SupervisionApprovalInput(graphene.InputObjectType):
    """A unit's period of a data set, and what to do with it."""

    unit = graphene.ID(required=True, description="填报单位。")
    period = graphene.String(required=True, description="期间（按数据集周期）：2026-03、2026Q1 或 2026。")
    data_set = graphene.String(description="数据集代码；默认标准月报。")
    action = graphene.Enum("SupervisionApprovalAction", [("SUBMIT", "submit"), ("APPROVE", "approve"), ("UNAPPROVE", "unapprove")],
                           description="上报、审核通过或退回。")(required=True, description="操作。")
    reason = graphene.String(description="原因（退回时必填）。")


class SupervisionApproval(BaseMutation):
    """上报、逐级审核或退回某单位某月的监管数据。上报需 supervision.report，审核与退回需相应层级的 supervision.approve。"""

    approval = graphene.Field(ApprovalType, description="审核状态。")

    class Arguments:
        input = SupervisionApprovalInput(required=True)

    @classmethod
    def perform(cls, info, input):
        action = getattr(input["action"], "value", input["action"])
        user, unit, period, ds = info.context.user, _node(input["unit"]), input["period"], input.get("data_set")
        if action == "submit":
            a = services.submit(user, unit, period, ds)
        elif action == "approve":
            a = services.approve(user, unit, period, ds)
        else:
            a = services.unapprove(user, unit, period, input.get("reason") or "", ds)
        return cls(approval=_approval(a), errors=[])


class SaveSupervisionIndicatorInput(graphene.InputObjectType):
    """An indicator's definition."""

    code = graphene.String(required=True, description="代码。")
    name = graphene.String(required=True, description="名称。")
    numerator = graphene.String(required=True, description="分子公式，如 #{visits@member}。")
    denominator = graphene.String(description="分母公式，默认 1。")
    factor = graphene.Int(description="系数：1、100（%）、1000（‰）…")
    unit_label = graphene.String(description="单位。")
    source = graphene.String(required=True, description="定义来源。")


class SaveSupervisionIndicator(BaseMutation):
    """新增或修改指标（保存时校验公式）。需要省级的 supervision.approve 权限。"""

    indicator = graphene.Field(IndicatorType, description="指标。")

    class Arguments:
        input = SaveSupervisionIndicatorInput(required=True)

    @classmethod
    def perform(cls, info, input):
        ind = services.save_indicator(info.context.user, code=input["code"], name=input["name"], numerator=input["numerator"],
                                      denominator=input.get("denominator") or "1", factor=input.get("factor") or 1,
                                      unit_label=input.get("unit_label") or "", source=input["source"])
        return cls(indicator=ind, errors=[])


class SaveSupervisionRuleInput(graphene.InputObjectType):
    """A validation rule: left side, operator, right side."""

    code = graphene.String(required=True, description="代码。")
    name = graphene.String(required=True, description="名称。")
    left = graphene.String(required=True, description="左侧公式，如 #{discharges}。")
    operator = graphene.String(required=True, description="运算符：<=、<、==、!=、>=、>。")
    right = graphene.String(required=True, description="右侧公式，如 #{inpatient_admissions} + #{beds} * [days]。")
    instruction = graphene.String(description="违反时给填报人的提示。")


class SaveSupervisionRule(BaseMutation):
    """新增或修改校验规则（保存时校验公式）。需要省级的 supervision.approve 权限。"""

    code = graphene.String(description="规则代码。")

    class Arguments:
        input = SaveSupervisionRuleInput(required=True)

    @classmethod
    def perform(cls, info, input):
        rule = services.save_rule(info.context.user, code=input["code"], name=input["name"], left=input["left"],
                                  operator=input["operator"], right=input["right"], instruction=input.get("instruction") or "")
        return cls(code=rule.code, errors=[])


class SaveSupervisionDataSetInput(graphene.InputObjectType):
    """A data set's definition."""

    code = graphene.String(required=True, description="代码。")
    name = graphene.String(required=True, description="名称。")
    name_en = graphene.String(description="英文名称。")
    period_type = PeriodTypeEnum(required=True, description="报告周期。")
    elements = graphene.List(graphene.NonNull(graphene.String), required=True, description="数据元代码。")
    levels = graphene.List(graphene.NonNull(graphene.String), required=True, description="适用层级，如 lead、member、hospital。")
    unit_types = graphene.List(graphene.NonNull(graphene.String), description="适用单位类型，如 township_centre；为空表示不限。")
    due_days = graphene.Int(description="期末后几天内上报算按时，默认10。")
    lock_days = graphene.Int(description="期末后几天起锁定填报；为空表示不按日期锁定。")
    description = graphene.String(description="说明。")


class SaveSupervisionDataSet(BaseMutation):
    """新增或修改数据集（校验代码、数据元、层级与单位类型）。需要省级的 supervision.approve 权限。"""

    data_set = graphene.Field(DataSetType, description="数据集。")

    class Arguments:
        input = SaveSupervisionDataSetInput(required=True)

    @classmethod
    def perform(cls, info, input):
        ds = services.save_data_set(
            info.context.user, code=input["code"], name=input["name"], name_en=input.get("name_en") or "",
            period_type=getattr(input["period_type"], "value", input["period_type"]), elements=input["elements"],
            levels=input["levels"], unit_types=input.get("unit_types") or [],
            due_days=10 if input.get("due_days") is None else input["due_days"], lock_days=input.get("lock_days"),
            description=input.get("description") or "")
        return cls(data_set=ds, errors=[])


class ReopenSupervisionEntryInput(graphene.InputObjectType):
    """Which unit's period of which data set to reopen, until when and why."""

    data_set = graphene.String(required=True, description="数据集代码。")
    unit = graphene.ID(required=True, description="填报单位。")
    period = graphene.String(required=True, description="期间（按数据集周期）：2026-03、2026Q1 或 2026。")
    until = graphene.String(required=True, description="开放至（含）：2026-03-31。")
    reason = graphene.String(required=True, description="原因。")


class ReopenSupervisionEntry(BaseMutation):
    """过了锁定日期后为某单位某期重新开放填报。需要该单位所在医共体或上级的 supervision.approve 权限；通知填报人。"""

    until = graphene.Date(description="开放至（含）。")

    class Arguments:
        input = ReopenSupervisionEntryInput(required=True)

    @classmethod
    def perform(cls, info, input):
        r = services.reopen_entry(info.context.user, data_set=input["data_set"], unit_id=_node(input["unit"]),
                                  period=input["period"], until=input["until"], reason=input["reason"])
        return cls(until=r.until, errors=[])


class SaveSupervisionAlertInput(graphene.InputObjectType):
    """A threshold on an indicator over a subtree (the same indicator, node and operator again changes it)."""

    indicator = graphene.String(required=True, description="指标代码。")
    node = graphene.ID(required=True, description="监管范围（该单位及其下级）。")
    operator = graphene.String(required=True, description="运算符：<=、<、==、!=、>=、>。")
    threshold = graphene.String(required=True, description="阈值。")
    active = graphene.Boolean(description="启用，默认是。")


class SaveSupervisionAlert(BaseMutation):
    """设置指标预警：辖区内县、医共体或医院某月越过阈值时通知本级监管人员。需要该单位的 supervision.view_aggregates 权限。"""

    alert = graphene.Field(AlertType, description="预警。")

    class Arguments:
        input = SaveSupervisionAlertInput(required=True)

    @classmethod
    def perform(cls, info, input):
        a = services.save_alert(info.context.user, indicator=input["indicator"], node_id=_node(input["node"]),
                                operator=input["operator"], threshold=input["threshold"],
                                active=True if input.get("active") is None else input["active"])
        return cls(alert=_alert(a), errors=[])


class Mutation(ReportMutation, graphene.ObjectType):
    save_supervision_value = SaveSupervisionValue.Field(description=SaveSupervisionValue.__doc__)
    import_supervision_values = ImportSupervisionValues.Field(description=ImportSupervisionValues.__doc__)
    supervision_approval = SupervisionApproval.Field(description=SupervisionApproval.__doc__)
    save_supervision_indicator = SaveSupervisionIndicator.Field(description=SaveSupervisionIndicator.__doc__)
    save_supervision_rule = SaveSupervisionRule.Field(description=SaveSupervisionRule.__doc__)
    save_supervision_data_set = SaveSupervisionDataSet.Field(description=SaveSupervisionDataSet.__doc__)
    reopen_supervision_entry = ReopenSupervisionEntry.Field(description=ReopenSupervisionEntry.__doc__)
    save_supervision_alert = SaveSupervisionAlert.Field(description=SaveSupervisionAlert.__doc__)


from modules.supervision.subscriptions import Subscription  # noqa: E402,F401 — the live events (supervisionChanged)
