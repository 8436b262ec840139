"""The cross-tenant bus: outbox in the sender's transaction, relay, exactly-once inbox, order per
conversation, acknowledgements, retries and dead letters — against the real PostgreSQL and Redis.

The relay runs only when a test calls it (`relay.run_once()`), which is how "the relay is stopped"
is simulated: `send` still kicks a Celery task after each commit, but no worker consumes it here.
Committed data is needed (the relay opens its own transactions), so these are transactional tests
with tenants of their own (unique slugs: schemas outlive the test's flush).
"""

from __future__ import annotations

import io
import random
import threading
import time
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.utils import translation
from django_tenants.utils import quote_schema_name

from jianlian import bus, devservices
from jianlian.bus import relay
from jianlian.bus.models import DeadLetter, InboxMessage, OutboxMessage
from jianlian.core.errors import DomainError
from tenants.context import bound_tenant, tenant_context
from tests.factories import build_province

pytestmark = pytest.mark.django_db(transaction=True)

COUNTED = "tests_bus.counted"
FLAKY = "tests_bus.flaky"

# --- handlers: each application leaves one row per message id in the receiver's schema ---------


def _effect_table(schema: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""CREATE TABLE IF NOT EXISTS {quote_schema_name(schema)}.bus_test_effect (
                    message_id uuid PRIMARY KEY, conversation text NOT NULL, sequence bigint NOT NULL,
                    applications int NOT NULL, seen_schema text NOT NULL, seen_tenant text NOT NULL,
                    applied_order bigserial)"""
        )


def _record(message) -> None:
    """Runs in the receiver's schema: the unqualified table is the receiver's own."""
    tenant = bound_tenant()
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO bus_test_effect (message_id, conversation, sequence, applications, seen_schema, seen_tenant)
               VALUES (%s, %s, %s, 1, %s, %s)
               ON CONFLICT (message_id) DO UPDATE SET applications = bus_test_effect.applications + 1""",
            [message.id, message.conversation, message.sequence, connection.schema_name,
             getattr(tenant, "schema_name", "")],
        )


@bus.register_handler(COUNTED)
def counted(message):
    _record(message)


FLAKY_STATE = {"broken": True}


@bus.register_handler(FLAKY)
def flaky(message):
    if FLAKY_STATE["broken"]:
        raise ValueError("下游系统不可用 (downstream unavailable)")
    _record(message)


def _effects(schema: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT message_id, conversation, sequence, applications, seen_schema, seen_tenant "
            f"FROM {quote_schema_name(schema)}.bus_test_effect ORDER BY applied_order"
        )
        return cursor.fetchall()


def _statuses(model, tenant) -> Counter:
    with tenant_context(tenant):
        return Counter(model.objects.values_list("status", flat=True))


@pytest.fixture
def province(unique):
    from tenants.provisioning import seed_province_roles

    seed_province_roles()  # a transactional test's flush emptied the public tables
    p = build_province(unique(""))
    for t in (p.tenant_a, p.tenant_b, p.tenant_h):
        _effect_table(t.schema_name)
    return p


def _send_many(sender, receiver, n: int, *, per_transaction: int = 10, start: int = 0,
               conversations: int = 10, mtype: str = COUNTED) -> list:
    """n messages in n / per_transaction transactions; every other message belongs to one of
    `conversations` conversations, the rest to none."""
    ids = []
    with tenant_context(sender):
        for first in range(start, start + n, per_transaction):
            with transaction.atomic():
                for i in range(first, min(first + per_transaction, start + n)):
                    conversation = f"ref-{(i // 2) % conversations}" if i % 2 == 0 else None
                    ids.append(bus.send(receiver, mtype, {"i": i, "note": "转诊"}, conversation=conversation).id)
    return ids


# --- (1) a thousand messages arrive exactly once -------------------------------------------------


