"""What the clock does, run every minute by beat in each tenant with the app (tasks.py):
reminders before a meeting starts, and the release of rooms nobody checked in to. Rows are taken
with SKIP LOCKED, each in its own transaction, so two beats never act twice."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from modules.meetings.booking import CHECK_IN_WINDOW, _close, link, span
from modules.meetings.models import ACTIVE, Answer, Booking, Status


def send_reminders(now=None) -> int:
    """Remind the organiser and every invitee who has not declined, `remind_minutes` before the
    start, through the notification centre (DING — urgent, with SMS — when the organiser asked
    for it). Once per booking. Returns how many bookings were reminded."""
    from jianlian.notifications.services import notify

    now = now or timezone.now()
    done = 0
    while True:
        with transaction.atomic():
            b = (Booking.objects.select_for_update(skip_locked=True).select_related("room")
                 .filter(status__in=ACTIVE, remind_at__lte=now, reminded_at__isnull=True, end_at__gt=now)
                 .order_by("remind_at").first())
            if b is None:
                return done
            b.reminded_at = now
            b.save(update_fields=["reminded_at", "slot"])
            people = [b.organiser_id, *b.invitations.exclude(answer=Answer.DECLINED).values_list("user_id", flat=True)]
            notify(people, sender_name=lambda: _("会议室"), priority="urgent" if b.ding else "normal",
                   title=lambda b=b: _("会议提醒：%(t)s") % {"t": b.title},
                   body=lambda b=b: _("%(at)s 在%(room)s，请准时参加；组织者请在开始前后15分钟内签到。")
                   % {"at": span(b.start_at, b.end_at), "room": b.room.name}, link=link(b))
            done += 1


def release_no_shows(now=None) -> int:
    """Free the rooms of meetings nobody checked in to within 15 minutes of the start: the
    booking becomes `released` (it no longer holds the room), the organiser and invitees are
    told. Returns how many were released."""
    now = now or timezone.now()
    done = 0
    while True:
        with transaction.atomic():
            b = (Booking.objects.select_for_update(skip_locked=True).select_related("room")
                 .filter(status=Status.BOOKED, start_at__lt=now - CHECK_IN_WINDOW).order_by("start_at").first())
            if b is None:
                return done
            _close(b, Status.RELEASED, actor=None,
                   message=lambda b=b: _("无人签到，会议室已释放：%(t)s（%(at)s）") % {"t": b.title, "at": span(b.start_at, b.end_at)})
            done += 1
