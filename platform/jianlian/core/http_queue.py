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

Why a second, smaller bound for heavy requests: a queue served in arrival order puts a 15 ms answer
save behind every 40 ms paper drawn by the 2,000 people who pressed 「开始考试」 a moment before.
Given `heavy=(limit, is_heavy)`, a request whose whole body (small ones only, read in the event
loop and handed on unchanged) `is_heavy(scope, body)` says is heavy first waits for one of `limit`
heavy places, without holding a thread; the others go straight to the threads. Heavy requests
still all get served, in their order; they just never take more than `limit` of the threads.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext

log = logging.getLogger(__name__)


def _keep_connection(max_age: int) -> None:
    """A pooled thread's initializer: its own database connections outlive a request."""
    from django.db import connections

    for conn in connections.all(initialized_only=False):
        conn.settings_dict = {**conn.settings_dict, "CONN_MAX_AGE": max_age}


def _close_connections() -> None:
    from django.db import connections

    connections.close_all()


MAX_CLASSIFIED_BODY = 64 * 1024  # bodies read before queueing; a larger one (an upload) is never heavy


class QueuedHTTP:
    def __init__(self, app, limit: int, conn_max_age: int = 0, heavy=None):
        self.app = app
        self.limit = limit
        self.conn_max_age = conn_max_age
        self.heavy_limit, self.is_heavy = heavy if heavy else (0, None)
        self._pools: dict = {}  # event loop -> (queue of executors, the executors); a queue belongs to one loop
        self._heavy: dict = {}  # event loop -> the semaphore of heavy places

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
        if self.is_heavy is not None and 0 < self.heavy_limit < self.limit:
            receive, heavy = await self._classify(scope, receive)
            if heavy:
                async with self._heavy_places():
                    return await self._run(pool, scope, receive, send)
        return await self._run(pool, scope, receive, send)

    async def _run(self, pool: asyncio.Queue, scope, receive, send):
        executor = await pool.get()
        try:
            async with ThreadSensitiveContext(executor=executor):
                return await self.app(scope, receive, send)
        finally:
            pool.put_nowait(executor)

    def _heavy_places(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        for old in [old for old in self._heavy if old.is_closed()]:
            del self._heavy[old]
        places = self._heavy.get(loop)
        if places is None:
            places = self._heavy[loop] = asyncio.Semaphore(self.heavy_limit)
        return places

    async def _classify(self, scope, receive):
        """(a receive that hands the app the same messages, whether the request is heavy). Reads
        the body first only when it is declared small (Content-Length); any other request is
        passed on untouched and is not heavy."""
        length = next((v for k, v in scope.get("headers") or () if k == b"content-length"), None)
        if scope.get("method") != "POST" or length is None or not length.isdigit() or int(length) > MAX_CLASSIFIED_BODY:
            return receive, False
        messages, body = [], b""
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break  # the client went away: let the app see it as it would have
            body += message.get("body", b"")
            if not message.get("more_body", False) or len(body) > MAX_CLASSIFIED_BODY:
                break
        complete = message["type"] == "http.request" and not message.get("more_body", False)
        try:
            heavy = complete and self.is_heavy(scope, body)
        except Exception:  # a classifier's fault must not cost the request: it is then served as light
            log.exception("http_queue: classifying a request failed")
            heavy = False

        async def replay():
            return messages.pop(0) if messages else await receive()

        return replay, heavy


def _close(executors) -> None:
    for executor in executors:
        executor.submit(_close_connections).result()
        executor.shutdown()
