"""The report's lifecycle as explicit mutations, one per action, each taking only what it needs:
submit, approve, return (with a reason), reopen (past the lock date, until a date, with a
reason). Each answers the report with the actions the reader has next (`availableActions`), so
the pages render exactly those and keep no state machine of their own. The rules live in
`actions.py`."""

from __future__ import annotations

import graphene

from jianlian.api.base import BaseMutation
from modules.supervision import actions
from modules.supervision.api.common import node_id
from modules.supervision.api.types import ReportType, report_of


class SupervisionReportInput(graphene.InputObjectType):
    """A unit's period of a data set (its report)."""

    unit = graphene.ID(required=True, description="填报单位。")
    period = graphene.String(required=True, description="期间（按数据集周期）：2026-03、2026Q1 或 2026。")
    data_set = graphene.String(description="数据集代码；默认标准月报。")


class ReturnSupervisionReportInput(SupervisionReportInput):
    """A report to step back one level, and why."""

    reason = graphene.String(required=True, description="退回原因（不超过500字）。")


class ReopenSupervisionReportInput(SupervisionReportInput):
    """A report past its lock date to open for entry again, until when and why."""

    until = graphene.String(required=True, description="开放至（含）：2026-03-31。")
    reason = graphene.String(required=True, description="原因（不超过500字）。")


class _ReportStep(BaseMutation):
    """A step of the report's lifecycle that answers the report as it now stands."""

    class Meta:
        abstract = True

    report = graphene.Field(ReportType, description="报表的审核状态与您接下来可进行的操作。")

    @classmethod
    def perform(cls, info, input):
        return cls(report=report_of(cls.act(info.context.user, node_id(input["unit"]), input["period"], input.get("data_set"), input)),
                   errors=[])


class SubmitSupervisionReport(_ReportStep):
    """上报某单位某期的监管数据（上报后锁定填报）。需要该单位的 supervision.report 权限；通知医共体审核人。"""

    class Arguments:
        input = SupervisionReportInput(required=True)

    @staticmethod
    def act(user, unit_id, period, data_set, input):
        return actions.submit(user, unit_id, period, data_set)


class ApproveSupervisionReport(_ReportStep):
    """逐级审核通过某单位某期的监管数据（医共体 → 县 → 市 → 省）。需要在该级单位本身被授予 supervision.approve；通知下一级。"""

    class Arguments:
        input = SupervisionReportInput(required=True)

    @staticmethod
    def act(user, unit_id, period, data_set, input):
        return actions.approve(user, unit_id, period, data_set)


class ReturnSupervisionReport(_ReportStep):
    """退回某单位某期的监管数据一级（须填原因；退回上报即重新开放填报）。需要取得当前进度的一级或其上一级的 supervision.approve；通知填报人。"""

    class Arguments:
        input = ReturnSupervisionReportInput(required=True)

    @staticmethod
    def act(user, unit_id, period, data_set, input):
        return actions.unapprove(user, unit_id, period, input.get("reason") or "", data_set)


class ReopenSupervisionReport(BaseMutation):
    """过了锁定日期后为某单位某期重新开放填报，至某日（含），须填原因。需要该单位所在医共体或上级的 supervision.approve；通知填报人。"""

    until = graphene.Date(description="开放至（含）。")

    class Arguments:
        input = ReopenSupervisionReportInput(required=True)

    @classmethod
    def perform(cls, info, input):
        from modules.supervision.models import STANDARD_DATA_SET

        r = actions.reopen_entry(info.context.user, data_set=input.get("data_set") or STANDARD_DATA_SET, unit_id=node_id(input["unit"]),
                                 period=input["period"], until=input["until"], reason=input["reason"])
        return cls(until=r.until, errors=[])


class ReportMutation(graphene.ObjectType):
    submit_supervision_report = SubmitSupervisionReport.Field(description=SubmitSupervisionReport.__doc__)
    approve_supervision_report = ApproveSupervisionReport.Field(description=ApproveSupervisionReport.__doc__)
    return_supervision_report = ReturnSupervisionReport.Field(description=ReturnSupervisionReport.__doc__)
    reopen_supervision_report = ReopenSupervisionReport.Field(description=ReopenSupervisionReport.__doc__)
