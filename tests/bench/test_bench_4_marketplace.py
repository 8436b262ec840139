"""Benchmark 4: installing an app into 100 tenants, and a mandated install across a city.

- `services.install(None, tenant, "notes")` into each of 100 tenants in turn (the sample module
  with two migrations and a default role), timed per tenant until the app answers a query there.
- A mandate of `notes_tags` (which needs notes) at the city, applied across the same 100 tenants
  by `apply_mandate`, timed in total and per tenant.
- Baseline in the same run: the same app installed the plain django-tenants way, its migrations
  run by `migrate_schemas --schema <tenant>` (router told to allow it), into 10 other tenants.
Target on 2 cores: ≤ 0.5 s per tenant per app.

BENCH_MARKET_TENANTS lowers the count for a quick look.
"""

from __future__ import annotations

import os
import time

import pytest
from django.core.management import call_command
from django.db import connection

from tests.bench.conftest import (
    Row, assert_clean_start, build_county, delete_tree, drop_tenants, fmt_s, median, percentile, print_table, stopwatch,
)

TENANTS = int(os.environ.get("BENCH_MARKET_TENANTS", 100))
BASELINE = 10
TARGET_S = 0.5


@pytest.fixture(scope="module")
def city(bench_db):
    from jianlian.marketplace.services import sync_catalog
    from tenants.provisioning import create_tenant, ensure_template

    assert_clean_start()
    ensure_template()
    sync_catalog()
    with stopwatch() as built:
        root, leads = build_county(TENANTS + BASELINE, prefix="market")
        tenants = [create_tenant(None, lead, f"mk{i:04d}") for i, lead in enumerate(leads)]
    print(f"\n[setup] {len(tenants)} tenants created in {fmt_s(built())}")
    yield root, tenants[:TENANTS], tenants[TENANTS:]
    drop_tenants(tenants)
    from jianlian.marketplace.models import Mandate

    Mandate.objects.all().delete()
    delete_tree(root)


def _usable(tenant) -> None:
    from tenants.context import tenant_context
    from tests.sample_modules.notes.models import Note

    with tenant_context(tenant):
        assert Note.objects.count() == 0


def test_install_into_100_tenants_and_a_mandate_across_the_city(city):
    from jianlian.hierarchy.models import OrgUnit
    from jianlian.marketplace import services
    from jianlian.marketplace.router import allowing

    root, tenants, others = city
    per_tenant = []
    for tenant in tenants:
        started = time.perf_counter()
        services.install(None, tenant, "notes")
        _usable(tenant)
        per_tenant.append(time.perf_counter() - started)

    baseline = []
    for tenant in others:
        started = time.perf_counter()
        with allowing(tenant.schema_name, {"notes"}):
            call_command("migrate_schemas", schema_name=tenant.schema_name, tenant=True, interactive=False, verbosity=0)
        connection.set_schema_to_public()
        _usable(tenant)
        baseline.append(time.perf_counter() - started)

    city_node = OrgUnit.objects.get(division_code="330100")
    mandate = services.mandate(None, "notes_tags", city_node)
    with stopwatch() as took:
        counts = services.apply_mandate(mandate.pk)
    total = took()
    assert counts["failed"] == 0 and counts["installed"] == TENANTS + BASELINE, counts
    mandated_each = total / (TENANTS + BASELINE)

    p95 = percentile(per_tenant, 95)
    print_table("4. Marketplace installs", [
        Row(f"install one app, {TENANTS} tenants in turn: median per tenant", fmt_s(median(per_tenant)),
            f"≤ {TARGET_S} s", median(per_tenant) <= TARGET_S, headline=True),
        Row("  p95 per tenant", fmt_s(p95)),
        Row("  total", fmt_s(sum(per_tenant))),
        Row(f"baseline: migrate_schemas --schema per tenant ({BASELINE})", fmt_s(median(baseline)), f"≤ {TARGET_S} s",
            median(baseline) <= TARGET_S, ref=True),
        Row(f"mandate across the city: {TENANTS + BASELINE} tenants, total", fmt_s(total)),
        Row("  per tenant", fmt_s(mandated_each), f"≤ {TARGET_S} s", mandated_each <= TARGET_S, headline=True),
    ], notes=[f"ours vs baseline: {median(baseline) / median(per_tenant):.1f}× faster per tenant"])