def test_a_thousand_messages_sent_while_the_relay_is_stopped_arrive_exactly_once(province):
    # given 1,000 messages from A to B, committed in 100 transactions while no relay runs
    a, b = province.tenant_a, province.tenant_b
    ids = _send_many(a, b, 1000)
    assert _statuses(OutboxMessage, a) == {"pending": 1000}
    assert _statuses(InboxMessage, b) == {}

    # when the relay runs
    stats = relay.run_once()

    # then every message was delivered, applied once in B's schema and acknowledged to A
    assert (stats.delivered, stats.applied, stats.retried, stats.dead, stats.errors) == (1000, 1000, 0, 0, [])
    effects = _effects(b.schema_name)
    assert sorted(str(e[0]) for e in effects) == sorted(str(i) for i in ids)
    assert {e[3] for e in effects} == {1}
    assert {(e[4], e[5]) for e in effects} == {(b.schema_name, b.schema_name)}
    assert _statuses(InboxMessage, b) == {"applied": 1000}
    assert _statuses(OutboxMessage, a) == {"acked": 1000}
    # ... and each conversation was applied in its sequence order
    by_conversation: dict[str, list[int]] = {}
    for _id, conversation, sequence, *_ in effects:
        if conversation:
            by_conversation.setdefault(conversation, []).append(sequence)
    assert len(by_conversation) == 10
    assert all(seqs == list(range(1, 51)) for seqs in by_conversation.values())

    # when the relay runs twice more, nothing changes
    for _ in range(2):
        again = relay.run_once()
        assert (again.delivered, again.applied, again.retried, again.dead) == (0, 0, 0, 0)
    assert [e[3] for e in _effects(b.schema_name)] == [1] * 1000
    assert _statuses(InboxMessage, b) == {"applied": 1000}


def test_two_relays_running_at_once_never_deliver_or_apply_a_message_twice(province):
    # given 600 messages from A to B and 400 from H to B
    a, b, h = province.tenant_a, province.tenant_b, province.tenant_h
    _send_many(a, b, 600, per_transaction=50)
    _send_many(h, b, 400, per_transaction=50)

    # when three relays run concurrently, each with its own database connection
    results, failures = [], []

    def run():
        try:
            results.append(relay.run_once(batch=100))
        except Exception as exc:  # noqa: BLE001
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    relay.run_once()  # whatever one relay skipped because another held it

    # then each message was delivered once and applied once
    assert not failures and all(not r.errors for r in results)
    assert sum(r.delivered for r in results) == 1000
    effects = _effects(b.schema_name)
    assert len(effects) == 1000 and {e[3] for e in effects} == {1}
    assert _statuses(OutboxMessage, a) == {"acked": 600}
    assert _statuses(OutboxMessage, h) == {"acked": 400}


# --- (2) the outbox is part of the sender's transaction -----------------------------------------


def test_a_send_in_a_rolled_back_transaction_never_leaves_the_outbox(province):
    a, b = province.tenant_a, province.tenant_b
    with tenant_context(a):
        # given one committed message in conversation "ref-7"
        with transaction.atomic():
            first = bus.send(b, COUNTED, {"n": 1}, conversation="ref-7")
        # when a transaction sends and then fails
        with pytest.raises(RuntimeError), transaction.atomic():
            bus.send(b, COUNTED, {"n": "lost"}, conversation="ref-7")
            raise RuntimeError("the write failed")
        # ... and a savepoint inside a committed transaction is rolled back
        with transaction.atomic():
            try:
                with transaction.atomic():
                    bus.send(b, COUNTED, {"n": "lost too"}, conversation="ref-7")
                    raise RuntimeError("inner failure")
            except RuntimeError:
                pass
            last = bus.send(b, COUNTED, {"n": 2}, conversation="ref-7")

        # then only the committed messages are in the outbox, numbered without a gap
        assert list(OutboxMessage.objects.order_by("sequence").values_list("id", "sequence")) == [
            (first.id, 1), (last.id, 2)]

        # and a send outside any transaction is refused, as are bad receivers, types and payloads
        with pytest.raises(DomainError) as refused:
            bus.send(b, COUNTED, {"n": "no transaction"})
        assert refused.value.code == "BUS_NOT_IN_TRANSACTION"
        with transaction.atomic():
            for receiver, mtype, payload, code in [
                ("no-such-tenant", COUNTED, {}, "BUS_UNKNOWN_RECEIVER"),
                (b, "Not A Type", {}, "BUS_INVALID_TYPE"),
                (b, COUNTED, {"x": object()}, "BUS_INVALID_PAYLOAD"),
            ]:
                with pytest.raises(DomainError) as bad:
                    bus.send(receiver, mtype, payload)
                assert bad.value.code == code
        assert OutboxMessage.objects.count() == 2

    relay.run_once()
    assert [(e[2], e[3]) for e in _effects(b.schema_name)] == [(1, 1), (2, 1)]


