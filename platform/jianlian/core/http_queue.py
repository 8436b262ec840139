"""A queue in front of Django for HTTP: at most HTTP_CONCURRENCY requests of one process run at a
time, each on one of HTTP_CONCURRENCY long-lived threads; the others wait their turn in the event
loop, where waiting costs nothing.

Why a bound: without one, 2,000 people pressing 「交卷」 at once would open 2,000 threads and ask
PostgreSQL for 2,000 connections (it refuses past max_connections, and each one costs a backend
process), while two cores can only serve a few at a time anyway. With the bound, the process
serves what the cores can, and the rest queue — slower at a peak, never refused. A streamed
response (an export) holds its place until it is sent. WebSockets are not queued.

Why long-lived threads: Django's ASGI handler runs each request's synchronous code (middleware,
views) on a thread of its own, made for the request and joined after it, and Django's database
connections belong to a thread — so every request also opened, and closed, a PostgreSQL
connection: a thread, a connection and a server process forked per request, most of the cost of a
small API call. Here each request borrows a one-thread executor from the process's pool (asgiref's
`ThreadSensitiveContext(executor=…)`, which Django's own per-request context then defers to) and
gives it back after. The thread's database connection lives on between requests for
HTTP_CONN_MAX_AGE seconds (only these threads' connections: elsewhere CONN_MAX_AGE applies),
health-checked before reuse (CONN_HEALTH_CHECKS) and closed by Django at the end of any request
that left it broken or mid-transaction. `close()` closes them (a server stopping in a test).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext


def _keep_connection(max_age: int) -> None:
    """A pooled thread's initializer: its own database connections outlive a request."""
    from django.db import connections

    for conn in connections.all(initialized_only=False):
        conn.settings_dict = {**conn.settings_dict, "CONN_MAX_AGE": max_age}


def _close_connections() -> None:
    from django.db import connections

    connections.close_all()


class QueuedHTTP:
    def __init__(self, app, limit: int, conn_max_age: int = 0):
        self.app = app
        self.limit = limit
        self.conn_max_age = conn_max_age
        self._pools: dict = {}  # event loop -> (queue of executors, the executors); a queue belongs to one loop

    def _pool(self) -> asyncio.Queue:
        loop = asyncio.get_running_loop()
        entry = self._pools.get(loop)
        if entry is None:
            for old in [old for old in self._pools if old.is_closed()]:  # a server stopped: free its threads
                _close(self._pools.pop(old)[1])
            executors = [ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"http-{n}", initializer=_keep_connection,
                                            initargs=(self.conn_max_age,)) for n in range(self.limit)]
            queue = asyncio.Queue()
            for executor in executors:
                queue.put_nowait(executor)
            entry = self._pools[loop] = (queue, executors)
        return entry[0]

    def close(self) -> None:
        """Close the pooled threads' database connections and stop the threads (call when the
        server has stopped)."""
        pools, self._pools = self._pools, {}
        for _queue, executors in pools.values():
            _close(executors)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or self.limit <= 0:
            return await self.app(scope, receive, send)
        pool = self._pool()
        executor = await pool.get()
        try:
            async with ThreadSensitiveContext(executor=executor):
                return await self.app(scope, receive, send)
        finally:
            pool.put_nowait(executor)


def _close(executors) -> None:
    for executor in executors:
        executor.submit(_close_connections).result()
        executor.shutdown()
