"""7. Provisioning as the installation grows: 1,000 tenants cloned one after another.

A province adds tenants for years; creating the 1,000th must cost what the 1st did. Printed side
by side: the median time until usable of tenants 1–10, 491–500 and 991–1,000 (target: the last
ten within 1.25× the first ten), and the no-op `migrate_all` over all 1,000 (target ≤ 10 s for
200 in benchmark 2; here the per-tenant cost is what matters).

BENCH_SCALE_TENANTS sets the count; BENCH_QUICK (any value) lowers it to 100 for a quick look;
`make bench` uses 1,000.
"""

from __future__ import annotations

import io
import os
import time

import pytest
from django.core.management import call_command

from tests.bench.conftest import Row, assert_clean_start, build_county, delete_tree, fmt_s, median, print_table, stopwatch

TENANTS = int(os.environ.get("BENCH_SCALE_TENANTS") or (100 if os.environ.get("BENCH_QUICK") else 1000))
FLAT_TARGET = 1.25


@pytest.fixture(scope="module")
def county(bench_db):
    from tenants.provisioning import ensure_template

    assert_clean_start()
    ensure_template()
    with stopwatch() as built:
        root, leads = build_county(TENANTS, prefix="scale")
    print(f"\n[setup] {TENANTS} lead units built in {fmt_s(built())}")
    yield leads
    with stopwatch() as cleaned:
        delete_tree(root)
    print(f"[cleanup] {TENANTS} tenants, schemas and units removed in {fmt_s(cleaned())}")


def test_provisioning_stays_flat_over_1000_tenants(county):
    from jianlian.audit.models import AuditRecord
    from tenants.context import tenant_context
    from tenants.provisioning import create_tenant

    times = []
    with stopwatch() as wall:
        for i, node in enumerate(county, 1):
            start = time.perf_counter()
            tenant = create_tenant(None, node, f"scale-{i:04d}", method="clone")
            with tenant_context(tenant):
                assert AuditRecord.objects.exists()
            times.append(time.perf_counter() - start)
            if i % 100 == 0:
                print(f"[scale] {i} tenants, median of the last 100: {fmt_s(median(times[-100:]))}", flush=True)
    first, last = median(times[:10]), median(times[-10:])
    middle = median(times[len(times) // 2 - 10: len(times) // 2])
    growth = last / first

    noop = []
    for _ in range(2):
        buf = io.StringIO()
        with stopwatch() as t:
            call_command("migrate_all", verbosity=0, stdout=buf)
        noop.append(t())
        assert "已迁移 0 个" in buf.getvalue(), buf.getvalue()

    n = len(times)
    print_table(f"7. provisioning as the installation grows ({n:,} tenants by clone)", [
        Row(f"median until usable: tenants 1–10 / {n // 2 - 9}–{n // 2} / {n - 9}–{n}",
            f"{fmt_s(first)} / {fmt_s(middle)} / {fmt_s(last)}"),
        Row(f"tenants {n - 9}–{n} ÷ tenants 1–10", f"{growth:.2f}×", f"≤ {FLAT_TARGET}×", growth <= FLAT_TARGET, headline=True),
        Row(f"all {n:,}: total / median per tenant", f"{fmt_s(wall())} / {fmt_s(median(times))}"),
        Row(f"no-op migrate_all over {n:,} tenants (best of 2)", fmt_s(min(noop)), headline=True),
        Row("no-op migrate_all per tenant", f"{min(noop) / n * 1000:.2f} ms"),
    ], notes=["usable = create_tenant returned + a query inside the tenant answered",
              "one process, one connection, tenants created back to back (as the seed and an import do)"])
