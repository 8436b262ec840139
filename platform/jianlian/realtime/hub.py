"""The process's fan-out hub: one channel-layer subscription per group per process, and each event
checked, executed and encoded once for all the local subscribers that may see it alike.

Without it every socket listened on its own channel, so one event woke each subscriber's receive
loop, was deserialised once per socket, went through a permission check, and had its selection
set executed and its JSON encoded once per socket. Here an event is received once per process;
permission decisions are cached per (tenant, user, permission, node) for the whole process (the
same 30 s bound as before, so a burst costs no thread hop); subscribers that sent the same document
with the same variables in the same tenant share one execution and one encoded payload; and each
subscription's task is handed the ready payload to send (the hub never waits on a socket).

Sharing an execution is sound because an event's payload carries only what every permitted
subscriber may see (`events.publish`), and the event types resolve from that payload alone: the
shared execution runs with a context that names the tenant but no user, so a resolver that tried
to read the user would fail for everyone instead of showing one user's view to another.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import time
import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from inspect import isawaitable

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from jianlian.realtime.events import CLOSE_TYPE, CONTROL_GROUP, MESSAGE_TYPE
from tenants import context as tenant_context

logger = logging.getLogger("jianlian.realtime")

PERMISSION_TTL_SECONDS = 30
MAX_PENDING_CHARS = 1 << 20  # per subscriber, of JSON text (1–3 MB): beyond it, it is given up (see Outbox)
_PERMISSION_CACHE_MAX = 50_000


@dataclass(frozen=True, eq=False)
class Selection:
    """One subscription document with its variables, in one tenant: what subscribers share.

    `render(root)` executes the document on an event's root value and returns the `next`
    message's payload as JSON text, the same for every subscriber of this selection."""

    schema: object
    document: object
    operation_name: str | None
    variables: dict | None
    tenant: object
    key: tuple

    @classmethod
    def of(cls, schema, query: str, document, operation_name, variables, tenant) -> "Selection":
        tenant = tenant or tenant_context.public()
        key = (id(schema), query, operation_name, json.dumps(variables or {}, sort_keys=True, default=str), tenant.schema_name)
        return cls(schema, document, operation_name, variables, tenant, key)

    async def render(self, root) -> str:
        from graphql import execute

        from jianlian.api.views import JianlianGraphQLView
        from jianlian.realtime.consumer import SubscriptionContext

        result = execute(self.schema, self.document, root_value=root, context_value=SubscriptionContext(ws=None, tenant=self.tenant),
                         variable_values=self.variables, operation_name=self.operation_name)
        if isawaitable(result):
            result = await result
        payload = {"data": result.data}
        if result.errors:
            payload["errors"] = [JianlianGraphQLView.format_error(e) for e in result.errors]
        return json.dumps(payload, ensure_ascii=False)


class SlowSubscriber(Exception):
    """A subscriber fell more than MAX_PENDING_CHARS behind; its events are no longer kept."""


class Outbox:
    """What the hub has for one subscriber and the subscriber has not sent yet.

    The hub only appends (it never waits for a socket, so one client that stops reading cannot
    hold up the others); the subscription's own task takes the values in order and sends them.
    A subscriber that falls MAX_PENDING_CHARS behind is given up (`SlowSubscriber`): it stops
    receiving, and its connection is closed so that the client reconnects and catches up."""

    __slots__ = ("_values", "_pending", "_waiter", "overflowed")

    def __init__(self):
        self._values: deque = deque()
        self._pending = 0
        self._waiter: asyncio.Future | None = None
        self.overflowed = False

    def put(self, value) -> None:
        if self.overflowed:
            return
        self._pending += len(value) if isinstance(value, str) else 1
        if self._pending > MAX_PENDING_CHARS:
            self.overflowed = True
            self._values.clear()
        else:
            self._values.append(value)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def get(self):
        """The next value, in order; raises SlowSubscriber once the subscriber is given up."""
        while not self._values:
            if self.overflowed:
                raise SlowSubscriber
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        if self.overflowed:
            raise SlowSubscriber
        value = self._values.popleft()
        self._pending -= len(value) if isinstance(value, str) else 1
        return value


@dataclass(eq=False)
class Socket:
    """One open connection in this process, by what can end its right to stay open: the user,
    the bearer token or browser session it authenticated with (as digests), and its tenant."""

    consumer: object
    user_id: int | None
    token: str = ""
    session: str = ""
    schema: str = "public"

    def matches(self, message: dict) -> bool:
        wanted = {k: message.get(k) for k in ("user_id", "token", "session", "schema") if message.get(k) not in (None, "")}
        return bool(wanted) and all(getattr(self, k) == v for k, v in wanted.items())


