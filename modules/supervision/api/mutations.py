"""Supervision's mutations of definitions (indicators, validation rules, data sets, alerts) and
values (manual entry, imports). The report's lifecycle is in `reports.py`. Each declares what it
needs (`Meta.permissions`); the actions check the exact unit."""

from __future__ import annotations

import graphene

from jianlian.api.base import BaseMutation, GlobalID
from jianlian.api.permissions import Checked, Perm
from modules.supervision import alerts, definitions, datasets, importing, values
from modules.supervision.api.types import (
    AlertType, DataSetType, FormatEnum, ImportErrorType, IndicatorType, PeriodTypeEnum, alert_of,
)


class SaveSupervisionValueInput(graphene.InputObjectType):
    """One value entered by hand."""

    unit = GlobalID("OrgUnit", required=True, description="填报单位。")
    element = graphene.String(required=True, description="数据元代码。")
    option = graphene.String(description="分类选项（分类数据元必填）。")
    period = graphene.String(required=True, description="期间（按数据集周期）：2026-03、2026Q1 或 2026。")
    value = graphene.String(required=True, description="值。")
    comment = graphene.String(description="说明（超出合理范围时必填）。")
    data_set = graphene.String(description="数据集代码；默认标准月报。")


class SaveSupervisionValue(BaseMutation):
    class Meta:
        description = "手工填报一个数据值。已上报或审核、或已过锁定日期且未重新开放的期间已锁定。"
        permissions = Perm("supervision.report", at=Checked("填报单位"))

    ok = graphene.Boolean(required=True, description="已保存。")
    is_outlier = graphene.Boolean(description="超出合理范围（已附说明）。")

    class Arguments:
        input = SaveSupervisionValueInput(required=True)

    @classmethod
    def perform(cls, info, input):
        v = values.save_value(info.context.user, unit_id=input["unit"], element=input["element"],
                                option=input.get("option") or "", period=input["period"], value=input["value"],
                                comment=input.get("comment") or "", data_set=input.get("data_set"))
        return cls(ok=True, is_outlier=v.is_outlier, errors=[])


class ImportSupervisionValuesInput(graphene.InputObjectType):
    """An import document: JSON (an array of {unit, element, option, period, value, comment}) or CSV with that header."""

    format = FormatEnum(required=True, description="格式。")
    content = graphene.String(required=True, description="文件内容（文本）。")


class ImportSupervisionValues(BaseMutation):
    class Meta:
        description = "批量导入数据值（按单位代码、数据元代码、分类与期间，幂等），逐行报告错误。"
        permissions = Perm("supervision.report", at=Checked("每一行的填报单位"))

    created = graphene.Int(description="新增。")
    updated = graphene.Int(description="更新。")
    unchanged = graphene.Int(description="未变。")
    row_errors = graphene.List(graphene.NonNull(ImportErrorType), description="未导入的行。")

    class Arguments:
        input = ImportSupervisionValuesInput(required=True)

    @classmethod
    def perform(cls, info, input):
        r = importing.import_values(info.context.user, getattr(input["format"], "value", input["format"]), input["content"])
        return cls(created=r.created, updated=r.updated, unchanged=r.unchanged,
                   row_errors=[ImportErrorType(**e) for e in r.errors], errors=[])


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
    class Meta:
        description = "新增或修改指标（保存时校验公式）。"
        permissions = Perm("supervision.approve", at=Checked("省级单位"))

    indicator = graphene.Field(IndicatorType, description="指标。")

    class Arguments:
        input = SaveSupervisionIndicatorInput(required=True)

    @classmethod
    def perform(cls, info, input):
        ind = definitions.save_indicator(info.context.user, code=input["code"], name=input["name"], numerator=input["numerator"],
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
    class Meta:
        description = "新增或修改校验规则（保存时校验公式）。"
        permissions = Perm("supervision.approve", at=Checked("省级单位"))

    code = graphene.String(description="规则代码。")

    class Arguments:
        input = SaveSupervisionRuleInput(required=True)

    @classmethod
    def perform(cls, info, input):
        rule = definitions.save_rule(info.context.user, code=input["code"], name=input["name"], left=input["left"],
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
    class Meta:
        description = "新增或修改数据集（校验代码、数据元、层级与单位类型）。"
        permissions = Perm("supervision.approve", at=Checked("省级单位"))

    data_set = graphene.Field(DataSetType, description="数据集。")

    class Arguments:
        input = SaveSupervisionDataSetInput(required=True)

    @classmethod
    def perform(cls, info, input):
        ds = datasets.save_data_set(
            info.context.user, code=input["code"], name=input["name"], name_en=input.get("name_en") or "",
            period_type=getattr(input["period_type"], "value", input["period_type"]), elements=input["elements"],
            levels=input["levels"], unit_types=input.get("unit_types") or [],
            due_days=10 if input.get("due_days") is None else input["due_days"], lock_days=input.get("lock_days"),
            description=input.get("description") or "")
        return cls(data_set=ds, errors=[])


class SaveSupervisionAlertInput(graphene.InputObjectType):
    """A threshold on an indicator over a subtree (the same indicator, node and operator again changes it)."""

    indicator = graphene.String(required=True, description="指标代码。")
    node = GlobalID("OrgUnit", required=True, description="监管范围（该单位及其下级）。")
    operator = graphene.String(required=True, description="运算符：<=、<、==、!=、>=、>。")
    threshold = graphene.String(required=True, description="阈值。")
    active = graphene.Boolean(description="启用，默认是。")


class SaveSupervisionAlert(BaseMutation):
    class Meta:
        description = "设置指标预警：辖区内县、医共体或医院某月越过阈值时通知本级监管人员。"
        permissions = Perm("supervision.view_aggregates", at=Checked("`node` 所指单位"))

    alert = graphene.Field(AlertType, description="预警。")

    class Arguments:
        input = SaveSupervisionAlertInput(required=True)

    @classmethod
    def perform(cls, info, input):
        a = alerts.save_alert(info.context.user, indicator=input["indicator"], node_id=input["node"],
                                operator=input["operator"], threshold=input["threshold"],
                                active=True if input.get("active") is None else input["active"])
        return cls(alert=alert_of(a), errors=[])



class Mutation(graphene.ObjectType):
    save_supervision_value = SaveSupervisionValue.Field()
    import_supervision_values = ImportSupervisionValues.Field()
    save_supervision_indicator = SaveSupervisionIndicator.Field()
    save_supervision_rule = SaveSupervisionRule.Field()
    save_supervision_data_set = SaveSupervisionDataSet.Field()
    save_supervision_alert = SaveSupervisionAlert.Field()
