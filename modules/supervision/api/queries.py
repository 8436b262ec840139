"""The read fields of supervision online: the catalogue, data sets, a node's indicators and its
children's, completeness, validation, a unit's values and entry form, the reports under a node,
the units one reports for, and threshold alerts. Arguments named `dataSet` take a data set's
code; without one they mean the standard monthly set. The approval and dashboard pages' fields
come in from `pages.py`."""

from __future__ import annotations

import graphene

from jianlian.core.i18n import pick
from jianlian.api.base import PermissionField, require_user
from jianlian.api.permissions import SIGNED_IN
from jianlian.hierarchy.schema import OrgUnitType
from modules.supervision import alerts, completeness, datasets, queries
from modules.supervision.api.common import node_id, perm_error
from modules.supervision.api.pages import PagesQuery
from modules.supervision.api.types import (
    AlertFiringType, AlertType, CompletenessType, DashboardRowType, DashboardType, DataElementType, DataSetType,
    DataValueType, EntryCellType, EntryFormType, EntryRowType, IndicatorType, IndicatorValueType, ReportType, ViolationType,
    alert_of, as_float, report_of, return_of, violation_of,
)
from modules.supervision.models import DataElement, Indicator
from modules.supervision.permissions import VIEW, WATCH


class Query(PagesQuery, graphene.ObjectType):
    supervision_data_elements = PermissionField(
        graphene.List(graphene.NonNull(DataElementType)), permissions=SIGNED_IN, required=True, description="数据元目录。")
    supervision_indicators = PermissionField(
        graphene.List(graphene.NonNull(IndicatorType)), permissions=SIGNED_IN, required=True, description="指标目录（含定义来源）。")
    supervision_dashboard = PermissionField(
        DashboardType, permissions=VIEW, required=True, unit=graphene.ID(required=True, description="组织单元。"),
        period=graphene.String(required=True, description="期间：2026-03、2026Q1 或 2026。"),
        description="某单位及其下级的指标（由汇总后的分子分母重新计算）。需要该单位的 supervision.view_aggregates 权限（本单位可看自己）。",
    )
    supervision_completeness = PermissionField(
        graphene.List(graphene.NonNull(CompletenessType)), permissions=VIEW, required=True, unit=graphene.ID(required=True, description="组织单元。"),
        period=graphene.String(required=True, description="期间（按数据集周期）：2026-03、2026Q1 或 2026。"),
        data_set=graphene.String(description="数据集代码；默认标准月报。"),
        description="辖区内适用该数据集的各单位某期的完整性与及时性（按数据集的上报期限）。需要 supervision.view_aggregates 权限。",
    )
    supervision_violations = PermissionField(
        graphene.List(graphene.NonNull(ViolationType)), permissions=VIEW, required=True, unit=graphene.ID(required=True, description="单位。"),
        period=graphene.String(required=True, description="期间。"), description="该单位数据违反的校验规则。",
    )
    supervision_values = PermissionField(
        graphene.List(graphene.NonNull(DataValueType)), permissions=VIEW, required=True, unit=graphene.ID(required=True, description="单位。"),
        period=graphene.String(required=True, description="期间（按数据集周期），默认为月份 2026-03。"),
        data_set=graphene.String(description="数据集代码；给出时只列该数据集的数据元。"),
        description="某单位某月已有的数据值（填报表单）。需要该单位的 supervision.report 或 supervision.view_aggregates 权限。",
    )
    supervision_approvals = PermissionField(
        graphene.List(graphene.NonNull(ReportType)), permissions=VIEW, required=True, unit=graphene.ID(required=True, description="组织单元。"),
        period=graphene.String(required=True, description="期间（按数据集周期）：2026-03、2026Q1 或 2026。"),
        data_set=graphene.String(description="数据集代码；默认标准月报。"),
        description="辖区各单位某期某数据集的审核进度（审核队列）。",
    )
    supervision_data_sets = PermissionField(
        graphene.List(graphene.NonNull(DataSetType)), permissions=SIGNED_IN, required=True, unit=graphene.ID(description="给出时只列适用于该单位的数据集。"),
        description="数据集（按报告周期，按层级与单位类型分配）。",
    )
    supervision_entry_form = PermissionField(
        EntryFormType, permissions=VIEW, required=True, data_set=graphene.String(required=True, description="数据集代码。"),
        unit=graphene.ID(required=True, description="填报单位。"),
        period=graphene.String(required=True, description="期间（按数据集周期）：2026-03、2026Q1 或 2026。"),
        description="某单位某期的填报表单：各数据元的当前值、上报与锁定日期、锁定原因、审核进度与违反的校验规则。"
                    "需要该单位的 supervision.report 权限（有 supervision.view_aggregates 者只读）。",
    )
    supervision_reporting_units = PermissionField(
        graphene.List(graphene.NonNull(OrgUnitType)), permissions=SIGNED_IN, required=True, description="当前用户可以填报的单位（有 supervision.report 权限且适用某个数据集）。",
    )
    supervision_alerts = PermissionField(
        graphene.List(graphene.NonNull(AlertType)), permissions=WATCH, required=True, node=graphene.ID(required=True, description="组织单元。"),
        description="设在该单位及其下级的指标预警。需要该单位的 supervision.view_aggregates 权限。",
    )
    supervision_alert_firings = PermissionField(
        graphene.List(graphene.NonNull(AlertFiringType)), permissions=WATCH, required=True, node=graphene.ID(required=True, description="组织单元。"),
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
        data = perm_error(queries.dashboard, user, node_id(unit), period)
        return DashboardType(period=data["period"].label, rows=[
            DashboardRowType(unit_id=r["node"].pk, unit_name=r["node"].name, level=r["node"].level, indicators=[
                IndicatorValueType(code=v["indicator"].code, name=pick(v["indicator"].name, v["indicator"].name_en), numerator=v["numerator"],
                                   denominator=v["denominator"], value=v["value"]) for v in r["values"]])
            for r in data["rows"]])

    @staticmethod
    def resolve_supervision_completeness(root, info, unit, period, data_set=None):
        user = require_user(info)
        return [CompletenessType(unit_id=r["unit"].pk, unit_name=r["unit"].name, values=r["values"], complete=r["complete"],
                                 on_time=r["on_time"], step=int(r["step"]))
                for r in perm_error(completeness.completeness, user, node_id(unit), period, data_set)]

    @staticmethod
    def resolve_supervision_violations(root, info, unit, period):
        user = require_user(info)
        return [violation_of(v) for v in perm_error(queries.run_validation, user, node_id(unit), period)]


    @staticmethod
    def resolve_supervision_values(root, info, unit, period, data_set=None):
        user = require_user(info)
        return [DataValueType(element=v.element.code, option=v.option, period=v.period.strftime("%Y-%m"), value=float(v.value),
                              comment=v.comment, is_outlier=v.is_outlier, origin=v.origin)
                for v in perm_error(queries.unit_values, user, node_id(unit), period, data_set)]

    @staticmethod
    def resolve_supervision_approvals(root, info, unit, period, data_set=None):
        user = require_user(info)
        return [report_of(a) for a in perm_error(queries.approvals, user, node_id(unit), period, data_set)]

    @staticmethod
    def resolve_supervision_data_sets(root, info, unit=None):
        from jianlian.hierarchy.models import OrgUnit

        require_user(info)
        node = None
        if unit:
            node = OrgUnit.objects.filter(pk=node_id(unit)).first()
            if node is None:
                return []
        return datasets.data_sets_for(node)

    @staticmethod
    def resolve_supervision_entry_form(root, info, data_set, unit, period):
        user = require_user(info)
        f = perm_error(queries.entry_form, user, data_set, node_id(unit), period)
        rows = [EntryRowType(element=r["element"], min_value=as_float(r["element"].min_value), max_value=as_float(r["element"].max_value),
                             cells=[EntryCellType(option=c["option"], label=c["label"], value=as_float(c["value"].value) if c["value"] else None,
                                                  comment=c["value"].comment if c["value"] else "",
                                                  is_outlier=bool(c["value"] and c["value"].is_outlier)) for c in r["cells"]])
                for r in f["rows"]]
        return EntryFormType(
            data_set=f["data_set"], unit=f["unit"], period=f["period"].label, due_date=f["due_date"], lock_date=f["lock_date"],
            reopened_until=f["reopened_until"], locked=f["lock_reason"] is not None, lock_reason=f["lock_reason"],
            can_report=f["can_report"], step=int(f["step"]), on_time=f["on_time"], rows=rows, returned=return_of(f["returned"]),
            available_actions=f["available_actions"],
            violations=[violation_of(v) for v in f["violations"]])

    @staticmethod
    def resolve_supervision_reporting_units(root, info):
        return datasets.reporting_units(require_user(info))

    @staticmethod
    def resolve_supervision_alerts(root, info, node):
        user = require_user(info)
        return [alert_of(a) for a in perm_error(alerts.alerts, user, node_id(node))]

    @staticmethod
    def resolve_supervision_alert_firings(root, info, node, period=None):
        user = require_user(info)
        return [AlertFiringType(alert=alert_of(f.alert), node=f.node, period=f.period.strftime("%Y-%m"), value=float(f.value),
                                fired_at=f.fired_at)
                for f in perm_error(alerts.alert_firings, user, node_id(node), period)]