def test_the_province_and_a_tenant_exchange_messages_both_ways(province):
    a = province.tenant_a
    _effect_table("public")
    try:
        with tenant_context(a), transaction.atomic():
            up = bus.send("public", COUNTED, {"report": "2026-11"})
        with transaction.atomic():  # the public schema sends too
            down = bus.send(a, COUNTED, {"notice": "省级通知"})
        out = io.StringIO()
        with translation.override("zh-hans"):
            call_command("bus_relay", stdout=out)  # the operator's way to run a pass
        assert "处理 2" in out.getvalue()
        assert [e[0] for e in _effects("public")] == [up.id]
        assert [e[0] for e in _effects(a.schema_name)] == [down.id]
        assert OutboxMessage.objects.get(id=down.id).status == "acked"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS public.bus_test_effect")


# --- (3) Redis down and back: nothing is lost ----------------------------------------------------


@pytest.fixture
def embedded_redis(settings):
    """A Redis of this test's own (the embedded one, started in a directory of its own), which the
    test may stop and start: stopping the shared one would break whatever runs beside it (the
    other pytest-xdist worker). REDIS_URL points at it for the test; stopped afterwards."""
    import shutil
    import tempfile
    from pathlib import Path

    base = Path(tempfile.mkdtemp(prefix="jl-redis-"))  # short: a unix socket path has a limit
    try:
        settings.REDIS_URL = devservices.start_redis(base)
        yield base
    finally:
        devservices.stop_redis(base)
        shutil.rmtree(base, ignore_errors=True)


def test_redis_stopped_and_restarted_midway_loses_nothing(province, embedded_redis, caplog):
    import redis

    from jianlian.bus.tasks import kick_key
    from jianlian.core.redis_client import client

    a, b = province.tenant_a, province.tenant_b
    # given 200 messages sent while Redis is up (each commit kicks the relay: a queued kick stands
    # in Redis until a worker starts it, and no worker runs here)
    ids = _send_many(a, b, 200, per_transaction=20)
    assert client().exists(kick_key(a.schema_name))

    # when Redis stops, the senders keep committing (the kick is logged, not raised) ...
    devservices.stop_redis(embedded_redis)
    with pytest.raises(redis.RedisError):
        client().ping()
    started = time.monotonic()
    ids += _send_many(a, b, 200, per_transaction=20, start=200)
    assert time.monotonic() - started < 15, "a down Redis must not stall the senders"
    assert "bus relay not kicked" in caplog.text
    # ... and the relay, which needs only PostgreSQL, delivers what is committed
    assert relay.run_once().applied == 400
    ids += _send_many(a, b, 100, per_transaction=20, start=400)

    # when Redis comes back and more is sent
    devservices.start_redis(embedded_redis)
    ids += _send_many(a, b, 100, per_transaction=20, start=500)
    relay.run_once()

    # then all 600 arrived, each applied exactly once
    effects = _effects(b.schema_name)
    assert sorted(str(e[0]) for e in effects) == sorted(str(i) for i in ids)
    assert {e[3] for e in effects} == {1}
    assert _statuses(OutboxMessage, a) == {"acked": 600}


# --- the kick: a worker relays right after the sender commits ------------------------------------


def test_a_worker_kicked_on_commit_applies_the_message_within_seconds(province, settings, unique):
    from jianlian.bus import services
    from tests.workers import celery_worker

    settings.BUS_RELAY_QUEUE = unique("bus-relay-")  # our own queue: no other run's worker takes the kick
    services._kicks_paused_until = 0.0  # a Redis outage in an earlier test must not silence this kick
    a, b = province.tenant_a, province.tenant_b
    with celery_worker(settings.BUS_RELAY_QUEUE):
        started = time.monotonic()
        with tenant_context(a), transaction.atomic():
            msg = bus.send(b, COUNTED, {"urgent": True})
        while time.monotonic() - started < 20 and not _effects(b.schema_name):
            time.sleep(0.05)
        latency = time.monotonic() - started
    assert [e[0] for e in _effects(b.schema_name)] == [msg.id], "the kicked relay did not apply the message"
    assert latency < 20
    with tenant_context(a):
        assert OutboxMessage.objects.get(id=msg.id).status == "acked"


# --- (4) retries, dead letters, replay ----------------------------------------------------------


