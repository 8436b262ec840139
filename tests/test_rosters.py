"""Duty rosters (issue 21 item 4, swaps: the clinics21 brief): shift types, a department's month edited as a grid with bad
cells refused, publishing with notices, each person's shifts (published only), the roster in the
meetings app's iCalendar feed through the manifest's `calendar_sources`, and who sees drafts."""

from __future__ import annotations

import datetime as dt

import pytest
from graphql_relay import to_global_id
from icalendar import Calendar

from jianlian.identity.models import User
from jianlian.marketplace import services as market
from jianlian.notifications.models import Delivery
from modules.meetings import calendar
from modules.rosters import services
from tenants.context import tenant_context
from tests.factories import build_province, grant, make_department, make_staff
from tests.utils import gql

ROSTER = """query($d: ID!, $m: String!) { roster(department: $d, month: $m) { status departmentName days
  rows { name cells { day shift { code } } } } }"""
SET = """mutation($input: SetRosterCellsInput!) { setRosterCells(input: $input) { roster { id status } errors { field code message } } }"""
MINE = "query($s: Date, $e: Date) { myShifts(start: $s, end: $e) { day start end shift { name } departmentName } }"


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    from tests.conftest import _built_for_the_module

    def make():
        p = build_province()
        with tenant_context(p.tenant_a):
            market.install(None, p.tenant_a, "approvals")
            market.install(None, p.tenant_a, "rosters")
            market.install(None, p.tenant_a, "meetings")
            icu = make_department("ICU", "重症医学科", unit=p.lead_a)
            other = make_department("ER", "急诊科", unit=p.lead_a)
            staff = {n: make_staff(n, unit=p.lead_a, department=icu) for n in ("护士甲", "护士乙")}
            staff["外科室"] = make_staff("外科室", unit=p.lead_a, department=other)
            User.objects.filter(pk__in=[s.user_id for s in staff.values()]).update(status="active")
            people = {n: User.objects.get(pk=s.user_id) for n, s in staff.items()}
            admin = p.users["tenant_admin"]
            grant(admin, "roster_scheduler", p.lead_a, p.tenant_a)
            people["admin"] = admin
            day, night = (services.create_shift_type(admin, code=c, name=n, start=s, end=e)
                          for c, n, s, e in (("白", "白班", dt.time(8), dt.time(16)), ("夜", "夜班", dt.time(16), dt.time(8))))
            return {"p": p, "people": people, "icu": icu, "day": day, "night": night}

    yield from _built_for_the_module(django_db_blocker, make)


@pytest.fixture
def w(db, _world):
    _held, world = _world
    for u in world["people"].values():
        u.__dict__.pop("_jl_grants", None)
    with tenant_context(world["p"].tenant_a):
        yield world


MONTH = "2030-03"
D1, D2 = dt.date(2030, 3, 1), dt.date(2030, 3, 2)


def call(client, user, query, variables=None):
    status, body = gql(client, query, variables, user=user, HTTP_X_TENANT="tonglu")
    assert status == 200, body
    return body


