"""The report's lifecycle as explicit mutations, one per action, each taking only what it needs:
submit, approve, return (with a reason), reopen (past the lock date, until a date, with a
reason). Each answers the report with the actions the reader has next (`availableActions`), so
the pages render exactly those and keep no state machine of their own. The rules live in
`actions.py`: the declared permission is what a caller needs at the unit before the action runs
(an approver's grant above covers it); the action then checks the exact level.

`supervisionApproval(action)`, the generic step these replace, stays for one release, deprecated."""

from __future__ import annotations

import graphene

from jianlian.api.base import BaseMutation, GlobalID
from jianlian.api.permissions import Checked, Perm, unit_in
from modules.supervision import actions
from modules.supervision.api.types import ReportType, report_of
from modules.supervision.models import STANDARD_DATA_SET

PERIOD_CODES = ("INVALID_PERIOD", "UNKNOWN_DATA_SET")
REASON_CODES = ("REASON_REQUIRED", "TOO_LONG")


class SupervisionReportInput(graphene.InputObjectType):
    """A unit's period of a data set (its report)."""

    unit = GlobalID("OrgUnit", required=True, description="填报单位。")
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
        a = cls.act(info.context.user, input["unit"].pk, input["period"], input.get("data_set"), input)
        return cls(report=report_of(a), errors=[])


class SubmitSupervisionReport(_ReportStep):
    class Meta:
        description = "上报某单位某期的监管数据（上报后锁定填报）；通知医共体审核人。"
        permissions = Perm("supervision.report", at=unit_in("unit", label="填报单位"))
        error_codes = (*PERIOD_CODES, "NOT_ASSIGNED", "ILLEGAL_APPROVAL")

    class Arguments:
        input = SupervisionReportInput(required=True)

    @staticmethod
    def act(user, unit_id, period, data_set, input):
        return actions.submit(user, unit_id, period, data_set)


class ApproveSupervisionReport(_ReportStep):
    class Meta:
        description = ("逐级审核通过某单位某期的监管数据（医共体 → 县 → 市 → 省）：须在取下一步的那一级单位本身被授予"
                       " supervision.approve；通知再下一级。")
        permissions = Perm("supervision.approve", at=unit_in("unit", label="填报单位；授权在其医共体、县、市或省"))
        error_codes = (*PERIOD_CODES, "ILLEGAL_APPROVAL")

    class Arguments:
        input = SupervisionReportInput(required=True)

    @staticmethod
    def act(user, unit_id, period, data_set, input):
        return actions.approve(user, unit_id, period, data_set)


class ReturnSupervisionReport(_ReportStep):
    class Meta:
        description = ("退回某单位某期的监管数据一级，须填原因（退回上报即重新开放填报）：须是取得当前进度的一级或其上一级的审核人；"
                       "通知填报人。")
        permissions = Perm("supervision.approve", at=unit_in("unit", label="填报单位；授权在其医共体、县、市或省"))
        error_codes = (*PERIOD_CODES, *REASON_CODES, "ILLEGAL_APPROVAL")

    class Arguments:
        input = ReturnSupervisionReportInput(required=True)

    @staticmethod
    def act(user, unit_id, period, data_set, input):
        return actions.unapprove(user, unit_id, period, input.get("reason") or "", data_set)


class ReopenSupervisionReport(BaseMutation):
    class Meta:
        description = "过了锁定日期后为某单位某期重新开放填报，至某日（含），须填原因；通知填报人。"
        permissions = Perm("supervision.approve", at=unit_in("unit", label="填报单位；授权在其医共体或上级"))
        error_codes = (*PERIOD_CODES, *REASON_CODES, "INVALID_DATE")

    until = graphene.Date(description="开放至（含）。")
    report = graphene.Field(ReportType, description="报表的审核状态与您接下来可进行的操作。")

    class Arguments:
        input = ReopenSupervisionReportInput(required=True)

    @classmethod
    def perform(cls, info, input):
        r = actions.reopen_entry(info.context.user, data_set=input.get("data_set") or STANDARD_DATA_SET,
                                 unit_id=input["unit"].pk, period=input["period"], until=input["until"], reason=input["reason"])
        return cls(until=r.until, report=report_of(actions.report(r.data_set, r.unit, r.period)), errors=[])


