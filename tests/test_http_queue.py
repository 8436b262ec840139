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


START = 'mutation($exam: ID!) { startLearningAttempt(input: {exam: $exam}) { errors { code } } }'
SAVE = 'mutation($item: ID!) { saveLearningAnswer(input: {item: $item, answer: "1"}) { errors { code } } }'


def _post(body: bytes, chunks: int = 1) -> tuple[dict, object]:
    scope = {"type": "http", "method": "POST", "path": "/graphql/", "headers": [(b"content-length", str(len(body)).encode())]}
    size = -(-len(body) // chunks)
    parts = [body[i:i + size] for i in range(0, len(body), size)] or [b""]
    messages = [{"type": "http.request", "body": p, "more_body": n < len(parts) - 1} for n, p in enumerate(parts)]

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    return scope, receive


def test_a_burst_of_heavy_requests_never_holds_up_a_light_one():
    """2,000 people press 「开始考试」 (drawing a paper is heavy) while others save answers: the
    saves are served at once, not after every paper; the papers are all drawn, a few at a time;
    the app reads each body exactly as it was sent (in pieces too)."""
    import json

    from jianlian.api.lanes import is_heavy

    log = {"inside_heavy": 0, "most_heavy": 0, "bodies": [], "order": []}
    release = None

    async def app(scope, receive, send):
        body = b""
        while True:
            m = await receive()
            body += m.get("body", b"")
            if not m.get("more_body"):
                break
        log["bodies"].append(body)
        heavy = b"startLearningAttempt" in body
        if heavy:
            log["inside_heavy"] += 1
            log["most_heavy"] = max(log["most_heavy"], log["inside_heavy"])
            await release.wait()
            log["inside_heavy"] -= 1
        log["order"].append("start" if heavy else "save")

    queued = QueuedHTTP(app, 4, heavy=(2, is_heavy))
    start = json.dumps({"query": START, "variables": {"exam": "RXhhbTox"}}).encode()
    save = json.dumps({"query": SAVE, "variables": {"item": "SXRlbTox"}}).encode()

    async def burst():
        nonlocal release
        release = asyncio.Event()
        starts = [asyncio.create_task(queued(*_post(start, chunks=3), None)) for _ in range(20)]
        await asyncio.sleep(0.01)  # the papers are being drawn (two at a time) or waiting
        await asyncio.wait_for(asyncio.gather(*(queued(*_post(save), None) for _ in range(5))), 2)
        saved_while_drawing = log["order"].count("save")
        release.set()
        await asyncio.gather(*starts)
        return saved_while_drawing

    assert asyncio.run(burst()) == 5
    assert log["most_heavy"] == 2 and log["order"].count("start") == 20
    assert sorted(set(log["bodies"])) == sorted({start, save})  # handed on unchanged


def test_what_counts_as_heavy():
    import json

    from jianlian.api.lanes import is_heavy

    def heavy(data, method="POST", path="/t/tonglu/graphql/"):
        body = data if isinstance(data, bytes) else json.dumps(data).encode()
        return is_heavy({"method": method, "path": path}, body)

    assert heavy({"query": START})
    assert heavy([{"query": SAVE}, {"query": START}])  # a batch with one heavy operation
    assert not heavy({"query": SAVE})
    assert not heavy({"query": START}, path="/api/upload/")
    two = "mutation A { saveLearningAnswer(input: {item: \"x\"}) { errors { code } } } " + START.replace("mutation(", "mutation B(")
    assert heavy({"query": two, "operationName": "B"}) and not heavy({"query": two, "operationName": "A"})
    assert not heavy({"query": "query { startLearningAttempt }"})  # a query of that name is not the mutation
    # the web app names its documents by hash (persisted documents), as Apollo's link does too
    from jianlian.api.persisted import manifest

    doc_id = next(k for k, v in manifest().items() if "startLearningAttempt(" in v)
    assert heavy({"documentId": f"sha256:{doc_id}"}) and heavy({"extensions": {"persistedQuery": {"sha256Hash": doc_id}}})
    assert not heavy({"documentId": "sha256:" + "0" * 64})
    assert not heavy(b"{not json") and not heavy({"query": "mutation {"}) and not heavy({"query": 5}) and not heavy([1, "x"])