def test_a_failing_handler_is_retried_then_dead_lettered_and_replayed_once_fixed(province, settings):
    settings.BUS_MAX_ATTEMPTS = 3
    settings.BUS_RETRY_BASE_DELAY = 0  # retry at once, so each pass is one attempt
    FLAKY_STATE["broken"] = True
    a, b = province.tenant_a, province.tenant_b
    # given a message whose handler fails, a later message of the same conversation, and an
    # unrelated message
    with tenant_context(a), transaction.atomic():
        bad = bus.send(b, FLAKY, {"referral": 1}, conversation="ref-1")
        follower = bus.send(b, COUNTED, {"referral": 1, "step": 2}, conversation="ref-1")
        other = bus.send(b, COUNTED, {"referral": 2}, conversation="ref-2")

    # when the relay runs: the failure is recorded with its error and retried later
    first = relay.run_once()
    assert (first.applied, first.retried, first.dead) == (1, 1, 0)
    with tenant_context(b):
        row = InboxMessage.objects.get(id=bad.id)
        assert (row.status, row.attempts) == ("pending", 1)
        assert "ValueError" in row.last_error and "下游系统不可用" in row.last_error
        assert InboxMessage.objects.get(id=follower.id).status == "pending"  # waits behind it
        assert InboxMessage.objects.get(id=other.id).status == "applied"  # other conversations go on

    # when it keeps failing: dead after BUS_MAX_ATTEMPTS, visibly, and the sender learns it
    relay.run_once()
    last = relay.run_once()
    assert last.dead == 1
    relay.run_once()  # a dead message is not tried again
    with tenant_context(b):
        row = InboxMessage.objects.get(id=bad.id)
        assert (row.status, row.attempts) == ("dead", 3) and "ValueError" in row.last_error
        assert list(DeadLetter.objects.values_list("id", flat=True)) == [bad.id]
        assert InboxMessage.objects.get(id=follower.id).status == "pending"
    with tenant_context(a):
        sent = OutboxMessage.objects.get(id=bad.id)
        assert sent.status == "dead" and "ValueError" in sent.last_error
    out = io.StringIO()
    call_command("bus_deadletters", schema=[a.schema_name, b.schema_name], stdout=out)
    assert str(bad.id) in out.getvalue() and b.schema_name in out.getvalue()
    assert str(follower.id) not in out.getvalue()

    # when the handler is fixed and the operator replays the message
    FLAKY_STATE["broken"] = False
    out = io.StringIO()
    call_command("bus_replay", str(bad.id), stdout=out)
    with tenant_context(b):
        assert InboxMessage.objects.get(id=bad.id).status == "pending"
    relay.run_once()

    # then it and the message waiting behind it are applied, once, in order, and acknowledged
    effects = _effects(b.schema_name)
    assert [(str(e[0]), e[3]) for e in effects if e[1] == "ref-1"] == [(str(bad.id), 1), (str(follower.id), 1)]
    assert _statuses(OutboxMessage, a) == {"acked": 3}
    assert bus.dead_letters([a.schema_name, b.schema_name]) == []
    with pytest.raises(CommandError):
        call_command("bus_replay", str(bad.id), stdout=io.StringIO())
    with tenant_context(b):
        from jianlian.audit.models import AuditRecord

        assert AuditRecord.objects.filter(action="bus.replay", object_id=str(bad.id)).count() == 1


def test_a_failure_waits_for_its_back_off_and_a_message_without_a_handler_is_dead_lettered(province, settings):
    settings.BUS_MAX_ATTEMPTS = 2
    settings.BUS_RETRY_BASE_DELAY = 60
    FLAKY_STATE["broken"] = True
    a, b = province.tenant_a, province.tenant_b
    # given a failing message with a one-minute back-off: a second pass does not retry it
    with tenant_context(a), transaction.atomic():
        slow = bus.send(b, FLAKY, {})
    relay.run_once()
    relay.run_once()
    with tenant_context(b):
        row = InboxMessage.objects.get(id=slow.id)
    assert row.attempts == 1 and row.status == "pending"
    assert 50 < (row.next_attempt_at - row.received_at).total_seconds() < 70

    # given a message of a type nobody handles, retried at once: dead after BUS_MAX_ATTEMPTS
    settings.BUS_RETRY_BASE_DELAY = 0
    with tenant_context(a), transaction.atomic():
        orphan = bus.send(b, "tests_bus.unhandled", {})
    relay.run_once()
    relay.run_once()
    [entry] = bus.dead_letters([a.schema_name, b.schema_name])
    assert (entry.id, entry.kind, entry.sender, entry.receiver) == (str(orphan.id), "dead", a.schema_name, b.schema_name)
    assert entry.attempts == 2 and "no bus handler registered" in entry.last_error
    with tenant_context(b):
        assert InboxMessage.objects.get(id=slow.id).attempts == 1  # still backing off


