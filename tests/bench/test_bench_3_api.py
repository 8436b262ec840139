"""3. The API under load, against a real server process on loopback:
- a representative GraphQL list query beside a plain Django JSON view of the same rows, per
  request (one client: p50 latency and the server's CPU per request; target ≤ 1.5× the plain
  view) and at saturation (50 concurrent clients: throughput, target plain ÷ GraphQL ≤ 1.5×, and
  p95, ≤ 2×);
- what bearer authentication costs per request: a signed-in `{ __typename }` beside an anonymous
  one, against one indexed look-up measured in the same run;
- commit → subscriber latency p50/p95 with 1,000 and 3,000 concurrent WebSocket subscribers speaking
  graphql-transport-ws (target: p95 ≤ 100 ms), split between two ASGI processes on their own ports,
  none lost, and the fan-out's server CPU per socket.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from tests.bench.conftest import Row, delete_tree, median, percentile, print_table

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 50
REQUESTS = 1500
SINGLE_ROUNDS = 300
SUBSCRIBERS = 1000
EVENTS = 10
HANDSHAKES = 20  # subscribers connecting at once (a burst beyond the server's pace meets its 10 s init timeout)

LIST_QUERY = """query { orgUnits(first: 50, level: MEMBER) { edges { node {
  id name shortName level unitType divisionCode parent { name } tenantSlug } } } }"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def world(bench_db):
    from jianlian.hierarchy.services import create_unit
    from jianlian.identity.services import issue_token
    from tests.bench.conftest import assert_clean_start
    from tests.factories import create_province

    assert_clean_start()
    p = create_province()  # a benchmark session builds no shared province: each module its own
    for i in range(60):
        create_unit(None, parent=p.lead_a, level="member", name=f"桐庐县第{i:02d}村卫生室", unit_type="village_clinic")
    token = issue_token(p.users["province_admin"], "bench")[1]
    yield p, token
    delete_tree(p.root)


_SERVER_PIDS: dict[str, int] = {}  # address → the uvicorn process serving it


def _server_cpu_seconds(base: str) -> float:
    """CPU time used so far by the server at `base` and its worker processes."""
    import psutil

    main = psutil.Process(_SERVER_PIDS[base])
    return sum(sum(p.cpu_times()[:2]) for p in [main, *main.children(recursive=True)])


def _server_env() -> dict:
    """The server processes' environment: the benchmark database and Redis."""
    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    host = db["OPTIONS"].get("host") or db["HOST"]
    database_url = f"postgres://{db['USER']}@/{db['NAME']}?host={host}" if host.startswith("/") else (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{db['PORT'] or 5432}/{db['NAME']}")
    return {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": settings.REDIS_URL,
            "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}", "LOG_LEVEL": "WARNING", "DEBUG": "false"}


def _start(command: list[str], port: int) -> tuple[str, subprocess.Popen]:
    proc = subprocess.Popen(command, cwd=ROOT, env=_server_env())
    base = f"127.0.0.1:{port}"
    _SERVER_PIDS[base] = proc.pid
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"http://{base}/healthz", timeout=1).status_code == 200:
                return base, proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("benchmark server did not start")
        time.sleep(0.2)


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _serve(workers: int):
    """The ASGI app with the benchmark's plain view (tests.bench.api_urls) in its own process(es),
    on the benchmark database; yields its address (the approvals benchmark serves through it too)."""
    port = _free_port()
    base, proc = _start([sys.executable, "-m", "uvicorn", "tests.bench.api_asgi:application", "--host", "127.0.0.1",
                         "--port", str(port), "--no-access-log", "--lifespan", "off", "--log-level", "warning",
                         "--ws", "websockets-sansio", "--workers", str(workers)], port)
    try:
        yield base
    finally:
        _stop([proc])


@pytest.fixture(scope="module")
def server(world):
    """One process: request threads share a PostgreSQL limit of 100 connections, and 50 clients on
    two processes would exceed it."""
    yield from _serve(1)


