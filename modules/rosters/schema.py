"""GraphQL for duty rosters: shift types, a department's month as a grid, my shifts, the
departments I may schedule; actions as mutations. Gated by the marketplace."""

from __future__ import annotations

import datetime as dt

import graphene
from graphql_relay import to_global_id

from jianlian.api.base import BaseMutation, GlobalID, PermissionField, decode_id, require_user
from jianlian.api.permissions import CURRENT_TENANT, SIGNED_IN, Perm
from jianlian.api.types import ModelType
from modules.rosters import services
from modules.rosters.models import Roster, RosterStatus, ShiftType

SCHEDULE = Perm("rosters.manage", at=CURRENT_TENANT)
StatusEnum = graphene.Enum.from_enum(RosterStatus, name="RosterStatus", description="排班表状态。")


class RosterShiftType(ModelType):
    """A kind of shift; an end at or before the start is the next morning."""

    class Meta:
        model = ShiftType
        name = "RosterShiftType"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "code", "name", "start", "end", "color", "is_active")

    @classmethod
    def access_node(cls, info, viewer, pk):
        from tenants.context import current_tenant

        if current_tenant() is None or not services.is_member(viewer):
            return None
        return ShiftType.objects.filter(pk=pk).first()


class RosterCellType(graphene.ObjectType):
    """One person's shift on one day."""

    entry = graphene.ID(required=True, description="排班格（RosterEntry 的 Relay ID），申请换班时用。")
    day = graphene.Date(required=True, description="日期。")
    shift = graphene.Field(RosterShiftType, required=True, description="班次。")


class RosterRowType(graphene.ObjectType):
    """One person's line of the grid."""

    user = graphene.ID(required=True, description="人员（User 的 Relay ID）。")
    name = graphene.String(required=True, description="姓名。")
    cells = graphene.List(graphene.NonNull(RosterCellType), required=True, description="有班的日子。")


class RosterType(ModelType):
    """A department's month: schedulers see drafts, the tenant's members the published ones."""

    status = StatusEnum(required=True, description="状态。")
    days = graphene.List(graphene.NonNull(graphene.Date), required=True, description="该月每一天。")
    rows = graphene.List(graphene.NonNull(RosterRowType), required=True, description="科室每人一行（含尚未排班的人）。")

    class Meta:
        model = Roster
        name = "Roster"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "department_name", "month", "published_at", "updated_at")

    @classmethod
    def access_node(cls, info, viewer, pk):
        from tenants.context import current_tenant

        r = Roster.objects.filter(pk=pk).first() if current_tenant() is not None else None
        return services.roster_of(viewer, r.department_id, r.month) if r else None

    @staticmethod
    def resolve_days(r, info):
        return services.days_of(r.month)

    @staticmethod
    def resolve_rows(r, info):
        staff = services.department_staff(r.department_id) if services.is_scheduler(info.context.user) else {}
        cells: dict[int, list] = {}
        names = dict(staff)
        for e in r.entries.select_related("shift").order_by("day"):
            cells.setdefault(e.user_id, []).append(RosterCellType(entry=to_global_id("RosterEntry", e.pk), day=e.day, shift=e.shift))
            names.setdefault(e.user_id, e.name)
        return [RosterRowType(user=to_global_id("User", uid), name=name, cells=cells.get(uid, [])) for uid, name in names.items()]


class MyShiftType(graphene.ObjectType):
    """One of my shifts (published rosters only)."""

    day = graphene.Date(required=True, description="日期。")
    start = graphene.DateTime(required=True, description="开始。")
    end = graphene.DateTime(required=True, description="结束。")
    shift = graphene.Field(RosterShiftType, required=True, description="班次。")
    department_name = graphene.String(required=True, description="科室。")


class Query(graphene.ObjectType):
    roster_shift_types = PermissionField(graphene.List(graphene.NonNull(RosterShiftType)), required=True, permissions=SIGNED_IN,
                                         description="本单位的班次类型。")
    roster = PermissionField(RosterType, permissions=SIGNED_IN, department=graphene.ID(required=True, description="科室。"),
                             month=graphene.String(required=True, description="月份，如 2026-12。"),
                             description="科室某月的排班表；尚无或无权查看（未发布）时为 null。")
    roster_staff = PermissionField(graphene.List(graphene.NonNull(RosterRowType)), required=True, permissions=SCHEDULE,
                                   department=graphene.ID(required=True, description="科室。"),
                                   description="科室的在岗人员（排班员开始编排一个月时的空表）。")
    roster_can_schedule = PermissionField(graphene.Boolean, required=True, permissions=SIGNED_IN,
                                          description="我可否编排本单位的排班（rosters.manage）。")
    my_shifts = PermissionField(graphene.List(graphene.NonNull(MyShiftType)), required=True, permissions=SIGNED_IN,
                                start=graphene.Date(description="起（默认今天）。"), end=graphene.Date(description="止（默认起后31天，最多92天）。"),
                                description="我的排班（已发布的），按日期排列。")

    @staticmethod
    def resolve_roster_shift_types(root, info):
        if not services.is_member(require_user(info)):
            return []  # only members of the tenant see its shift types
        return ShiftType.objects.filter(is_active=True)

    @staticmethod
    def resolve_roster_staff(root, info, department):
        staff = services.department_staff(decode_id(department, "Department", "department"))
        return [RosterRowType(user=to_global_id("User", uid), name=name, cells=[]) for uid, name in staff.items()]

    @staticmethod
    def resolve_roster_can_schedule(root, info):
        return services.is_scheduler(require_user(info))

    @staticmethod
    def resolve_roster(root, info, department, month):
        return services.roster_of(require_user(info), decode_id(department, "Department", "department"), month)

    @staticmethod
    def resolve_my_shifts(root, info, start=None, end=None):
        from django.utils import timezone

        user = require_user(info)
        start = start or timezone.localdate()
        end = min(end or start + dt.timedelta(days=31), start + dt.timedelta(days=92))
        out = []
        for e in services.shifts_of(user.pk, start, end):
            s, t = e.shift.span(e.day)
            out.append(MyShiftType(day=e.day, start=s, end=t, shift=e.shift, department_name=e.roster.department_name))
        return out


