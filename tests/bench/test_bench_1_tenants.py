"""Benchmarks 1 and 2: creating tenants (clone vs migrate) and a no-op migrate over 200 tenants.

1. `create_tenant(None, node, slug, method="clone" | "migrate")`, timed until the tenant is
   usable: create_tenant has returned and an ORM query inside the tenant (a count of its audit
   records, which must include the "tenants.created" record) has answered.
   - head to head: clone and migrate alternated, same catalog size, median of several;
   - 100 tenants in a row by clone, then 100 by migrate (when migrate would not fit in its time
     budget, the run stops early and the total is extrapolated — the table says so).
   Target: a new tenant usable in ≤ 1 s.
2. With exactly 200 tenants, all current: our `migrate_all` (skips current tenants) vs
   django-tenants' `migrate_schemas --tenant` over the same 200. Target: ≤ 10 s for ours.

Sizes can be lowered for a quick look with BENCH_TENANTS_IN_A_ROW, BENCH_NOOP_TENANTS,
BENCH_HEAD_TO_HEAD and BENCH_MIGRATE_BUDGET_S (seconds); `make bench` uses the defaults.
"""

from __future__ import annotations

import io
import os
import time
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from tests.bench.conftest import (
    Row,
    assert_clean_start,
    build_county,
    delete_tree,
    drop_tenants,
    fmt_s,
    median,
    percentile,
    print_table,
    stopwatch,
)

IN_A_ROW = int(os.environ.get("BENCH_TENANTS_IN_A_ROW", 100))
NOOP_TENANTS = int(os.environ.get("BENCH_NOOP_TENANTS", 200))
HEAD_TO_HEAD = int(os.environ.get("BENCH_HEAD_TO_HEAD", 7))
# Wall-clock budget for the 100-by-migrate run; past it the run stops and is extrapolated.
MIGRATE_BUDGET_S = float(os.environ.get("BENCH_MIGRATE_BUDGET_S", 240))
USABLE_TARGET_S = 1.0
NOOP_TARGET_S = 10.0


@pytest.fixture(scope="module")
def county(bench_db):
    from tenants.provisioning import ensure_template

    assert_clean_start()
    ensure_template()
    needed = 4 * HEAD_TO_HEAD + max(2 * IN_A_ROW, NOOP_TENANTS) + 5
    with stopwatch() as built:
        root, leads = build_county(needed)
    print(f"\n[setup] {needed} lead units under one county built with create_unit in {fmt_s(built())}")
    state = SimpleNamespace(root=root, free=iter(leads), seq=0, samples=[], series=[])
    yield state
    with stopwatch() as cleaned:
        delete_tree(root)
    print(f"[cleanup] tenants, schemas and units removed in {fmt_s(cleaned())}")


def _create_usable(state, method: str):
    """Create one tenant and prove it usable; returns (tenant, seconds until usable)."""
    from jianlian.audit.models import AuditRecord
    from tenants.context import tenant_context
    from tenants.provisioning import create_tenant

    node = next(state.free)
    state.seq += 1
    slug = f"bench-{method}-{state.seq:04d}"
    start = time.perf_counter()
    tenant = create_tenant(None, node, slug, method=method)
    with tenant_context(tenant):
        records = AuditRecord.objects.count()
    elapsed = time.perf_counter() - start
    assert records >= 1, f"tenant {slug} has no 'tenants.created' audit record"
    assert tenant.status == "active"
    return tenant, elapsed


def _run_in_a_row(state, method: str, n: int, budget_s: float | None = None):
    """Create up to `n` tenants back to back; stop early when `budget_s` would be exceeded."""
    times, tenants = [], []
    with stopwatch() as wall:
        for _ in range(n):
            tenant, t = _create_usable(state, method)
            times.append(t)
            tenants.append(tenant)
            if budget_s is not None and len(times) < n:
                projected = wall() + median(times)
                if projected > budget_s:
                    break
    return tenants, times, wall()


