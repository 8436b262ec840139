"""Every meetings action as its own mutation: one `input`, the changed object and
`errors { field code message }`. Who may act is decided by the actions (access helpers)."""

from __future__ import annotations

import graphene

from jianlian.api.base import BaseMutation, GlobalID
from jianlian.api.permissions import SIGNED_IN, Checked, Perm, unit_in
from modules.meetings import booking as actions, calendar, rooms
from modules.meetings.types import MeetingBookingType, MeetingRoomType

BOOKING_ERRORS = ("MEETINGS_NOT_ACTIVE",)


class RoomFields:
    name = graphene.String(description="名称。")
    building = graphene.String(description="楼宇。")
    floor = graphene.String(description="楼层。")
    capacity = graphene.Int(description="容纳人数。")
    equipment = graphene.List(graphene.NonNull(graphene.String), description="设备（投影、视频会议、白板……）。")


class CreateMeetingRoomInput(RoomFields, graphene.InputObjectType):
    """A new room of a unit."""

    unit = GlobalID("OrgUnit", required=True, description="所属单位。")
    name = graphene.String(required=True, description="名称。")
    capacity = graphene.Int(required=True, description="容纳人数。")


class CreateMeetingRoom(BaseMutation):
    room = graphene.Field(MeetingRoomType, description="新会议室。")

    class Arguments:
        input = CreateMeetingRoomInput(required=True)

    class Meta:
        description = "新建会议室。"
        permissions = Perm("meetings.manage", at=unit_in("unit"))
        error_codes = ("REQUIRED", "TOO_LONG", "INVALID")

    @classmethod
    def perform(cls, info, input):
        room = rooms.create_room(info.context.user, input["unit"].pk, name=input["name"], capacity=input["capacity"],
                                 building=input.get("building") or "", floor=input.get("floor") or "",
                                 equipment=input.get("equipment"))
        return cls(room=room, errors=[])


class UpdateMeetingRoomInput(RoomFields, graphene.InputObjectType):
    """Changes to a room (only what is given changes)."""

    room = GlobalID("MeetingRoom", required=True, description="会议室。")
    is_active = graphene.Boolean(description="启用（停用后不再接受新预订）。")


class UpdateMeetingRoom(BaseMutation):
    room = graphene.Field(MeetingRoomType, description="会议室。")

    class Arguments:
        input = UpdateMeetingRoomInput(required=True)

    class Meta:
        description = "修改会议室的名称、位置、容纳人数、设备或启用状态。"
        permissions = Perm("meetings.manage", at=Checked("会议室所属单位"))
        error_codes = ("REQUIRED", "TOO_LONG", "INVALID")

    @classmethod
    def perform(cls, info, input):
        fields = {k: input.get(k) for k in ("name", "building", "floor", "capacity", "equipment", "is_active")}
        return cls(room=rooms.update_room(info.context.user, input["room"], **fields), errors=[])


class BookMeetingRoomInput(graphene.InputObjectType):
    """A meeting to book."""

    room = GlobalID("MeetingRoom", required=True, description="会议室。")
    title = graphene.String(required=True, description="会议主题。")
    start = graphene.DateTime(required=True, description="开始时间。")
    end = graphene.DateTime(required=True, description="结束时间。")
    invitees = GlobalID("User", many=True, description="受邀人。")
    is_private = graphene.Boolean(description="私密会议：只有组织者和受邀人看得到主题与详情。")
    weeks = graphene.Int(description="每周重复的次数（含本次），默认1；任一次冲突则全部不预订。")
    remind_minutes = graphene.Int(description="提前几分钟提醒，默认15。")
    ding = graphene.Boolean(description="用 DING（紧急通知与短信）提醒。")


class BookMeetingRoom(BaseMutation):
    booking = graphene.Field(MeetingBookingType, description="预订（重复时为第一次）。")
    bookings = graphene.List(graphene.NonNull(MeetingBookingType), required=True, description="全部预订（重复时每次一条；出错时为空列表）。")

    class Arguments:
        input = BookMeetingRoomInput(required=True)

    @staticmethod
    def resolve_bookings(payload, info):
        return payload.bookings or []

    class Meta:
        description = "预订会议室并邀请参会人。与已有预订重叠时返回 MEETINGS_ROOM_TAKEN，并说明冲突的时间。"
        permissions = SIGNED_IN
        error_codes = ("MEETINGS_ROOM_TAKEN", "MEETINGS_ROOM_CLOSED", "MEETINGS_BAD_TIME", "REQUIRED", "TOO_LONG", "INVALID")

    @classmethod
    def perform(cls, info, input):
        made = actions.book(info.context.user, input["room"], title=input["title"], start=input["start"], end=input["end"],
                            invitee_ids=input.get("invitees") or [], is_private=bool(input.get("is_private")),
                            weeks=input.get("weeks") or 1, ding=bool(input.get("ding")),
                            remind_minutes=15 if input.get("remind_minutes") is None else input["remind_minutes"])
        return cls(booking=made[0], bookings=made, errors=[])


