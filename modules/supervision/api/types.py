"""GraphQL types of supervision online: the catalogue, data sets, a report (a unit's period of a
data set) with the actions its viewer has, the entry form, dashboards, alerts and imports."""

from __future__ import annotations

import graphene

from jianlian.api.types import ModelType
from jianlian.core.i18n import pick
from jianlian.hierarchy.schema import OrgUnitType
from modules.supervision.actions import ACTIONS
from modules.supervision.datasets import data_set_period, period_label
from modules.supervision.models import Aggregation, Approval, DataElement, DataSet, Indicator, PeriodType, Step, Topic, ValueType

AggregationEnum = graphene.Enum.from_enum(Aggregation, name="SupervisionAggregation", description="汇总方式。")
ValueTypeEnum = graphene.Enum.from_enum(ValueType, name="SupervisionValueType", description="值类型。")
StepEnum = graphene.Enum("SupervisionStep", [(s.name, s.value) for s in Step], description="审核进度。")
TopicEnum = graphene.Enum.from_enum(Topic, name="SupervisionTopic", description="数据元的主题；填报表按主题分组。")
PeriodTypeEnum = graphene.Enum.from_enum(PeriodType, name="SupervisionPeriodType", description="报告周期：月、季、年。")
LockReasonEnum = graphene.Enum("SupervisionLockReason", [("SUBMITTED", "SUBMITTED"), ("PAST_LOCK_DATE", "PAST_LOCK_DATE")],
                               description="填报锁定的原因：已上报或审核；已过锁定日期且未重新开放。")
ReportActionEnum = graphene.Enum("SupervisionReportAction", [(a, a) for a in ACTIONS],
                                 description="监管报表可以进行的操作：SUBMIT 上报、APPROVE 审核通过、RETURN 退回（须填原因）、"
                                             "REOPEN 过锁定日期后重新开放填报。")
FormatEnum = graphene.Enum("SupervisionImportFormat", [("JSON", "json"), ("CSV", "csv"), ("XLSX", "xlsx")],
                         description="导入格式：JSON、CSV，或 Excel（xlsx，内容用 Base64 编码）。")


class DataElementType(ModelType):
    """A data element: a plain count or amount that units report each month."""

    aggregation = AggregationEnum(required=True, description="汇总方式。")
    value_type = ValueTypeEnum(required=True, description="值类型。")
    options = graphene.List(graphene.NonNull(graphene.String), required=True, description="分类选项（不分类时为空）。")
    topic = TopicEnum(required=True, description="主题（填报表按主题分组，依 SupervisionTopic 的顺序）。")
    topic_label = graphene.String(required=True, description="主题名称，按请求的语言。")

    display_name = graphene.String(required=True, description="按请求语言（Accept-Language）显示的名称；无英文名称时为中文。")

    class Meta:
        model = DataElement
        name = "SupervisionDataElement"
        fields = ("code", "name", "name_en", "disaggregation", "min_value", "max_value", "source_app", "description")

    @staticmethod
    def resolve_display_name(obj, info):
        return pick(obj.name, obj.name_en)

    @staticmethod
    def resolve_options(e, info):
        return e.options()

    @staticmethod
    def resolve_topic_label(e, info):
        return str(Topic(e.topic).label)


class IndicatorType(ModelType):
    """An indicator: numerator / denominator × factor, with the source of its definition."""

    display_name = graphene.String(required=True, description="按请求语言（Accept-Language）显示的名称；无英文名称时为中文。")

    class Meta:
        model = Indicator
        name = "SupervisionIndicator"
        fields = ("code", "name", "name_en", "numerator", "denominator", "factor", "unit_label", "source", "description")

    @staticmethod
    def resolve_display_name(obj, info):
        return pick(obj.name, obj.name_en)


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


def return_of(e) -> ReturnType | None:
    if e is None:
        return None
    return ReturnType(reason=e.reason, actor_name=(e.actor.real_name or e.actor.username) if e.actor else "", at=e.at)


class ReportType(graphene.ObjectType):
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


def report_of(a: Approval) -> ReportType:
    """A report as the API answers it; its `availableActions` are worked out for whoever reads them."""
    label = period_label(a.data_set, a.period)

    def available(user):
        from modules.supervision.queue import period_state

        return period_state(user, a.unit, a.data_set, data_set_period(a.data_set, label))["available_actions"]

    report = ReportType(unit_id=a.unit_id, data_set=a.data_set.code, period=label, step=int(a.step), on_time=a.on_time)
    report.available = available
    return report


def violation_of(v) -> "ViolationType":
    return ViolationType(code=v["rule"].code, name=v["rule"].name, left=v["left"], operator=v["rule"].operator,
                         right=v["right"], instruction=v["rule"].instruction)


class DataSetType(ModelType):
    """A data set: the elements a kind of unit reports each period, with its due and lock days."""

    period_type = PeriodTypeEnum(required=True, description="报告周期。")
    elements = graphene.List(graphene.NonNull(DataElementType), required=True, description="数据元。")
    levels = graphene.List(graphene.NonNull(graphene.String), required=True, description="适用层级（OrgLevel 的值，如 member）。")
    unit_types = graphene.List(graphene.NonNull(graphene.String), required=True, description="适用单位类型；为空表示不限。")
    lock_days = graphene.Int(description="期末后第几天起锁定填报；为空表示不按日期锁定。")

    display_name = graphene.String(required=True, description="按请求语言（Accept-Language）显示的名称；无英文名称时为中文。")

    class Meta:
        model = DataSet
        name = "SupervisionDataSet"
        fields = ("code", "name", "name_en", "due_days", "description")

    @staticmethod
    def resolve_display_name(obj, info):
        return pick(obj.name, obj.name_en)

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


def as_float(x):
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


def alert_of(a) -> AlertType:
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

