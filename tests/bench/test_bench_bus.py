"""Benchmark: cross-tenant bus throughput between two tenants.

N messages (BENCH_BUS_MESSAGES, default 5,000) are committed from tenant A to tenant B in
transactions of 50 (half of them in 50 conversations, so ordering is exercised), with the relay
stopped. Then the relay runs (`relay.run_once`, the code the `bus.relay` task runs) until every
message is applied in B; the handler writes one row per message in B's schema. Reported: the send
rate, the relay rate (deliver + apply + ack, the target: ≥ 1,000 messages/s), and the cost of an
idle relay pass. Exactly-once is checked, not assumed: B holds N effect rows, each applied once.
"""

from __future__ import annotations

import os
import time

import pytest
from django.db import connection, transaction
from django_tenants.utils import quote_schema_name

from jianlian import bus
from tests.bench.conftest import Row, assert_clean_start, build_county, delete_tree, fmt_s, print_table, stopwatch

N = int(os.environ.get("BENCH_BUS_MESSAGES", 5000))
PER_TRANSACTION = 50
TARGET_PER_S = 1000.0
TYPE = "bench_bus.noted"


@bus.register_handler(TYPE)
def noted(message):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_bus_effect (message_id, applications) VALUES (%s, 1) "
            "ON CONFLICT (message_id) DO UPDATE SET applications = bench_bus_effect.applications + 1",
            [message.id],
        )


@pytest.fixture(scope="module")
def pair(bench_db):
    from tenants.provisioning import create_tenant, ensure_template

    assert_clean_start()
    ensure_template()
    root, (lead_a, lead_b) = build_county(2, prefix="bus")
    a = create_tenant(None, lead_a, "bench-bus-a")
    b = create_tenant(None, lead_b, "bench-bus-b")
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {quote_schema_name(b.schema_name)}.bench_bus_effect "
            f"(message_id uuid PRIMARY KEY, applications int NOT NULL)"
        )
    yield a, b
    delete_tree(root)


def test_bus_throughput_between_two_tenants(pair):
    from jianlian.bus.relay import run_once
    from tenants.context import tenant_context

    a, b = pair
    # send, relay stopped
    with stopwatch() as sending, tenant_context(a):
        for first in range(0, N, PER_TRANSACTION):
            with transaction.atomic():
                for i in range(first, min(first + PER_TRANSACTION, N)):
                    conversation = f"ref-{(i // 2) % 50}" if i % 2 == 0 else None
                    bus.send(b, TYPE, {"i": i, "kind": "转诊", "summary": "x" * 200}, conversation=conversation)

    # relay until everything is applied
    applied = passes = 0
    with stopwatch() as relaying:
        deadline = time.monotonic() + 60
        while applied < N and time.monotonic() < deadline:
            stats = run_once()
            assert not stats.errors, stats.errors
            applied += stats.applied
            passes += 1
    with stopwatch() as idle:
        again = run_once()

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), max(applications) FROM {quote_schema_name(b.schema_name)}.bench_bus_effect")
        effects, most = cursor.fetchone()
        cursor.execute(f"SELECT status, count(*) FROM {quote_schema_name(a.schema_name)}.bus_outboxmessage GROUP BY 1")
        outbox = dict(cursor.fetchall())
    assert (applied, effects, most) == (N, N, 1), "every message applied exactly once"
    assert outbox == {"acked": N}
    assert (again.delivered, again.applied) == (0, 0)

    relay_rate = N / relaying()
    rows = [
        Row(f"send {N:,} msgs ({PER_TRANSACTION}/transaction)", f"{N / sending():,.0f} msg/s"),
        Row("relay: deliver + apply + ack", f"{relay_rate:,.0f} msg/s", f"≥ {TARGET_PER_S:,.0f} msg/s",
            relay_rate >= TARGET_PER_S),
        Row("relay wall time", fmt_s(relaying())),
        Row("relay passes needed", str(passes)),
        Row("idle relay pass (nothing due)", fmt_s(idle())),
    ]
    print_table("bus. cross-tenant message throughput (A → B)", rows,
                [f"{N:,} messages, half in 50 conversations; handler writes one row per message in B; "
                 f"exactly once checked ({effects:,} rows, max applications {most})"])
