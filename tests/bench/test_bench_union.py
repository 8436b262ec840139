"""Benchmark: the staff union of seed 000 — 5,000 members in 10 sub-unions and 223 groups (issue 19).

Printed, each beside a naive baseline measured in the same run:
- 5,000 members checking in within one minute on 8 threads, every tenth pressing twice at the same
  time: per check-in p95 (target ≤ 100 ms), the wall time (target ≤ 60 s) and double awards
  (target 0), beside a naive check-then-insert ledger without the unique key or the row lock on
  the same double presses;
- the points leaderboard of the whole union and of one sub-union over 5,000 members and ~150,000
  ledger lines (target p95 ≤ 100 ms), beside the naive way: load the ledger and sum it in Python.
BENCH_UNION_MEMBERS lowers the 5,000.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest

from tests.bench.conftest import Row, assert_clean_start, build_county, delete_tree, percentile, print_table

MEMBERS = int(os.environ.get("BENCH_UNION_MEMBERS", 5000))
SUBS, GROUPS = 10, 223
THREADS = 8
SAMPLES = 50
USER_BASE = 10_000_000  # account ids of the benchmark's members (the union stores ids, no accounts needed)


@pytest.fixture(scope="module")
def union(bench_db):
    from django.db import connection
    from django.utils import timezone

    from jianlian.marketplace.services import install, sync_catalog
    from modules.union import membership
    from modules.union.models import Member, PointEntry
    from tenants.context import tenant_context
    from tenants.provisioning import create_tenant, ensure_template

    assert_clean_start()
    ensure_template()
    sync_catalog()
    root, [lead] = build_county(1, prefix="工会基准")
    tenant = create_tenant(None, lead, "benchunion")
    install(None, tenant, "union")
    with tenant_context(tenant):
        top = membership.create_node(None, name="协和工会")
        subs = [membership.create_node(None, name=f"第{i + 1}分工会", parent_id=top.pk) for i in range(SUBS)]
        groups = [membership.create_node(None, name=f"小组{i:03d}", parent_id=subs[i % SUBS].pk) for i in range(GROUPS)]
        now = timezone.now()
        Member.objects.bulk_create([Member(user_id=USER_BASE + i, name=f"会员{i:04d}", node=groups[i % GROUPS],
                                           path=groups[i % GROUPS].path, joined_at=now) for i in range(MEMBERS)],
                                   batch_size=5000)
        members = list(Member.objects.values_list("pk", flat=True))
        rng = random.Random(19)
        lines = [PointEntry(member_id=m, rule="reading", points=rng.choice((2, 5, 10)), key=f"bench:{m}:{k}")
                 for m in members for k in range(rng.randint(10, 50))]
        PointEntry.objects.bulk_create(lines, batch_size=10000)
        from modules.union import points

        points.recount()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    yield {"tenant": tenant, "top": top, "subs": subs, "lines": len(lines)}
    connection.set_schema_to_public()
    delete_tree(root)


def _check_ins(tenant, users, day) -> tuple[list[float], float, int]:
    from django.db import connection

    from jianlian.core.errors import DomainError
    from modules.union import points
    from tenants.context import tenant_context

    times: list[float] = []
    refused = 0
    lock = threading.Lock()

    def one(user):
        nonlocal refused
        with tenant_context(tenant):
            t0 = time.perf_counter()
            try:
                points.check_in(user, today=day)
            except DomainError:
                with lock:
                    refused += 1
            with lock:
                times.append(time.perf_counter() - t0)

    def worker(batch):
        try:
            for u in batch:
                one(u)
        finally:
            connection.close()

    batches = [users[i::THREADS] for i in range(THREADS)]
    t0 = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(worker, batches))
    return times, time.perf_counter() - t0, refused


def _naive_double_presses(tenant, n: int) -> int:
    """The same double presses against a ledger without a unique key or a lock: look, then insert."""
    from django.db import connection

    from tenants.context import tenant_context

    with tenant_context(tenant), connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_naive_ledger (member_id bigint, day date, points int)")
    connection.close()
    barrier = threading.Barrier(2)

    def press(member):
        with tenant_context(tenant), connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM bench_naive_ledger WHERE member_id = %s AND day = current_date", [member])
            seen = cur.fetchone()[0]
            barrier.wait()
            if not seen:
                cur.execute("INSERT INTO bench_naive_ledger VALUES (%s, current_date, 5)", [member])

    def pair(member):
        threads = [threading.Thread(target=lambda: (press(member), connection.close())) for _ in range(2)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()

    for m in range(n):
        pair(m)
    with tenant_context(tenant), connection.cursor() as cur:
        cur.execute("SELECT count(*) - count(DISTINCT member_id) FROM bench_naive_ledger")
        doubles = cur.fetchone()[0]
        cur.execute("DROP TABLE bench_naive_ledger")
    return doubles


def test_five_thousand_check_ins_and_the_leaderboard(union):
    from django.db import connection
    from django.db.models import Sum

    from modules.union import points
    from modules.union.models import PointEntry
    from tenants.context import tenant_context

    tenant = union["tenant"]
    day = dt.date.today() + dt.timedelta(days=1)  # a day nobody has checked in yet
    users = [SimpleNamespace(pk=USER_BASE + i) for i in range(MEMBERS)]
    presses = users + users[::10]  # every tenth member presses twice
    random.Random(5).shuffle(presses)
    times, wall, refused = _check_ins(tenant, presses, day)
    with tenant_context(tenant):
        awards = PointEntry.objects.filter(rule="check_in", key__endswith=f":{day.isoformat()}")
        doubles = awards.count() - awards.values("member_id").distinct().count()
        awarded = awards.values("member_id").distinct().count()
    naive_doubles = _naive_double_presses(tenant, 100)

    board_times, sub_times, naive_times = [], [], []
    with tenant_context(tenant):
        for _ in range(SAMPLES):
            t0 = time.perf_counter()
            top = points.leaderboard(union["top"].path, limit=50)
            board_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            points.leaderboard(union["subs"][3].path, limit=50)
            sub_times.append(time.perf_counter() - t0)
        for _ in range(5):
            t0 = time.perf_counter()
            totals: dict[int, int] = {}
            for member_id, pts in PointEntry.objects.filter(points__gt=0).values_list("member_id", "points").iterator(chunk_size=20000):
                totals[member_id] = totals.get(member_id, 0) + pts
            naive = sorted(totals.items(), key=lambda kv: -kv[1])[:50]
            naive_times.append(time.perf_counter() - t0)
        ledger_sum = PointEntry.objects.aggregate(s=Sum("points"))["s"]
        assert top[0]["points"] == naive[0][1]
        from modules.union.models import Member

        earned = Member.objects.aggregate(s=Sum("earned"))["s"]
        assert earned == PointEntry.objects.filter(points__gt=0).aggregate(s=Sum("points"))["s"]
    connection.set_schema_to_public()

    p95 = percentile(times, 95)
    rows = [
        Row(f"check-in p95 ({len(presses):,} presses, {THREADS} threads)", f"{p95 * 1000:.1f} ms", "≤ 100 ms", p95 <= 0.1, headline=True),
        Row(f"{MEMBERS:,} members checked in, wall time", f"{wall:.1f} s", "≤ 60 s", wall <= 60),
        Row("double awards (each tenth member pressed twice)", str(doubles), "0", doubles == 0, headline=True),
        Row("second presses refused (UNION_ALREADY_CHECKED_IN)", f"{refused:,}"),
        Row("naive look-then-insert ledger: double awards of 100 double presses", str(naive_doubles), "0", naive_doubles == 0, ref=True),
        Row(f"leaderboard p95, whole union ({union['lines']:,} ledger lines)", f"{percentile(board_times, 95) * 1000:.1f} ms",
            "≤ 100 ms", percentile(board_times, 95) <= 0.1, headline=True),
        Row("leaderboard p95, one sub-union", f"{percentile(sub_times, 95) * 1000:.1f} ms", "≤ 100 ms",
            percentile(sub_times, 95) <= 0.1),
        Row("naive leaderboard: ledger loaded and summed in Python", f"{percentile(naive_times, 95) * 1000:.1f} ms", "≤ 100 ms",
            percentile(naive_times, 95) <= 0.1, ref=True),
    ]
    print_table("Staff union: 5,000 check-ins and the leaderboard (issue 19)", rows,
                [f"{MEMBERS:,} members in {SUBS} sub-unions and {GROUPS} groups; ledger sum {ledger_sum:,}"])
    assert doubles == 0 and awarded == MEMBERS
