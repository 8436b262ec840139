"""What a subscriber receives: each change once, and nothing it may not subscribe to."""

import asyncio
import json

import httpx
import pytest
from graphql_relay import to_global_id

from tests.factories import make_user, member
from tests.test_realtime import _next, _notify, _subscribed
from tests.test_referrals import CREATE, STEP
from tests.worlds import ReferralWorld as World
from tests.utils import token_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def w(unique):
    return World(unique(""))


def test_a_referral_inside_one_tenant_is_announced_once_per_change(live_asgi, w):
    # given 桐庐's admin, who may see referrals at both ends (a township centre and the lead hospital)
    p = w.p
    admin, sender = token_for(p.users["tenant_admin"]), token_for(w.sender)
    query = "subscription { referralChanged { status } }"

    async def scenario():
        ws = await _subscribed(live_asgi, p.tenant_a.slug, admin, "r", query)
        await asyncio.sleep(0.5)
        async with httpx.AsyncClient(base_url=f"http://{live_asgi}", timeout=20) as http:
            headers = {"X-Tenant": p.tenant_a.slug, "Authorization": f"Bearer {sender}"}
            # when a township doctor refers a patient up to the lead hospital of the same community
            r = await http.post("/graphql/", headers=headers, json={"query": CREATE, "variables": {
                "from": to_global_id("OrgUnit", p.member_a1.pk), "to": to_global_id("OrgUnit", p.lead_a.pk),
                "desk": w.desk_a}})
            rid = r.json()["data"]["createReferral"]["referral"]["id"]
            r = await http.post("/graphql/", headers=headers, json={"query": STEP, "variables": {"id": rid, "action": "SUBMIT"}})
            assert r.json()["data"]["referralTransition"]["referral"]["status"] == "REQUESTED", r.text
        received = []
        try:
            while True:
                received.append(await _next(ws, timeout=2))
        except asyncio.TimeoutError:
            pass
        await ws.close()
        return received

    # then the admin's socket hears each change once
    received = asyncio.run(scenario())
    statuses = [m["payload"]["data"]["referralChanged"]["status"] for m in received]
    assert statuses == ["REQUESTED"], statuses  # a draft is nobody else's business yet


@pytest.mark.parametrize("query", ["subscription { referralChanged { status } }",
                                   "subscription { auditRecorded { action } }"])
def test_subscribing_without_the_permission_is_refused(live_asgi, w, query):
    # given a member of 桐庐 with no role: no referrals.view, no platform.view_audit
    p = w.p
    nobody = make_user("无角色")
    member(nobody, p.tenant_a, p.member_a2)
    token = token_for(nobody)

    async def scenario():
        ws = await _subscribed(live_asgi, p.tenant_a.slug, token, "s", query)
        message = await _next(ws)
        await ws.close()
        return message

    # then the subscription is refused at once, with a code
    message = asyncio.run(scenario())
    assert message["type"] == "error" and message["id"] == "s"
    assert message["payload"][0]["extensions"]["code"] == "PERMISSION_DENIED"


def test_every_socket_of_a_person_hears_an_event_once_in_a_plain_frame(live_asgi, w):
    # given 桐庐's admin with the audit feed open in three browser tabs, each offering compression
    p = w.p
    admin = token_for(p.users["tenant_admin"])
    query = "subscription { auditRecorded { action actorLabel } }"

    async def scenario():
        tabs = [await _subscribed(live_asgi, p.tenant_a.slug, admin, f"tab{i}", query) for i in range(3)]
        await asyncio.sleep(0.5)
        # when the admin sends a notification (an audited write)
        r = await _notify(live_asgi, p.tenant_a.slug, admin, p.users["doctor"])
        assert r.json()["data"]["sendNotification"]["errors"] == [], r.text
        heard = {}
        for i, ws in enumerate(tabs):
            heard[i] = []
            try:
                while True:
                    heard[i].append(await _next(ws, timeout=1.5))
            except asyncio.TimeoutError:
                pass
        extensions = [ws.protocol.extensions for ws in tabs]
        for ws in tabs:
            await ws.close()
        return heard, extensions

    heard, extensions = asyncio.run(scenario())
    # then each tab hears it once, under its own operation id
    for i, messages in heard.items():
        sends = [m for m in messages if m["payload"]["data"]["auditRecorded"]["action"] == "notifications.send"]
        assert sends == [{"id": f"tab{i}", "type": "next", "payload": {"data": {"auditRecorded": {
            "action": "notifications.send", "actorLabel": p.users["tenant_admin"].real_name}}}}], messages
    # and the server declined per-message compression: small events fanned out to thousands of
    # sockets cost more to compress, socket by socket, than they save
    assert extensions == [[], [], []]
