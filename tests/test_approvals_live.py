"""Live over a real WebSocket (issue 16): the approver's to-do count rises the moment a request
is submitted over HTTP, and the submitter's page hears the decision."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from graphql_relay import to_global_id

from tenants.context import tenant_context
from tests.approvals_world import approver, build, users
from tests.factories import build_province
from tests.test_realtime import _next, _subscribed
from tests.utils import token_for

pytestmark = pytest.mark.django_db(transaction=True)

START = """mutation($t: ID!, $d: JSONString!) { startApproval(input: {template: $t, data: $d}) { instance { id } errors { code } } }"""
APPROVE = """mutation($t: ID!) { approveApprovalTask(input: {task: $t}) { instance { status } errors { code } } }"""
TASKS = "{ approvalTasks { edges { node { id } } } }"


def test_the_approver_sees_it_arrive_and_the_submitter_sees_the_decision(live_asgi, unique):
    p = build_province(unique(""))
    with tenant_context(p.tenant_a):
        w = build(p)
        t = w.template(approver("a", users(w.user("钱进"))))
    slug = p.tenant_a.slug
    zhao, qian = token_for(w.user("赵敏")), token_for(w.user("钱进"))

    async def post(token, query, variables=None):
        async with httpx.AsyncClient(base_url=f"http://{live_asgi}") as http:
            r = await http.post("/graphql/", json={"query": query, "variables": variables or {}},
                                headers={"X-Tenant": slug, "Authorization": f"Bearer {token}"})
            return r.json()["data"]

    async def scenario():
        counts = await _subscribed(live_asgi, slug, qian, "c", "subscription { todoCountsChanged { pending ccUnread } }")
        changes = await _subscribed(live_asgi, slug, zhao, "s", "subscription { approvalChanged { id status action } }")
        await asyncio.sleep(0.5)
        started = await post(zhao, START, {"t": to_global_id("ApprovalTemplate", t.pk), "d": json.dumps({"reason": "看病"})})
        arrived = await _next(counts)
        submitted = await _next(changes)
        [edge] = (await post(qian, TASKS))["approvalTasks"]["edges"]
        assert (await post(qian, APPROVE, {"t": edge["node"]["id"]}))["approveApprovalTask"]["errors"] == []
        decided = await _next(changes)
        cleared = await _next(counts)
        for ws in (counts, changes):
            await ws.close()
        return started, arrived, submitted, decided, cleared

    started, arrived, submitted, decided, cleared = asyncio.run(scenario())
    iid = started["startApproval"]["instance"]["id"]
    assert arrived["payload"]["data"]["todoCountsChanged"] == {"pending": 1, "ccUnread": 0}
    assert submitted["payload"]["data"]["approvalChanged"] == {"id": iid, "status": "RUNNING", "action": "submit"}
    assert decided["payload"]["data"]["approvalChanged"] == {"id": iid, "status": "APPROVED", "action": "approve"}
    assert cleared["payload"]["data"]["todoCountsChanged"] == {"pending": 0, "ccUnread": 0}
