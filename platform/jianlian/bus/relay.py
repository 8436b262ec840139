"""The relay: moves committed outbox rows into their receivers' inboxes and applies them.

`run_once()` is one pass over the whole bus (the periodic Celery task `bus.relay` calls it every
BUS_RELAY_INTERVAL seconds, and `send` kicks it after commit for low latency):

1. Deliver. For every schema with due pending outbox rows, in batches: lock the rows
   (`FOR UPDATE SKIP LOCKED`, so two relays never take the same row), copy them into each
   receiver's inbox with one `INSERT … SELECT … ON CONFLICT (id) DO NOTHING` per receiver (a copy
   that already arrived is a no-op), and mark them sent — in one transaction, so a row is either
   delivered and marked or neither. A receiver that cannot be reached leaves its rows pending with
   exponential back-off: delayed, never lost (see `OutboxMessage`).
2. Apply. For every schema with due pending inbox rows, in batches, inside the receiver's tenant
   context and one transaction per batch: pick the rows that are ready — no conversation, or next
   in their conversation (sequence = last applied + 1 for that sender and conversation; later ones
   wait) — lock them (`SKIP LOCKED`), run each handler in its own savepoint, then, in the same
   transaction, mark the applied rows, advance the conversations, record failures (back-off; dead
   after BUS_MAX_ATTEMPTS) and write the acknowledgement into the sender's outbox (acked, or dead
   with the error). Handler writes, the applied mark and the ack commit together: exactly once.

Each message is attempted at most once per pass. All SQL names its schema explicitly, so the
connection's search path only matters to the handlers (which run in the receiver's context).

Today every schema is in one database, so delivery is a server-side copy and the ack a direct
update. When tenants live on different nodes, delivery becomes `INSERT … VALUES` of the fetched
rows on the receiver's node and the ack a message back; the inbox's id key already makes both
idempotent.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django_tenants.utils import get_public_schema_name, quote_schema_name

logger = logging.getLogger(__name__)

DEFAULT_BATCH = 500
MAX_ERROR = 4000  # characters of a traceback kept in last_error


@dataclass
class RelayStats:
    """What one pass did (for logs, tests and benchmarks)."""

    delivered: int = 0  # new inbox rows written
    applied: int = 0
    retried: int = 0  # handler failures that will be tried again
    dead: int = 0  # handler failures that exhausted BUS_MAX_ATTEMPTS
    deferred: int = 0  # outbox rows whose delivery failed (receiver unreachable)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"delivered": self.delivered, "applied": self.applied, "retried": self.retried, "dead": self.dead,
                "deferred": self.deferred, "errors": len(self.errors)}


# --- schemas ------------------------------------------------------------------------------------


def bus_schemas() -> list[str]:
    """Every schema that has the bus's tables (public and each migrated tenant; not the template)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE c.relname = 'bus_inboxmessage' AND c.relkind IN ('r', 'p') AND n.nspname <> %s
               ORDER BY n.nspname""",
            [settings.TENANT_TEMPLATE_SCHEMA],
        )
        return [row[0] for row in cursor.fetchall()]


def chunked(items, size: int):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _schemas_with_due(schemas, table: str) -> list[str]:
    """The schemas among `schemas` with a pending row due now in `table` (one query per 200)."""
    due = []
    for chunk in chunked(schemas, 200):
        sql = " UNION ALL ".join(
            f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote_schema_name(s)}.{table} "
            f"WHERE status = 'pending' AND next_attempt_at <= now())"
            for s in chunk
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, chunk)
            due += [row[0] for row in cursor.fetchall()]
    return due


def tenant_for(schema: str):
    """The tenant object to enter for a schema: its Tenant row, or a stand-in for public and for
    a schema whose tenant row is gone."""
    return _tenants_for([schema])[schema]


def _tenants_for(schemas) -> dict:
    from django_tenants.postgresql_backend.base import FakeTenant

    from tenants.models import Tenant

    found = {t.schema_name: t for t in Tenant.objects.filter(schema_name__in=list(schemas))}
    public = get_public_schema_name()
    return {
        s: _public() if s == public else (found.get(s) or FakeTenant(schema_name=s, tenant_type=None)) for s in schemas
    }


def _public():
    from tenants.context import public

    return public()


# --- retry policy ---------------------------------------------------------------------------------


def max_attempts() -> int:
    return int(getattr(settings, "BUS_MAX_ATTEMPTS", 5))


def _after(seconds: float):
    """When a retry is due, computed here: Citus refuses `now() + <interval from a column>` in an
    UPDATE (a STABLE function over column references), which a distributed tenant table needs."""
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() + timedelta(seconds=seconds)


def backoff_seconds(attempts: int) -> float:
    """Delay before attempt `attempts + 1`: base · 2^(attempts − 1), capped."""
    base = float(getattr(settings, "BUS_RETRY_BASE_DELAY", 2.0))
    cap = float(getattr(settings, "BUS_RETRY_MAX_DELAY", 600.0))
    return min(cap, base * (2 ** max(0, attempts - 1)))


def _error_text(exc: BaseException) -> str:
    text = "".join(traceback.format_exception(exc)).strip()
    return text if len(text) <= MAX_ERROR else "…" + text[-MAX_ERROR:]


# --- the pass -------------------------------------------------------------------------------------


def run_once(batch: int | None = None, *, senders=None, receivers=None) -> RelayStats:
    """One relay pass: deliver every due outbox row, then apply every ready inbox row.

    Who: the Celery task `bus.relay` (periodic, and kicked after `send` commits), `manage.py
    bus_relay`, tests. With `senders` and/or `receivers` only those schemas are relayed (a kick);
    with neither, every schema is scanned. Safe to run concurrently with itself. Emits nothing but
    the database changes and log lines; returns the counts.
    """
    from tenants.context import tenant_context

    batch = batch or int(getattr(settings, "BUS_RELAY_BATCH", DEFAULT_BATCH))
    stats = RelayStats()
    with tenant_context(_public()):
        known = bus_schemas()
        known_set = set(known)
        everything = senders is None and receivers is None
        if everything:
            senders = _schemas_with_due(known, "bus_outboxmessage")
        touched: set[str] = set()
        for sender in [s for s in (senders or []) if s in known_set]:
            while True:
                try:
                    taken, reached = _deliver(sender, batch, known_set, stats)
                except DatabaseError as exc:
                    _failed(stats, f"deliver from {sender}", exc)
                    break
                touched |= reached
                if taken < batch:
                    break

        targets = touched | set(receivers or ())
        if everything:
            targets |= set(_schemas_with_due(known, "bus_inboxmessage"))
        targets &= known_set
        tenants = _tenants_for(targets) if targets else {}
        for receiver in sorted(targets):
            tried: set = set()
            while True:
                try:
                    with tenant_context(tenants[receiver]):
                        progressed = _apply(receiver, batch, tried, known_set, stats)
                except DatabaseError as exc:
                    _failed(stats, f"apply in {receiver}", exc)
                    break
                if not progressed:
                    break
    if stats.delivered or stats.applied or stats.retried or stats.dead or stats.errors:
        logger.info("bus relay pass: %s", stats.as_dict())
    return stats


def _failed(stats: RelayStats, where: str, exc: BaseException) -> None:
    logger.exception("bus relay: %s failed", where)
    stats.errors.append(f"{where}: {type(exc).__name__}: {exc}")


# --- 1. deliver -----------------------------------------------------------------------------------


def _deliver(sender: str, batch: int, known: set[str], stats: RelayStats) -> tuple[int, set[str]]:
    """Deliver one batch of `sender`'s due outbox rows. Returns (rows taken, receivers reached)."""
    s = quote_schema_name(sender)
    reached: set[str] = set()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT id, receiver, attempts FROM {s}.bus_outboxmessage
                WHERE status = 'pending' AND next_attempt_at <= now()
                ORDER BY next_attempt_at LIMIT %s FOR UPDATE SKIP LOCKED""",
            [batch],
        )
        rows = cursor.fetchall()
        by_receiver: dict[str, list] = defaultdict(list)
        for row in rows:
            by_receiver[row[1]].append(row)
        sent: list = []
        for receiver, items in by_receiver.items():
            ids = [r[0] for r in items]
            error = None
            if receiver not in known:
                error = f"receiver schema {receiver!r} has no bus tables (tenant missing or not migrated)"
            else:
                try:
                    with transaction.atomic():
                        cursor.execute(
                            f"""INSERT INTO {quote_schema_name(receiver)}.bus_inboxmessage
                                    (id, sender, type, conversation, sequence, payload, received_at,
                                     applied_at, status, attempts, last_error, next_attempt_at)
                                SELECT id, %s, type, conversation, sequence, payload, now(),
                                       NULL, 'pending', 0, '', now()
                                FROM {s}.bus_outboxmessage WHERE id = ANY(%s::uuid[])
                                ON CONFLICT (id) DO NOTHING""",
                            [sender, ids],
                        )
                        stats.delivered += cursor.rowcount
                except DatabaseError as exc:
                    error = _error_text(exc)
            if error is None:
                sent += ids
                reached.add(receiver)
                continue
            # Delivery failures are the receiver's condition, not the message's: retry with
            # back-off for as long as it takes (`bus_deadletters` lists them as stalled).
            stats.deferred += len(ids)
            logger.warning("bus: %d message(s) from %s to %s not delivered: %s", len(ids), sender, receiver,
                           error.splitlines()[-1])
            cursor.execute(
                f"""UPDATE {s}.bus_outboxmessage m
                    SET attempts = m.attempts + 1, last_error = %s, next_attempt_at = f.next_at
                    FROM unnest(%s::uuid[], %s::timestamptz[]) AS f(id, next_at) WHERE m.id = f.id""",
                [error, ids, [_after(backoff_seconds(min(r[2] + 1, 30))) for r in items]],
            )
        if sent:
            cursor.execute(
                f"""UPDATE {s}.bus_outboxmessage SET status = 'sent', sent_at = now(), attempts = attempts + 1
                    WHERE id = ANY(%s::uuid[])""",
                [sent],
            )
    return len(rows), reached


# --- 2. apply -------------------------------------------------------------------------------------


def _ready_sql(r: str) -> str:
    # A conversation's pending rows are ready while they continue its applied sequence without a
    # gap: the n-th pending row (by sequence) must carry sequence applied + n. A row not yet due
    # (backing off) or already tried in this pass is left out, which opens a gap, so everything
    # after it waits too.
    return f"""
        SELECT m.id, m.sender, m.type, m.conversation, m.sequence, m.payload, m.attempts
        FROM {r}.bus_inboxmessage m
        WHERE m.id IN (
            SELECT p.id FROM (
                SELECT i.id, i.sender, i.conversation, i.sequence,
                       COALESCE(c.applied_sequence, 0) AS applied,
                       row_number() OVER (PARTITION BY i.sender, i.conversation ORDER BY i.sequence) AS n
                FROM {r}.bus_inboxmessage i
                LEFT JOIN {r}.bus_inboxconversation c
                       ON c.sender = i.sender AND c.conversation = i.conversation
                WHERE i.status = 'pending' AND i.next_attempt_at <= now() AND NOT (i.id = ANY(%s::uuid[]))
            ) p
            WHERE p.conversation = '' OR p.sequence = p.applied + p.n
            ORDER BY p.sender, p.conversation, p.sequence
            LIMIT %s
        ) AND m.status = 'pending'
        ORDER BY m.sender, m.conversation, m.sequence
        FOR UPDATE OF m SKIP LOCKED"""


def _apply(receiver: str, batch: int, tried: set, known: set[str], stats: RelayStats) -> int:
    """Apply one batch of ready messages in `receiver` (whose tenant context the caller entered).
    Returns how many messages were attempted (0: nothing more to do in this pass)."""
    from jianlian.bus.models import InboxMessage
    from jianlian.bus.services import handler_for

    r = quote_schema_name(receiver)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_ready_sql(r), [list(tried), batch])
        rows = cursor.fetchall()
        if not rows:
            return 0
        keys = sorted({(row[1], row[3]) for row in rows if row[3]})
        applied_seq: dict[tuple[str, str], int] = {}
        if keys:
            cursor.execute(
                f"""SELECT c.sender, c.conversation, c.applied_sequence FROM {r}.bus_inboxconversation c
                    JOIN unnest(%s::text[], %s::text[]) AS k(sender, conversation)
                      ON c.sender = k.sender AND c.conversation = k.conversation""",
                [[k[0] for k in keys], [k[1] for k in keys]],
            )
            applied_seq = {(a, b): n for a, b, n in cursor.fetchall()}

        applied: list = []  # (id, sender)
        failed: list = []  # (id, sender, attempts, error)
        advanced: dict[tuple[str, str], int] = {}
        blocked: set[tuple[str, str]] = set()
        for mid, sender, mtype, conversation, sequence, payload, attempts in rows:
            key = (sender, conversation)
            if conversation:
                # Re-checked here, under the row locks: another relay may have moved on meanwhile.
                if key in blocked or sequence != advanced.get(key, applied_seq.get(key, 0)) + 1:
                    blocked.add(key)
                    continue
            tried.add(mid)
            message = InboxMessage(
                id=mid, sender=sender, type=mtype, conversation=conversation, sequence=sequence,
                payload=json.loads(payload) if isinstance(payload, str) else payload, attempts=attempts,
            )
            try:
                handler = handler_for(mtype)
                if handler is None:
                    raise LookupError(f"no bus handler registered for message type {mtype!r}")
                with transaction.atomic():
                    handler(message)
                    if connection.needs_rollback:
                        # The handler swallowed a database error: Django would quietly roll its
                        # savepoint back, and the message must not count as applied.
                        raise RuntimeError("the handler caught a database error and left its transaction broken")
            except Exception as exc:  # noqa: BLE001 — any handler failure is the message's failure
                failed.append((mid, sender, attempts + 1, _error_text(exc)))
                if conversation:
                    blocked.add(key)
                continue
            applied.append((mid, sender))
            if conversation:
                advanced[key] = sequence

        if applied:
            cursor.execute(
                f"""UPDATE {r}.bus_inboxmessage SET status = 'applied', applied_at = now(), attempts = attempts + 1
                    WHERE id = ANY(%s::uuid[])""",
                [[a[0] for a in applied]],
            )
            stats.applied += len(applied)
        if advanced:
            cursor.execute(
                f"""INSERT INTO {r}.bus_inboxconversation AS c (sender, conversation, applied_sequence)
                    SELECT * FROM unnest(%s::text[], %s::text[], %s::bigint[])
                    ON CONFLICT (sender, conversation)
                    DO UPDATE SET applied_sequence = GREATEST(c.applied_sequence, EXCLUDED.applied_sequence)""",
                [[k[0] for k in advanced], [k[1] for k in advanced], list(advanced.values())],
            )
        limit = max_attempts()
        if failed:
            cursor.execute(
                f"""UPDATE {r}.bus_inboxmessage m
                    SET attempts = f.attempts, last_error = f.error, status = f.status, next_attempt_at = f.next_at
                    FROM unnest(%s::uuid[], %s::int[], %s::text[], %s::text[], %s::timestamptz[])
                         AS f(id, attempts, error, status, next_at)
                    WHERE m.id = f.id""",
                [
                    [f[0] for f in failed], [f[2] for f in failed], [f[3] for f in failed],
                    ["dead" if f[2] >= limit else "pending" for f in failed],
                    [_after(backoff_seconds(f[2])) for f in failed],
                ],
            )
            for mid, sender, attempts, error in failed:
                if attempts >= limit:
                    stats.dead += 1
                    logger.error("bus: message %s from %s dead in %s after %d attempts: %s", mid, sender, receiver,
                                 attempts, error.splitlines()[-1])
                else:
                    stats.retried += 1
                    logger.warning("bus: message %s from %s failed in %s (attempt %d): %s", mid, sender, receiver,
                                   attempts, error.splitlines()[-1])
        _acknowledge(cursor, applied, [f for f in failed if f[2] >= limit], known)
    return len(applied) + len(failed)


def _acknowledge(cursor, applied: list, dead: list, known: set[str]) -> None:
    """Write the outcome into each sender's outbox, in the receiver's transaction."""
    acked: dict[str, list] = defaultdict(list)
    for mid, sender in applied:
        acked[sender].append(mid)
    for sender, ids in acked.items():
        if sender in known:
            cursor.execute(
                f"""UPDATE {quote_schema_name(sender)}.bus_outboxmessage SET status = 'acked', acked_at = now()
                    WHERE id = ANY(%s::uuid[]) AND status <> 'acked'""",
                [ids],
            )
    nacked: dict[str, list] = defaultdict(list)
    for mid, sender, _attempts, error in dead:
        nacked[sender].append((mid, error))
    for sender, items in nacked.items():
        if sender in known:
            cursor.execute(
                f"""UPDATE {quote_schema_name(sender)}.bus_outboxmessage m SET status = 'dead', last_error = f.error
                    FROM unnest(%s::uuid[], %s::text[]) AS f(id, error) WHERE m.id = f.id""",
                [[i[0] for i in items], [i[1] for i in items]],
            )


# --- housekeeping ---------------------------------------------------------------------------------


def purge(days: int | None = None) -> int:
    """Delete acknowledged outbox rows and applied inbox rows older than BUS_RETENTION_DAYS.

    Who: the periodic task `bus.purge`. Safe: a message is acked only after it was applied, and a
    delivered row can no longer be redelivered, so old rows protect nothing; the conversation
    counters (`OutboxSequence`, `InboxConversation`) are kept. Returns the rows deleted.
    """
    days = int(days if days is not None else getattr(settings, "BUS_RETENTION_DAYS", 30))
    deleted = 0
    for schema in bus_schemas():
        q = quote_schema_name(schema)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {q}.bus_outboxmessage WHERE status = 'acked' AND acked_at < now() - make_interval(days => %s)",
                [days],
            )
            deleted += cursor.rowcount
            cursor.execute(
                f"DELETE FROM {q}.bus_inboxmessage WHERE status = 'applied' AND applied_at < now() - make_interval(days => %s)",
                [days],
            )
            deleted += cursor.rowcount
    return deleted
