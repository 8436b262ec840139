"""GraphQL for meeting rooms: rooms, a day's occupancy board, my meetings, one booking, my
calendar feed address; every action a mutation (mutations.py). Gated by the marketplace
(APP_NOT_INSTALLED where the app is not installed)."""

from __future__ import annotations

import datetime as dt

import graphene
from django.db.models import Q
from django.utils import timezone

from jianlian.api.base import PermissionField, auth_error, decode_id, require_user
from jianlian.api.permissions import SIGNED_IN
from jianlian.core.errors import DomainError
from modules.meetings import access, board, calendar
from modules.meetings.models import ACTIVE, Booking, Invitation
from modules.meetings.mutations import Mutation  # noqa: F401 — the module's root Mutation
from modules.meetings.types import MeetingBoardType, MeetingBookingType, MeetingRoomType, MeetingUnitType


def _member(info):
    user = require_user(info)
    try:
        access.require_member(user)
    except DomainError as e:
        raise auth_error(e.code, e.message) from None
    return user


def _unit(unit):
    return decode_id(unit, "OrgUnit", "unit") if unit else None


class Query(graphene.ObjectType):
    meeting_rooms = PermissionField(
        graphene.List(graphene.NonNull(MeetingRoomType)), required=True, permissions=SIGNED_IN,
        unit=graphene.ID(description="只看该单位。"), building=graphene.String(description="只看该楼宇。"),
        include_inactive=graphene.Boolean(description="含已停用的（管理用）。"),
        description="本单位的会议室（仅本租户成员可见）。")
    meeting_board = PermissionField(
        MeetingBoardType, required=True, permissions=SIGNED_IN, date=graphene.Date(required=True, description="日期。"),
        unit=graphene.ID(description="只看该单位。"), building=graphene.String(description="只看该楼宇。"),
        description="一天的会议室占用看板（会议室 × 时段）。")
    my_meetings = PermissionField(
        graphene.List(graphene.NonNull(MeetingBookingType)), required=True, permissions=SIGNED_IN,
        start=graphene.DateTime(description="起（默认今天0点）。"), end=graphene.DateTime(description="止（默认起后30天）。"),
        description="我组织或受邀的有效会议，按开始时间排列。")
    meeting_booking = PermissionField(MeetingBookingType, permissions=SIGNED_IN, id=graphene.ID(required=True, description="预订。"),
                                      description="一次预订；无权查看（他人的私密会议）时为 null。")
    meeting_units = PermissionField(graphene.List(graphene.NonNull(MeetingUnitType)), required=True, permissions=SIGNED_IN,
                                    description="本租户的单位，及我能否在其中管理会议室。")
    meeting_calendar_url = PermissionField(graphene.String, required=True, permissions=SIGNED_IN,
                                           description="我的日历订阅地址（iCalendar；手机日历可订阅；含密钥，勿外传）。")

    @staticmethod
    def resolve_meeting_rooms(root, info, unit=None, building=None, include_inactive=None):
        return board.rooms(_member(info), unit_id=_unit(unit), building=building, include_inactive=bool(include_inactive))

    @staticmethod
    def resolve_meeting_board(root, info, date, unit=None, building=None):
        return board.day_board(_member(info), date, unit_id=_unit(unit), building=building)

    @staticmethod
    def resolve_my_meetings(root, info, start=None, end=None):
        user = _member(info)
        start = start or timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))
        end = end or start + dt.timedelta(days=30)
        if end - start > dt.timedelta(days=366):
            end = start + dt.timedelta(days=366)
        invited = Invitation.objects.filter(user_id=user.pk).values("booking_id")
        return (Booking.objects.filter(Q(organiser_id=user.pk) | Q(pk__in=invited), status__in=ACTIVE,
                                       start_at__lt=end, end_at__gt=start)
                .select_related("room").prefetch_related("invitations").order_by("start_at")[:500])

    @staticmethod
    def resolve_meeting_booking(root, info, id):
        user = _member(info)
        try:
            return access.access_booking(user, decode_id(id, "MeetingBooking"))
        except DomainError:
            return None

    @staticmethod
    def resolve_meeting_units(root, info):
        from graphql_relay import to_global_id

        from jianlian.hierarchy.models import OrgUnit

        user = _member(info)
        managed = set(access.managed_unit_ids(user))
        return [MeetingUnitType(id=to_global_id("OrgUnit", u.pk), name=u.name, can_manage=u.pk in managed)
                for u in OrgUnit.objects.filter(pk__in=access.tenant_unit_ids()).order_by("lft")]

    @staticmethod
    def resolve_meeting_calendar_url(root, info):
        return calendar.feed_path(calendar.token_for(_member(info)))
