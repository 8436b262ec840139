"""Benchmark 3: the cost of `jianlian.access.checks.has_perm`.

A user holds a handful of grants (roles at two cities, two counties and one lead unit) in a
province-shaped tree of a few hundred units. Every check is made against many different target
nodes, for a permission the user holds somewhere and one they hold nowhere (the slowest path:
every grant is examined).

- cold: the first check for a user, which loads the grants (one query);
- warm: later checks on the same user object (no query at all);
- baseline, same run: the same answer asked of the database per call (one EXISTS query with the
  MPTT interval test), i.e. what each check would cost without the cached grants. Its answers
  are also compared with has_perm's, node by node.

No time target was set for has_perm; the checked property is the one its docstring promises:
one query per user however many objects a request checks.
"""

from __future__ import annotations

import gc
import os
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.bench.conftest import HC, Row, assert_clean_start, delete_tree, fmt_s, fmt_us, median, print_table, stopwatch

CITIES = int(os.environ.get("BENCH_ACCESS_CITIES", 11))  # Zhejiang has 11 prefecture-level cities
COUNTIES_PER_CITY = int(os.environ.get("BENCH_ACCESS_COUNTIES", 3))
MEMBERS_PER_LEAD = int(os.environ.get("BENCH_ACCESS_MEMBERS", 6))
COLD_SAMPLES = 300
WARM_ROUNDS = 60
SQL_SAMPLES = 600
HELD, NOT_HELD = "supervision.view_aggregates", "referrals.accept"


@pytest.fixture(scope="module")
def tree(bench_db):
    from jianlian.access.models import Role, RoleGrant
    from jianlian.hierarchy.models import OrgUnit
    from jianlian.hierarchy.services import create_unit
    from tests.factories import make_user

    assert_clean_start()
    with stopwatch() as built:
        root = create_unit(None, parent=None, level="province", name="浙江省卫生健康委员会", unit_type=HC, division_code="330000")
        cities, counties, leads = [], [], []
        for c in range(1, CITIES + 1):
            city = create_unit(None, parent=root, level="city", name=f"市卫健委{c:02d}", unit_type=HC, division_code=f"33{c:02d}00")
            cities.append(city)
            for k in range(1, COUNTIES_PER_CITY + 1):
                county = create_unit(None, parent=city, level="county", name=f"县卫健局{c:02d}{k:02d}", unit_type=HC,
                                     division_code=f"33{c:02d}{20 + k:02d}")
                counties.append(county)
                lead = create_unit(None, parent=county, level="lead", name=f"牵头医院{c:02d}{k:02d}", unit_type="county_hospital")
                leads.append(lead)
                for m in range(MEMBERS_PER_LEAD):
                    create_unit(None, parent=lead, level="member", name=f"卫生院{c:02d}{k:02d}{m:02d}", unit_type="township_centre")
    nodes = list(OrgUnit.objects.filter(tree_id=root.tree_id).order_by("lft"))
    print(f"\n[setup] {len(nodes)} org units built with create_unit in {fmt_s(built())}")

    # A handful of grants at different places in the tree, from province-wide roles.
    supervisor = Role.objects.get(tenant=None, code="city_supervisor")
    county_sup = Role.objects.get(tenant=None, code="county_supervisor")
    extra = Role.objects.create(code="bench_reporter", name="基准填报", permissions=["supervision.report", "platform.use"])
    user = make_user("基准用户")
    for role, node in [(supervisor, cities[0]), (supervisor, cities[1]), (county_sup, counties[5]),
                       (county_sup, counties[9]), (extra, leads[12])]:
        RoleGrant.objects.create(user=user, role=role, node=node)
    yield user, nodes
    delete_tree(root)
    Role.objects.filter(code="bench_reporter").delete()
    user.delete()


def _sql_has_perm(user, code, node) -> bool:
    """Baseline: the same question asked of the database on every call."""
    from jianlian.access.models import RoleGrant

    return RoleGrant.objects.filter(
        user_id=user.pk, role__permissions__contains=[code],
        node__tree_id=node.tree_id, node__lft__lte=node.lft, node__rght__gte=node.rght,
    ).exists()


def test_has_perm_cost(tree):
    from jianlian.access.checks import forget, has_perm

    user, nodes = tree
    n_grants = user.grants.count()

    # Cold: the first call for the user loads the grants.
    cold = []
    for i in range(COLD_SAMPLES):
        forget(user)
        node = nodes[i % len(nodes)]
        start = time.perf_counter()
        has_perm(user, HELD, node)
        cold.append(time.perf_counter() - start)
    forget(user)
    with CaptureQueriesContext(connection) as q_cold:
        has_perm(user, HELD, nodes[0])

    # Warm: every node, both codes, many rounds, on the same user object.
    has_perm(user, HELD, nodes[0])
    calls = WARM_ROUNDS * len(nodes)
    warm = {}
    gc.disable()
    try:
        with CaptureQueriesContext(connection) as q_warm:
            for code in (HELD, NOT_HELD):
                start = time.perf_counter()
                for _ in range(WARM_ROUNDS):
                    for node in nodes:
                        has_perm(user, code, node)
                warm[code] = (time.perf_counter() - start) / calls
    finally:
        gc.enable()

    # Baseline: one query per check; also the reference for correctness.
    sql = []
    for i in range(SQL_SAMPLES):
        node = nodes[i % len(nodes)]
        start = time.perf_counter()
        _sql_has_perm(user, HELD, node)
        sql.append(time.perf_counter() - start)
    for code in (HELD, NOT_HELD, "supervision.report", "platform.manage_tenants"):
        for node in nodes:
            assert has_perm(user, code, node) == _sql_has_perm(user, code, node), (code, node.name)
    covered = sum(has_perm(user, HELD, n) for n in nodes)

    warm_avg = (warm[HELD] + warm[NOT_HELD]) / 2
    rows = [
        Row(f"cold: first call for a user (loads {n_grants} grants), median of {COLD_SAMPLES}", fmt_us(median(cold)),
            headline=True),
        Row("cold: queries on the first call", str(len(q_cold)), "1 query", len(q_cold) == 1),
        Row(f"warm: per call, held code ({HELD})", fmt_us(warm[HELD]), headline=True),
        Row(f"warm: per call, code held nowhere ({NOT_HELD})", fmt_us(warm[NOT_HELD])),
        Row(f"warm: queries over {2 * calls:,} calls", str(len(q_warm)), "0 queries", len(q_warm) == 0),
        Row(f"baseline: one SQL EXISTS per call, median of {SQL_SAMPLES}", fmt_us(median(sql))),
        Row("baseline per call / warm per call", f"{median(sql) / warm_avg:,.0f}x"),
        Row("baseline per call / cold first call", f"{median(sql) / median(cold):.1f}x"),
    ]
    notes = [
        f"{len(nodes)} target nodes; the held code covers {covered} of them; answers equal the SQL baseline on every node",
        "no µs target was set for has_perm (informational); the targets checked are the query counts",
    ]
    print_table("3. has_perm cost", rows, notes)
