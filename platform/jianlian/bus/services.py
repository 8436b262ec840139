"""The bus's actions: send a message, handle one, list and replay the dead letters.

Sending is part of the sender's own transaction (ARCHITECTURE.md, rule: a write and the message it
causes commit in one transaction): `send` only writes an outbox row in the current schema, and the
relay (`jianlian.bus.relay`) does the rest after commit. See relay.py for delivery, ordering,
acknowledgement, retries and dead letters.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name, quote_schema_name

from jianlian.core.errors import DomainError

logger = logging.getLogger(__name__)

TYPE_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
MAX_CONVERSATION = 100

# --- handlers -----------------------------------------------------------------------------------

Handler = Callable[["object"], None]
_handlers: dict[str, Handler] = {}


def register_handler(type: str):  # noqa: A002 — "type" is the bus's word for it
    """Decorator: `handler(message)` applies messages of `type` in the receiver's schema.

    Who: a module, at import time (its AppConfig.ready or its handlers module). The handler gets the
    InboxMessage (id, sender, type, conversation, sequence, payload) and runs inside the receiver's
    tenant context, in a savepoint of the transaction that also marks the message applied — so its
    writes and the mark commit together and the message is applied exactly once. Raising means
    "not applied": the relay retries with back-off and dead-letters after BUS_MAX_ATTEMPTS. A
    handler may itself `send` (its messages commit with the application).
    """
    if not TYPE_RE.match(type):
        raise ImproperlyConfigured(f"bus message type {type!r} must look like 'app.event' (lowercase, dotted)")

    def decorate(fn: Handler) -> Handler:
        existing = _handlers.get(type)
        if existing is not None and _name(existing) != _name(fn):
            raise ImproperlyConfigured(f"bus message type {type!r} already has a handler: {_name(existing)}")
        _handlers[type] = fn
        return fn

    return decorate


def handler_for(type: str) -> Handler | None:  # noqa: A002
    """The registered handler for a message type, or None."""
    return _handlers.get(type)


def _name(fn) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


# --- sending ------------------------------------------------------------------------------------

_receivers: dict[str, str] = {}  # slug or schema name -> schema name (tenants never change schema)


def receiver_schema(receiver) -> str:
    """The schema name of a receiver given as a Tenant (or anything with `schema_name`), a slug,
    a schema name, or "public" for the province. Raises BUS_UNKNOWN_RECEIVER."""
    public = get_public_schema_name()
    if hasattr(receiver, "schema_name"):
        return receiver.schema_name
    name = str(receiver or "").strip()
    if name == public:
        return public
    found = _receivers.get(name)
    if found is None:
        from django.db.models import Q

        from tenants.models import Tenant

        found = Tenant.objects.filter(Q(schema_name=name) | Q(slug=name)).values_list("schema_name", flat=True).first()
        if found is None:
            raise DomainError("BUS_UNKNOWN_RECEIVER", _("消息接收方不存在：%(name)s。") % {"name": name}, "receiver")
        _receivers[name] = found
    return found


def send(receiver, type: str, payload, conversation=None):  # noqa: A002
    """Queue a message to another tenant (or to the province, receiver "public").

    Who: any action, inside its own `transaction.atomic()` — the message commits or rolls back with
    the write that caused it; outside a transaction this raises BUS_NOT_IN_TRANSACTION. Writes one
    OutboxMessage in the current schema (the sender). Messages with the same `conversation` (e.g. a
    referral id) get consecutive sequence numbers and are applied by the receiver in that order.
    Emits, after commit, a kick of the relay (best effort: with Redis down it is logged and the
    periodic relay delivers). Returns the OutboxMessage.
    """
    from jianlian.bus.models import OutboxMessage

    if not connection.in_atomic_block:
        raise DomainError("BUS_NOT_IN_TRANSACTION", _("跨租户消息必须在产生它的事务中发送。"))
    sender = connection.schema_name
    if sender == settings.TENANT_TEMPLATE_SCHEMA:
        raise DomainError("BUS_INVALID_SENDER", _("租户模板不能发送消息。"))
    if not isinstance(type, str) or not TYPE_RE.match(type) or len(type) > 100:
        raise DomainError("BUS_INVALID_TYPE", _("消息类型格式不正确，应形如 referrals.created。"), "type")
    conversation = "" if conversation is None else str(conversation)
    if len(conversation) > MAX_CONVERSATION:
        raise DomainError("BUS_INVALID_CONVERSATION", _("会话标识不能超过100个字符。"), "conversation")
    try:
        # Checked before any SQL: a failed INSERT would break the caller's transaction.
        json.dumps(payload, cls=DjangoJSONEncoder)
    except (TypeError, ValueError) as exc:
        raise DomainError("BUS_INVALID_PAYLOAD", _("消息内容必须可以转换为 JSON。"), "payload") from exc
    receiver = receiver_schema(receiver)

    sequence = 0
    if conversation:
        with connection.cursor() as cursor:
            cursor.execute(
                f"""INSERT INTO {quote_schema_name(sender)}.bus_outboxsequence AS s (receiver, conversation, last_sequence)
                    VALUES (%s, %s, 1)
                    ON CONFLICT (receiver, conversation) DO UPDATE SET last_sequence = s.last_sequence + 1
                    RETURNING last_sequence""",
                [receiver, conversation],
            )
            sequence = cursor.fetchone()[0]
    message = OutboxMessage(receiver=receiver, type=type, conversation=conversation, sequence=sequence, payload=payload)
    message.save(force_insert=True)
    _schedule_kick(sender)
    return message


class _Kick:
    """The after-commit callback that wakes the relay for one sender (one per transaction)."""

    def __init__(self, sender: str):
        self.sender = sender

    def __call__(self):
        kick_relay(senders=[self.sender])


def _schedule_kick(sender: str) -> None:
    for entry in connection.run_on_commit:
        if isinstance(entry[1], _Kick) and entry[1].sender == sender:
            return
    transaction.on_commit(_Kick(sender), robust=True)


KICK_TTL = 10  # seconds a queued kick stands for its sender
KICK_PAUSE = 5.0  # seconds without kicks after Redis failed once
_kicks_paused_until = 0.0


def kick_relay(*, senders: list[str] | None = None, receivers: list[str] | None = None) -> bool:
    """Ask a worker to run the relay now for these senders/receivers (low latency; the periodic
    relay is the guarantee). Never raises: with Redis down it logs, pauses kicks for a few seconds
    and returns False. At most one queued kick per sender: a Redis key (SET NX) stands for a kick
    that is queued and not yet started; the relay task deletes it when it starts, so a message
    committed after that gets a kick of its own."""
    global _kicks_paused_until
    if not getattr(settings, "BUS_KICK_ON_COMMIT", True):
        return False
    now = time.monotonic()
    if now < _kicks_paused_until:
        return False
    try:
        from jianlian.bus.tasks import kick_key, relay
        from jianlian.core.redis_client import client

        if senders:
            r = client()
            senders = [s for s in senders if r.set(kick_key(s), "1", nx=True, ex=KICK_TTL)]
            if not senders and not receivers:
                return True  # a kick for these senders is already queued
        queue = getattr(settings, "BUS_RELAY_QUEUE", None)  # a dedicated queue, when operators want one
        relay.apply_async(kwargs={"senders": senders, "receivers": receivers}, retry=False, expires=60,
                          **({"queue": queue} if queue else {}))
        return True
    except Exception as exc:  # noqa: BLE001 — a kick must never fail the sender's transaction
        _kicks_paused_until = now + KICK_PAUSE
        logger.warning("bus relay not kicked (%s: %s); the periodic relay will deliver", type(exc).__name__, exc)
        return False


# --- dead letters ---------------------------------------------------------------------------------


@dataclass
class DeadLetterEntry:
    """One message an operator should look at.

    kind "dead": the receiver's handler failed BUS_MAX_ATTEMPTS times (status dead in its inbox);
    kind "stalled": still pending in the sender's outbox after BUS_MAX_ATTEMPTS delivery attempts
    (the receiver is unreachable; the relay keeps trying).
    """

    id: str
    kind: str
    sender: str
    receiver: str
    type: str
    conversation: str
    sequence: int
    attempts: int
    last_error: str
    since: datetime


def max_attempts() -> int:
    return int(getattr(settings, "BUS_MAX_ATTEMPTS", 5))


def acknowledged(conversations) -> dict[str, datetime | None]:
    """For each conversation of this schema's outbox: when the receiver's system first applied one
    of its messages (the relay's acknowledgement: "delivered"), or None while none is applied yet.
    A conversation with no outbox rows left is absent (acknowledged rows are purged after
    BUS_PURGE_DAYS, and only those): the caller knows it was sent and may take it as delivered."""
    from django.db.models import Min, Q

    from jianlian.bus.models import OutboxMessage, OutboxStatus

    rows = (OutboxMessage.objects.filter(conversation__in=list(conversations)).order_by().values("conversation")
            .annotate(first=Min("acked_at", filter=Q(status=OutboxStatus.ACKED))))
    return {r["conversation"]: r["first"] for r in rows}


def dead_letters(schemas: list[str] | None = None) -> list[DeadLetterEntry]:
    """Dead and stalled messages across all schemas (or the given ones), oldest first.

    Who: operators (`manage.py bus_deadletters`) and the province console. Read only.
    """
    from jianlian.bus.relay import bus_schemas, chunked

    known = bus_schemas()
    schemas = [s for s in (schemas or known) if s in set(known)]
    entries: list[DeadLetterEntry] = []
    for chunk in chunked(schemas, 100):
        parts, params = [], []
        for s in chunk:
            q = quote_schema_name(s)
            parts.append(
                f"SELECT id::text, 'dead', sender, %s, type, conversation, sequence, attempts, last_error, received_at "
                f"FROM {q}.bus_inboxmessage WHERE status = 'dead'"
            )
            parts.append(
                f"SELECT id::text, 'stalled', %s, receiver, type, conversation, sequence, attempts, last_error, created_at "
                f"FROM {q}.bus_outboxmessage WHERE status = 'pending' AND attempts >= %s"
            )
            params += [s, s, max_attempts()]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            entries += [DeadLetterEntry(*row) for row in cursor.fetchall()]
    entries.sort(key=lambda e: e.since)
    return entries


@dataclass
class ReplayResult:
    id: str
    kind: str
    sender: str
    receiver: str


def replay(message_id, *, actor=None, actor_label: str = "") -> ReplayResult:
    """Make a dead (or stalled) message pending again, with its attempts reset, and kick the relay.

    Who: operators (`manage.py bus_replay`), after fixing the cause. A dead inbox message goes
    back to pending in the receiver's inbox and its sender's outbox row back to "sent"; a stalled
    outbox message is retried at once. Audited in the schema whose row changed. Raises
    BUS_MESSAGE_NOT_FOUND, or BUS_MESSAGE_NOT_DEAD for a message that is neither dead nor stalled.
    """
    import uuid as uuidlib

    from jianlian.audit import service as audit
    from jianlian.bus.relay import bus_schemas, tenant_for

    try:
        message_id = str(uuidlib.UUID(str(message_id)))
    except ValueError:
        raise DomainError("BUS_MESSAGE_NOT_FOUND", _("找不到该消息：%(id)s。") % {"id": message_id}, "id") from None
    known = bus_schemas()
    dead = stalled = found = None
    for schema, side, status, attempts, sender, receiver, last_error in _locate(message_id, known):
        found = True
        if side == "inbox" and status == "dead":
            dead = (schema, sender, attempts, last_error)
        elif side == "outbox" and status == "pending" and attempts >= max_attempts():
            stalled = (schema, receiver, attempts, last_error)
    if not found:
        raise DomainError("BUS_MESSAGE_NOT_FOUND", _("找不到该消息：%(id)s。") % {"id": message_id}, "id")
    if dead is None and stalled is None:
        raise DomainError("BUS_MESSAGE_NOT_DEAD", _("该消息不是死信，无需重放。"), "id")

    from tenants.context import tenant_context

    if dead is not None:
        receiver, sender, attempts, last_error = dead
        with tenant_context(tenant_for(receiver)), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {quote_schema_name(receiver)}.bus_inboxmessage SET status = 'pending', attempts = 0, "
                    f"next_attempt_at = now() WHERE id = %s AND status = 'dead'",
                    [message_id],
                )
                if sender in known:
                    cursor.execute(
                        f"UPDATE {quote_schema_name(sender)}.bus_outboxmessage SET status = 'sent' "
                        f"WHERE id = %s AND status = 'dead'",
                        [message_id],
                    )
            audit.record(
                "bus.replay", actor=actor, actor_label=actor_label, object_type="bus.message", object_id=message_id,
                before={"status": "dead", "attempts": attempts, "last_error": last_error[-500:]},
                after={"status": "pending", "attempts": 0},
            )
        transaction.on_commit(lambda: kick_relay(receivers=[receiver]), robust=True)
        return ReplayResult(message_id, "dead", sender, receiver)

    sender, receiver, attempts, last_error = stalled
    with tenant_context(tenant_for(sender)), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote_schema_name(sender)}.bus_outboxmessage SET attempts = 0, next_attempt_at = now() "
                f"WHERE id = %s AND status = 'pending'",
                [message_id],
            )
        audit.record(
            "bus.replay", actor=actor, actor_label=actor_label, object_type="bus.message", object_id=message_id,
            before={"status": "pending", "attempts": attempts, "last_error": last_error[-500:]},
            after={"status": "pending", "attempts": 0},
        )
    transaction.on_commit(lambda: kick_relay(senders=[sender]), robust=True)
    return ReplayResult(message_id, "stalled", sender, receiver)


def _locate(message_id: str, schemas: list[str]):
    """Every row with this message id: (schema, side, status, attempts, sender, receiver, error)."""
    from jianlian.bus.relay import chunked

    rows = []
    for chunk in chunked(schemas, 100):
        parts, params = [], []
        for s in chunk:
            q = quote_schema_name(s)
            parts.append(f"SELECT %s, 'inbox', status, attempts, sender, %s, last_error FROM {q}.bus_inboxmessage WHERE id = %s")
            parts.append(f"SELECT %s, 'outbox', status, attempts, %s, receiver, last_error FROM {q}.bus_outboxmessage WHERE id = %s")
            params += [s, s, message_id, s, s, message_id]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows += cursor.fetchall()
    return rows
