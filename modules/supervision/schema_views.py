"""GraphQL for the supervision pages of the workbench (approval and dashboards): the reader's
scope and drill-down, indicator trends, completeness and timeliness heat maps, the approval
queue with what the reader may do, and a unit's step timeline. Thin resolvers over
views_services.py; `Query` in schema.py inherits `ViewsQuery`. All of these fields are console
fields (manifest): open on the province console, each checking the reader's permissions.
"""

from __future__ import annotations

import graphene
from graphql_relay import to_global_id

from jianlian.api.base import require_user
from modules.supervision import services as views_services


def _step_enum():
    from modules.supervision.schema import StepEnum

    return StepEnum


def _report_action_enum():
    from modules.supervision.schema import ReportActionEnum

    return ReportActionEnum


def _return_type():
    from modules.supervision.schema import ReturnType

    return ReturnType


def _lock_reason_enum():
    from modules.supervision.schema import LockReasonEnum

    return LockReasonEnum


def _perm_error(*args, **kwargs):
    from modules.supervision.schema import _perm_error as wrap

    return wrap(*args, **kwargs)


def _node_id(unit) -> int:
    from modules.supervision.schema import _node

    return _node(unit)


class SupervisionNode(graphene.ObjectType):
    """A node of the tree as the supervision pages show it."""

    id = graphene.ID(required=True, description="组织单元的全局编号（OrgUnit）。")
    unit_id = graphene.Int(required=True, description="组织单元编号。")
    name = graphene.String(required=True, description="名称。")
    level = graphene.String(required=True, description="层级：province、city、county、lead、member、hospital。")


def _node(u) -> SupervisionNode:
    return SupervisionNode(id=to_global_id("OrgUnit", u.pk), unit_id=u.pk, name=u.name, level=u.level)


class SupervisionScope(graphene.ObjectType):
    """Where the reader's supervision pages start."""

    nodes = graphene.List(graphene.NonNull(SupervisionNode), required=True,
                          description="可查看监管数据的最高层单位（按授权）；为空表示无权查看。")
    can_approve = graphene.Boolean(required=True, description="在某处持有 supervision.approve（显示审核页）。")


class SupervisionNodeView(graphene.ObjectType):
    """A node, the ancestors the reader may see (root first) and its children, for drill-down."""

    node = graphene.Field(SupervisionNode, required=True, description="本单位。")
    ancestors = graphene.List(graphene.NonNull(SupervisionNode), required=True, description="可查看的上级（自省级起）。")
    children = graphene.List(graphene.NonNull(SupervisionNode), required=True, description="下级单位。")


class SupervisionTrendSeries(graphene.ObjectType):
    """One indicator month by month."""

    code = graphene.String(required=True, description="指标代码。")
    name = graphene.String(required=True, description="指标名称。")
    unit_label = graphene.String(required=True, description="单位（%、‰ …）。")
    values = graphene.List(graphene.Float, required=True, description="各月指标值（与 months 对应；无数据为空）。")


class SupervisionTrend(graphene.ObjectType):
    """Indicators of a node over consecutive months."""

    months = graphene.List(graphene.NonNull(graphene.String), required=True, description="月份，如 2026-03，由远及近。")
    series = graphene.List(graphene.NonNull(SupervisionTrendSeries), required=True, description="各指标。")


class SupervisionHeatmapCell(graphene.ObjectType):
    """Completeness and timeliness of one row's reporting units in one month."""

    period = graphene.String(required=True, description="月份。")
    expected = graphene.Int(required=True, description="应报单位数。")
    submitted = graphene.Int(required=True, description="已上报单位数。")
    on_time = graphene.Int(required=True, description="按时上报单位数。")
    late = graphene.Int(required=True, description="逾期上报单位数。")
    missing = graphene.Int(required=True, description="已过截止日仍未上报的单位数。")
    completeness = graphene.Float(description="完整率（%），无应报单位时为空。")
    timeliness = graphene.Float(description="及时率（%），无应报单位时为空。")


class SupervisionHeatmapRow(graphene.ObjectType):
    """A child of the node (or the node itself, when it reports too) across the months."""

    unit = graphene.Field(SupervisionNode, required=True, description="单位。")
    cells = graphene.List(graphene.NonNull(SupervisionHeatmapCell), required=True, description="各月。")