def test_an_unreachable_receiver_delays_a_message_and_never_loses_it(province, settings):
    settings.BUS_MAX_ATTEMPTS = 2
    settings.BUS_RETRY_BASE_DELAY = 0
    a, b = province.tenant_a, province.tenant_b
    with tenant_context(a), transaction.atomic():
        msg = bus.send(b, COUNTED, {"x": 1})
    # given the receiver's inbox is unreachable (its table renamed away)
    inbox = f"{quote_schema_name(b.schema_name)}.bus_inboxmessage"
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {inbox} RENAME TO bus_inboxmessage_away")
    try:
        for _ in range(3):
            assert relay.run_once().deferred == 1
        with tenant_context(a):
            row = OutboxMessage.objects.get(id=msg.id)
        assert (row.status, row.attempts) == ("pending", 3) and row.last_error
        [entry] = bus.dead_letters([a.schema_name, b.schema_name])
        assert (entry.id, entry.kind) == (str(msg.id), "stalled")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {quote_schema_name(b.schema_name)}.bus_inboxmessage_away RENAME TO bus_inboxmessage")
    # when it is back, the operator replays (or the back-off runs out) and the message arrives
    call_command("bus_replay", str(msg.id), stdout=io.StringIO())
    relay.run_once()
    assert [e[0] for e in _effects(b.schema_name)] == [msg.id]


# --- (5) order within a conversation (and housekeeping) ---------------------------------------------


def test_a_conversation_delivered_in_shuffled_order_is_applied_in_sequence(province):
    a, b = province.tenant_a, province.tenant_b
    # given 20 messages of conversation ref-42 and 5 of ref-43, all held back from delivery
    with tenant_context(a):
        with transaction.atomic():
            conv42 = [bus.send(b, COUNTED, {"step": i}, conversation="ref-42").id for i in range(1, 21)]
            conv43 = [bus.send(b, COUNTED, {"step": i}, conversation="ref-43").id for i in range(1, 6)]
        OutboxMessage.objects.update(next_attempt_at="2999-01-01T00:00:00Z")

    def release(ids):
        with tenant_context(a):
            OutboxMessage.objects.filter(id__in=ids).update(next_attempt_at="2000-01-01T00:00:00Z")
        relay.run_once()

    def applied(conversation):
        return [e[2] for e in _effects(b.schema_name) if e[1] == conversation]

    # when ref-43 arrives whole while ref-42 still has gaps, ref-43 is not held up by ref-42
    shuffled = conv42[:]
    random.Random(42).shuffle(shuffled)
    if shuffled[0] == conv42[0]:  # make the first arrival out of order
        shuffled.append(shuffled.pop(0))
    release(shuffled[:4] + conv43)
    assert applied("ref-43") == [1, 2, 3, 4, 5]
    assert applied("ref-42") == []  # sequence 1 has not arrived: everything waits

    # when the rest of ref-42 arrives in shuffled chunks, after each chunk exactly the gap-free
    # prefix is applied, in order
    arrived = set(shuffled[:4])
    for i in range(4, 20, 4):
        chunk = shuffled[i : i + 4]
        arrived |= set(chunk)
        release(chunk)
        prefix = 0
        while prefix < 20 and conv42[prefix] in arrived:
            prefix += 1
        assert applied("ref-42") == list(range(1, prefix + 1))
    assert applied("ref-42") == list(range(1, 21))
    assert {e[3] for e in _effects(b.schema_name)} == {1}

    # when old finished messages are purged, the conversation still continues in order
    with tenant_context(a):
        OutboxMessage.objects.update(acked_at="2000-01-01T00:00:00Z")
    with tenant_context(b):
        InboxMessage.objects.update(applied_at="2000-01-01T00:00:00Z")
    assert relay.purge(days=30) >= 50
    with tenant_context(a):
        assert not OutboxMessage.objects.exists()
        with transaction.atomic():
            later = bus.send(b, COUNTED, {"step": 21}, conversation="ref-42")
    assert later.sequence == 21
    relay.run_once()
    assert applied("ref-42") == list(range(1, 22))


# --- housekeeping and the operator's relay command ---------------------------------------------------
