"""Shared setup for the foundation benchmarks (`make bench`).

Benchmarks are not timed unit tests: each one prints its figures next to a baseline measured in
the same run and says whether its target is met (targets are for 2 cores). They fail only when
something is functionally wrong (a tenant that is not usable, a command that errors), never
because a machine was slow.

Data is committed for real (management commands and schema DDL do not behave inside a test
transaction), so every module creates what it needs in a module-scoped fixture and removes it
afterwards — tenant schemas dropped, tenant rows, users and org units deleted — so that the next
file starts from a clean test database. The seed benchmark runs last (it is the slowest).

The benchmarks use a test database of their own (`test_<name>_bench_<pid>`), so `make bench`,
`make test` and another `make bench` can run at the same time on the same embedded PostgreSQL.
"""

from __future__ import annotations

import os
import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

# --- results ------------------------------------------------------------------------------------


@dataclass
class Row:
    """One figure. `met` is None for figures without a target. A `ref` row is a baseline measured
    for comparison: its target column says how it would fare, but it is not one of our targets.
    `headline` rows are repeated at the top of the final summary."""

    label: str
    value: str
    target: str = "—"
    met: bool | None = None
    ref: bool = False
    headline: bool = False


_ALL_RESULTS: list[tuple[str, Row]] = []


def _met_text(r: Row) -> str:
    if r.met is None:
        return "n/a"
    text = "YES" if r.met else "NO"
    return f"({text.lower()}, baseline)" if r.ref else text


def _load_note() -> str:
    load1, load5, _ = os.getloadavg()
    busy = " — above the core count: other processes shared the machine, times are inflated" if load5 > (os.cpu_count() or 1) else ""
    return f"load average {load1:.1f} (1 min) / {load5:.1f} (5 min) on {os.cpu_count()} cores{busy}"


def print_table(title: str, rows: list[Row], notes: list[str] | None = None) -> None:
    """Print one benchmark's compact table and remember it for the summary at the end (where
    rows are prefixed by the title's first word, e.g. "1.")."""
    widths = [
        max(len("label"), *(len(r.label) for r in rows)),
        max(len("value"), *(len(r.value) for r in rows)),
        max(len("target"), *(len(r.target) for r in rows)),
    ]
    print()
    print(f"== {title} ==")
    print(f"{'label':<{widths[0]}} | {'value':>{widths[1]}} | {'target':<{widths[2]}} | met?")
    print("-" * (sum(widths) + 3 * 3 + 6))
    for r in rows:
        print(f"{r.label:<{widths[0]}} | {r.value:>{widths[1]}} | {r.target:<{widths[2]}} | {_met_text(r)}")
    for n in [*(notes or []), _load_note()]:
        print(f"  note: {n}")
    print(flush=True)
    _ALL_RESULTS.extend((title.split()[0], r) for r in rows)


def _write_rows(tr, rows: list[tuple[str, Row]]) -> None:
    lw = max(len(f"{t} {r.label}") for t, r in rows)
    vw = max(len(r.value) for _, r in rows)
    tw = max(len(r.target) for _, r in rows)
    for title, r in rows:
        label = f"{title} {r.label}"
        tr.write_line(f"{label:<{lw}} | {r.value:>{vw}} | {r.target:<{tw}} | {_met_text(r)}")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _ALL_RESULTS:
        return
    tr = terminalreporter
    headline = [(t, r) for t, r in _ALL_RESULTS if r.headline]
    if headline:
        tr.section("benchmark targets (for 2 cores)")
        _write_rows(tr, headline)
    tr.section("all benchmark figures")
    _write_rows(tr, _ALL_RESULTS)
    judged = [r for _, r in _ALL_RESULTS if r.met is not None and not r.ref]
    tr.write_line(f"targets met: {sum(r.met for r in judged)}/{len(judged)} (baselines not counted); {_load_note()}")


# --- formatting helpers -------------------------------------------------------------------------


