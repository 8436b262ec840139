"""Subscriptions over a real WebSocket speaking graphql-transport-ws, against a real server."""

import asyncio
import json
import socket

import httpx
import pytest
import websockets
from graphql_relay import to_global_id

from tests.factories import build_province, grant
from tests.utils import token_for

pytestmark = pytest.mark.django_db(transaction=True)

NOTIFY = """mutation($to: [ID!]) { sendNotification(input: {title: "明早8点科室会议", body: "请准时参加",
  kind: MEETING, priority: URGENT, userIds: $to}) { notification { id } errors { code message } } }"""


async def _connect(addr, path, token=None):
    ws = await websockets.connect(f"ws://{addr}{path}", subprotocols=["graphql-transport-ws"])
    payload = {"authorization": f"Bearer {token}"} if token else {}
    await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
    return ws


async def _subscribe(ws, op_id, query):
    await ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": {"query": query}}))
    await asyncio.sleep(0.5)  # the server joins the channel-layer group asynchronously


async def _next(ws, timeout=5):
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def _subscribed(addr, slug, token, op_id, query, variables=None):
    """A socket on the tenant, acknowledged and subscribed to `query`."""
    ws = await _connect(addr, f"/t/{slug}/graphql/", token)
    assert (await _next(ws))["type"] == "connection_ack"
    await ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": {"query": query, "variables": variables or {}}}))
    return ws


async def _notify(addr, slug, sender_token, recipient):
    """Send a notification over HTTP (an audited write whose event goes out after commit)."""
    async with httpx.AsyncClient(base_url=f"http://{addr}") as http:
        return await http.post("/graphql/", json={"query": NOTIFY, "variables": {"to": [to_global_id("User", recipient.pk)]}},
                               headers={"X-Tenant": slug, "Authorization": f"Bearer {sender_token}"})


async def _close_code(ws):
    with pytest.raises(websockets.ConnectionClosed) as e:
        for _ in range(3):
            await asyncio.wait_for(ws.recv(), 5)
    return e.value.rcvd.code


@pytest.fixture
def world(unique):
    p = build_province(unique(""))
    return p, {k: token_for(u) for k, u in p.users.items()}


def test_a_subscriber_receives_an_event_caused_by_another_users_http_mutation(live_asgi, world):
    p, tokens = world
    slug = p.tenant_a.slug

    async def scenario():
        ws = await _connect(live_asgi, f"/t/{slug}/graphql/", tokens["doctor"])
        assert (await _next(ws))["type"] == "connection_ack"
        await _subscribe(ws, "n1", "subscription { notificationReceived { title body kind priority senderName } }")
        r = await _notify(live_asgi, slug, tokens["tenant_admin"], p.users["doctor"])
        assert r.json()["data"]["sendNotification"]["errors"] == [], r.text
        msg = await _next(ws)
        await ws.close()
        return msg

    msg = asyncio.run(scenario())
    assert msg == {"id": "n1", "type": "next", "payload": {"data": {"notificationReceived": {
        "title": "明早8点科室会议", "body": "请准时参加", "kind": "MEETING", "priority": "URGENT", "senderName": "张院管"}}}}


def test_events_are_filtered_by_the_subscribers_permissions(live_asgi, world):
    p, tokens = world
    slug = p.tenant_a.slug
    query = "subscription { auditRecorded { action actorLabel } }"

    async def scenario():
        admin_ws = await _subscribed(live_asgi, slug, tokens["tenant_admin"], "a1", query)
        doctor_ws = await _subscribed(live_asgi, slug, tokens["doctor"], "a1", query)
        await asyncio.sleep(0.5)  # the server joins the channel-layer group asynchronously
        # the doctor sends a message in the tenant, which writes an audit record
        await _notify(live_asgi, slug, tokens["doctor"], p.users["tenant_admin"])
        seen_by_admin = await _next(admin_ws)
        # the doctor may not read the audit log: the subscription was refused, and nothing follows
        refused = await _next(doctor_ws)
        assert refused["type"] == "error" and refused["payload"][0]["extensions"]["code"] == "PERMISSION_DENIED"
        with pytest.raises(asyncio.TimeoutError):
            await _next(doctor_ws, timeout=1.5)
        await admin_ws.close()
        await doctor_ws.close()
        return seen_by_admin

    msg = asyncio.run(scenario())
    assert msg["payload"]["data"]["auditRecorded"] == {"action": "notifications.send", "actorLabel": "赵医生"}


