"""Twenty people booking one room for the same hour at the same instant, on twenty real
PostgreSQL connections: exactly one booking exists afterwards, and every other caller is told
MEETINGS_ROOM_TAKEN (never an internal error). Also without the action's friendly pre-check, so
that it is the exclusion constraint — not the code — that decides."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection

from jianlian.core.errors import DomainError
from modules.meetings import booking
from modules.meetings.models import Booking
from tenants.context import tenant_context
from tests.factories import build_province
from tests.meetings_world import build, tomorrow

N = 20


def _race(p, work) -> list[str]:
    barrier = threading.Barrier(N)
    results: list[str] = []

    def run(i):
        try:
            with tenant_context(p.tenant_a):
                barrier.wait()
                work(i)
                results.append("ok")
        except DomainError as e:
            results.append(e.code)
        except IntegrityError as e:
            results.append(getattr(e.__cause__, "pgcode", "integrity"))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_bookings_of_one_slot_give_exactly_one():
    p = build_province()
    with tenant_context(p.tenant_a):
        w = build(p)
        people = list(w.people.values())
        room = w.rooms["一会"]
    start = tomorrow(10)

    def book(i):
        booking.book(people[i % len(people)], room.pk, title=f"会议{i}", start=start + dt.timedelta(minutes=i % 3 * 10),
                     end=start + dt.timedelta(minutes=60))

    results = _race(p, book)
    assert sorted(results) == ["MEETINGS_ROOM_TAKEN"] * (N - 1) + ["ok"]
    with tenant_context(p.tenant_a):
        assert Booking.objects.filter(room=room, status="booked").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_exclusion_constraint_alone_admits_one_of_twenty_concurrent_inserts():
    p = build_province()
    with tenant_context(p.tenant_a):
        w = build(p)
        room = w.rooms["小会"]
    start = tomorrow(15)

    def insert(i):  # no pre-check at all: straight to the database
        Booking(room=room, title=f"直插{i}", start_at=start + dt.timedelta(minutes=i), end_at=start + dt.timedelta(minutes=90),
                organiser_id=i + 1, organiser_name="测试").save()

    results = _race(p, insert)
    assert sorted(results) == ["23P01"] * (N - 1) + ["ok"]  # exclusion_violation
    with tenant_context(p.tenant_a):
        assert Booking.objects.filter(room=room).count() == 1
