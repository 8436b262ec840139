"""The live supervision subscription: `supervisionChanged` tells the approval and entry pages
that a unit's period changed (a value saved or imported, a submission, an approval, a return, a
reopening), after the write committed, so they refetch what they show without a reload. Only
events about units the subscriber may see arrive (`live.announce`, checked by the hub); the
payload is built into the event alone, as the hub requires."""

from __future__ import annotations

import graphene

from jianlian.realtime.subscriptions import listen, require_socket_user
from modules.supervision import live
from modules.supervision.api.types import StepEnum


class SupervisionChange(graphene.ObjectType):
    """A unit's period of a data set changed."""

    unit = graphene.ID(required=True, description="填报单位的全局编号（OrgUnit）。")
    unit_id = graphene.Int(required=True, description="填报单位编号。")
    data_set = graphene.String(required=True, description="数据集代码。")
    period = graphene.String(required=True, description="期间：2026-03、2026Q1 或 2026。")
    action = graphene.String(required=True, description="发生了什么：save 保存数据、submit 上报、approve 审核通过、unapprove 退回、reopen 重新开放填报。")
    step = graphene.Field(StepEnum, description="变化后的审核进度；未改变审核进度（保存数据、重新开放）时为空。")


def _change(p: dict) -> SupervisionChange:
    return SupervisionChange(unit=p["unit"], unit_id=p["unitId"], data_set=p["dataSet"], period=p["period"],
                             action=p["action"], step=p.get("step"))


class Subscription(graphene.ObjectType):
    supervision_changed = graphene.Field(
        SupervisionChange, required=True,
        description="您可查看的单位（supervision.view_aggregates 或 supervision.report）的监管数据有变化时推送"
                    "（保存、上报、审核、退回、重新开放；提交后推送），审核页与填报页据此刷新。",
    )

    @staticmethod
    def subscribe_supervision_changed(root, info):
        require_socket_user(info)
        tenant = getattr(info.context, "tenant", None)
        return listen(info, groups=[live.group(tenant.schema_name if tenant else "public")], names={live.CHANGED},
                      build=_change)