def test_tenant_creation_clone_vs_migrate(county):
    # Head to head: alternate the two ways so both see the same catalog size.
    clone_t, migrate_t = [], []
    for _ in range(HEAD_TO_HEAD):
        for method, bucket in (("clone", clone_t), ("migrate", migrate_t)):
            tenant, t = _create_usable(county, method)
            bucket.append(t)
            county.samples.append(tenant)

    # 100 in a row: clone first, then migrate within its budget.
    c_tenants, c_times, c_wall = _run_in_a_row(county, "clone", IN_A_ROW)
    county.series.extend(c_tenants)
    m_tenants, m_times, m_wall = _run_in_a_row(county, "migrate", IN_A_ROW, MIGRATE_BUDGET_S)
    county.series.extend(m_tenants)
    m_done = len(m_times)

    # Head to head again, now that the catalog holds 200 more schemas: does creation slow down
    # as the province grows?
    clone_late, migrate_late = [], []
    for _ in range(HEAD_TO_HEAD):
        for method, bucket in (("clone", clone_late), ("migrate", migrate_late)):
            tenant, t = _create_usable(county, method)
            bucket.append(t)
            county.samples.append(tenant)
    existing = len(county.samples) + len(county.series) - 2 * HEAD_TO_HEAD
    m_total = m_wall if m_done == IN_A_ROW else m_wall / m_done * IN_A_ROW
    m_label = (
        f"migrate: {IN_A_ROW} in a row, total"
        if m_done == IN_A_ROW
        else f"migrate: {IN_A_ROW} in a row, total (EXTRAPOLATED from {m_done})"
    )

    ok = lambda s: s <= USABLE_TARGET_S  # noqa: E731
    target = f"≤ {USABLE_TARGET_S:.0f} s"
    rows = [
        Row(f"clone: per tenant, median of {HEAD_TO_HEAD} (head to head)", fmt_s(median(clone_t)), target, ok(median(clone_t))),
        Row(f"migrate: per tenant, median of {HEAD_TO_HEAD} (head to head)", fmt_s(median(migrate_t)), target,
            ok(median(migrate_t)), ref=True),
        Row("speed-up of clone over migrate (head-to-head medians)", f"{median(migrate_t) / median(clone_t):.1f}x"),
        Row(f"clone: {IN_A_ROW} in a row, total", fmt_s(c_wall)),
        Row(f"clone: {IN_A_ROW} in a row, median per tenant", fmt_s(median(c_times)), target, ok(median(c_times)),
            headline=True),
        Row(f"clone: {IN_A_ROW} in a row, p95 per tenant", fmt_s(percentile(c_times, 95)), target,
            ok(percentile(c_times, 95)), headline=True),
        Row(f"clone: {IN_A_ROW} in a row, slowest tenant", fmt_s(max(c_times)), target, ok(max(c_times))),
        Row(f"clone: {IN_A_ROW} in a row, median of first 10 / last 10",
            f"{fmt_s(median(c_times[:10]))} / {fmt_s(median(c_times[-10:]))}"),
        Row(m_label, fmt_s(m_total)),
        Row(f"migrate: {m_done} in a row, median per tenant", fmt_s(median(m_times)), target, ok(median(m_times)), ref=True),
        Row(f"migrate: {m_done} in a row, slowest tenant", fmt_s(max(m_times)), target, ok(max(m_times)), ref=True),
        Row(f"migrate: {m_done} in a row, median of first 10 / last 10",
            f"{fmt_s(median(m_times[:10]))} / {fmt_s(median(m_times[-10:]))}"),
        Row(f"{IN_A_ROW} tenants: migrate total / clone total", f"{m_total / c_wall:.1f}x"),
        Row(f"clone: per tenant, median of {HEAD_TO_HEAD}, with {existing} tenants present",
            fmt_s(median(clone_late)), target, ok(median(clone_late))),
        Row(f"migrate: per tenant, median of {HEAD_TO_HEAD}, with {existing} tenants present",
            fmt_s(median(migrate_late)), target, ok(median(migrate_late)), ref=True),
    ]
    notes = [
        "usable = create_tenant returned + AuditRecord count inside tenant_context answered (≥ 1 row)",
        "the target applies to the default way, clone (TENANT_CREATION); migrate is the baseline",
        "head to head = clone and migrate alternated; the last two rows repeat it once the 100 + 100 exist",
    ]
    if m_done < IN_A_ROW:
        notes.append(f"migrate run stopped after {m_done} tenants ({fmt_s(m_wall)}, budget {MIGRATE_BUDGET_S:.0f} s)")
    print_table("1. tenant creation until usable", rows, notes)


def _exactly(county, n: int) -> list:
    """Leave exactly `n` tenants: drop the head-to-head samples first, top up by clone."""
    from tenants.models import Tenant
    from tenants.provisioning import create_tenant

    tenants = list(Tenant.objects.order_by("pk"))
    if len(tenants) > n:
        sample_pks = {t.pk for t in county.samples}
        extra = sorted(tenants, key=lambda t: (t.pk not in sample_pks, t.pk))[: len(tenants) - n]
        drop_tenants(extra)
    missing = n - Tenant.objects.count()
    if missing > 0:
        with stopwatch() as topped:
            for _ in range(missing):
                county.seq += 1
                create_tenant(None, next(county.free), f"bench-fill-{county.seq:04d}", method="clone")
        print(f"[setup] topped up with {missing} cloned tenants in {fmt_s(topped())}")
    return list(Tenant.objects.order_by("pk"))


def test_noop_migrate_over_200_tenants(county):
    from tenants.migration_state import is_current
    from tenants.provisioning import stale_schemas

    tenants = _exactly(county, NOOP_TENANTS)
    schemas = [t.schema_name for t in tenants]
    assert len(schemas) == NOOP_TENANTS
    assert stale_schemas(schemas) == [], "every tenant must be current for a no-op migrate"

    # Ours, three times (the first pays for loading the migration graph if nothing did before).
    ours, out = [], ""
    for _ in range(3):
        buf = io.StringIO()
        with stopwatch() as t:
            call_command("migrate_all", verbosity=0, stdout=buf)
        ours.append(t())
        out = buf.getvalue().strip()
    assert f"{NOOP_TENANTS} 个" in out and "已迁移 0 个" in out, out

    # django-tenants' own no-op migrate over the same tenants (it walks every Tenant row).
    with stopwatch() as t:
        call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
    theirs = t()
    assert all(is_current(s) for s in schemas)

    target = f"≤ {NOOP_TARGET_S:.0f} s"
    rows = [
        Row(f"migrate_all, {NOOP_TENANTS} current tenants (median of 3)", fmt_s(median(ours)), target,
            median(ours) <= NOOP_TARGET_S, headline=True),
        Row("migrate_all, slowest of the 3 runs", fmt_s(max(ours)), target, max(ours) <= NOOP_TARGET_S),
        Row("migrate_all, per tenant", f"{median(ours) / NOOP_TENANTS * 1000:.2f} ms"),
        Row(f"migrate_schemas --tenant, same {NOOP_TENANTS}", fmt_s(theirs), target, theirs <= NOOP_TARGET_S,
            ref=True, headline=True),
        Row("migrate_schemas --tenant, per tenant", f"{theirs / NOOP_TENANTS * 1000:.0f} ms"),
        Row("ratio migrate_schemas / migrate_all", f"{theirs / median(ours):.0f}x"),
    ]
    print_table(f"2. no-op migrate over {NOOP_TENANTS} tenants", rows, [f"migrate_all said: {out}"])
