"""Subscription plumbing shared by every module: listen to event groups, filtered per subscriber.

A module's subscription resolver says which groups and event names it listens to and how an
event's payload becomes the field's value, and returns that:

    @staticmethod
    def subscribe_referral_changed(root, info):
        user = require_socket_user(info)
        schema = info.context.tenant.schema_name
        return listen(info, groups=[events.user_group(user.pk, schema)], names={CHANGED}, build=_referral_event)

    def _referral_event(p: dict) -> ReferralEvent:
        return ReferralEvent(id=p["id"], status=p["status"])

The process's hub (`hub.py`) receives each event once, checks each subscriber's permission for
it, runs the document once for all permitted subscribers who sent the same document, and sends
them the same encoded payload. `build` and the event type's resolvers must therefore depend on
the payload alone (per-user differences belong in the event's `perm`/`node` or in per-user
groups); they run with a context that names the tenant but no user.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from jianlian.api.base import auth_error
from jianlian.realtime import hub as hubs
from jianlian.realtime.hub import PERMISSION_TTL_SECONDS, Selection, SlowSubscriber, Subscriber  # noqa: F401 (re-exported)


def require_socket_user(info):
    user = getattr(info.context, "user", None)
    if user is None or not user.is_authenticated:
        raise auth_error("UNAUTHENTICATED", _("请先登录。"))
    return user


async def require_socket_perm(info, perm: str):
    """The socket's user, if they hold `perm` somewhere in this tenant; otherwise the subscription
    is refused at once (PERMISSION_DENIED) rather than accepted and left silent. Each event is
    still checked against its own unit by the hub."""
    from channels.db import database_sync_to_async

    from jianlian.access.checks import forget, has_perm_anywhere

    user = require_socket_user(info)

    def holds() -> bool:
        forget(user)  # grants may have changed since the socket opened
        return has_perm_anywhere(user, perm)

    if not await database_sync_to_async(holds)():
        raise auth_error("PERMISSION_DENIED", _("您没有订阅此类事件的权限。"))
    return user


def _identity(payload):
    return payload


class Feed:
    """The events named `names` sent to `groups` that the subscriber may see, each made into the
    field's value by `build`. Our WebSocket consumer serves it through the hub without iterating
    it; anything else may iterate it (`async for value in feed`)."""

    def __init__(self, info, *, groups: list[str], names: set[str], build: Callable[[dict], object] | None = None):
        self.user = require_socket_user(info)
        self.tenant = getattr(info.context, "tenant", None)
        schema = getattr(self.tenant, "schema_name", "public")
        groups = tuple(dict.fromkeys(groups))
        stray = [g for g in groups if not g.startswith(f"{schema}.")]
        if stray:  # a programming error: an event could otherwise cross tenants
            raise ValueError(f"groups must start with the tenant's schema {schema!r}: {stray}")
        self.groups = groups
        self.names = frozenset(names)
        self.build = build or _identity

    def subscriber(self, selection: Selection | None = None) -> Subscriber:
        from tenants import context as tenant_context

        return Subscriber(groups=self.groups, names=self.names, user=self.user, tenant=self.tenant or tenant_context.public(),
                          build=self.build, selection=selection)

    async def serve(self, selection: Selection, send) -> None:
        """Send each event's payload rendered for `selection` with `await send(text)`, in order,
        until cancelled. Raises SlowSubscriber when the socket fell too far behind."""
        hub = hubs.hub()
        sub = self.subscriber(selection)
        try:
            await hub.join(sub)
            while True:
                await send(await sub.outbox.get())
        finally:
            hub.leave(sub)

    def __aiter__(self):
        return self._iterate()

    async def _iterate(self):
        hub = hubs.hub()
        sub = self.subscriber()
        try:
            await hub.join(sub)
            while True:
                yield await sub.outbox.get()
        finally:
            hub.leave(sub)


def listen(info, *, groups: list[str], names: set[str], build: Callable[[dict], object] | None = None) -> Feed:
    """The events named `names` sent to `groups` (each starting with the tenant's schema) that
    this subscriber may see, as values made by `build(payload)`. Return it from a subscription
    resolver."""
    return Feed(info, groups=groups, names=names, build=build)