@pytest.fixture(scope="module")
def ws_servers(world):
    """Two ASGI processes started with the project's own command (`make run` starts one), each on
    its own port with nothing in front, as two web processes on a 2-core machine: each receives an
    event once from Redis and fans it out to its own sockets; the clients are split between them."""
    from jianlian.asgi_server import uvicorn_command

    started = []
    try:
        for _ in range(2):
            port = _free_port()
            started.append(_start([*uvicorn_command(host="127.0.0.1", port=port), "--log-level", "warning"], port))
        yield [base for base, _proc in started]
    finally:
        _stop([proc for _base, proc in started])


async def _load(base: str, token: str | None, make_request, n: int, clients: int = CLIENTS) -> tuple[float, list[float]]:
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    # Generous timeouts: on a shared, loaded machine a saturated server answers late, and a benchmark
    # fails only when something is wrong, never because the machine was slow.
    async with httpx.AsyncClient(base_url=f"http://{base}", limits=limits, timeout=300, headers=headers) as client:
        queue = asyncio.Queue()
        for _ in range(n):
            queue.put_nowait(None)

        async def worker():
            while not queue.empty():
                queue.get_nowait()
                t0 = time.perf_counter()
                r = await make_request(client)
                latencies.append(time.perf_counter() - t0)
                assert r.status_code == 200, r.text[:300]

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        return time.perf_counter() - start, latencies


def _one_client(base: str, paths: dict[str, tuple[str | None, callable]], rounds: int) -> dict[str, tuple[list[float], float]]:
    """One client, one request at a time, the compared requests interleaved (so that a load change on
    the machine hits both alike): each one's latencies and the server's CPU seconds per request."""
    lat: dict[str, list[float]] = {k: [] for k in paths}
    cpu: dict[str, float] = dict.fromkeys(paths, 0.0)
    clients = {k: httpx.Client(base_url=f"http://{base}", headers={"Authorization": f"Bearer {tok}"} if tok else {}, timeout=120)
               for k, (tok, _) in paths.items()}
    try:
        for k, (_tok, send) in paths.items():  # warm up: connections, caches, code paths
            for _ in range(20):
                send(clients[k])
        for _ in range(rounds):
            for k, (_tok, send) in paths.items():
                c0 = _server_cpu_seconds(base)
                t0 = time.perf_counter()
                r = send(clients[k])
                lat[k].append(time.perf_counter() - t0)
                cpu[k] += _server_cpu_seconds(base) - c0
                assert r.status_code == 200, r.text[:300]
    finally:
        for c in clients.values():
            c.close()
    return {k: (lat[k], cpu[k] / rounds) for k in paths}


def _ms(x: float) -> str:
    return f"{x * 1000:.1f} ms"