class CancelMeetingInput(graphene.InputObjectType):
    """The booking to cancel."""

    booking = GlobalID("MeetingBooking", required=True, description="预订。")
    whole_series = graphene.Boolean(description="同时取消本系列之后的各次。")


class CancelMeeting(BaseMutation):
    booking = graphene.Field(MeetingBookingType, description="已取消的预订。")

    class Arguments:
        input = CancelMeetingInput(required=True)

    class Meta:
        description = "取消会议，会议室随即空出；受邀人收到通知。组织者或会议室管理员可操作。"
        permissions = SIGNED_IN
        error_codes = BOOKING_ERRORS

    @classmethod
    def perform(cls, info, input):
        b = actions.cancel(info.context.user, input["booking"], whole_series=bool(input.get("whole_series")))
        return cls(booking=b, errors=[])


AnswerInput = graphene.Enum("MeetingResponse", [("ACCEPT", "accept"), ("DECLINE", "decline")],
                            description="ACCEPT 接受、DECLINE 拒绝。")


class RespondToMeetingInput(graphene.InputObjectType):
    """An invitee's answer."""

    booking = GlobalID("MeetingBooking", required=True, description="预订。")
    answer = AnswerInput(required=True, description="回复。")


class RespondToMeeting(BaseMutation):
    booking = graphene.Field(MeetingBookingType, description="预订。")

    class Arguments:
        input = RespondToMeetingInput(required=True)

    class Meta:
        description = "接受或拒绝会议邀请（会议结束前可改）。"
        permissions = SIGNED_IN
        error_codes = (*BOOKING_ERRORS, "MEETINGS_NOT_INVITED")

    @classmethod
    def perform(cls, info, input):
        b = actions.respond(info.context.user, input["booking"], input["answer"] == "accept")
        return cls(booking=b, errors=[])


class CheckInMeetingInput(graphene.InputObjectType):
    """The booking to check in to."""

    booking = GlobalID("MeetingBooking", required=True, description="预订。")


class CheckInMeeting(BaseMutation):
    booking = graphene.Field(MeetingBookingType, description="预订。")

    class Arguments:
        input = CheckInMeetingInput(required=True)

    class Meta:
        description = "组织者签到（开始前后15分钟内）；逾时未签到的预订会被释放。"
        permissions = SIGNED_IN
        error_codes = (*BOOKING_ERRORS, "MEETINGS_CHECK_IN_CLOSED")

    @classmethod
    def perform(cls, info, input):
        return cls(booking=actions.check_in(info.context.user, input["booking"]), errors=[])


class ResetMeetingCalendarInput(graphene.InputObjectType):
    """Nothing but a confirmation."""

    confirm = graphene.Boolean(description="确认重置。")


class ResetMeetingCalendar(BaseMutation):
    url = graphene.String(description="新的日历订阅地址（旧地址立即失效）。")

    class Arguments:
        input = ResetMeetingCalendarInput(required=True)

    class Meta:
        description = "重置我的日历订阅地址（地址泄露时使用）。"
        permissions = SIGNED_IN
        error_codes = ()

    @classmethod
    def perform(cls, info, input):
        from modules.meetings import access

        access.require_member(info.context.user)
        return cls(url=calendar.feed_path(calendar.token_for(info.context.user, reset=True)), errors=[])


class Mutation(graphene.ObjectType):
    create_meeting_room = CreateMeetingRoom.Field()
    update_meeting_room = UpdateMeetingRoom.Field()
    book_meeting_room = BookMeetingRoom.Field()
    cancel_meeting = CancelMeeting.Field()
    respond_to_meeting = RespondToMeeting.Field()
    check_in_meeting = CheckInMeeting.Field()
    reset_meeting_calendar = ResetMeetingCalendar.Field()
