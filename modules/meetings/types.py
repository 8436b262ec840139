"""GraphQL types of the meetings app (README.md in this folder has the API tour)."""

from __future__ import annotations

import graphene

from jianlian.api.types import ModelType
from modules.meetings import access, booking as actions
from modules.meetings.models import Answer, Booking, Invitation, Room, Status

StatusEnum = graphene.Enum.from_enum(Status, name="MeetingStatus", description="预订状态。")
AnswerEnum = graphene.Enum.from_enum(Answer, name="MeetingAnswer", description="受邀人的回复。")
ActionEnum = graphene.Enum("MeetingAvailableAction", [(a, a) for a in ("CHECK_IN", "ACCEPT", "DECLINE", "CANCEL")],
                           description="当前用户现在可做的操作（服务器计算）：CHECK_IN 签到、ACCEPT 接受、DECLINE 拒绝、CANCEL 取消。")


def _in_tenant(info) -> bool:
    from tenants.context import current_tenant

    return current_tenant() is not None


class MeetingRoomType(ModelType):
    """A meeting room of a unit of the tenant."""

    equipment = graphene.List(graphene.NonNull(graphene.String), required=True, description="设备。")
    unit_id = graphene.ID(required=True, description="所属单位（OrgUnit 的 Relay ID）。")
    unit_name = graphene.String(required=True, description="所属单位名称。")
    can_manage = graphene.Boolean(required=True, description="当前用户可否修改此会议室。")

    class Meta:
        model = Room
        name = "MeetingRoom"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "name", "building", "floor", "capacity", "is_active")

    @classmethod
    def access_node(cls, info, viewer, pk):
        if not _in_tenant(info) or not access.is_member(viewer):
            return None
        return Room.objects.filter(pk=pk).first()

    @staticmethod
    def resolve_unit_id(room, info):
        from graphql_relay import to_global_id

        return to_global_id("OrgUnit", room.unit_id)

    @staticmethod
    def resolve_unit_name(room, info):
        from jianlian.hierarchy.models import OrgUnit

        cache = info.context.__dict__.setdefault("_meetings_unit_names", {})
        if room.unit_id not in cache:
            cache[room.unit_id] = OrgUnit.objects.filter(pk=room.unit_id).values_list("name", flat=True).first() or ""
        return cache[room.unit_id]

    @staticmethod
    def resolve_can_manage(room, info):
        cache = info.context.__dict__.setdefault("_meetings_manage", {})
        if room.unit_id not in cache:
            cache[room.unit_id] = access.may_manage(info.context.user, room.unit_id)
        return cache[room.unit_id]


class MeetingInviteeType(ModelType):
    """One invitee and their answer."""

    answer = AnswerEnum(required=True, description="回复。")

    class Meta:
        model = Invitation
        name = "MeetingInvitee"
        fields = ("name", "answered_at")


class MeetingBookingType(ModelType):
    """A booking: a room held for a meeting. A private meeting is visible only to its organiser
    and invitees (others see on the board only that the room is taken)."""

    status = StatusEnum(required=True, description="状态。")
    room = graphene.Field(MeetingRoomType, required=True, description="会议室。")
    invitees = graphene.List(graphene.NonNull(MeetingInviteeType), required=True, description="受邀人及回复。")
    my_answer = AnswerEnum(description="我的回复（我是受邀人时）。")
    is_organiser = graphene.Boolean(required=True, description="我是组织者。")
    is_series = graphene.Boolean(required=True, description="属于每周重复的系列。")
    available_actions = graphene.List(graphene.NonNull(ActionEnum), required=True, description="我现在可做的操作。")

    class Meta:
        model = Booking
        name = "MeetingBooking"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "title", "start_at", "end_at", "organiser_name", "is_private", "ding", "remind_minutes",
                  "checked_in_at", "occurrence", "created_at")

    @classmethod
    def access_node(cls, info, viewer, pk):
        if not _in_tenant(info):
            return None
        try:
            return access.access_booking(viewer, pk)
        except Exception:  # NOT_FOUND / not a member: the node is null alike
            return None

    @staticmethod
    def resolve_invitees(b, info):
        return b.invitations.all()

    @staticmethod
    def resolve_my_answer(b, info):
        return next((i.answer for i in b.invitations.all() if i.user_id == info.context.user.pk), None)

    @staticmethod
    def resolve_is_organiser(b, info):
        return b.organiser_id == info.context.user.pk

    @staticmethod
    def resolve_is_series(b, info):
        return b.series is not None

    @staticmethod
    def resolve_available_actions(b, info):
        return actions.available_actions(info.context.user, b)


class MeetingBusyType(graphene.ObjectType):
    """A span of a room taken on the board. Title and organiser are hidden for a private meeting
    the reader is not part of."""

    start_at = graphene.DateTime(required=True, description="开始。")
    end_at = graphene.DateTime(required=True, description="结束。")
    title = graphene.String(required=True, description="主题（他人的私密会议显示为“私密会议”）。")
    organiser_name = graphene.String(required=True, description="组织者（他人的私密会议为空）。")
    status = StatusEnum(required=True, description="状态。")
    is_private = graphene.Boolean(required=True, description="私密会议。")
    mine = graphene.Boolean(required=True, description="我是组织者或受邀人。")
    booking = graphene.Field(MeetingBookingType, description="预订详情；无权查看时为空。")


class MeetingBoardRowType(graphene.ObjectType):
    """One room's line on the board."""

    room = graphene.Field(MeetingRoomType, required=True, description="会议室。")
    busy = graphene.List(graphene.NonNull(MeetingBusyType), required=True, description="当天被占用的时段。")


class MeetingBoardType(graphene.ObjectType):
    """The occupancy board of a day: rooms × time (per building)."""

    date = graphene.Date(required=True, description="日期。")
    buildings = graphene.List(graphene.NonNull(graphene.String), required=True, description="本单位所有楼宇（筛选用）。")
    rows = graphene.List(graphene.NonNull(MeetingBoardRowType), required=True, description="每个会议室一行。")


class MeetingUnitType(graphene.ObjectType):
    """A unit of the tenant that can have rooms."""

    id = graphene.ID(required=True, description="单位（OrgUnit 的 Relay ID）。")
    name = graphene.String(required=True, description="名称。")
    can_manage = graphene.Boolean(required=True, description="当前用户可在此单位管理会议室。")