def test_unauthenticated_and_wrong_tenant_connections_are_refused_with_protocol_codes(live_asgi, world):
    p, tokens = world

    async def scenario():
        codes = {}
        ws = await _connect(live_asgi, f"/t/{p.tenant_a.slug}/graphql/")  # no token
        codes["no_token"] = await _close_code(ws)
        ws = await _connect(live_asgi, f"/t/{p.tenant_a.slug}/graphql/", "jl_forged")
        codes["bad_token"] = await _close_code(ws)
        ws = await _connect(live_asgi, f"/t/{p.tenant_a.slug}/graphql/", tokens["doctor_b"])  # member of B only
        codes["wrong_tenant"] = await _close_code(ws)
        ws = await _connect(live_asgi, "/t/nosuchplace/graphql/", tokens["doctor"])
        codes["unknown_tenant"] = await _close_code(ws)
        return codes

    assert asyncio.run(scenario()) == {"no_token": 4401, "bad_token": 4401, "wrong_tenant": 4403, "unknown_tenant": 4403}


def test_protocol_details(live_asgi, world):
    p, tokens = world

    async def scenario():
        out = {}
        ws = await _connect(live_asgi, f"/t/{p.tenant_a.slug}/graphql/", tokens["doctor"])
        await _next(ws)
        await ws.send(json.dumps({"type": "ping"}))
        out["pong"] = (await _next(ws))["type"]
        # queries and mutations belong on HTTP
        await ws.send(json.dumps({"id": "q", "type": "subscribe", "payload": {"query": "{ me { username } }"}}))
        err = await _next(ws)
        out["query"] = (err["type"], err["payload"][0]["extensions"]["code"])
        # the same validation as HTTP
        await ws.send(json.dumps({"id": "v", "type": "subscribe", "payload": {"query": "subscription { nothing }"}}))
        err = await _next(ws)
        out["invalid"] = (err["type"], err["payload"][0]["extensions"]["code"])
        # a duplicate operation id closes with 4409
        await _subscribe(ws, "dup", "subscription { notificationReceived { title } }")
        await ws.send(json.dumps({"id": "dup", "type": "subscribe", "payload": {"query": "subscription { notificationReceived { title } }"}}))
        out["duplicate"] = await _close_code(ws)
        # subscribing before connection_init is answered with 4401
        ws = await websockets.connect(f"ws://{live_asgi}/t/{p.tenant_a.slug}/graphql/", subprotocols=["graphql-transport-ws"])
        await ws.send(json.dumps({"id": "x", "type": "subscribe", "payload": {"query": "subscription { notificationReceived { title } }"}}))
        out["early"] = await _close_code(ws)
        return out

    assert asyncio.run(scenario()) == {
        "pong": "pong", "query": ("error", "GRAPHQL_VALIDATION_FAILED"), "invalid": ("error", "GRAPHQL_VALIDATION_FAILED"),
        "duplicate": 4409, "early": 4401,
    }


# --- the fan-out hub: one layer subscription per group per process, one execution per document ------


def _layer_listeners(group: str) -> int:
    """How many processes' channel layers subscribe to `group` in Redis (pub/sub)."""
    import redis
    from django.conf import settings

    channel = f"{settings.CHANNEL_LAYERS['default']['CONFIG'].get('prefix', 'asgi')}__group__{group}"
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        return dict(client.pubsub_numsub(channel))[channel.encode()]
    finally:
        client.close()


def test_one_shared_fanout_serves_each_subscriber_by_its_own_permission_and_document(live_asgi, world):
    # given: on one server process, two admins' sockets with different documents and a doctor's
    # socket with the admin's document, all on the tenant's audit feed
    p, tokens = world
    slug, schema = p.tenant_a.slug, p.tenant_a.schema_name
    long_query = "subscription { auditRecorded { action actorLabel } }"
    short_query = "subscription { auditRecorded { action } }"

    async def scenario():
        sockets = {name: await _subscribed(live_asgi, slug, tokens[token], name, query)
                   for name, token, query in (("admin_long", "tenant_admin", long_query),
                                              ("admin_short", "tenant_admin", short_query), ("doctor_long", "doctor", long_query))}
        await asyncio.sleep(0.5)
        listeners = _layer_listeners(f"{schema}.all")
        # when: the doctor does something audited
        await _notify(live_asgi, slug, tokens["doctor"], p.users["tenant_admin"])
        got = {name: await _next(sockets[name]) for name in ("admin_long", "admin_short")}
        assert (await _next(sockets["doctor_long"]))["type"] == "error"  # refused when it subscribed
        with pytest.raises(asyncio.TimeoutError):
            await _next(sockets["doctor_long"], timeout=1.5)
        for ws in sockets.values():
            await ws.close()
        return listeners, got

    listeners, got = asyncio.run(scenario())
    # then: the process listens to the group once; each admin gets the shape it asked for, the doctor a refusal
    assert listeners == 1
    assert got == {
        "admin_long": {"id": "admin_long", "type": "next", "payload": {"data": {"auditRecorded": {
            "action": "notifications.send", "actorLabel": "赵医生"}}}},
        "admin_short": {"id": "admin_short", "type": "next", "payload": {"data": {"auditRecorded": {"action": "notifications.send"}}}},
    }