def test_graphql_list_beside_a_plain_json_view(world, server):
    _p, token = world

    def plain(client):
        return client.get("/plain/org-units/")

    def graphql(client):
        return client.post("/graphql/", json={"query": LIST_QUERY})

    async def aplain(client):
        return await client.get("/plain/org-units/")

    async def agraphql(client):
        return await client.post("/graphql/", json={"query": LIST_QUERY})

    # the two answer with the same rows (and the plain view is not the workbench's HTML)
    with httpx.Client(base_url=f"http://{server}", headers={"Authorization": f"Bearer {token}"}, timeout=120) as c:
        g = c.post("/graphql/", json={"query": LIST_QUERY}).json()["data"]["orgUnits"]["edges"]
        pl = c.get("/plain/org-units/").json()["orgUnits"]
    assert [e["node"]["name"] for e in g] == [u["name"] for u in pl] and len(pl) == 50

    single = _one_client(server, {"plain": (token, plain), "graphql": (token, graphql)}, SINGLE_ROUNDS)
    (plain_1, plain_cpu), (gql_1, gql_cpu) = single["plain"], single["graphql"]
    asyncio.run(_load(server, token, aplain, 100))  # warm both paths up for the concurrent clients
    asyncio.run(_load(server, token, agraphql, 100))
    plain_s, plain_lat = asyncio.run(_load(server, token, aplain, REQUESTS))
    gql_s, gql_lat = asyncio.run(_load(server, token, agraphql, REQUESTS))
    latency_ratio = median(gql_1) / median(plain_1)
    cpu_ratio = gql_cpu / plain_cpu
    rate_ratio = (REQUESTS / plain_s) / (REQUESTS / gql_s)
    p95_ratio = percentile(gql_lat, 95) / percentile(plain_lat, 95)
    print_table(f"3a. GraphQL list query beside a plain Django JSON view of the same rows", [
        Row("one client: p50 plain / GraphQL", f"{_ms(median(plain_1))} / {_ms(median(gql_1))}"),
        Row("one client: GraphQL ÷ plain, p50 latency", f"{latency_ratio:.2f}×", "≤ 1.5×", latency_ratio <= 1.5, headline=True),
        Row("server CPU per request plain / GraphQL", f"{_ms(plain_cpu)} / {_ms(gql_cpu)}"),
        Row("server CPU per request, GraphQL ÷ plain", f"{cpu_ratio:.2f}×", "≤ 1.5×", cpu_ratio <= 1.5),
        Row(f"{CLIENTS} clients: throughput plain / GraphQL", f"{REQUESTS / plain_s:.0f} / {REQUESTS / gql_s:.0f} req/s"),
        Row(f"{CLIENTS} clients: plain ÷ GraphQL throughput", f"{rate_ratio:.2f}×", "≤ 1.5×", rate_ratio <= 1.5, headline=True),
        Row(f"{CLIENTS} clients: p50 / p95 plain", f"{_ms(percentile(plain_lat, 50))} / {_ms(percentile(plain_lat, 95))}"),
        Row(f"{CLIENTS} clients: p50 / p95 GraphQL", f"{_ms(percentile(gql_lat, 50))} / {_ms(percentile(gql_lat, 95))}"),
        Row(f"{CLIENTS} clients: GraphQL p95 ÷ plain p95", f"{p95_ratio:.2f}×", "≤ 2×", p95_ratio <= 2),
    ], notes=["query: 50 member units with parent name and tenant slug (DataLoaders), same rows as the plain view",
              f"one client: {SINGLE_ROUNDS} requests each, plain and GraphQL interleaved; at saturation: {REQUESTS} "
              f"requests each from {CLIENTS} concurrent clients (queueing hides the per-request cost there)",
              "server: one uvicorn process on loopback; clients: httpx in the benchmark process"])


def test_what_bearer_authentication_costs_per_request(world, server):
    """`{ __typename }` signed in (Authorization: Bearer) beside the same request anonymous: the
    difference is what authenticating costs. Baseline, same run: one indexed look-up of the token
    by its hash from this process (the least an opaque bearer token can cost)."""
    from django.db import connection

    from jianlian.identity.models import ApiToken

    _p, token = world

    def typename(client):
        return client.post("/graphql/", json={"query": "{ __typename }"})

    single = _one_client(server, {"anonymous": (None, typename), "signed in": (token, typename)}, SINGLE_ROUNDS)
    (anon, anon_cpu), (signed, signed_cpu) = single["anonymous"], single["signed in"]
    key_hash = ApiToken.hash_key(token)
    lookups = []
    for _ in range(SINGLE_ROUNDS):
        t0 = time.perf_counter()
        assert ApiToken.objects.select_related("user").filter(key_hash=key_hash).first() is not None
        lookups.append(time.perf_counter() - t0)
    connection.close()
    t0 = time.perf_counter()
    connection.ensure_connection()
    connect = time.perf_counter() - t0
    extra, extra_cpu = median(signed) - median(anon), signed_cpu - anon_cpu
    lookup = median(lookups)
    print_table("3c. What bearer authentication costs per request (`{ __typename }`, one client)", [
        Row("anonymous p50 / server CPU", f"{_ms(median(anon))} / {_ms(anon_cpu)}"),
        Row("signed in p50 / server CPU", f"{_ms(median(signed))} / {_ms(signed_cpu)}"),
        Row("authentication: added p50 latency", _ms(extra), f"≤ 2× one look-up ({_ms(2 * lookup)})", extra <= 2 * lookup,
            headline=True),
        Row("authentication: added server CPU", _ms(extra_cpu)),
        Row("one indexed look-up of the token (ORM, this process)", _ms(lookup), ref=True),
        Row("opening one database connection (this process)", _ms(connect), ref=True),
    ], notes=[f"{SINGLE_ROUNDS} requests each, anonymous and signed in interleaved, on one keep-alive connection"])


