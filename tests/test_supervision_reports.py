"""The report's lifecycle over GraphQL: one explicit mutation per action, each taking only what it
needs, and `availableActions` computed on the server from the report's step and the viewer's
permissions — the same rules the actions enforce."""

from __future__ import annotations

from modules.supervision import services
from tests.test_supervision import JAN, _gid, w  # noqa: F401 — the fixture
from tests.utils import error_code, gql

REPORT = "report { step availableActions } errors { field code message }"
SUBMIT = f"""mutation($unit: ID!) {{ submitSupervisionReport(input: {{unit: $unit, period: "2026-01"}}) {{ {REPORT} }} }}"""
APPROVE = f"""mutation($unit: ID!) {{ approveSupervisionReport(input: {{unit: $unit, period: "2026-01"}}) {{ {REPORT} }} }}"""
RETURN = f"""mutation($unit: ID!, $reason: String!) {{ returnSupervisionReport(input: {{unit: $unit, period: "2026-01", reason: $reason}}) {{
  {REPORT} }} }}"""
QUEUE = """query($unit: ID!) { supervisionApprovalQueue(unit: $unit, period: "2026-01") {
  unit { unitId } step availableActions resubmittedAt returned { reason actorName } } }"""
FORM = """query($unit: ID!) { supervisionEntryForm(dataSet: "standard_monthly", unit: $unit, period: "2026-01") {
  step availableActions returned { reason actorName } } }"""


def _data(body, field):
    assert "errors" not in body, body
    return body["data"][field]


def test_each_action_is_its_own_mutation_and_the_server_says_what_each_viewer_may_do(w, client):
    p = w.p
    tenant = {"HTTP_X_TENANT": p.tenant_a.slug}
    unit = _gid(p.member_a1)

    def queue(user, node, **headers):
        _s, body = gql(client, QUEUE, {"unit": _gid(node)}, user=user, **headers)
        return {r["unit"]["unitId"]: r for r in _data(body, "supervisionApprovalQueue")}

    # an open report: the reporter may submit it, the community's approver may submit it too (she reports
    # for the community's units) and the county may do nothing yet
    _s, body = gql(client, FORM, {"unit": unit}, user=w.reporter, **tenant)
    assert _data(body, "supervisionEntryForm") == {"step": "OPEN", "availableActions": ["SUBMIT"], "returned": None}
    assert queue(w.officer, p.lead_a, **tenant)[p.member_a1.pk]["availableActions"] == ["SUBMIT"]
    assert queue(w.county, p.county_a)[p.member_a1.pk]["availableActions"] == []

    # submitting answers the report with what the submitter may do next: nothing
    _s, body = gql(client, SUBMIT, {"unit": unit}, user=w.reporter, **tenant)
    assert _data(body, "submitSupervisionReport") == {"report": {"step": "SUBMITTED", "availableActions": []}, "errors": []}
    assert queue(w.officer, p.lead_a, **tenant)[p.member_a1.pk]["availableActions"] == ["APPROVE", "RETURN"]

    # returning needs a reason (a payload error on the camelCase field), then the report is open again
    _s, body = gql(client, RETURN, {"unit": unit, "reason": " "}, user=w.officer, **tenant)
    assert [(e["field"], e["code"]) for e in _data(body, "returnSupervisionReport")["errors"]] == [("reason", "REASON_REQUIRED")]
    _s, body = gql(client, RETURN, {"unit": unit, "reason": "门诊人次有误"}, user=w.officer, **tenant)
    assert _data(body, "returnSupervisionReport")["report"] == {"step": "OPEN", "availableActions": ["SUBMIT"]}
    _s, body = gql(client, FORM, {"unit": unit}, user=w.reporter, **tenant)
    assert _data(body, "supervisionEntryForm") == {"step": "OPEN", "availableActions": ["SUBMIT"],
                                                   "returned": {"reason": "门诊人次有误", "actorName": w.officer.real_name}}

    # resubmitted: the queue says when, and the return is history
    services.submit(w.reporter, p.member_a1.pk, JAN)
    row = queue(w.officer, p.lead_a, **tenant)[p.member_a1.pk]
    assert row["resubmittedAt"] and row["returned"] is None and row["step"] == "SUBMITTED"

    # the county may not approve in the community's place: refused like any forbidden step
    _s, body = gql(client, APPROVE, {"unit": unit}, user=w.county)
    assert error_code(body) == "PERMISSION_DENIED"
    _s, body = gql(client, APPROVE, {"unit": unit}, user=w.officer, **tenant)
    assert _data(body, "approveSupervisionReport")["report"] == {"step": "COMMUNITY", "availableActions": ["RETURN"]}
    assert queue(w.county, p.county_a)[p.member_a1.pk]["availableActions"] == ["APPROVE", "RETURN"]
