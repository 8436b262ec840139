"""2,000 people at once (issue 20): a web process serves HTTP_CONCURRENCY requests at a time and
queues the rest — every request is answered, none refused — while WebSockets are never queued."""

from __future__ import annotations

import asyncio

from jianlian.core.http_queue import QueuedHTTP


def test_requests_beyond_the_bound_wait_their_turn_and_are_all_served():
    inside = {"now": 0, "most": 0, "served": 0}

    async def app(scope, receive, send):
        inside["now"] += 1
        inside["most"] = max(inside["most"], inside["now"])
        await asyncio.sleep(0.01)
        inside["now"] -= 1
        inside["served"] += 1

    queued = QueuedHTTP(app, 3)

    async def burst(kind: str, n: int) -> int:
        inside.update(most=0, served=0)
        await asyncio.gather(*(queued({"type": kind}, None, None) for _ in range(n)))
        return inside["most"], inside["served"]

    assert asyncio.run(burst("http", 20)) == (3, 20)
    assert asyncio.run(burst("websocket", 10)) == (10, 10)  # not held up by HTTP's bound
    assert asyncio.run(burst("http", 7)) == (3, 7)  # another event loop (a restarted server) queues alike


def test_requests_reuse_the_pool_threads_and_their_database_connections(db):
    """Opening a PostgreSQL connection (a server process) per request cost more than a small API
    call: one after another, requests run on the same kept thread and connection."""
    import threading

    from asgiref.sync import ThreadSensitiveContext, sync_to_async
    from django.db import close_old_connections, connection

    seen = []

    def view():  # what Django does around a request: check old connections, query, check again
        close_old_connections()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            seen.append((threading.get_ident(), cursor.fetchone()[0]))
        close_old_connections()

    async def app(scope, receive, send):
        async with ThreadSensitiveContext():  # as Django's ASGI handler does for each request
            await sync_to_async(view)()

    queued = QueuedHTTP(app, 1, conn_max_age=60)

    async def one_after_another():
        for _ in range(3):
            await queued({"type": "http"}, None, None)

    try:
        asyncio.run(one_after_another())
    finally:
        queued.close()
    assert len(set(seen)) == 1, seen  # one thread, one server process
