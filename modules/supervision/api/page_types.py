"""GraphQL types of the workbench's supervision pages: a node for drill-down, the reader's scope,
trends, the completeness heat map, the approval queue's rows and a report's step timeline."""

from __future__ import annotations

import graphene
from graphql_relay import to_global_id

from modules.supervision.api.types import LockReasonEnum, ReportActionEnum, ReturnType, StepEnum

USE_ACTIONS = "请改用 availableActions；下一版本移除。"


class SupervisionNode(graphene.ObjectType):
    """A node of the tree as the supervision pages show it."""

    id = graphene.ID(required=True, description="组织单元的全局编号（OrgUnit）。")
    unit_id = graphene.Int(required=True, description="组织单元编号。")
    name = graphene.String(required=True, description="名称。")
    level = graphene.String(required=True, description="层级：province、city、county、lead、member、hospital。")


def node_of(u) -> SupervisionNode:
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
    step = graphene.Field(StepEnum, required=True, description="审核进度。")
    on_time = graphene.Boolean(description="按时上报（未上报时为空）。")
    submitted_at = graphene.DateTime(description="上报时间。")
    resubmitted_at = graphene.DateTime(description="退回后重新上报的时间；未曾退回后再上报为空。")
    returned = graphene.Field(ReturnType, description="被退回（最后一步是退回）时的原因；否则为空。")
    available_actions = graphene.List(graphene.NonNull(ReportActionEnum), required=True,
                                      description="您现在可以进行的操作（由服务器按进度、锁定与权限计算）。")
    next_step = graphene.Field(StepEnum, description="下一步进度（已完成全部审核时为空）。")
    can_approve = graphene.Boolean(required=True, deprecation_reason=USE_ACTIONS, description="您可以审核通过。")
    can_unapprove = graphene.Boolean(required=True, deprecation_reason=USE_ACTIONS, description="您可以退回。")
    lock_reason = graphene.Field(LockReasonEnum, description="填报锁定的原因；未锁定为空。")
    lock_date = graphene.Date(description="可填报的最后一天；为空表示该数据集不按日期锁定。")
    reopened_until = graphene.Date(description="重新开放填报至（含）；未重新开放为空。")
    can_reopen = graphene.Boolean(required=True, deprecation_reason=USE_ACTIONS, description="您可以重新开放填报（已过锁定日期、尚未上报，且您是其医共体或上级的审核人）。")


class SupervisionApprovalEvent(graphene.ObjectType):
    """One step a unit's month took."""

    action = graphene.String(required=True, description="操作：submit 上报、approve 审核通过、unapprove 退回。")
    from_step = graphene.Field(StepEnum, required=True, description="原进度。")
    to_step = graphene.Field(StepEnum, required=True, description="新进度。")
    actor_name = graphene.String(required=True, description="操作人。")
    reason = graphene.String(required=True, description="原因（退回时）。")
    at = graphene.DateTime(required=True, description="时间。")

