"""GraphQL for supervision online: the module's roots, composed from `api/` (types, read fields,
the approval and dashboard pages' fields, the report's lifecycle, live events), and the mutations
of definitions, values and imports.

Supervisors work on the province console (no tenant): the read fields and the approval and
definition mutations are listed in the manifest's `console_fields`, so they are open there and
check their own permissions; in a tenant they are gated by the installation as usual.
"""

from __future__ import annotations

import graphene

from jianlian.api.base import BaseMutation
from modules.supervision import services
from modules.supervision.api.common import node_id as _node
from modules.supervision.api.queries import Query  # noqa: F401 — the module's Query root
from modules.supervision.api.reports import ReportMutation
from modules.supervision.api.subscriptions import Subscription  # noqa: F401 — the module's Subscription root
from modules.supervision.api.types import (
    AlertType, DataSetType, FormatEnum, ImportErrorType, IndicatorType, PeriodTypeEnum, ReportType, alert_of as _alert,
    report_of as _approval,
)


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

    approval = graphene.Field(ReportType, description="审核状态。")

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
