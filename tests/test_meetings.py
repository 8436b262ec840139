"""Meeting rooms (issue 21, item 1): clashes refused by the database with the clashing time named,
weekly series all-or-nothing, invitations answered, reminders, the release of a no-show."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from jianlian.core.errors import DomainError
from jianlian.notifications.models import Delivery
from jianlian.todos.models import TodoItem
from modules.meetings import booking, timers
from modules.meetings.models import Booking, Invitation
from tenants.context import tenant_context
from tests.factories import build_province
from tests.meetings_world import build, tomorrow


@pytest.fixture
def w(db):
    p = build_province()
    with tenant_context(p.tenant_a):
        yield build(p)


def _book(w, who="赵敏", room="一会", start=None, minutes=60, **kw):
    start = start or tomorrow(9)
    return booking.book(w.user(who), w.rooms[room].pk, title=kw.pop("title", "周会"), start=start,
                        end=start + dt.timedelta(minutes=minutes), **kw)


def test_an_overlapping_booking_is_refused_naming_the_clashing_time(w):
    # given 赵敏 holds 第一会议室 tomorrow 9:00–10:00
    [first] = _book(w)
    # when 钱进 asks for 9:30–10:30 of the same room
    with pytest.raises(DomainError) as e:
        _book(w, "钱进", start=tomorrow(9, 30))
    # then it is refused with the time that clashes, and nothing was written
    assert e.value.code == "MEETINGS_ROOM_TAKEN"
    assert "09:00–10:00" in str(e.value.message) and "周会" in str(e.value.message)
    assert Booking.objects.count() == 1
    # back-to-back and another room are fine
    assert _book(w, "钱进", start=tomorrow(10))
    assert _book(w, "钱进", room="小会", start=tomorrow(9, 30))


def test_the_database_itself_refuses_an_overlap_and_a_lying_slot(w):
    [first] = _book(w)
    clash = Booking(room=w.rooms["一会"], title="x", start_at=tomorrow(9, 15), end_at=tomorrow(9, 45), organiser_id=1,
                    organiser_name="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.bulk_create([clash])  # bulk_create skips save(): the slot is whatever it is
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as c:
        c.execute("UPDATE meetings_booking SET slot = int8range(1, 2) WHERE id = %s", [first.pk])


def test_a_cancelled_or_released_booking_frees_the_room(w):
    [first] = _book(w)
    booking.cancel(w.user("赵敏"), first.pk)
    assert _book(w, "钱进")[0].status == "booked"


def test_a_weekly_series_is_all_or_nothing_and_says_which_week_clashes(w):
    _book(w, "钱进", start=tomorrow(9) + dt.timedelta(weeks=2), title="专题会")
    with pytest.raises(DomainError) as e:
        _book(w, weeks=4)
    assert e.value.code == "MEETINGS_ROOM_TAKEN" and "第3次" in str(e.value.message)
    assert Booking.objects.count() == 1
    made = _book(w, weeks=4, start=tomorrow(14))
    assert [b.occurrence for b in made] == [1, 2, 3, 4]
    assert [(b.start_at - made[0].start_at).days for b in made] == [0, 7, 14, 21]
    booking.cancel(w.user("赵敏"), made[1].pk, whole_series=True)
    assert [b.status for b in Booking.objects.filter(series=made[0].series).order_by("start_at")] == [
        "booked", "cancelled", "cancelled", "cancelled"]


def test_bad_times_are_clear_errors(w):
    for start, minutes, field in ((tomorrow(9), 0, "end"), (tomorrow(9), -30, "end"), (tomorrow(9) - dt.timedelta(days=3), 30, "start"),
                                  (tomorrow(9), 13 * 60, "end")):
        with pytest.raises(DomainError) as e:
            _book(w, start=start, minutes=minutes)
        assert (e.value.code, e.value.field) == ("MEETINGS_BAD_TIME", field)
    with pytest.raises(DomainError) as e:
        _book(w, invitee_ids=[w.p.users["doctor_b"].pk])  # not of this tenant
    assert (e.value.code, e.value.field) == ("INVALID", "invitees")


def test_invitations_are_answered_and_leave_the_todo_list(w):
    [b] = _book(w, invitee_ids=[w.user("钱进").pk, w.user("孙立").pk])
    for name in ("钱进", "孙立"):
        item = TodoItem.objects.get(user_id=w.user(name).pk, source="meetings")
        assert item.state == "pending" and "周会" in item.title and item.link == f"/meetings/bookings/{b.pk}"
        assert Delivery.objects.filter(user_id=w.user(name).pk, notification__title__contains="周会").exists()
    booking.respond(w.user("钱进"), b.pk, True)
    booking.respond(w.user("孙立"), b.pk, False)
    answers = dict(Invitation.objects.filter(booking=b).values_list("name", "answer"))
    assert answers == {"钱进": "accepted", "孙立": "declined"}
    assert set(TodoItem.objects.filter(source="meetings").values_list("state", "outcome")) == {("done", "accepted"), ("done", "declined")}
    organiser_notes = Delivery.objects.filter(user_id=w.user("赵敏").pk).values_list("notification__title", flat=True)
    assert any("钱进接受" in t for t in organiser_notes) and any("孙立拒绝" in t for t in organiser_notes)
    assert booking.available_actions(w.user("钱进"), b) == ["DECLINE"]
    assert booking.available_actions(w.user("孙立"), b) == ["ACCEPT"]
    assert booking.available_actions(w.user("赵敏"), b) == ["CANCEL"]
    with pytest.raises(DomainError) as e:
        booking.respond(w.user("李想"), b.pk, True)
    assert e.value.code == "MEETINGS_NOT_INVITED"


def test_reminders_go_once_to_those_who_did_not_decline(w):
    [b] = _book(w, invitee_ids=[w.user("钱进").pk, w.user("孙立").pk], remind_minutes=30, ding=True)
    booking.respond(w.user("孙立"), b.pk, False)
    assert timers.send_reminders(now=b.start_at - dt.timedelta(minutes=31)) == 0
    assert timers.send_reminders(now=b.start_at - dt.timedelta(minutes=29)) == 1
    assert timers.send_reminders(now=b.start_at - dt.timedelta(minutes=20)) == 0
    reminded = set(Delivery.objects.filter(notification__title__startswith="会议提醒").values_list("user_id", "notification__priority"))
    assert reminded == {(w.user("赵敏").pk, "urgent"), (w.user("钱进").pk, "urgent")}


def test_check_in_keeps_the_room_and_a_no_show_is_released(w):
    [kept] = _book(w)
    [empty] = _book(w, "钱进", room="小会", invitee_ids=[w.user("孙立").pk])
    start = kept.start_at
    with pytest.raises(DomainError) as e:
        booking.check_in(w.user("赵敏"), kept.pk, now=start - dt.timedelta(minutes=20))
    assert e.value.code == "MEETINGS_CHECK_IN_CLOSED"
    assert booking.available_actions(w.user("赵敏"), kept, now=start + dt.timedelta(minutes=5)) == ["CHECK_IN", "CANCEL"]
    booking.check_in(w.user("赵敏"), kept.pk, now=start + dt.timedelta(minutes=5))
    assert timers.release_no_shows(now=start + dt.timedelta(minutes=14)) == 0
    assert timers.release_no_shows(now=start + dt.timedelta(minutes=16)) == 1
    assert Booking.objects.get(pk=kept.pk).status == "checked_in"
    assert Booking.objects.get(pk=empty.pk).status == "released"
    told = Delivery.objects.filter(notification__title__startswith="无人签到").values_list("user_id", flat=True)
    assert set(told) == {w.user("钱进").pk, w.user("孙立").pk}
    assert not TodoItem.objects.filter(source="meetings", state="pending").exists()
    # the rest of the hour is free for someone else
    later = Booking(room=w.rooms["小会"], title="临时", start_at=start + dt.timedelta(minutes=20),
                    end_at=start + dt.timedelta(minutes=60), organiser_id=w.user("李想").pk, organiser_name="李想")
    later.save()
