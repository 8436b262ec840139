"""The occupancy board: every active room of the tenant (of one building or unit), and what
takes each of them on one local day. Private meetings of others show only as taken."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from modules.meetings import access
from modules.meetings.models import ACTIVE, Booking, Invitation, Room
from modules.meetings.types import MeetingBoardRowType, MeetingBoardType, MeetingBusyType


def rooms(user, *, unit_id=None, building=None, include_inactive=False):
    access.require_member(user)
    qs = Room.objects.all() if include_inactive else Room.objects.filter(is_active=True)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if building:
        qs = qs.filter(building=building)
    return qs.order_by("building", "floor", "name")


def day_board(user, day: dt.date, *, unit_id=None, building=None) -> MeetingBoardType:
    access.require_member(user)
    lo = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    hi = lo + dt.timedelta(days=1)
    room_list = list(rooms(user, unit_id=unit_id, building=building))
    bookings = list(Booking.objects.filter(room__in=room_list, status__in=ACTIVE, start_at__lt=hi, end_at__gt=lo)
                    .select_related("room").prefetch_related("invitations").order_by("start_at"))
    invited = set(Invitation.objects.filter(booking__in=bookings, user_id=user.pk).values_list("booking_id", flat=True))
    by_room: dict[int, list] = {r.pk: [] for r in room_list}
    for b in bookings:
        mine = b.organiser_id == user.pk or b.pk in invited
        hidden = b.is_private and not mine
        by_room[b.room_id].append(MeetingBusyType(
            start_at=b.start_at, end_at=b.end_at, status=b.status, is_private=b.is_private, mine=mine,
            title=_("私密会议") if hidden else b.title, organiser_name="" if hidden else b.organiser_name,
            booking=None if hidden else b))
    buildings = sorted(set(Room.objects.filter(is_active=True).exclude(building="").values_list("building", flat=True)))
    return MeetingBoardType(date=day, buildings=buildings,
                            rows=[MeetingBoardRowType(room=r, busy=by_room[r.pk]) for r in room_list])