@dataclass(eq=False)
class Subscriber:
    """One live subscription in this process.

    The hub puts into `outbox` the rendered payload text when `selection` is set (the consumer's
    fast path), or the event's root value (`build(payload)`) when it is not (a subscriber that
    iterates its feed itself)."""

    groups: tuple[str, ...]
    names: frozenset[str]
    user: object
    tenant: object
    build: Callable[[dict], object]
    outbox: Outbox = field(default_factory=Outbox)
    selection: Selection | None = None
    joined: bool = False
    who: tuple = ()  # (tenant schema, user id): whose permissions decide, set once

    def __post_init__(self):
        self.who = (self.tenant.schema_name, self.user.pk)


class Hub:
    """Fans events out to this process's subscribers; one per event loop (see `hub()`)."""

    def __init__(self, layer):
        self.layer = layer
        self.channel: str | None = None
        self.members: dict[str, set[Subscriber]] = {}
        self._joined_groups: set[str] = set()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task | None = None
        self._pending: set[asyncio.Task] = set()
        self._permissions: dict[tuple, tuple[bool, float]] = {}
        self.sockets: set[Socket] = set()

    # --- open connections (closed when their token, session, user or tenant loses access) --------

    async def register(self, socket: Socket) -> None:
        """Track `socket`; returns once this process listens for close orders."""
        await self._start()
        self.sockets.add(socket)
        async with self._lock:
            if CONTROL_GROUP not in self._joined_groups:
                await self.layer.group_add(CONTROL_GROUP, self.channel)
                self._joined_groups.add(CONTROL_GROUP)

    def unregister(self, socket: Socket) -> None:
        self.sockets.discard(socket)

    async def close_matching(self, message: dict) -> int:
        """Close every local socket that matches a close order (`events.close_sockets`)."""
        doomed = [s for s in self.sockets if s.matches(message)]
        for socket in doomed:
            self.sockets.discard(socket)
            self._spawn(socket.consumer.close(code=int(message.get("code") or 4403), reason=str(message.get("reason") or "")))
        return len(doomed)

    # --- membership ---------------------------------------------------------------------------

    async def join(self, sub: Subscriber) -> None:
        """Start delivering to `sub`; returns once this process listens to all its groups."""
        await self._start()
        for group in sub.groups:
            self.members.setdefault(group, set()).add(sub)
        sub.joined = True
        for group in sub.groups:
            if group not in self._joined_groups:
                await self._sync_group(group)

    def leave(self, sub: Subscriber) -> None:
        """Stop delivering to `sub` (synchronous: safe in a cancelled task's `finally`)."""
        sub.joined = False
        for group in sub.groups:
            members = self.members.get(group)
            if members is not None:
                members.discard(sub)
                if not members:
                    del self.members[group]
                    self._spawn(self._sync_group(group))

    async def _sync_group(self, group: str) -> None:
        """Make the layer subscription of `group` match whether anyone here listens to it. Under
        one lock, so that a leave and a join of the same group cannot reorder their add/discard."""
        async with self._lock:
            wanted = bool(self.members.get(group))
            if wanted and group not in self._joined_groups:
                await self.layer.group_add(group, self.channel)
                self._joined_groups.add(group)
            elif not wanted and group in self._joined_groups:
                self._joined_groups.discard(group)
                try:
                    await self.layer.group_discard(group, self.channel)
                except Exception:  # Redis down: the stale subscription only costs ignored messages
                    logger.warning("could not leave group %s", group, exc_info=True)

    async def _start(self) -> None:
        if self._task is not None:
            return
        async with self._lock:
            if self._task is None:
                self.channel = await self.layer.new_channel(prefix="hub.")
                # A context of its own: the hub serves every connection, so it must not carry the
                # tenant binding of whichever connection happened to start it.
                self._task = asyncio.get_running_loop().create_task(self._receive(), context=contextvars.Context())

    def _spawn(self, coro) -> None:
        task = asyncio.get_running_loop().create_task(coro, context=contextvars.Context())
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    # --- delivery -----------------------------------------------------------------------------

    async def _receive(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except Exception:  # the layer lost Redis; it reconnects by itself
                logger.warning("real-time hub could not receive", exc_info=True)
                await asyncio.sleep(1)
                continue
            if message.get("type") == CLOSE_TYPE:
                await self.close_matching(message)
                continue
            if message.get("type") != MESSAGE_TYPE:
                continue
            try:
                await self.dispatch(message)
            except Exception:  # one bad event must not stop delivery for the whole process
                logger.exception("could not deliver %s to %s", message.get("name"), message.get("group"))
            await asyncio.sleep(0)  # let the subscriptions send this event before the next is queued

    async def dispatch(self, message: dict) -> None:
        """Deliver one event to every local subscriber of its group that wants it and may see it."""
        name, payload = message.get("name"), message.get("payload")
        subs = [s for s in self.members.get(message.get("group"), ()) if name in s.names]
        if not subs:
            return
        if message.get("perm"):
            subs = await self.permitted(subs, message["perm"], message.get("node"))
        roots: dict[Callable, object] = {}

        def root(sub):
            if sub.build not in roots:
                roots[sub.build] = sub.build(payload)
            return roots[sub.build]

        rendered: dict[tuple, str | None] = {}
        for sub in subs:
            if not sub.joined:  # left while an earlier subscriber's rendering was awaited
                continue
            try:
                if sub.selection is None:
                    value = root(sub)
                elif sub.selection.key in rendered:
                    value = rendered[sub.selection.key]
                else:
                    rendered[sub.selection.key] = None  # should it fail, its other subscribers skip it too
                    value = rendered[sub.selection.key] = await _in_tenant(sub.selection.tenant, sub.selection.render(root(sub)))
            except Exception:  # a payload its `build` cannot read: skip this feed, not the event
                logger.exception("could not render %s for %s", name, message.get("group"))
                continue
            if value is not None:
                sub.outbox.put(value)
                if sub.outbox.overflowed:
                    logger.warning("a subscriber to %s fell too far behind and is given up", message.get("group"))
                    self.leave(sub)

    # --- permissions --------------------------------------------------------------------------

    async def permitted(self, subs: list[Subscriber], perm, node_id) -> list[Subscriber]:
        """The subscribers whose user holds `perm` (or any of a list of permissions) at `node_id`
        (anywhere when None; at any of them when a list, for an event about several units, sent
        once). Decisions are cached per process for PERMISSION_TTL_SECONDS; the undecided ones are
        checked in one thread hop per tenant."""
        if isinstance(node_id, (list, tuple)):
            allowed: set[int] = set()
            for node in dict.fromkeys(node_id):
                pending = [s for s in subs if id(s) not in allowed]
                allowed.update(id(s) for s in await self.permitted(pending, perm, node))
            return [s for s in subs if id(s) in allowed]
        now = time.monotonic()
        wanted = perm if isinstance(perm, str) else tuple(perm)
        # one decision per (tenant, user), however many of their sockets subscribe
        by_who: dict[tuple, list[Subscriber]] = {}
        for sub in subs:
            group = by_who.get(sub.who)
            if group is None:
                by_who[sub.who] = [sub]
            else:
                group.append(sub)
        decided: dict[tuple, bool] = {}
        undecided: dict[str, dict[tuple, Subscriber]] = {}
        for who, group in by_who.items():
            hit = self._permissions.get((who, wanted, node_id))
            if hit is not None and hit[1] > now:
                decided[who] = hit[0]
            else:
                undecided.setdefault(who[0], {})[who] = group[0]
        for keys in undecided.values():
            tenant = next(iter(keys.values())).tenant
            checks = [(s.user, perm, node_id) for s in keys.values()]
            outcomes = await _in_tenant(tenant, database_sync_to_async(_check_many)(checks))
            expires = time.monotonic() + PERMISSION_TTL_SECONDS
            if len(self._permissions) > _PERMISSION_CACHE_MAX:
                self._permissions = {k: v for k, v in self._permissions.items() if v[1] > now}
            for who, ok in zip(keys, outcomes):
                decided[who] = ok
                self._permissions[(who, wanted, node_id)] = (ok, expires)
        return [s for who, group in by_who.items() if decided[who] for s in group]


async def _in_tenant(tenant, coro):
    """Await `coro` with `tenant` bound, as the subscriber's own connection would have it."""
    ctx = contextvars.Context()
    ctx.run(tenant_context.bind, tenant)
    return await asyncio.get_running_loop().create_task(coro, context=ctx)


def _check_many(checks) -> list[bool]:
    from jianlian.access.checks import forget, has_perm, has_perm_anywhere
    from jianlian.hierarchy.models import OrgUnit

    nodes: dict = {}
    out = []
    for user, perm, node_id in checks:
        forget(user)  # grants may have changed since the socket opened
        perms = [perm] if isinstance(perm, str) else list(perm)  # several: any of them
        if node_id is None:
            out.append(any(has_perm_anywhere(user, p) for p in perms))
            continue
        if node_id not in nodes:
            nodes[node_id] = OrgUnit.objects.filter(pk=node_id).first()
        node = nodes[node_id]
        out.append(node is not None and any(has_perm(user, p, node) for p in perms))
    return out


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub]" = weakref.WeakKeyDictionary()


def hub() -> Hub:
    """This event loop's hub (a channel layer is bound to one loop, and so is its hub)."""
    loop = asyncio.get_running_loop()
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("real-time delivery needs CHANNEL_LAYERS")
    current = _hubs.get(loop)
    if current is None or current.layer is not layer:
        current = _hubs[loop] = Hub(layer)
    return current
