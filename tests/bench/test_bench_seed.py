"""Benchmark 4: seeding a full province, 300,000 staff (`seed_province(scale="full")`).

Target: ≤ 5 minutes on 2 cores. Runs last (conftest orders it so): it is the slowest, and what it
builds stays until the session drops the benchmark test database.

`jianlian.demo.seed` is written separately; until it exists this benchmark prints why and skips.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import pytest

from tests.bench.conftest import Row, assert_clean_start, fmt_s, print_table, stopwatch

SCALE = "full"
EXPECTED_STAFF = 300_000
TARGET_S = 5 * 60


def _seed_province():
    """The seed function, or None (with a printed reason) when it is not there yet."""
    try:
        found = importlib.util.find_spec("jianlian.demo.seed") is not None
    except ModuleNotFoundError:
        found = False
    if not found:
        return None, "jianlian.demo.seed does not exist yet (platform/jianlian/demo/seed.py)"
    module = importlib.import_module("jianlian.demo.seed")  # errors inside the module are real failures
    fn = getattr(module, "seed_province", None)
    if fn is None:
        return None, "jianlian.demo.seed has no seed_province() yet"
    return fn, ""


def _staff_count(result) -> int | None:
    if isinstance(result, dict):
        for key in ("staff", "staff_total", "staff_count", "users"):
            value = result.get(key)
            if isinstance(value, int):
                return value
    return None


def test_seed_full_province(bench_db):
    seed_province, why = _seed_province()
    if seed_province is None:
        print_table(f"4. seed {EXPECTED_STAFF:,} staff",
                    [Row(f"seed_province(scale={SCALE!r}), wall time", "SKIPPED", f"≤ {TARGET_S // 60} min", headline=True)],
                    [why])
        pytest.skip(why)

    from jianlian.access.models import Membership
    from jianlian.identity.models import User
    from tenants.models import Tenant

    assert_clean_start()
    users_before = User.objects.count()
    print(f"\n[bench] seed_province(scale={SCALE!r}) — progress below comes from the seed itself", flush=True)
    with stopwatch() as took:
        result = seed_province(scale=SCALE, stdout=sys.stdout)
    elapsed = took()

    staff = _staff_count(result)
    users = User.objects.count() - users_before
    memberships = Membership.objects.count()
    tenants = Tenant.objects.count()
    counted = staff if staff is not None else users
    target = f"≤ {TARGET_S // 60} min"
    rows = [
        Row(f"seed_province(scale={SCALE!r}), wall time", fmt_s(elapsed), target, elapsed <= TARGET_S, headline=True),
        Row("staff reported by the seed", f"{staff:,}" if staff is not None else "(not reported)",
            f"{EXPECTED_STAFF:,}", None if staff is None else staff >= EXPECTED_STAFF),
        Row("user accounts created (public schema)", f"{users:,}"),
        Row("memberships (public schema)", f"{memberships:,}"),
        Row("tenants", f"{tenants:,}"),
        Row("staff per second", f"{counted / elapsed:,.0f}" if counted else "—"),
        Row(f"projected time for {EXPECTED_STAFF:,} staff at that rate",
            fmt_s(elapsed * EXPECTED_STAFF / counted) if counted else "—", target,
            (elapsed * EXPECTED_STAFF / counted) <= TARGET_S if counted else None),
    ]
    print_table(f"4. seed {EXPECTED_STAFF:,} staff", rows, [f"seed_province returned: {result!r}"[:600]])