class SupervisionHeatmap(graphene.ObjectType):
    """Completeness and timeliness of a node's children, month by month."""

    months = graphene.List(graphene.NonNull(graphene.String), required=True, description="月份。")
    rows = graphene.List(graphene.NonNull(SupervisionHeatmapRow), required=True, description="各下级单位。")


class SupervisionQueueRow(graphene.ObjectType):
    """A reporting unit's month in an approver's queue, and what the reader may do with it."""

    unit = graphene.Field(SupervisionNode, required=True, description="填报单位。")
    values = graphene.Int(required=True, description="已有数据值个数。")
    step = graphene.Field(_step_enum, required=True, description="审核进度。")
    on_time = graphene.Boolean(description="按时上报（未上报时为空）。")
    submitted_at = graphene.DateTime(description="上报时间。")
    resubmitted_at = graphene.DateTime(description="退回后重新上报的时间；未曾退回后再上报为空。")
    returned = graphene.Field(_return_type, description="被退回（最后一步是退回）时的原因；否则为空。")
    available_actions = graphene.List(graphene.NonNull(_report_action_enum), required=True,
                                      description="您现在可以进行的操作（由服务器按进度、锁定与权限计算）。")
    next_step = graphene.Field(_step_enum, description="下一步进度（已完成全部审核时为空）。")
    can_approve = graphene.Boolean(required=True, description="您可以审核通过。")
    can_unapprove = graphene.Boolean(required=True, description="您可以退回。")
    lock_reason = graphene.Field(_lock_reason_enum, description="填报锁定的原因；未锁定为空。")
    lock_date = graphene.Date(description="可填报的最后一天；为空表示该数据集不按日期锁定。")
    reopened_until = graphene.Date(description="重新开放填报至（含）；未重新开放为空。")
    can_reopen = graphene.Boolean(required=True, description="您可以重新开放填报（已过锁定日期、尚未上报，且您是其医共体或上级的审核人）。")


class SupervisionApprovalEvent(graphene.ObjectType):
    """One step a unit's month took."""

    action = graphene.String(required=True, description="操作：submit 上报、approve 审核通过、unapprove 退回。")
    from_step = graphene.Field(_step_enum, required=True, description="原进度。")
    to_step = graphene.Field(_step_enum, required=True, description="新进度。")
    actor_name = graphene.String(required=True, description="操作人。")
    reason = graphene.String(required=True, description="原因（退回时）。")
    at = graphene.DateTime(required=True, description="时间。")


def _return(e):
    from modules.supervision.schema import _return as build

    return build(e)


def _pct(part: int, whole: int):
    return round(100 * part / whole, 1) if whole else None


