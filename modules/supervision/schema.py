"""GraphQL for supervision online: the catalogue, dashboards (indicators of a node and its
children), completeness, validation, manual entry, import, and approval up the tree.

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
from modules.supervision.models import Aggregation, Approval, DataElement, Disaggregation, Indicator, Step, ValueType
from modules.supervision.schema_views import ViewsQuery

AggregationEnum = graphene.Enum.from_enum(Aggregation, name="SupervisionAggregation", description="汇总方式。")
ValueTypeEnum = graphene.Enum.from_enum(ValueType, name="SupervisionValueType", description="值类型。")
StepEnum = graphene.Enum("SupervisionStep", [(s.name, s.value) for s in Step], description="审核进度。")
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


class ApprovalType(graphene.ObjectType):
    """Where a unit's month stands on its way up the tree."""

    unit_id = graphene.Int(required=True, description="单位编号。")
    period = graphene.String(required=True, description="月份。")
    step = StepEnum(required=True, description="审核进度。")
    on_time = graphene.Boolean(description="按时上报。")


def _approval(a: Approval) -> ApprovalType:
    return ApprovalType(unit_id=a.unit_id, period=a.period.strftime("%Y-%m"), step=int(a.step), on_time=a.on_time)


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
        period=graphene.String(required=True, description="月份 2026-03。"),
        description="辖区各报告单位某月的完整性与及时性。需要 supervision.view_aggregates 权限。",
    )
    supervision_violations = graphene.List(
        graphene.NonNull(ViolationType), required=True, unit=graphene.ID(required=True, description="单位。"),
        period=graphene.String(required=True, description="期间。"), description="该单位数据违反的校验规则。",
    )
    supervision_values = graphene.List(
        graphene.NonNull(DataValueType), required=True, unit=graphene.ID(required=True, description="单位。"),
        period=graphene.String(required=True, description="月份 2026-03。"),
        description="某单位某月已有的数据值（填报表单）。需要该单位的 supervision.report 或 supervision.view_aggregates 权限。",
    )
    supervision_approvals = graphene.List(
        graphene.NonNull(ApprovalType), required=True, unit=graphene.ID(required=True, description="组织单元。"),
        period=graphene.String(required=True, description="月份 2026-03。"),
        description="辖区各单位某月的审核进度（审核队列）。",
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
    def resolve_supervision_completeness(root, info, unit, period):
        user = require_user(info)
        return [CompletenessType(unit_id=r["unit"].pk, unit_name=r["unit"].name, values=r["values"], complete=r["complete"],
                                 on_time=r["on_time"], step=int(r["step"]))
                for r in _perm_error(services.completeness, user, _node(unit), period)]

    @staticmethod
    def resolve_supervision_violations(root, info, unit, period):
        user = require_user(info)
        return [ViolationType(code=v["rule"].code, name=v["rule"].name, left=v["left"], operator=v["rule"].operator,
                              right=v["right"], instruction=v["rule"].instruction)
                for v in _perm_error(services.run_validation, user, _node(unit), period)]


    @staticmethod
    def resolve_supervision_values(root, info, unit, period):
        user = require_user(info)
        return [DataValueType(element=v.element.code, option=v.option, period=v.period.strftime("%Y-%m"), value=float(v.value),
                              comment=v.comment, is_outlier=v.is_outlier, origin=v.origin)
                for v in _perm_error(services.unit_values, user, _node(unit), period)]

    @staticmethod
    def resolve_supervision_approvals(root, info, unit, period):
        user = require_user(info)
        return [_approval(a) for a in _perm_error(services.approvals, user, _node(unit), period)]


class SaveSupervisionValueInput(graphene.InputObjectType):
    """One value entered by hand."""

    unit = graphene.ID(required=True, description="填报单位。")
    element = graphene.String(required=True, description="数据元代码。")
    option = graphene.String(description="分类选项（分类数据元必填）。")
    period = graphene.String(required=True, description="月份 2026-03。")
    value = graphene.String(required=True, description="值。")
    comment = graphene.String(description="说明（超出合理范围时必填）。")


class SaveSupervisionValue(BaseMutation):
    """手工填报一个数据值。需要该单位的 supervision.report 权限；已上报或审核的月份已锁定。"""

    ok = graphene.Boolean(required=True, description="已保存。")
    is_outlier = graphene.Boolean(description="超出合理范围（已附说明）。")

    class Arguments:
        input = SaveSupervisionValueInput(required=True)

    @classmethod
    def perform(cls, info, input):
        v = services.save_value(info.context.user, unit_id=_node(input["unit"]), element=input["element"],
                                option=input.get("option") or "", period=input["period"], value=input["value"],
                                comment=input.get("comment") or "")
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
    """A unit's month, and what to do with it."""

    unit = graphene.ID(required=True, description="填报单位。")
    period = graphene.String(required=True, description="月份 2026-03。")
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
        user, unit, period = info.context.user, _node(input["unit"]), input["period"]
        if action == "submit":
            a = services.submit(user, unit, period)
        elif action == "approve":
            a = services.approve(user, unit, period)
        else:
            a = services.unapprove(user, unit, period, input.get("reason") or "")
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


class Mutation(graphene.ObjectType):
    save_supervision_value = SaveSupervisionValue.Field(description=SaveSupervisionValue.__doc__)
    import_supervision_values = ImportSupervisionValues.Field(description=ImportSupervisionValues.__doc__)
    supervision_approval = SupervisionApproval.Field(description=SupervisionApproval.__doc__)
    save_supervision_indicator = SaveSupervisionIndicator.Field(description=SaveSupervisionIndicator.__doc__)
    save_supervision_rule = SaveSupervisionRule.Field(description=SaveSupervisionRule.__doc__)