class SupervisionApprovalInput(graphene.InputObjectType):
    """A unit's period of a data set, and what to do with it."""

    unit = GlobalID("OrgUnit", required=True, description="填报单位。")
    period = graphene.String(required=True, description="期间（按数据集周期）：2026-03、2026Q1 或 2026。")
    data_set = graphene.String(description="数据集代码；默认标准月报。")
    action = graphene.Enum("SupervisionApprovalAction", [("SUBMIT", "submit"), ("APPROVE", "approve"), ("UNAPPROVE", "unapprove")],
                           description="上报、审核通过或退回。")(required=True, description="操作。")
    reason = graphene.String(description="原因（退回时必填）。")


class SupervisionApproval(BaseMutation):
    class Meta:
        description = ("已弃用（下一版本移除）：上报、逐级审核或退回某单位某月的监管数据。"
                       "上报需 supervision.report，审核与退回需相应层级的 supervision.approve。")
        permissions = Perm("supervision.report", "supervision.approve", at=Checked("填报单位；审核与退回在其上级（医共体、县、市、省）"))

    approval = graphene.Field(ReportType, description="审核状态。")

    class Arguments:
        input = SupervisionApprovalInput(required=True)

    @classmethod
    def perform(cls, info, input):
        action = getattr(input["action"], "value", input["action"])
        user, unit, period, ds = info.context.user, input["unit"], input["period"], input.get("data_set")
        if action == "submit":
            a = actions.submit(user, unit, period, ds)
        elif action == "approve":
            a = actions.approve(user, unit, period, ds)
        else:
            a = actions.unapprove(user, unit, period, input.get("reason") or "", ds)
        return cls(approval=report_of(a), errors=[])


class ReopenSupervisionEntryInput(graphene.InputObjectType):
    """Which unit's period of which data set to reopen, until when and why."""

    data_set = graphene.String(required=True, description="数据集代码。")
    unit = GlobalID("OrgUnit", required=True, description="填报单位。")
    period = graphene.String(required=True, description="期间（按数据集周期）：2026-03、2026Q1 或 2026。")
    until = graphene.String(required=True, description="开放至（含）：2026-03-31。")
    reason = graphene.String(required=True, description="原因。")


class ReopenSupervisionEntry(BaseMutation):
    class Meta:
        description = "已弃用（下一版本移除）：过了锁定日期后为某单位某期重新开放填报；通知填报人。"
        permissions = Perm("supervision.approve", at=Checked("该单位所在医共体或其上级"))

    until = graphene.Date(description="开放至（含）。")

    class Arguments:
        input = ReopenSupervisionEntryInput(required=True)

    @classmethod
    def perform(cls, info, input):
        r = actions.reopen_entry(info.context.user, data_set=input["data_set"], unit_id=input["unit"],
                                  period=input["period"], until=input["until"], reason=input["reason"])
        return cls(until=r.until, errors=[])


DEPRECATED = "请改用 submitSupervisionReport、approveSupervisionReport 或 returnSupervisionReport；下一版本移除。"
DEPRECATED_REOPEN = "请改用 reopenSupervisionReport；下一版本移除。"


class ReportMutation(graphene.ObjectType):
    submit_supervision_report = SubmitSupervisionReport.Field()
    approve_supervision_report = ApproveSupervisionReport.Field()
    return_supervision_report = ReturnSupervisionReport.Field()
    reopen_supervision_report = ReopenSupervisionReport.Field()
    supervision_approval = SupervisionApproval.Field(deprecation_reason=DEPRECATED)
    reopen_supervision_entry = ReopenSupervisionEntry.Field(deprecation_reason=DEPRECATED_REOPEN)