class ViewsQuery(graphene.ObjectType):
    supervision_scope = graphene.Field(SupervisionScope, required=True,
                                       description="您可以查看监管数据的最高层单位（监管页面从这里开始）。")
    supervision_node = graphene.Field(
        SupervisionNodeView, required=True, unit=graphene.ID(required=True, description="组织单元。"),
        description="某单位、您可查看的上级与其下级（逐级下钻）。需要该单位的 supervision.view_aggregates 权限（本单位可看自己）。",
    )
    supervision_trend = graphene.Field(
        SupervisionTrend, required=True, unit=graphene.ID(required=True, description="组织单元。"),
        indicators=graphene.List(graphene.NonNull(graphene.String), description="指标代码；不填为全部指标。"),
        until=graphene.String(description="最后一个月 2026-03，默认上月。"),
        months=graphene.Int(description="月数，默认12，最多36。"),
        description="某单位的指标逐月趋势（每月由汇总后的分子分母重新计算）。需要该单位的 supervision.view_aggregates 权限。",
    )
    supervision_heatmap = graphene.Field(
        SupervisionHeatmap, required=True, unit=graphene.ID(required=True, description="组织单元。"),
        period_from=graphene.String(required=True, description="起始期间 2026-01（或 2026Q1、2026）。"),
        period_to=graphene.String(required=True, description="结束期间 2026-12（或 2026Q4、2026）。"),
        description="下级单位逐月的上报完整率与及时率（热力图）。需要 supervision.view_aggregates 权限。",
    )
    supervision_approval_queue = graphene.List(
        graphene.NonNull(SupervisionQueueRow), required=True, unit=graphene.ID(required=True, description="组织单元。"),
        period=graphene.String(required=True, description="期间：月报 2026-03，季报 2026Q1，年报 2026。"),
        data_set=graphene.String(description="数据集代码；不填为标准月报数据集。"),
        description="辖区各报告单位某期的审核进度与填报锁定，以及您可以审核通过、退回或重新开放哪些。",
    )
    supervision_approval_events = graphene.List(
        graphene.NonNull(SupervisionApprovalEvent), required=True, unit=graphene.ID(required=True, description="填报单位。"),
        period=graphene.String(required=True, description="期间：月报 2026-03，季报 2026Q1，年报 2026。"),
        data_set=graphene.String(description="数据集代码；不填为标准月报数据集。"),
        description="某单位某月数据的审核记录（上报、审核、退回），由早到晚。",
    )

    @staticmethod
    def resolve_supervision_scope(root, info):
        from jianlian.access.checks import has_perm_anywhere

        user = require_user(info)
        return SupervisionScope(nodes=[_node(u) for u in views_services.scope(user)],
                                    can_approve=has_perm_anywhere(user, "supervision.approve"))

    @staticmethod
    def resolve_supervision_node(root, info, unit):
        user = require_user(info)
        view = _perm_error(views_services.node_view, user, _node_id(unit))
        return SupervisionNodeView(node=_node(view["node"]), ancestors=[_node(a) for a in view["ancestors"]],
                                       children=[_node(c) for c in view["children"]])

    @staticmethod
    def resolve_supervision_trend(root, info, unit, indicators=None, until=None, months=12):
        user = require_user(info)
        data = _perm_error(views_services.trend, user, _node_id(unit), indicators, until, months)
        return SupervisionTrend(months=data["months"], series=[
            SupervisionTrendSeries(code=s["indicator"].code, name=s["indicator"].name, unit_label=s["indicator"].unit_label,
                            values=s["values"]) for s in data["series"]])

    @staticmethod
    def resolve_supervision_heatmap(root, info, unit, period_from, period_to):
        user = require_user(info)
        data = _perm_error(views_services.heatmap, user, _node_id(unit), period_from, period_to)
        return SupervisionHeatmap(months=data["months"], rows=[
            SupervisionHeatmapRow(unit=_node(r["node"]), cells=[
                SupervisionHeatmapCell(period=m, expected=c["expected"], submitted=c["submitted"], on_time=c["on_time"],
                                late=c["late"], missing=c["missing"], completeness=_pct(c["submitted"], c["expected"]),
                                timeliness=_pct(c["on_time"], c["expected"]))
                for m, c in zip(data["months"], r["cells"])]) for r in data["rows"]])

    @staticmethod
    def resolve_supervision_approval_queue(root, info, unit, period, data_set=None):
        user = require_user(info)
        return [SupervisionQueueRow(unit=_node(r["unit"]), values=r["values"], step=int(r["step"]), on_time=r["on_time"],
                                     submitted_at=r["submitted_at"], resubmitted_at=r["resubmitted_at"],
                                     returned=_return(r["returned"]), available_actions=r["available_actions"],
                                     next_step=None if r["next_step"] is None else int(r["next_step"]),
                                     can_approve=r["can_approve"], can_unapprove=r["can_unapprove"],
                                     lock_reason=r["lock_reason"], lock_date=r["lock_date"],
                                     reopened_until=r["reopened_until"], can_reopen=r["can_reopen"])
                for r in _perm_error(views_services.approval_queue, user, _node_id(unit), period, data_set)]

    @staticmethod
    def resolve_supervision_approval_events(root, info, unit, period, data_set=None):
        user = require_user(info)
        return [SupervisionApprovalEvent(action=e.action, from_step=int(e.from_step), to_step=int(e.to_step),
                                  actor_name=(e.actor.real_name or e.actor.username) if e.actor else "",
                                  reason=e.reason, at=e.at)
                for e in _perm_error(views_services.approval_events, user, _node_id(unit), period, data_set)]

