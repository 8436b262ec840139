"""Supervision writes are announced live after they commit (`supervisionChanged`), on the province
console and in the unit's tenant, only to subscribers who may see the unit."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from graphql_relay import to_global_id

from tests.factories import grant, make_user
from tests.test_realtime import _connect, _next
from tests.worlds import JAN, SupervisionWorld as World
from tests.utils import token_for

pytestmark = pytest.mark.django_db(transaction=True)

CHANGED = "subscription { supervisionChanged { unit unitId dataSet period action step } }"
SUBMIT = """mutation($input: SupervisionReportInput!) { submitSupervisionReport(input: $input) {
  report { step } errors { code message } } }"""
RETURN = """mutation($input: ReturnSupervisionReportInput!) { returnSupervisionReport(input: $input) {
  report { step } errors { code message } } }"""


async def _watch(addr, path, token):
    ws = await _connect(addr, path, token)
    assert (await _next(ws))["type"] == "connection_ack"
    await ws.send(json.dumps({"id": "s", "type": "subscribe", "payload": {"query": CHANGED}}))
    return ws


async def _step(addr, slug, token, mutation, **input):
    async with httpx.AsyncClient(base_url=f"http://{addr}") as http:
        r = await http.post("/graphql/", json={"query": mutation, "variables": {"input": input}},
                            headers={"X-Tenant": slug, "Authorization": f"Bearer {token}"})
    [payload] = r.json()["data"].values()
    assert payload["errors"] == [], r.text
    return payload


def test_a_return_reaches_the_units_entry_page_and_the_county_but_not_another_county(live_asgi, unique):
    w = World(unique(""))
    p = w.p
    other = make_user("冯县督")  # 象山's supervisor: another county
    grant(other, "county_supervisor", p.county_b)
    tokens = {k: token_for(u) for k, u in (("reporter", w.reporter), ("officer", w.officer), ("county", w.county),
                                             ("other", other))}
    slug, unit = p.tenant_a.slug, to_global_id("OrgUnit", p.member_a1.pk)

    async def scenario():
        entry = await _watch(live_asgi, f"/t/{slug}/graphql/", tokens["reporter"])  # the unit's entry page
        county = await _watch(live_asgi, "/graphql/", tokens["county"])  # the county on the province console
        outsider = await _watch(live_asgi, "/graphql/", tokens["other"])
        await asyncio.sleep(1)  # the server joins the channel-layer groups asynchronously
        await _step(live_asgi, slug, tokens["reporter"], SUBMIT, unit=unit, period=JAN)
        submitted = [(await _next(entry))["payload"]["data"]["supervisionChanged"],
                     (await _next(county))["payload"]["data"]["supervisionChanged"]]
        await _step(live_asgi, slug, tokens["officer"], RETURN, unit=unit, period=JAN, reason="床位数有误")
        returned = (await _next(entry))["payload"]["data"]["supervisionChanged"]
        with pytest.raises(asyncio.TimeoutError):
            await _next(outsider, timeout=1.5)
        for ws in (entry, county, outsider):
            await ws.close()
        return submitted, returned

    submitted, returned = asyncio.run(scenario())
    expected = {"unit": unit, "unitId": p.member_a1.pk, "dataSet": "standard_monthly", "period": JAN}
    assert submitted == [{**expected, "action": "submit", "step": "SUBMITTED"}] * 2
    assert returned == {**expected, "action": "unapprove", "step": "OPEN"}
