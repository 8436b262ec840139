"""One mutation per referral step, and `availableActions` computed on the server: the sender is
never offered the receiver's steps and the receiver never the sender's (also inside one tenant,
where a grant at the lead hospital covers the sending township centre), and internal review
(待审核) can be approved and returned."""

from __future__ import annotations

import pytest
from graphql_relay import to_global_id

from jianlian.api.schema import schema
from jianlian.marketplace import services as market
from tests.factories import grant, make_user, member
from tests.utils import gql

FORM = {"patientName": "陈阿婆", "patientSex": "FEMALE", "patientBirthDate": "1948-05-02", "reason": "反复胸闷胸痛3天",
        "diagnosisCode": "I20.0", "diagnosisText": "不稳定型心绞痛", "urgency": "URGENT", "consent": True}
CREATE = """mutation($input: CreateReferralInput!) { createReferral(input: $input) {
  referral { id status availableActions } errors { field code } } }"""
ACTIONS = "query($id: ID!) { node(id: $id) { ... on Referral { status availableActions } } }"


def _step(name):
    return f"""mutation($input: {name[0].upper() + name[1:]}Input!) {{ {name}(input: $input) {{
      referral {{ status availableActions }} errors {{ field code }} }} }}"""


class Tonglu:
    """桐庐: a township centre (分水镇, the sender) refers to its own lead hospital (the receiver)."""

    def __init__(self, client, p):
        self.client, self.p = client, p
        market.install(None, p.tenant_a, "referrals")
        self.sender = p.users["doctor"]  # 赵医生 at 分水镇 (member_a1)
        self.receiver = make_user("钱医生甲")  # at the lead hospital; his grant there covers 分水镇 too
        member(self.receiver, p.tenant_a, p.lead_a)
        grant(self.receiver, "doctor", p.lead_a, p.tenant_a)
        self.reviewer = make_user("李转诊办")  # 分水镇's referral office: reviews what it sends
        member(self.reviewer, p.tenant_a, p.member_a1)
        grant(self.reviewer, "referral_office", p.member_a1, p.tenant_a)

    def call(self, user, doc, variables):
        status, body = gql(self.client, doc, variables, user=user, HTTP_X_TENANT=self.p.tenant_a.slug)
        assert status == 200 and not body.get("errors"), body
        return body["data"]

    def create(self, **over):
        data = self.call(self.sender, CREATE, {"input": {
            "fromUnit": to_global_id("OrgUnit", self.p.member_a1.pk), "toUnit": to_global_id("OrgUnit", self.p.lead_a.pk),
            **FORM, **over}})["createReferral"]
        assert data["errors"] == [], data
        return data["referral"]

    def step(self, user, name, referral_id, **fields):
        return self.call(user, _step(name), {"input": {"id": referral_id, **fields}})[name]

    def actions(self, user, referral_id):
        return self.call(user, ACTIONS, {"id": referral_id})["node"]["availableActions"]


@pytest.fixture
def tonglu(client, province):
    return Tonglu(client, province)


def test_a_draft_offers_its_sender_only_submit(tonglu):
    draft = tonglu.create()
    assert (draft["status"], draft["availableActions"]) == ("DRAFT", ["SUBMIT"])  # no 取消 on a draft


def test_sender_and_receiver_each_see_only_their_own_steps(tonglu):
    t = tonglu
    r = t.create()
    assert t.step(t.sender, "submitReferral", r["id"])["referral"]["status"] == "REQUESTED"
    assert t.actions(t.sender, r["id"]) == ["WITHDRAW"]
    assert t.actions(t.receiver, r["id"]) == ["RECEIVE", "ACCEPT", "REJECT", "HOLD", "CLOSE"]

    # the receiver's grant covers the sending centre, yet withdrawing is the sender's step
    refused = t.step(t.receiver, "withdrawReferral", r["id"])
    assert refused["errors"] == [{"field": None, "code": "ILLEGAL_TRANSITION"}]
    # a step that needs a reason names the field of its own input
    assert t.step(t.receiver, "returnReferralForInfo", r["id"], reason=" ")["errors"] == [
        {"field": "reason", "code": "REASON_REQUIRED"}]

    accepted = t.step(t.receiver, "acceptReferral", r["id"])
    assert accepted["errors"] == [] and accepted["referral"]["status"] == "ACCEPTED"
    assert t.actions(t.sender, r["id"]) == ["CANCEL"]
    assert t.actions(t.receiver, r["id"]) == ["BOOK", "ARRIVE", "CLOSE"]


def test_internal_review_is_approved_or_returned_by_the_reviewer(tonglu):
    t = tonglu
    r = t.create(needsReview=True)
    assert t.step(t.sender, "submitReferral", r["id"])["referral"]["status"] == "REVIEW"
    assert t.actions(t.sender, r["id"]) == ["WITHDRAW"]  # the doctor cannot review her own referral
    assert t.actions(t.reviewer, r["id"]) == ["APPROVE", "RETURN_TO_DRAFT"]  # reviews; withdrawing is the doctor's
    assert t.actions(t.receiver, r["id"]) == []  # nothing reaches the receiver before review

    returned = t.step(t.reviewer, "returnReferralReview", r["id"], reason="请补充心电图")
    assert returned["referral"]["status"] == "DRAFT"
    t.step(t.sender, "submitReferral", r["id"])
    approved = t.step(t.reviewer, "approveReferralReview", r["id"])
    assert approved["errors"] == [] and approved["referral"]["status"] == "REQUESTED"


def test_the_generic_transition_is_deprecated_for_one_release():
    field = schema.graphql_schema.mutation_type.fields["referralTransition"]
    assert field.deprecation_reason and "submitReferral" in field.deprecation_reason


BOARD = "query { referrals(first: 50) { edges { node { status availableActions } } } }"


def _board_queries(t, user) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        t.call(user, BOARD, {})
    return sum(1 for q in ctx.captured_queries if not q["sql"].startswith("SET search_path"))


def test_a_board_computes_available_actions_without_a_query_per_referral(tonglu):
    t = tonglu
    for _ in range(2):
        t.step(t.sender, "submitReferral", t.create()["id"])
    few = _board_queries(t, t.receiver)
    for _ in range(4):
        t.step(t.sender, "submitReferral", t.create()["id"])
    assert _board_queries(t, t.receiver) == few