class CreateRosterShiftTypeInput(graphene.InputObjectType):
    """A new kind of shift."""

    code = graphene.String(required=True, description="代码（如 白、夜）。")
    name = graphene.String(required=True, description="名称（如 白班）。")
    start = graphene.Time(required=True, description="开始时间。")
    end = graphene.Time(required=True, description="结束时间（不晚于开始表示次日）。")
    color = graphene.String(description="颜色：blue、green、orange、purple、red、cyan、gold、magenta。")


class CreateRosterShiftType(BaseMutation):
    shift_type = graphene.Field(RosterShiftType, description="新班次。")

    class Arguments:
        input = CreateRosterShiftTypeInput(required=True)

    class Meta:
        description = "新建班次类型。"
        permissions = SCHEDULE
        error_codes = ("REQUIRED", "TOO_LONG", "INVALID", "ROSTERS_DUPLICATE")

    @classmethod
    def perform(cls, info, input):
        return cls(shift_type=services.create_shift_type(info.context.user, code=input["code"], name=input["name"],
                                                         start=input["start"], end=input["end"],
                                                         color=input.get("color") or "blue"), errors=[])


class RosterCellInput(graphene.InputObjectType):
    """One cell of the grid."""

    user = GlobalID("User", required=True, description="人员。")
    day = graphene.Date(required=True, description="日期。")
    shift = GlobalID("RosterShiftType", description="班次；为空表示清空该格。")


class SetRosterCellsInput(graphene.InputObjectType):
    """Cells of a department's month to write."""

    department = GlobalID("Department", required=True, description="科室。")
    month = graphene.String(required=True, description="月份，如 2026-12。")
    cells = graphene.List(graphene.NonNull(RosterCellInput), required=True, description="要写的格子。")


class SetRosterCells(BaseMutation):
    roster = graphene.Field(RosterType, description="排班表。")

    class Arguments:
        input = SetRosterCellsInput(required=True)

    class Meta:
        description = "编辑科室某月排班表的格子（每人每天至多一个班次）；任一格有误则都不写入。"
        permissions = SCHEDULE
        error_codes = ("ROSTERS_BAD_MONTH", "ROSTERS_NOT_IN_DEPARTMENT", "ROSTERS_BAD_DAY", "ROSTERS_BAD_SHIFT")

    @classmethod
    def perform(cls, info, input):
        cells = [{"user_id": c["user"], "day": c["day"], "shift_id": c.get("shift")} for c in input["cells"]]
        return cls(roster=services.set_cells(info.context.user, input["department"], input["month"], cells), errors=[])


class PublishRosterInput(graphene.InputObjectType):
    """The roster to publish."""

    roster = GlobalID("Roster", required=True, description="排班表。")


class PublishRoster(BaseMutation):
    roster = graphene.Field(RosterType, description="排班表。")

    class Arguments:
        input = PublishRosterInput(required=True)

    class Meta:
        description = "发布（或更新后重新发布）排班表：表上每人收到通知。"
        permissions = SCHEDULE
        error_codes = ("ROSTERS_EMPTY",)

    @classmethod
    def perform(cls, info, input):
        return cls(roster=services.publish(info.context.user, input["roster"]), errors=[])


class RequestRosterSwapInput(graphene.InputObjectType):
    """A swap of one of my shifts for a colleague's on the same published roster."""

    mine = GlobalID("RosterEntry", required=True, description="我的班次（排班格）。")
    theirs = GlobalID("RosterEntry", required=True, description="同事的班次。")
    head = GlobalID("User", required=True, description="审批的科室负责人。")
    reason = graphene.String(description="事由。")


class RequestRosterSwap(BaseMutation):
    status = graphene.String(description="换班申请状态：pending。")
    approval = graphene.ID(description="审批（ApprovalInstance 的 Relay ID）。")

    class Arguments:
        input = RequestRosterSwapInput(required=True)

    class Meta:
        description = "申请换班：对方确认、科室负责人审批通过后两人的班次才互换。"
        permissions = SIGNED_IN
        error_codes = ("TOO_LONG", "NOT_FOUND", "ROSTERS_BAD_SWAP", "ROSTERS_SWAP_CLASH", "ROSTERS_SWAP_PENDING",
                       "APPROVER_REQUIRED", "INVALID_APPROVER")

    @classmethod
    def perform(cls, info, input):
        from modules.rosters import swaps

        swap = swaps.request(info.context.user, mine_id=input["mine"], theirs_id=input["theirs"], head_id=input["head"],
                             reason=input.get("reason") or "")
        return cls(status=swap.status, approval=to_global_id("ApprovalInstance", swap.approval_id), errors=[])


class Mutation(graphene.ObjectType):
    create_roster_shift_type = CreateRosterShiftType.Field()
    set_roster_cells = SetRosterCells.Field()
    publish_roster = PublishRoster.Field()
    request_roster_swap = RequestRosterSwap.Field()
