"""A person's iCalendar feed (RFC 5545, written with the `icalendar` library) that a phone
calendar subscribes to: every meeting they organise or accepted/have not declined, from 30 days
back to a year ahead, and the events of other installed apps that declare `calendar_sources` in
their manifest (the duty roster's shifts). The address carries a per-person secret (`CalendarToken`), since a phone
calendar sends no sign-in; resetting it makes the old address answer 404 at once."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from modules.meetings.models import ACTIVE, Answer, Booking, CalendarToken, Invitation, Status

PAST = timedelta(days=30)
AHEAD = timedelta(days=366)


def token_for(user, *, reset: bool = False) -> str:
    """The person's feed secret, made on first use; `reset` replaces it (the old one stops working)."""
    row = CalendarToken.objects.filter(user_id=user.pk).first()
    if row is None or reset:
        value = secrets.token_urlsafe(32)
        CalendarToken.objects.update_or_create(user_id=user.pk, defaults={"token": value})
        if reset:
            from jianlian.audit import service as audit

            audit.record("meetings.calendar_reset", actor=user, object_type="calendar", object_id=str(user.pk))
        return value
    return row.token


def feed_path(token: str) -> str:
    from tenants.context import current_tenant

    return f"/t/{current_tenant().slug}/apps/meetings/calendar/{token}.ics"


def user_for_token(token: str) -> int | None:
    if not token or len(token) > 64:
        return None
    row = CalendarToken.objects.filter(token=token).first()
    return row.user_id if row else None


def meetings_of(user_id: int, lo, hi):
    """Meetings `user_id` organises or is invited to (and did not decline), overlapping [lo, hi)."""
    invited = Invitation.objects.filter(user_id=user_id).exclude(answer=Answer.DECLINED).values("booking_id")
    return (Booking.objects.filter(Q(organiser_id=user_id) | Q(pk__in=invited))
            .filter(start_at__lt=hi, end_at__gt=lo).exclude(status=Status.RELEASED)
            .select_related("room").order_by("start_at"))


def ical_for(user_id: int, now=None) -> bytes:
    from icalendar import Calendar, Event

    now = now or timezone.now()
    cal = Calendar()
    cal.add("prodid", "-//Jianlian//meetings//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "会议")
    cal.add("x-published-ttl", "PT15M")
    for b in meetings_of(user_id, now - PAST, now + AHEAD):
        ev = Event()
        ev.add("uid", f"meeting-{b.pk}@jianlian")
        ev.add("dtstamp", now)
        ev.add("dtstart", b.start_at)
        ev.add("dtend", b.end_at)
        ev.add("summary", b.title)
        ev.add("location", " ".join(x for x in (b.room.building, b.room.floor, b.room.name) if x))
        ev.add("organizer", f"CN={b.organiser_name}", parameters={"CN": b.organiser_name})
        ev.add("status", "CONFIRMED" if b.status in ACTIVE else "CANCELLED")
        if b.is_private:
            ev.add("class", "PRIVATE")
        cal.add_component(ev)
    for item in other_events(user_id, now - PAST, now + AHEAD):
        ev = Event()
        ev.add("uid", item["uid"])
        ev.add("dtstamp", now)
        ev.add("dtstart", item["start"])
        ev.add("dtend", item["end"])
        ev.add("summary", item["summary"])
        if item.get("location"):
            ev.add("location", item["location"])
        cal.add_component(ev)
    return cal.to_ical()


def other_events(user_id: int, lo, hi) -> list[dict]:
    """Events of the other installed modules that declare `calendar_sources` in their manifest
    (the duty roster's shifts): the feed is one calendar per person, not one per app."""
    from django.db import connection
    from django.utils.module_loading import import_string

    from jianlian.marketplace.manifest import registry
    from jianlian.marketplace.services import installed_keys

    installed = installed_keys(connection.tenant)
    out = []
    for key, m in registry().items():
        if key in installed:
            for dotted in m.calendar_sources:
                out.extend(import_string(dotted)(user_id, lo, hi))
    return out
