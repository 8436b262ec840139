"""The bus's Celery tasks: the relay (periodic and kicked) and the housekeeping purge.

These are not TenantTasks: the relay works across schemas and enters each receiver's tenant
itself for its handlers.
"""

from __future__ import annotations

import logging

from jianlian.celery_app import app

logger = logging.getLogger(__name__)

FULL_PASS_LOCK = "jianlian:bus:relay-full"


def kick_key(sender: str) -> str:
    """The Redis key standing for a queued, not yet started, kick of the relay for `sender`."""
    return f"jianlian:bus:kick:{sender}"


@app.task(name="bus.relay", ignore_result=True, bind=True)
def relay(self, senders=None, receivers=None):
    """Run one relay pass (`jianlian.bus.relay.run_once`).

    Who: beat, every BUS_RELAY_INTERVAL seconds, with no arguments (a full pass over every schema);
    `send`, after commit, with `senders` (only those outboxes and the inboxes they reach); `replay`
    with `receivers`. Overlapping full passes are skipped (a Redis lock); kicked passes may overlap
    any pass, which SKIP LOCKED makes safe. Returns the pass's counts.
    """
    from jianlian.core import context as request_context

    token = request_context.bind(request_context.RequestContext(request_id=str(self.request.id or "relay")))
    try:
        return _relay(senders, receivers)
    finally:
        request_context.reset(token)


def _relay(senders, receivers):
    import redis

    from jianlian.bus.relay import run_once
    from jianlian.core.redis_client import client

    full = senders is None and receivers is None
    try:
        r = client()
        if senders:
            r.delete(*[kick_key(s) for s in senders])  # from here on, a new commit needs a new kick
        if full and not r.set(FULL_PASS_LOCK, "1", nx=True, ex=120):
            return {"skipped": "a full pass is already running"}
    except redis.RedisError:
        logger.warning("bus relay: Redis unavailable; relaying without the kick bookkeeping")
        r = None
    try:
        return run_once(senders=senders, receivers=receivers).as_dict()
    finally:
        if full and r is not None:
            try:
                r.delete(FULL_PASS_LOCK)
            except redis.RedisError:
                pass


@app.task(name="bus.purge", ignore_result=True)
def purge():
    """Delete acknowledged and applied messages older than BUS_RETENTION_DAYS (beat, hourly)."""
    from jianlian.bus.relay import purge as purge_old

    return purge_old()
