"""Benchmark: announcements on the 300,000-staff scale seed — publishing one post to the whole
province, and the read rate by department of a post with the largest tenant's receipts.

Runs after the seed benchmarks (its name sorts after test_bench_seed_org.py, and conftest runs the
"seed" files last), on the province they leave behind; run alone, it seeds the full province first.

1. **Province-wide fan-out.** The province publishes (`modules.announcements.province`: the sender
   whitelist and `announcements.manage` at the root checked once in the console, the body
   sanitised once), then every tenant with the app receives its own copy — a post in 通知公告 and
   one notification whose per-person copies (`notifications.Delivery`) are the receipts, written
   by one set-based INSERT, with one realtime event to the tenant's group. In production that is
   one Celery task per tenant; here the tasks run one after another in this process (one worker,
   the conservative case). Timed until every recipient of every tenant holds a copy (committed).
   Baseline in the same run: one INSERT per recipient (the ORM's `Delivery.objects.create`), on a
   sample of the largest tenant's people, extrapolated to the province.
2. **Read rate by department** (`stats.read_rate_by_department`, the editors' live page) on the
   largest tenant's copy with 62 % of its receipts read. Baseline in the same run: a loop of
   COUNTs per department (two per department).

Targets (2 cores): fan-out ≤ 60 s; read-rate p95 ≤ 100 ms.
"""

from __future__ import annotations

import random

import pytest

from tests.bench.conftest import Row, fmt_s, percentile, print_table, stopwatch
from tests.bench.test_bench_seed_org import province  # noqa: F401  (the seeded province fixture)

FANOUT_TARGET_S = 60
READ_RATE_TARGET_MS = 100
NAIVE_SAMPLE = 2_000
READ_SAMPLES = 60
NAIVE_READ_SAMPLES = 3
READ_SHARE = 0.62


def _sender():
    from jianlian.notifications.models import SenderGrant
    from tests.factories import make_user

    user = make_user("省卫健委宣传处")
    user.is_superuser = True  # announcements.manage at the root, as the province's administrator holds it
    user.save(update_fields=["is_superuser"])
    SenderGrant.objects.create(user_id=user.pk, unit_id=None)  # the console's whitelist: the whole province
    return user


def _naive_read_rate(post) -> list[dict]:
    """What a first version would do: per department, count its people's receipts and the read ones."""
    from jianlian.notifications.models import Delivery
    from jianlian.org.models import Department

    out = []
    for dept in Department.objects.all():
        people = dept.member_links.filter(is_primary=True).values("staff__user_id")
        copies = Delivery.objects.filter(notification_id=post.notification_id, user_id__in=people)
        total = copies.count()
        if total:
            out.append({"name": dept.name, "total": total, "read": copies.filter(read_at__isnull=False).count()})
    return out