def fmt_s(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 120:
        return f"{seconds:.2f} s"
    return f"{seconds:.0f} s ({seconds / 60:.1f} min)"


def fmt_us(seconds: float) -> str:
    return f"{seconds * 1e6:.2f} µs"


def median(xs) -> float:
    return statistics.median(xs)


def percentile(xs, p: float) -> float:
    s = sorted(xs)
    k = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
    return s[k]


@contextmanager
def stopwatch():
    """`with stopwatch() as t: ...` then `t()` is the elapsed seconds."""
    start = time.perf_counter()
    end = None

    def elapsed() -> float:
        return (end if end is not None else time.perf_counter()) - start

    try:
        yield elapsed
    finally:
        end = time.perf_counter()


# --- ordering: the seed benchmark runs last -----------------------------------------------------


def pytest_collection_modifyitems(session, config, items):
    """Keep file order (alphabetical), but always run the seed benchmark last: it is the slowest
    and it leaves a full province behind."""
    items.sort(key=lambda item: "seed" in item.path.name)


# --- database -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A test database of our own, so a concurrent `make test` or `make bench` cannot collide with
    this run (the session drops it at the end; a killed run leaves it behind, named by its pid)."""
    from django.conf import settings

    for alias, db in settings.DATABASES.items():
        test = db.setdefault("TEST", {})
        suffix = "" if alias == "default" else f"_{alias}"
        test["NAME"] = f"test_{db['NAME']}_bench_{os.getpid()}{suffix}"


def _session_sets_up_test_database(items) -> bool:
    """pytest-django creates the test database only when some collected test asks for it (a
    django_db mark or a db fixture); otherwise `django_db_setup` silently leaves the connection
    on the *development* database. test_bench_0_database.py is that test for `make bench`."""
    return any(
        item.get_closest_marker("django_db") or {"db", "transactional_db"} & set(getattr(item, "fixturenames", ()))
        for item in items
    )


@pytest.fixture(scope="module")
def bench_db(request, django_db_blocker):
    """Real, committed database access for a whole benchmark module (no test transaction)."""
    if not _session_sets_up_test_database(request.session.items):
        pytest.fail(
            "refusing to benchmark: no collected test asks for the test database, so this session would "
            "write to the development database. Run tests/bench as a whole (make bench), or add "
            "tests/bench/test_bench_0_database.py to the selection."
        )
    request.getfixturevalue("django_db_setup")
    from django.db import connection

    name = connection.settings_dict["NAME"]
    assert name.startswith("test_") and "_bench_" in name, f"not the benchmark test database: {name}"
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        yield
        connection.set_schema_to_public()


# --- building and removing test data -------------------------------------------------------------

HC = "health_commission"


def build_county(n_leads: int, *, prefix: str = "bench"):
    """Province 330000 → city 330100 → county 330122 → `n_leads` lead units (create_unit, so the
    MPTT fields, placements and audit are exactly what the product writes)."""
    from jianlian.hierarchy.services import create_unit

    root = create_unit(None, parent=None, level="province", name="浙江省卫生健康委员会", unit_type=HC, division_code="330000")
    city = create_unit(None, parent=root, level="city", name="杭州市卫生健康委员会", unit_type=HC, division_code="330100")
    county = create_unit(None, parent=city, level="county", name="桐庐县卫生健康局", unit_type=HC, division_code="330122")
    leads = [
        create_unit(None, parent=county, level="lead", name=f"{prefix}医共体牵头医院{i:04d}", unit_type="county_hospital")
        for i in range(n_leads)
    ]
    return root, leads


def drop_tenants(tenants) -> None:
    """Drop the tenants' schemas and delete their rows (roles, memberships, grants cascade)."""
    from django.db import connection
    from django_tenants.utils import quote_schema_name

    from tenants.models import Tenant

    tenants = list(tenants)
    schemas = [t.schema_name for t in tenants]
    connection.set_schema_to_public()
    # Small batches: one DROP of hundreds of schemas would need thousands of locks at once.
    for i in range(0, len(schemas), 10):
        batch = ", ".join(quote_schema_name(s) for s in schemas[i : i + 10])
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {batch} CASCADE")
    Tenant.objects.filter(pk__in=[t.pk for t in tenants]).delete()


def delete_tree(root) -> None:
    """Remove a whole org tree built by a benchmark, with every tenant, grant and membership on it.
    Public audit records stay: they are append-only by design (and refer to ids, not rows)."""
    from django.db import connection

    from jianlian.access.models import Membership, RoleGrant
    from jianlian.hierarchy.models import OrgUnit
    from tenants.models import Tenant

    connection.set_schema_to_public()
    units = OrgUnit.objects.filter(tree_id=root.tree_id)
    drop_tenants(Tenant.objects.filter(org_unit__in=units))
    RoleGrant.objects.filter(node__in=units).delete()
    Membership.objects.filter(unit__in=units).delete()
    # `parent` is PROTECT: delete from the leaves up, one depth at a time.
    depths = sorted(set(units.values_list("depth", flat=True)), reverse=True)
    for depth in depths:
        OrgUnit.objects.filter(tree_id=root.tree_id, depth=depth).delete()


def assert_clean_start() -> None:
    """Each benchmark module expects no tenants and no org tree left by an earlier one."""
    from jianlian.hierarchy.models import OrgUnit
    from tenants.models import Tenant

    leftovers = (Tenant.objects.count(), OrgUnit.objects.count())
    assert leftovers == (0, 0), f"benchmark database not clean at start: tenants, units = {leftovers}"