def test_a_completed_subscription_receives_nothing_more_and_the_last_one_leaves_the_group(live_asgi, world):
    # given: the doctor subscribed to notifications on two sockets, and completes one of them
    p, tokens = world
    slug, schema = p.tenant_a.slug, p.tenant_a.schema_name
    query = "subscription { notificationReceived { title } }"
    group = f"{schema}.user.{p.users['doctor'].pk}"

    async def scenario():
        kept = await _subscribed(live_asgi, slug, tokens["doctor"], "n", query)
        done = await _subscribed(live_asgi, slug, tokens["doctor"], "n", query)
        await asyncio.sleep(0.5)
        await done.send(json.dumps({"id": "n", "type": "complete"}))
        await asyncio.sleep(0.3)
        # when: a notification is sent to the doctor
        await _notify(live_asgi, slug, tokens["tenant_admin"], p.users["doctor"])
        received = await _next(kept)
        with pytest.raises(asyncio.TimeoutError):
            await _next(done, timeout=1.5)
        await kept.close()
        await done.close()
        for _ in range(50):  # the group is left asynchronously once its last subscriber is gone
            if _layer_listeners(group) == 0:
                break
            await asyncio.sleep(0.1)
        return received, _layer_listeners(group)

    received, listeners_after = asyncio.run(scenario())
    # then: only the live subscription got it, and nobody listens to the group any more
    assert received["payload"]["data"]["notificationReceived"]["title"] == "明早8点科室会议"
    assert listeners_after == 0


def test_job_progress_reaches_only_the_subscriber_of_that_job(live_asgi, world):
    # given: two sockets following two different jobs of the tenant (same document, other variables)
    from asgiref.sync import sync_to_async

    from tenants.tasks import SCHEMA_KWARG
    from tests.test_tenant_tasks import long_job

    p, tokens = world
    slug, schema = p.tenant_a.slug, p.tenant_a.schema_name
    query = "subscription($t: String!) { jobProgress(taskId: $t) { taskId done total message } }"
    ours, theirs = "job-ours", "job-theirs"

    async def scenario():
        sockets = {t: await _subscribed(live_asgi, slug, tokens["doctor"], "j", query, {"t": t}) for t in (ours, theirs)}
        await asyncio.sleep(0.5)
        # when: our job runs two steps
        await sync_to_async(long_job.apply)(args=[2], kwargs={SCHEMA_KWARG: schema}, task_id=ours)
        got = [(await _next(sockets[ours]))["payload"]["data"]["jobProgress"] for _ in range(2)]
        with pytest.raises(asyncio.TimeoutError):
            await _next(sockets[theirs], timeout=1)
        for ws in sockets.values():
            await ws.close()
        return got

    # then: its subscriber sees both steps in order; the other job's subscriber sees nothing
    assert asyncio.run(scenario()) == [
        {"taskId": ours, "done": i, "total": 2, "message": f"已完成第 {i} 步"} for i in (1, 2)
    ]