def test_commit_to_subscriber_latency_with_1000_subscribers(world, ws_servers):
    _subscriber_latency(world, ws_servers, SUBSCRIBERS, "3b")


def test_commit_to_subscriber_latency_with_3000_subscribers(world, ws_servers):
    """Seed 002's concurrency: 3,000 subscribers over the same two processes."""
    _subscriber_latency(world, ws_servers, 3 * SUBSCRIBERS, "3d")


async def _read_between_events(clients) -> None:
    """Let every client read what arrived (the arrival times are already noted) and its task
    handle it, before the next event is sent, so that no reading overlaps an event's delivery."""
    for ws in clients:
        ws.read()
    deadline = time.monotonic() + 30
    while any(not ws.messages.empty() for ws in clients) and time.monotonic() < deadline:
        await asyncio.sleep(0.01)


def _subscriber_latency(world, servers: list[str], subscribers: int, number: str):
    from tests.bench.ws_client import Subscriber

    p, token = world
    subscribe = {"id": "1", "type": "subscribe", "payload": {"query": "subscription { auditRecorded { at action } }"}}
    init = {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
    sign_in = {"query": 'mutation($i: String!, $p: String!) { signIn(input: {identifier: $i, password: $p}) { errors { code } } }',
               "variables": {"i": p.users["province_admin"].username, "p": "Ceshi@2026pw"}}

    def servers_cpu() -> float:
        return sum(_server_cpu_seconds(base) for base in servers)

    async def scenario():
        latencies: list[float] = []
        per_event: dict[float, list[float]] = {}
        cpu: list[float] = []
        measuring_since = [float("inf")]
        ready = asyncio.Event()
        connected = [0]
        failures: list[BaseException] = []
        handshakes = asyncio.Semaphore(HANDSHAKES)
        warmed: set[int] = set()
        clients: list[Subscriber] = []

        async def subscriber(n: int, server: str):
            try:
                host, port = server.rsplit(":", 1)
                async with handshakes:
                    ws = await asyncio.wait_for(Subscriber.connect(host, int(port)), 300)
                    clients.append(ws)
                    ws.send(init)
                    _at, ack = await ws.receive()
                    assert ack["type"] == "connection_ack", ack
                    ws.send(subscribe)
                connected[0] += 1
                if connected[0] == subscribers:
                    ready.set()
                while True:
                    arrived, msg = await ws.receive()
                    if msg.get("type") != "next":
                        assert msg.get("type") != "error", msg
                        continue
                    event = msg["payload"]["data"]["auditRecorded"]
                    if event["action"] != "auth.sign_in":
                        continue
                    at = datetime.fromisoformat(event["at"]).timestamp()
                    warmed.add(n)
                    if at >= measuring_since[0]:
                        latencies.append(arrived - at)
                        per_event.setdefault(at, []).append(arrived - at)
            except asyncio.CancelledError:
                raise
            except BaseException as e:  # a lost subscriber fails the benchmark at once, with its reason
                failures.append(e)
                ready.set()

        async with httpx.AsyncClient(base_url=f"http://{servers[0]}", timeout=30) as http:
            # baseline: what a sign-in costs the server with nobody subscribed
            await http.post("/graphql/", json=sign_in)
            before = servers_cpu()
            for _ in range(3):
                await http.post("/graphql/", json=sign_in)
                await asyncio.sleep(0.5)
            cpu.append((servers_cpu() - before) / 3)
        tasks = [asyncio.create_task(subscriber(i, servers[i % len(servers)]))  # split between the processes
                 for i in range(subscribers)]
        await asyncio.wait_for(ready.wait(), 900)
        warm = 0
        if not failures:
            async with httpx.AsyncClient(base_url=f"http://{servers[0]}", timeout=30) as http:
                # warm-up, until every subscriber got an event: subscribing ends in the server's own
                # time (its permission check), after the client's last message
                deadline = time.monotonic() + 300
                while len(warmed) < subscribers and time.monotonic() < deadline and not failures:
                    await http.post("/graphql/", json=sign_in)
                    wait = time.monotonic() + 10
                    while len(warmed) < subscribers and time.monotonic() < wait:
                        await asyncio.sleep(0.1)
                warm = len(warmed)
                await asyncio.sleep(1)
                measuring_since[0] = time.time()
                cpu_before = servers_cpu(), time.process_time(), _server_cpu_seconds(servers[-1])
                Subscriber.deferred = True  # from here on the clients only note arrival times during an event
                try:
                    for _ in range(EVENTS):
                        await _read_between_events(clients)  # (and answer the server's keep-alive pings)
                        await http.post("/graphql/", json=sign_in)
                        await asyncio.sleep(0.5)
                    await asyncio.sleep(2)
                    cpu.extend([(servers_cpu() - cpu_before[0]) / EVENTS, (time.process_time() - cpu_before[1]) / EVENTS,
                                (_server_cpu_seconds(servers[-1]) - cpu_before[2]) / EVENTS])
                finally:
                    Subscriber.deferred = False
                    await _read_between_events(clients)
            deadline = time.monotonic() + 30
            while len(latencies) < subscribers * EVENTS and time.monotonic() < deadline and not failures:
                await asyncio.sleep(0.1)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for ws in clients:
            ws.close()
        if failures:
            raise AssertionError(f"{len(failures)} of {subscribers} subscribers failed, "
                                 f"{connected[0]} had subscribed; first: {failures[0]!r}") from failures[0]
        return latencies, per_event, warm, cpu

    import uvloop  # the clients' loop (as uvicorn's): the simulated browsers should cost as little as they can

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        latencies, per_event, warmed, (sign_in_cpu, server_cpu, client_cpu, fan_out_cpu) = runner.run(scenario())
    received = len(latencies)
    firsts = [min(v) for v in per_event.values()] or [float("nan")]
    lasts = [max(v) for v in per_event.values()] or [float("nan")]
    expected = subscribers * EVENTS
    p95 = percentile(latencies, 95) if latencies else float("inf")
    print_table(f"{number}. commit → subscriber latency ({subscribers:,} WebSocket subscribers, {EVENTS} events)", [
        Row("warm-up event delivered", f"{warmed} / {subscribers}"),
        Row("events delivered", f"{received} / {expected}", "all", received == expected),
        Row("latency p50", f"{percentile(latencies, 50) * 1000:.0f} ms" if latencies else "—"),
        Row("latency p95", f"{p95 * 1000:.0f} ms", "≤ 100 ms", p95 <= 0.1, headline=True),
        Row("first / last subscriber of an event, median", f"{median(firsts) * 1000:.0f} / {median(lasts) * 1000:.0f} ms"),
        Row(f"fan-out CPU per event, in the process that only fans out ({subscribers // 2:,} sockets)",
            f"{fan_out_cpu * 1000:.1f} ms = {fan_out_cpu / (subscribers // 2) * 1e6:.0f} µs a socket", headline=True),
        Row("server CPU per event, both processes, less a sign-in's own", f"{(server_cpu - sign_in_cpu) * 1000:.0f} ms"),
        Row("server CPU per event: the sign-in itself", f"{sign_in_cpu * 1000:.0f} ms", ref=True),
        Row(f"clients' CPU per event ({subscribers:,} receipts, read between events)", f"{client_cpu * 1000:.0f} ms"),
    ], notes=[f"server: {len(servers)} ASGI processes started with the project's command (jianlian.asgi_server), "
              f"each on its own loopback port, nothing in front; the {subscribers:,} clients, split evenly between "
              "them, run in the benchmark process (uvloop) and note each arrival before reading any (tests/bench/ws_client.py)",
              "event: an audit record (a sign-in) fanned out to every subscriber of the console's audit feed, "
              "each filtered by the subscriber's permission", "latency: arrival time − the record's commit-time timestamp",
              "server CPU: user + system time per measured event; the sign-ins go to the first process, so the second "
              "one's is the fan-out alone; both together less a sign-in's own (measured first, with nobody subscribed; "
              "mostly its Argon2 password check, whose variation hides a small fan-out)"])
    assert received == expected, "events were lost"