def test_province_publish_and_read_rate(province):  # noqa: F811
    from django.db import connection

    from jianlian.access.models import Membership
    from jianlian.hierarchy.models import OrgUnit
    from jianlian.notifications.models import Delivery, Notification
    from modules.announcements import province as fanout
    from modules.announcements.stats import read_rate_by_department
    from tenants.context import tenant_context

    connection.set_schema_to_public()
    sender = _sender()
    tenants = list(fanout.province_tenants(OrgUnit.objects.filter(parent__isnull=True).order_by("tree_id").first()))
    expected = {t.pk: Membership.objects.filter(tenant=t, is_active=True, user__is_active=True)
                .values("user_id").distinct().count() for t in tenants}
    posts = {}

    # 1. the province publishes; every tenant receives its copy
    with stopwatch() as fan:
        spec = fanout.prepare(sender, title="关于做好冬春季传染病防控工作的通知",
                              body="<p>各地各单位：请认真做好<b>冬春季</b>传染病防控工作。</p><script>alert(1)</script>",
                              required=True)
        for t in tenants:
            with tenant_context(t):
                posts[t.pk] = fanout.receive_in_tenant(spec)
    got = {}
    for t in tenants:
        with tenant_context(t):
            got[t.pk] = Delivery.objects.filter(notification_id=posts[t.pk].notification_id).count()
            assert "<script" not in posts[t.pk].body
            fanout.receive_in_tenant(spec)  # a retried task: no second copy
            assert Notification.objects.filter(pk__gte=posts[t.pk].notification_id).count() == 1
    assert got == expected, "every member of every tenant holds exactly one copy"
    total = sum(got.values())
    assert total >= 290_000, total

    # baseline: one INSERT per recipient, on a sample of the largest tenant's people
    largest = max(tenants, key=lambda t: got[t.pk])
    with tenant_context(largest):
        people = list(Delivery.objects.filter(notification_id=posts[largest.pk].notification_id)
                      .values_list("user_id", flat=True)[:NAIVE_SAMPLE])
        note = Notification.objects.create(title="逐条写入基线", kind="notice", recipient_count=len(people))
        with stopwatch() as naive:
            for uid in people:
                Delivery.objects.create(notification=note, user_id=uid)
        note.delete()
    projected = naive() * total / len(people)
    rows = [
        Row(f"publish to the whole province: {len(tenants)} tenants, {total:,} recipients hold it (必读, to-dos too)",
            fmt_s(fan()), f"≤ {FANOUT_TARGET_S} s", fan() <= FANOUT_TARGET_S, headline=True),
        Row(f"baseline: one INSERT per recipient, {len(people):,} timed", fmt_s(naive())),
        Row(f"baseline: projected for {total:,} recipients", fmt_s(projected), f"≤ {FANOUT_TARGET_S} s",
            projected <= FANOUT_TARGET_S, ref=True),
    ]

    # 2. read rate by department on the largest tenant's copy, 62 % read
    post = posts[largest.pk]
    with tenant_context(largest):
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.18)")
            cursor.execute(f"UPDATE {Delivery._meta.db_table} SET read_at = delivered_at + random() * interval '3 days' "
                           "WHERE notification_id = %s AND random() < %s", [post.notification_id, READ_SHARE])
            cursor.execute(f"ANALYZE {Delivery._meta.db_table}")
        read_rate_by_department(post)  # warm
        times = []
        for _ in range(READ_SAMPLES):
            with stopwatch() as took:
                rates = read_rate_by_department(post)
            times.append(took())
        naive_times = []
        for _ in range(NAIVE_READ_SAMPLES):
            with stopwatch() as took:
                naive_rates = _naive_read_rate(post)
            naive_times.append(took())
        read = Delivery.objects.filter(notification_id=post.notification_id, read_at__isnull=False).count()
    assert sum(r["total"] for r in rates) == got[largest.pk] and sum(r["read"] for r in rates) == read
    named = {r["name"]: (r["total"], r["read"]) for r in rates if r["department_id"]}
    assert {r["name"]: (r["total"], r["read"]) for r in naive_rates} == named, "both ways count the same"
    ms = lambda xs: f"{percentile(xs, 50) * 1000:.1f} / {percentile(xs, 95) * 1000:.1f} ms"  # noqa: E731
    target = f"p95 ≤ {READ_RATE_TARGET_MS} ms"
    rows += [
        Row(f"read rate by department, {largest.slug}: {got[largest.pk]:,} receipts, {read:,} read, "
            f"{len(rates)} departments, p50 / p95", ms(times), target,
            percentile(times, 95) * 1000 <= READ_RATE_TARGET_MS, headline=True),
        Row("baseline: COUNT loops per department, p50 / p95", ms(naive_times), target,
            percentile(naive_times, 95) * 1000 <= READ_RATE_TARGET_MS, ref=True),
    ]
    print_table("6. announcements on the 300,000-staff seed", rows,
                ["fan-out: one task per tenant, run one after another in one process (one worker)"])
