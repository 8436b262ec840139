"""Issue 15 items 4 and 5: a socket loses its connection when its token, tenant, membership or
account loses access; cookie-authenticated sockets only from our own origins; frame size and
subscriptions per socket capped with clear close codes. Against a real uvicorn."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest
import websockets
from asgiref.sync import sync_to_async

from tests.factories import build_province
from tests.utils import token_for

pytestmark = pytest.mark.django_db(transaction=True)

SUBSCRIBE = "subscription { notificationReceived { title } }"


async def _open(addr, slug, token=None, op_id="n1", **connect):
    """A socket on the tenant, acknowledged and subscribed (or the close code when refused)."""
    ws = await websockets.connect(f"ws://{addr}/t/{slug}/graphql/", subprotocols=["graphql-transport-ws"], **connect)
    await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"} if token else {}}))
    ack = json.loads(await asyncio.wait_for(ws.recv(), 5))
    assert ack["type"] == "connection_ack", ack
    await ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
    await asyncio.sleep(0.3)
    return ws


async def _closed_with(ws, timeout=3.0):
    """The close code once the server closes `ws`, within `timeout` seconds."""
    started = time.monotonic()
    with pytest.raises(websockets.ConnectionClosed) as e:
        while True:
            await asyncio.wait_for(ws.recv(), max(0.05, timeout - (time.monotonic() - started)))
    return e.value.rcvd.code if e.value.rcvd else None


async def _alive(ws) -> bool:
    await ws.send(json.dumps({"type": "ping"}))
    return json.loads(await asyncio.wait_for(ws.recv(), 3))["type"] == "pong"


@pytest.fixture
def world(unique):
    return build_province(unique(""))


def test_signing_out_closes_that_tokens_sockets_at_once(live_asgi, world):
    doctor = world.users["doctor"]
    revoked, kept = token_for(doctor), token_for(doctor)
    slug = world.tenant_a.slug

    async def scenario():
        gone = await _open(live_asgi, slug, revoked)
        other = await _open(live_asgi, slug, kept)
        async with httpx.AsyncClient(base_url=f"http://{live_asgi}") as http:
            r = await http.post("/graphql/", json={"query": "mutation { signOut { ok } }"},
                                headers={"Authorization": f"Bearer {revoked}", "X-Tenant": slug})
        assert r.json()["data"]["signOut"]["ok"] is True
        code = await _closed_with(gone)
        still = await _alive(other)
        await other.close()
        return code, still

    assert asyncio.run(scenario()) == (4401, True)


def test_suspending_a_tenant_closes_its_sockets_and_no_others(live_asgi, world):
    from tenants.provisioning import set_status

    doctor, doctor_b = token_for(world.users["doctor"]), token_for(world.users["doctor_b"])

    async def scenario():
        inside = await _open(live_asgi, world.tenant_a.slug, doctor)
        elsewhere = await _open(live_asgi, world.tenant_b.slug, doctor_b)
        await sync_to_async(set_status)(None, world.tenant_a, "suspended", "停业整顿")
        code = await _closed_with(inside)
        still = await _alive(elsewhere)
        await elsewhere.close()
        return code, still

    assert asyncio.run(scenario()) == (4403, True)


def test_leaving_and_a_disabled_account_close_the_persons_sockets(live_asgi, world):
    from django.utils import timezone

    from jianlian.identity.models import User
    from jianlian.org import services as org
    from tenants.context import tenant_context
    from tests.factories import make_department, make_staff

    p = world
    with tenant_context(p.tenant_a):
        dept = make_department("HLB", "护理部", unit=p.lead_a)
        nurse = make_staff("山护士", unit=p.lead_a, department=dept)
    User.objects.filter(pk=nurse.user_id).update(status="active")
    nurse_token = token_for(User.objects.get(pk=nurse.user_id))

    def leave():
        with tenant_context(p.tenant_a):
            org.schedule_leave(p.users["tenant_admin"], nurse.pk, effective_at=timezone.now())

    def disable():
        user = User.objects.get(pk=p.users["doctor"].pk)
        user.status = "disabled"
        user.save()

    doctor_token = token_for(p.users["doctor"])

    async def scenario():
        leaver = await _open(live_asgi, p.tenant_a.slug, nurse_token)
        await sync_to_async(leave)()
        left = await _closed_with(leaver)
        doctor = await _open(live_asgi, p.tenant_a.slug, doctor_token)
        await sync_to_async(disable)()
        return left, await _closed_with(doctor)

    assert asyncio.run(scenario()) == (4403, 4403)


def test_cookie_sockets_must_come_from_our_own_origin(live_asgi, world):
    from django.test import Client

    browser = Client()
    browser.force_login(world.users["doctor"], backend="jianlian.identity.backends.MobileOrUsernameBackend")
    cookie = f"sessionid={browser.cookies['sessionid'].value}"
    slug = world.tenant_a.slug

    async def scenario():
        ours = await _open(live_asgi, slug, additional_headers={"Cookie": cookie, "Origin": f"http://{live_asgi}"})
        still = await _alive(ours)
        await ours.close()
        foreign = await websockets.connect(f"ws://{live_asgi}/t/{slug}/graphql/", subprotocols=["graphql-transport-ws"],
                                           additional_headers={"Cookie": cookie, "Origin": "https://evil.example"})
        await foreign.send(json.dumps({"type": "connection_init", "payload": {}}))
        return still, await _closed_with(foreign)

    assert asyncio.run(scenario()) == (True, 4403)


def test_oversized_frames_close_with_1009_without_stalling_the_server(live_asgi, world, settings):
    slug = world.tenant_a.slug
    token = token_for(world.users["doctor"])

    async def scenario():
        ws = await _open(live_asgi, slug, token)
        big = json.dumps({"id": "big", "type": "subscribe", "payload": {"query": SUBSCRIBE + " " * (10_500_000)}})
        started = time.monotonic()
        send = asyncio.ensure_future(ws.send(big))
        async with httpx.AsyncClient(base_url=f"http://{live_asgi}") as http:
            health = await http.get("/healthz", timeout=10)
        healthz_seconds = time.monotonic() - started
        code = await _closed_with(ws, timeout=10)
        send.cancel()
        return health.status_code, healthz_seconds, code

    status, seconds, code = asyncio.run(scenario())
    assert status == 200 and seconds < 2.0, seconds
    assert code == 1009


def test_subscriptions_per_socket_are_capped_with_4429(live_asgi, world, settings):
    settings.WS_MAX_SUBSCRIPTIONS = 3
    token = token_for(world.users["doctor"])

    async def scenario():
        ws = await _open(live_asgi, world.tenant_a.slug, token, op_id="s0")
        for n in (1, 2):
            await ws.send(json.dumps({"id": f"s{n}", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
        assert await _alive(ws)
        await ws.send(json.dumps({"id": "s3", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
        return await _closed_with(ws)

    assert asyncio.run(scenario()) == 4429
