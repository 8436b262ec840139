"""Activities under concurrent sign-ups (issue 19 item 3): never over quota on real PostgreSQL
connections, and a cancellation promotes the waiting list in order; check-ins by many members at
once award nothing twice."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from jianlian.core.errors import DomainError
from jianlian.identity.models import User
from modules.union import activities, membership, points
from modules.union.activity_models import Signup
from modules.union.models import CheckIn, PointEntry
from tenants.context import tenant_context
from tests.factories import build_province, make_staff
from tests.union_world import build

N = 16


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
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_never_exceed_the_quota_and_cancellations_promote_in_order():
    p = build_province()
    with tenant_context(p.tenant_a):
        w = build(p)
        crowd = [make_staff(f"会员{i}", unit=p.lead_a, department=w.depts["内科"]) for i in range(N)]
        User.objects.filter(pk__in=[s.user_id for s in crowd]).update(status="active")
        users = list(User.objects.filter(pk__in=[s.user_id for s in crowd]).order_by("pk"))
        for u in users:
            membership.join(u)
        start = timezone.now() + dt.timedelta(days=2)
        act = activities.create_activity(w.user("王主席"), w.nodes["内科"].pk, title="羽毛球赛", start_at=start,
                                         end_at=start + dt.timedelta(hours=2), quota=5)

    results = _race(p, lambda i: activities.sign_up(users[i], act.pk))
    assert results == ["ok"] * N
    with tenant_context(p.tenant_a):
        by_status = {s: list(Signup.objects.filter(activity=act, status=s).order_by("pk")) for s in ("confirmed", "waiting")}
        assert len(by_status["confirmed"]) == 5 and len(by_status["waiting"]) == N - 5
        waiting = [s.member_id for s in by_status["waiting"]]
        # three confirmed members cancel: the first three on the waiting list move up, in order
        for s in by_status["confirmed"][:3]:
            activities.cancel(User.objects.get(pk=s.member.user_id), act.pk)
        promoted = list(Signup.objects.filter(activity=act, status="confirmed", promoted_at__isnull=False)
                        .order_by("promoted_at").values_list("member_id", flat=True))
        assert promoted == waiting[:3]
        assert Signup.objects.filter(activity=act, status="confirmed").count() == 5

    # everyone waiting cancels and rejoins at once while confirmed people cancel: still never over quota
    def churn(i):
        try:
            activities.cancel(users[i], act.pk)
        except DomainError:
            pass
        activities.sign_up(users[i], act.pk)

    _race(p, churn)
    with tenant_context(p.tenant_a):
        assert Signup.objects.filter(activity=act, status__in=("confirmed", "pending")).count() == 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_check_ins_award_each_member_once():
    p = build_province()
    with tenant_context(p.tenant_a):
        w = build(p)
        people = [w.user(n) for n in ("赵敏", "钱进", "孙立", "李想")]

    # four members, each pressing 签到 four times at the same instant
    results = _race(p, lambda i: points.check_in(people[i % 4]))
    assert sorted(results).count("ok") == 4
    assert set(results) - {"ok"} <= {"UNION_ALREADY_CHECKED_IN"}
    with tenant_context(p.tenant_a):
        assert CheckIn.objects.count() == 4
        assert PointEntry.objects.filter(rule="check_in").count() == 4
