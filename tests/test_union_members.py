"""The union tree, membership and the organisation's lifecycle (issue 19 item 1), and check-in
and the points ledger (item 2): officers manage only their own part; joining needs an activated
account; leaving the organisation leaves the union and a transfer moves the member; points are
never awarded twice and the ledger sums to the balance; redemption cannot overdraw."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from jianlian.core.errors import DomainError
from jianlian.org import services as org
from modules.union import membership, points
from modules.union.models import CheckIn, Member, PointEntry
from tenants.context import tenant_context
from tests.conftest import _built_for_the_module
from tests.factories import build_province, make_staff
from tests.union_world import build


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    def make():
        p = build_province()
        with tenant_context(p.tenant_a):
            return build(p)

    yield from _built_for_the_module(django_db_blocker, make)


@pytest.fixture
def w(db, _world):
    held, world = _world
    for u in world.people.values():
        u.__dict__.pop("_jl_grants", None)
        u.__dict__.pop("_jl_union_admin", None)
    with tenant_context(world.p.tenant_a):
        yield world


def code(excinfo) -> str:
    return excinfo.value.code


def test_members_land_in_the_sub_union_of_their_department(w):
    assert Member.objects.get(user_id=w.user("赵敏").pk).node == w.nodes["内科"]
    assert Member.objects.get(user_id=w.user("李想").pk).node == w.nodes["外科"]


def test_an_officer_manages_their_sub_union_and_not_another(w):
    chair = w.user("王主席")
    group = membership.create_node(chair, name="内科二组", parent_id=w.nodes["内科"].pk)
    assert group.path.startswith(w.nodes["内科"].path)
    membership.transfer(chair, w.members["钱进"].pk, w.nodes["内科一组"].pk)
    assert Member.objects.get(pk=w.members["钱进"].pk).node == w.nodes["内科一组"]
    with pytest.raises(DomainError) as e:
        membership.create_node(chair, name="外科二组", parent_id=w.nodes["外科"].pk)
    assert code(e) == "PERMISSION_DENIED"
    with pytest.raises(DomainError) as e:  # cannot take a member of 外科
        membership.transfer(chair, w.members["李想"].pk, w.nodes["内科一组"].pk)
    assert code(e) == "NOT_FOUND"
    with pytest.raises(DomainError) as e:  # nor give one of theirs away
        membership.transfer(chair, w.members["孙立"].pk, w.nodes["外科一组"].pk)
    assert code(e) == "PERMISSION_DENIED"
    with pytest.raises(DomainError) as e:
        membership.remove(chair, w.members["周舟"].pk)
    assert code(e) == "NOT_FOUND"
    with pytest.raises(DomainError) as e:  # an officer does not appoint at their own level
        membership.set_officer(chair, w.nodes["内科"].pk, w.user("孙立").pk)
    assert code(e) == "PERMISSION_DENIED"


def test_joining_needs_an_activated_account_and_happens_once(w):
    newcomer = make_staff("新同事", unit=w.p.lead_a, department=w.depts["内科"])
    from jianlian.identity.models import User

    user = User.objects.get(pk=newcomer.user_id)  # pre-registered, not yet activated
    with pytest.raises(DomainError) as e:
        membership.join(user)
    assert code(e) == "UNION_NOT_STAFF"
    User.objects.filter(pk=user.pk).update(status="active")
    user.refresh_from_db()
    assert membership.join(user).node == w.nodes["内科"]
    with pytest.raises(DomainError) as e:
        membership.join(user)
    assert code(e) == "UNION_ALREADY_MEMBER"
    membership.leave_self(user)
    assert membership.join(user).active  # rejoin


def _apply_due():
    org.apply_due_events(now=timezone.now() + dt.timedelta(seconds=1))


def test_leaving_the_organisation_leaves_the_union(w):
    staff = org.access_staff(None, _staff_id(w, "吴桐"))
    org.schedule_leave(None, staff.pk, effective_at=timezone.now(), successor_user_id=w.user("李想").pk)
    _apply_due()  # the hand-over handler ends the membership with the event
    m = Member.objects.get(user_id=w.user("吴桐").pk)
    assert m.status == "left" and m.left_reason == "离职"
    # without a successor no hand-over runs: the beat's pass catches the leave
    org.schedule_leave(None, _staff_id(w, "周舟"), effective_at=timezone.now())
    _apply_due()
    assert Member.objects.get(user_id=w.user("周舟").pk).status == "active"
    assert membership.sync_members() == 1
    assert Member.objects.get(user_id=w.user("周舟").pk).status == "left"


def test_a_transfer_in_the_organisation_moves_the_member(w):
    staff_id = _staff_id(w, "孙立")
    org.schedule_transfer(None, staff_id, effective_at=timezone.now(), department_id=w.depts["外科"].pk)
    _apply_due()
    membership.sync_members()
    assert Member.objects.get(user_id=w.user("孙立").pk).node == w.nodes["外科"]


def _staff_id(w, name):
    from jianlian.org.models import StaffProfile

    return StaffProfile.objects.get(user_id=w.user(name).pk).pk


# --- check-in and points ------------------------------------------------------------------------

def test_check_in_once_a_day_with_streaks_and_a_bonus_on_day_seven(w):
    user, today = w.user("赵敏"), timezone.localdate()
    for back in range(6, -1, -1):
        points.check_in(user, today=today - dt.timedelta(days=back))
    with pytest.raises(DomainError) as e:
        points.check_in(user, today=today)
    assert code(e) == "UNION_ALREADY_CHECKED_IN"
    member = Member.objects.get(user_id=user.pk)
    assert member.streak == 7 and CheckIn.objects.filter(member=member).count() == 7
    assert points.balance(member) == 7 * points.CHECK_IN_POINTS + points.STREAK_BONUS
    assert points.balance(member) == sum(PointEntry.objects.filter(member=member).values_list("points", flat=True))
    points.check_in(user, today=today + dt.timedelta(days=2))  # a day missed: the streak starts again
    member.refresh_from_db()
    assert member.streak == 1


def test_a_quiz_is_awarded_once_however_often_it_is_reported(w):
    from types import SimpleNamespace

    from modules.union.points_events import points_award

    msg = SimpleNamespace(payload={"user_id": w.user("钱进").pk, "rule": "quiz", "key": "learning:attempt:77", "passed": True})
    for _ in range(3):
        points_award(msg)
    member = Member.objects.get(user_id=w.user("钱进").pk)
    assert list(PointEntry.objects.filter(member=member).values_list("rule", "points")) == [("quiz", points.QUIZ_PASSED)]
    # the learning centre's own event, as it publishes it, through the handler the bus holds
    from jianlian.bus.services import handler_for

    daily = SimpleNamespace(payload={"user_id": w.user("钱进").pk, "campaign_title": "每日一答", "correct": 1, "total": 3,
                                     "score": 10, "idempotency_key": "learning.quiz:1:2:2026-12-06"})
    for _ in range(2):
        handler_for("learning.quiz_completed")(daily)
    assert PointEntry.objects.filter(member=member, rule="quiz").count() == 2
    assert points.balance(member) == points.QUIZ_PASSED + points.QUIZ_TRIED


def test_redemption_cannot_overdraw_and_the_ledger_is_append_only(w):
    user = w.user("周舟")
    member = Member.objects.get(user_id=user.pk)
    points.award(member, "adjust", 30, "test:gift")
    assert points.redeem(user, 20, item="保温杯", key="cup-1") == 10
    assert points.redeem(user, 20, item="保温杯", key="cup-1") == 10  # a retried request lands once
    with pytest.raises(DomainError) as e:
        points.redeem(user, 11, item="雨伞", key="umbrella")
    assert code(e) == "UNION_INSUFFICIENT_POINTS"
    with pytest.raises(DatabaseError), transaction.atomic():
        PointEntry.objects.filter(member=member).update(points=1000)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM union_pointentry")
    assert points.balance(member) == 10


def test_rank_and_leaderboard_follow_earned_points(w):
    a, b = Member.objects.get(user_id=w.user("李想").pk), Member.objects.get(user_id=w.user("王主席").pk)
    points.award(a, "adjust", 50, "test:a")
    points.award(b, "adjust", 80, "test:b")
    board = points.leaderboard(w.nodes["工会"].path)
    assert [r["name"] for r in board[:2]] == ["王主席", "李想"]
    assert points.rank_of(a, w.nodes["外科"].path) == (1, 50)
    assert points.rank_of(a)[0] == 2
    # the cached totals are the ledger's: a recount from the ledger changes nothing
    from django.db.models import Sum

    before = dict(Member.objects.values_list("pk", "earned"))
    points.recount()
    assert dict(Member.objects.values_list("pk", "earned")) == before
    assert sum(before.values()) == PointEntry.objects.filter(points__gt=0).aggregate(s=Sum("points"))["s"]