def test_the_grid_refuses_bad_cells_and_a_draft_stays_with_the_scheduler(client, w):
    admin, nurse, outsider = w["people"]["admin"], w["people"]["护士甲"], w["people"]["外科室"]
    dept = to_global_id("Department", w["icu"].pk)
    cell = {"user": to_global_id("User", nurse.pk), "day": D1.isoformat(), "shift": to_global_id("RosterShiftType", w["day"].pk)}
    for bad, code in (({**cell, "user": to_global_id("User", outsider.pk)}, "ROSTERS_NOT_IN_DEPARTMENT"),
                      ({**cell, "day": "2030-04-01"}, "ROSTERS_BAD_DAY")):
        out = call(client, admin, SET, {"input": {"department": dept, "month": MONTH, "cells": [cell, bad]}})["data"]["setRosterCells"]
        assert out["roster"] is None and out["errors"][0]["code"] == code
    made = call(client, admin, SET, {"input": {"department": dept, "month": MONTH, "cells": [cell]}})["data"]["setRosterCells"]
    assert made["errors"] == [] and made["roster"]["status"] == "DRAFT"
    grid = call(client, admin, ROSTER, {"d": dept, "m": MONTH})["data"]["roster"]
    assert len(grid["days"]) == 31 and {r["name"] for r in grid["rows"]} == {"护士甲", "护士乙"}
    assert next(r for r in grid["rows"] if r["name"] == "护士甲")["cells"] == [{"day": "2030-03-01", "shift": {"code": "白"}}]
    # the nurse neither sees the draft nor has it among her shifts; she cannot edit the grid
    assert call(client, nurse, ROSTER, {"d": dept, "m": MONTH})["data"]["roster"] is None
    assert call(client, nurse, MINE, {"s": "2030-03-01", "e": "2030-03-31"})["data"]["myShifts"] == []
    denied = call(client, nurse, SET, {"input": {"department": dept, "month": MONTH, "cells": [cell]}})
    assert denied["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


def test_publishing_notifies_and_the_shifts_reach_my_list_and_my_phone_calendar(client, w):
    admin, nurse = w["people"]["admin"], w["people"]["护士甲"]
    roster = services.set_cells(admin, w["icu"].pk, MONTH, [
        {"user_id": nurse.pk, "day": D1, "shift_id": w["day"].pk}, {"user_id": nurse.pk, "day": D2, "shift_id": w["night"].pk},
        {"user_id": w["people"]["护士乙"].pk, "day": D1, "shift_id": w["night"].pk}])
    services.publish(admin, roster.pk)
    assert Delivery.objects.filter(user_id=nurse.pk, notification__link="/rosters/mine").exists()
    mine = call(client, nurse, MINE, {"s": "2030-03-01", "e": "2030-03-31"})["data"]["myShifts"]
    assert [(s["day"], s["shift"]["name"]) for s in mine] == [("2030-03-01", "白班"), ("2030-03-02", "夜班")]
    assert mine[1]["end"].startswith("2030-03-03T08:00")  # the night shift ends the next morning
    seen = call(client, nurse, ROSTER, {"d": to_global_id("Department", w["icu"].pk), "m": MONTH})["data"]["roster"]
    assert seen["status"] == "PUBLISHED" and len(seen["rows"]) == 2

    now = dt.datetime(2030, 2, 20, tzinfo=dt.timezone.utc)
    feed = Calendar.from_ical(calendar.ical_for(nurse.pk, now=now))
    shifts = sorted(str(e["summary"]) for e in feed.walk("VEVENT") if str(e["uid"]).startswith("roster-"))
    assert shifts == ["夜班（重症医学科）", "白班（重症医学科）"]


SWAP = """mutation($input: RequestRosterSwapInput!) { requestRosterSwap(input: $input) { status approval errors { field code } } }"""


def _published_april(w):
    a, b = w["people"]["护士甲"], w["people"]["护士乙"]
    d1, d2 = dt.date(2030, 4, 1), dt.date(2030, 4, 2)
    roster = services.set_cells(w["people"]["admin"], w["icu"].pk, "2030-04", [
        {"user_id": a.pk, "day": d1, "shift_id": w["day"].pk}, {"user_id": b.pk, "day": d2, "shift_id": w["night"].pk}])
    services.publish(w["people"]["admin"], roster.pk)
    return roster


def _grid(roster):
    return sorted((e.name, e.day.day, e.shift.code) for e in roster.entries.select_related("shift"))


def test_a_swap_changes_the_roster_only_when_the_colleague_and_the_head_have_approved(client, w):
    from modules.approvals import actions
    from modules.approvals.models import Task

    a, b, admin = w["people"]["护士甲"], w["people"]["护士乙"], w["people"]["admin"]
    roster = _published_april(w)
    before = _grid(roster)
    mine, theirs = (roster.entries.get(user_id=u.pk) for u in (a, b))
    ask = {"mine": to_global_id("RosterEntry", mine.pk), "theirs": to_global_id("RosterEntry", theirs.pk),
           "head": to_global_id("User", admin.pk), "reason": "家中有事"}
    out = call(client, a, SWAP, {"input": ask})["data"]["requestRosterSwap"]
    assert out["errors"] == [] and out["status"] == "pending"
    # not someone else's shift, and not twice
    again = call(client, b, SWAP, {"input": ask})
    assert again["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert call(client, a, SWAP, {"input": ask})["data"]["requestRosterSwap"]["errors"][0]["code"] == "ROSTERS_SWAP_PENDING"

    def task_of(user):
        return Task.objects.get(instance__owner__startswith="rosters:", assignee_id=user.pk, status="pending")

    actions.approve(b, task_of(b).pk, comment="同意")
    assert _grid(roster) == before  # the colleague agreed; the head has not yet
    actions.approve(admin, task_of(admin).pk, comment="同意")
    assert _grid(roster) == [("护士乙", 1, "白"), ("护士甲", 2, "夜")]
    mine_now = call(client, a, MINE, {"s": "2030-04-01", "e": "2030-04-30"})["data"]["myShifts"]
    assert [(s["day"], s["shift"]["name"]) for s in mine_now] == [("2030-04-02", "夜班")]


def test_a_rejected_swap_leaves_the_roster_as_it_was(w):
    from modules.approvals import actions
    from modules.approvals.models import Task
    from modules.rosters import swaps

    a, b, admin = w["people"]["护士甲"], w["people"]["护士乙"], w["people"]["admin"]
    roster = _published_april(w)
    before = _grid(roster)
    mine, theirs = (roster.entries.get(user_id=u.pk) for u in (a, b))
    swap = swaps.request(a, mine_id=mine.pk, theirs_id=theirs.pk, head_id=admin.pk)
    actions.approve(b, Task.objects.get(instance_id=swap.approval_id, assignee_id=b.pk).pk)
    actions.reject(admin, Task.objects.get(instance_id=swap.approval_id, assignee_id=admin.pk).pk, comment="人手不足")
    swap.refresh_from_db()
    assert swap.status == "rejected" and _grid(roster) == before
