"""Events for real-time subscribers, published only after the write that caused them commits.

An event goes to groups, and every group name starts with the tenant's schema, so an event can
never reach another tenant's subscribers. A subscriber gets an event only if it passes the
event's permission check (`perm` at `node`), done on the server before anything is sent.

    publish("notifications.received", {...}, groups=[user_group(user_id)],
            perm="platform.use", node_id=unit_id)
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading

from channels.layers import get_channel_layer
from django.db import connection, transaction

logger = logging.getLogger("jianlian.realtime")

MESSAGE_TYPE = "jl.event"
CLOSE_TYPE = "jl.close"
CONTROL_GROUP = "public.sockets"  # every process's hub listens here for close orders


def _schema(schema: str | None) -> str:
    return schema or getattr(connection, "schema_name", "public")


def tenant_group(schema: str | None = None) -> str:
    return f"{_schema(schema)}.all"


def user_group(user_id: int, schema: str | None = None) -> str:
    return f"{_schema(schema)}.user.{user_id}"


def unit_group(unit_id: int, schema: str | None = None) -> str:
    return f"{_schema(schema)}.unit.{unit_id}"


def department_group(department_id: int, schema: str | None = None) -> str:
    return f"{_schema(schema)}.dept.{department_id}"


def _message(name, payload, group, perm, node_id) -> dict:
    perm = perm if perm is None or isinstance(perm, str) else list(perm)  # the channel layer carries lists
    return {"type": MESSAGE_TYPE, "group": group, "name": name, "payload": payload, "perm": perm, "node": node_id}


SEND_TIMEOUT = 10  # seconds a send may take before the caller gives up (the data is committed anyway)


class _Loop:
    """One event loop per process, on a daemon thread, through which synchronous code hands events
    to the channel layer. `async_to_sync` would start a thread and a loop for every send, and the
    Redis layer keeps its connections per loop, so each send also connected to Redis afresh (about
    3 ms, more under load, twice per approval); a loop that lives on keeps its connection. A forked
    process (Celery's prefork pool) starts its own loop on first use."""

    def __init__(self):
        self._lock = threading.Lock()
        self._loop = None
        self._pid = None

    def get(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._pid != os.getpid() or not self._loop.is_running():
                loop = asyncio.new_event_loop()
                started = threading.Event()
                loop.call_soon(started.set)
                threading.Thread(target=loop.run_forever, name="jianlian-events", daemon=True).start()
                started.wait(SEND_TIMEOUT)
                self._loop, self._pid = loop, os.getpid()
            return self._loop


_events_loop = _Loop()


def _send_all(messages: list[dict]) -> bool:
    """Hand `messages` to the channel layer in one hop into its event loop (the process's events
    loop, see `_Loop`, so a step that announces four things pays for one hop and no connect)."""
    layer = get_channel_layer()
    if layer is None or not messages:
        return layer is not None

    async def send():
        ok = True
        for message in messages:
            try:
                await layer.group_send(message["group"], message)
            except Exception:  # Redis down: live delivery is best effort; the data itself is committed
                logger.warning("could not publish %s to %s", message["name"], message["group"], exc_info=True)
                ok = False
        return ok

    future = None
    try:
        future = asyncio.run_coroutine_threadsafe(send(), _events_loop.get())
        return future.result(SEND_TIMEOUT)
    except Exception:
        if future is not None:
            future.cancel()
        logger.warning("could not publish %d events", len(messages), exc_info=True)
        return False


def send_now(name: str, payload: dict, *, groups: list[str], perm: str | tuple[str, ...] | None = None,
             node_id: int | None = None) -> bool:
    """Send immediately (for events that describe no database write, such as job progress).
    Returns False when the channel layer could not take it (logged, never raised)."""
    return _send_all([_message(name, payload, g, perm, node_id) for g in dict.fromkeys(groups)])


class _Publish:
    """Events waiting for their transaction to commit, sent together in one hop. Django empties
    `connection.run_on_commit` before it runs the callbacks, so a callback cannot look ahead for
    more of ours; instead each event joins the transaction's latest `_Publish` while that is
    still the last callback registered and belongs to the same savepoint (so events of a
    savepoint that rolls back are dropped with it, and the order of everything is kept).
    An item is a message, or a callable that returns messages read after commit (`publish_computed`)."""

    def __init__(self, items: list):
        self.items = items

    def __call__(self):
        messages = []
        for item in self.items:
            if not callable(item):
                messages.append(item)
                continue
            try:
                messages.extend(item())
            except Exception:  # the write is committed; a failed after-commit read only loses its event
                logger.warning("could not compute the events of %r", item, exc_info=True)
        _send_all(messages)


def _on_commit(items: list) -> None:
    if connection.in_atomic_block and connection.run_on_commit:
        savepoints, last, _robust = connection.run_on_commit[-1]
        if isinstance(last, _Publish) and savepoints == set(connection.savepoint_ids):
            last.items.extend(items)
            return
    transaction.on_commit(_Publish(items))


def publish(name: str, payload: dict, *, groups: list[str], perm: str | tuple[str, ...] | None = None,
            node_id: int | list[int] | None = None) -> None:
    """Announce `name` to `groups` once the current transaction commits (at once outside one),
    to the subscribers holding `perm` (or any of several permissions) at `node_id`. `node_id` may
    list several units: a subscriber holding `perm` at any of them gets it, once.

    Who: actions (services) after they write. `payload` must be JSON-serialisable and carry only
    what every permitted subscriber may see. Emits one channel-layer message per group; the events
    a transaction announces one after another go to the channel layer together.
    """
    _on_commit([_message(name, payload, g, perm, node_id) for g in dict.fromkeys(groups)])


def publish_computed(compute) -> None:
    """Like `publish`, for events whose payload must be read after commit (live counts): once the
    transaction commits, `compute()` returns the messages (built with `message`), which go out
    with the transaction's other events."""
    _on_commit([compute])


def computed_pending() -> list:
    """The `publish_computed` callables of the current transaction not yet run (so a caller can
    add to one instead of registering another)."""
    if not connection.in_atomic_block:
        return []
    return [item for _s, entry, _r in connection.run_on_commit if isinstance(entry, _Publish)
            for item in entry.items if callable(item)]


def message(name: str, payload: dict, group: str, perm=None, node_id=None) -> dict:
    """One channel-layer message (for `publish_computed`)."""
    return _message(name, payload, group, perm, node_id)


def secret_digest(secret: str) -> str:
    """A digest of a socket's bearer token or session key: close orders name sockets by it, so
    the secret itself never travels through Redis."""
    import hashlib

    return hashlib.sha256(("jianlian.socket:" + secret).encode()).hexdigest()[:40]


def close_sockets(*, code: int, reason: str, user_id: int | None = None, token_key: str = "", session_key: str = "",
                  schema: str | None = None) -> None:
    """Close the open WebSockets that matched all the given criteria, once the current transaction
    commits (at once outside one): those of a revoked bearer token or ended browser session, of a
    user, of a user in a tenant, or of a whole tenant. Every process closes its own (each hub
    listens to CONTROL_GROUP). Who: the actions that take access away — sign-out, suspending a
    tenant, leaving, disabling an account. Codes: 4401 (signed out, sign in again), 4403 (no
    longer allowed here)."""
    message = {"type": CLOSE_TYPE, "group": CONTROL_GROUP, "name": "sockets.close", "code": code, "reason": reason,
               "user_id": user_id, "token": secret_digest(token_key) if token_key else "",
               "session": secret_digest(session_key) if session_key else "", "schema": schema}
    if not any((user_id, token_key, session_key, schema)):
        raise ValueError("close_sockets needs at least one criterion")
    transaction.on_commit(lambda: _send_all([message]))
