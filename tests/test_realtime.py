"""Subscriptions over a real WebSocket speaking graphql-transport-ws, against a real server."""

import asyncio
import json

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
        async with httpx.AsyncClient(base_url=f"http://{live_asgi}") as http:
            r = await http.post("/graphql/", json={"query": NOTIFY, "variables": {"to": [to_global_id("User", p.users["doctor"].pk)]}},
                                headers={"X-Tenant": slug, "Authorization": f"Bearer {tokens['tenant_admin']}"})
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
        admin_ws = await _connect(live_asgi, f"/t/{slug}/graphql/", tokens["tenant_admin"])
        doctor_ws = await _connect(live_asgi, f"/t/{slug}/graphql/", tokens["doctor"])
        for ws in (admin_ws, doctor_ws):
            assert (await _next(ws))["type"] == "connection_ack"
            await _subscribe(ws, "a1", query)
        # the doctor sends a message in the tenant, which writes an audit record
        async with httpx.AsyncClient(base_url=f"http://{live_asgi}") as http:
            await http.post("/graphql/", json={"query": NOTIFY, "variables": {"to": [to_global_id("User", p.users["tenant_admin"].pk)]}},
                            headers={"X-Tenant": slug, "Authorization": f"Bearer {tokens['doctor']}"})
        seen_by_admin = await _next(admin_ws)
        with pytest.raises(asyncio.TimeoutError):
            await _next(doctor_ws, timeout=1.5)  # the doctor may not read the audit log
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
