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