def test_a_hand_written_generator_over_listen_is_still_served_per_socket(transactional_db, world):
    # given: a schema whose subscription iterates `listen(...)` itself instead of returning it,
    # served by our consumer on a real uvicorn (in this test's own event loop)
    import graphene
    import uvicorn
    from channels.auth import AuthMiddlewareStack
    from channels.layers import channel_layers
    from channels.routing import URLRouter
    from django.urls import re_path

    from jianlian.api.schema import Query
    from jianlian.realtime import events
    from jianlian.realtime.consumer import GraphQLConsumer
    from jianlian.realtime.subscriptions import listen
    from tenants.asgi import TenantScopeMiddleware

    class Subscription(graphene.ObjectType):
        titles = graphene.String(required=True)

        @staticmethod
        async def subscribe_titles(root, info):
            schema = info.context.tenant.schema_name
            async for payload in listen(info, groups=[events.user_group(info.context.user.pk, schema)], names={"test.title"}):
                yield payload["title"]

    app = TenantScopeMiddleware(AuthMiddlewareStack(URLRouter([
        re_path(r"^(t/[^/]+/)?graphql/?$", GraphQLConsumer.as_asgi(schema=graphene.Schema(query=Query, subscription=Subscription).graphql_schema)),
    ])))
    p, tokens = world
    slug, schema = p.tenant_a.slug, p.tenant_a.schema_name
    doctor = p.users["doctor"].pk

    async def scenario():
        from asgiref.sync import sync_to_async

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off",
                                               ws="websockets-sansio"))
        serving = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.05)
        try:
            ws = await _subscribed(f"127.0.0.1:{port}", slug, tokens["doctor"], "t", "subscription { titles }")
            await asyncio.sleep(0.5)
            # when: two events reach the doctor's group
            for title in ("一", "二"):
                await sync_to_async(events.send_now)("test.title", {"title": title}, groups=[events.user_group(doctor, schema)])
            got = [await _next(ws) for _ in range(2)]
            await ws.close()
            return got
        finally:
            server.should_exit = True
            await serving

    channel_layers.backends.clear()  # a layer is bound to the loop that first used it
    try:
        got = asyncio.run(scenario())
    finally:
        channel_layers.backends.clear()
    # then: each arrives, in order, executed for that socket
    assert got == [{"id": "t", "type": "next", "payload": {"data": {"titles": t}}} for t in ("一", "二")]


def test_a_subscriber_that_stops_reading_holds_up_nobody_and_is_closed(live_asgi, world):
    # given: two sockets on one server process following the same job; one of them stops reading
    # (a small receive buffer, so the server's buffers fill after a few megabytes)
    from asgiref.sync import sync_to_async

    from jianlian.realtime import events
    from jianlian.realtime.hub import MAX_PENDING_CHARS
    from jianlian.realtime.schema import JOB_PROGRESS, job_group

    p, tokens = world
    slug, schema = p.tenant_a.slug, p.tenant_a.schema_name
    query = "subscription { jobProgress(taskId: \"big\") { done message } }"
    chunk = "进" * 30_000  # 90 kB of UTF-8 per event, sent uncompressed
    # more than the kernel's buffers (a loopback send buffer grows to 4 MiB here) and the outbox hold
    count = (16 << 20) // (3 * len(chunk)) + MAX_PENDING_CHARS // len(chunk) + 20

    async def scenario():
        host, port = live_asgi.split(":")
        stuck_sock = socket.socket()
        stuck_sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
        stuck_sock.connect((host, int(port)))
        stuck = await websockets.connect(f"ws://{live_asgi}/t/{slug}/graphql/", sock=stuck_sock, subprotocols=["graphql-transport-ws"],
                                         compression=None, max_queue=1)
        await stuck.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {tokens['doctor']}"}}))
        assert (await _next(stuck))["type"] == "connection_ack"
        await stuck.send(json.dumps({"id": "s", "type": "subscribe", "payload": {"query": query}}))
        healthy = await websockets.connect(f"ws://{live_asgi}/t/{slug}/graphql/", subprotocols=["graphql-transport-ws"],
                                           compression=None, max_size=None, max_queue=None)
        await healthy.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {tokens['doctor']}"}}))
        assert (await _next(healthy))["type"] == "connection_ack"
        await healthy.send(json.dumps({"id": "h", "type": "subscribe", "payload": {"query": query}}))
        await asyncio.sleep(0.5)
        reading = asyncio.create_task(_read(healthy, count))
        # when: many large progress events are published while the stuck socket reads nothing
        send = sync_to_async(events.send_now)
        for i in range(count):
            await send(JOB_PROGRESS, {"taskId": "big", "done": i, "total": count, "message": chunk},
                       groups=[job_group("big", schema)])
        done = [m["payload"]["data"]["jobProgress"]["done"] for m in await reading]
        await healthy.close()
        # then the stuck socket, once it reads again, finds its connection closed with 1013
        code = await _close_code_after_frames(stuck)
        return done, code

    done, code = asyncio.run(scenario())
    assert done == list(range(count))  # the healthy subscriber got every event, in order
    assert code == 1013


async def _read(ws, count, timeout=10):
    return [await _next(ws, timeout) for _ in range(count)]


async def _close_code_after_frames(ws, timeout=20):
    try:
        while True:
            await asyncio.wait_for(ws.recv(), timeout)
    except websockets.ConnectionClosed as e:
        return e.rcvd.code if e.rcvd else None
