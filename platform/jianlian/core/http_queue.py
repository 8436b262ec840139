"""A queue in front of Django for HTTP: at most HTTP_CONCURRENCY requests of one process run at a
time; the others wait their turn in the event loop, where waiting costs nothing.

Why: Django's ASGI handler runs every request on a thread of its own, with a database connection
of its own. Without a bound, 2,000 people pressing 「交卷」 at once would open 2,000 threads and
ask PostgreSQL for 2,000 connections (it refuses past max_connections, and each one costs a
backend process), while two cores can only serve a few at a time anyway. With the bound, the
process serves what the cores can, and the rest queue — slower at a peak, never refused. A
streamed response (an export) holds its place until it is sent. WebSockets are not queued.
"""

from __future__ import annotations

import asyncio
import weakref


class QueuedHTTP:
    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit
        self._slots = weakref.WeakKeyDictionary()  # per event loop (a semaphore belongs to one)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or self.limit <= 0:
            return await self.app(scope, receive, send)
        loop = asyncio.get_running_loop()
        slots = self._slots.get(loop)
        if slots is None:
            slots = self._slots[loop] = asyncio.Semaphore(self.limit)
        async with slots:
            return await self.app(scope, receive, send)
