"""The read fields of the workbench's supervision pages (approval and dashboards): the reader's
scope and drill-down, indicator trends, completeness and timeliness heat maps, the approval queue
with what the reader may do, and a report's step timeline. All are console fields (manifest):
open on the province console, each checking the reader's permissions."""

from __future__ import annotations

import graphene

from jianlian.core.i18n import pick
from jianlian.api.base import PermissionField, require_user
from jianlian.api.permissions import SIGNED_IN
from modules.supervision import access, completeness, queries, queue
from modules.supervision.api.common import node_id, perm_error
from modules.supervision.api.page_types import (
    SupervisionApprovalEvent, SupervisionHeatmap, SupervisionHeatmapCell, SupervisionHeatmapRow, SupervisionNodeView,
    SupervisionQueueRow, SupervisionScope, SupervisionTrend, SupervisionTrendSeries, node_of,
)
from modules.supervision.api.types import return_of
from modules.supervision.permissions import VIEW


def _pct(part: int, whole: int):
    return round(100 * part / whole, 1) if whole else None


class PagesQuery(graphene.ObjectType):
    supervision_scope = PermissionField(
        SupervisionScope, permissions=SIGNED_IN, required=True,
        description="您可以查看监管数据的最高层单位（监管页面从这里开始）。")
    supervision_node = PermissionField(
        SupervisionNodeView, permissions=VIEW, required=True, unit=graphene.ID(required=True, description="组织单元。"),
        description="某单位、您可查看的上级与其下级（逐级下钻）。需要该单位的 supervision.view_aggregates 权限（本单位可看自己）。",
    )
    supervision_trend = PermissionField(
        SupervisionTrend, permissions=VIEW, required=True, unit=graphene.ID(required=True, description="组织单元。"),
        indicators=graphene.List(graphene.NonNull(graphene.String), description="指标代码；不填为全部指标。"),
        until=graphene.String(description="最后一个月 2026-03，默认上月。"),
        months=graphene.Int(description="月数，默认12，最多36。"),
        description="某单位的指标逐月趋势（每月由汇总后的分子分母重新计算）。需要该单位的 supervision.view_aggregates 权限。",
    )
    supervision_heatmap = PermissionField(
        SupervisionHeatmap, permissions=VIEW, required=True, unit=graphene.ID(required=True, description="组织单元。"),
        period_from=graphene.String(required=True, description="起始期间 2026-01（或 2026Q1、2026）。"),
        period_to=graphene.String(required=True, description="结束期间 2026-12（或 2026Q4、2026）。"),
        description="下级单位逐月的上报完整率与及时率（热力图）。需要 supervision.view_aggregates 权限。",
    )
    supervision_approval_queue = PermissionField(
        graphene.List(graphene.NonNull(SupervisionQueueRow)), permissions=VIEW, required=True, unit=graphene.ID(required=True, description="组织单元。"),
        period=graphene.String(required=True, description="期间：月报 2026-03，季报 2026Q1，年报 2026。"),
        data_set=graphene.String(description="数据集代码；不填为标准月报数据集。"),
        description="辖区各报告单位某期的审核进度与填报锁定，以及您可以审核通过、退回或重新开放哪些。",
    )
    supervision_approval_events = PermissionField(
        graphene.List(graphene.NonNull(SupervisionApprovalEvent)), permissions=VIEW, required=True, unit=graphene.ID(required=True, description="填报单位。"),
        period=graphene.String(required=True, description="期间：月报 2026-03，季报 2026Q1，年报 2026。"),
        data_set=graphene.String(description="数据集代码；不填为标准月报数据集。"),
        description="某单位某月数据的审核记录（上报、审核、退回），由早到晚。",
    )

    @staticmethod
    def resolve_supervision_scope(root, info):
        from jianlian.access.checks import has_perm_anywhere

        user = require_user(info)
        return SupervisionScope(nodes=[node_of(u) for u in access.scope(user)],
                                    can_approve=has_perm_anywhere(user, "supervision.approve"))

    @staticmethod
    def resolve_supervision_node(root, info, unit):
        user = require_user(info)
        view = perm_error(access.node_view, user, node_id(unit))
        return SupervisionNodeView(node=node_of(view["node"]), ancestors=[node_of(a) for a in view["ancestors"]],
                                       children=[node_of(c) for c in view["children"]])

    @staticmethod
    def resolve_supervision_trend(root, info, unit, indicators=None, until=None, months=12):
        user = require_user(info)
        data = perm_error(queries.trend, user, node_id(unit), indicators, until, months)
        return SupervisionTrend(months=data["months"], series=[
            SupervisionTrendSeries(code=s["indicator"].code, name=pick(s["indicator"].name, s["indicator"].name_en), unit_label=s["indicator"].unit_label,
                            values=s["values"]) for s in data["series"]])

    @staticmethod
    def resolve_supervision_heatmap(root, info, unit, period_from, period_to):
        user = require_user(info)
        data = perm_error(completeness.heatmap, user, node_id(unit), period_from, period_to)
        return SupervisionHeatmap(months=data["months"], rows=[
            SupervisionHeatmapRow(unit=node_of(r["node"]), cells=[
                SupervisionHeatmapCell(period=m, expected=c["expected"], submitted=c["submitted"], on_time=c["on_time"],
                                late=c["late"], missing=c["missing"], completeness=_pct(c["submitted"], c["expected"]),
                                timeliness=_pct(c["on_time"], c["expected"]))
                for m, c in zip(data["months"], r["cells"])]) for r in data["rows"]])

    @staticmethod
    def resolve_supervision_approval_queue(root, info, unit, period, data_set=None):
        user = require_user(info)
        return [SupervisionQueueRow(unit=node_of(r["unit"]), values=r["values"], step=int(r["step"]), on_time=r["on_time"],
                                     submitted_at=r["submitted_at"], resubmitted_at=r["resubmitted_at"],
                                     returned=return_of(r["returned"]), available_actions=r["available_actions"],
                                     next_step=None if r["next_step"] is None else int(r["next_step"]),
                                     can_approve=r["can_approve"], can_unapprove=r["can_unapprove"],
                                     lock_reason=r["lock_reason"], lock_date=r["lock_date"],
                                     reopened_until=r["reopened_until"], can_reopen=r["can_reopen"])
                for r in perm_error(queue.approval_queue, user, node_id(unit), period, data_set)]

    @staticmethod
    def resolve_supervision_approval_events(root, info, unit, period, data_set=None):
        user = require_user(info)
        return [SupervisionApprovalEvent(action=e.action, from_step=int(e.from_step), to_step=int(e.to_step),
                                  actor_name=(e.actor.real_name or e.actor.username) if e.actor else "",
                                  reason=e.reason, at=e.at)
                for e in perm_error(queue.approval_events, user, node_id(unit), period, data_set)]

