"""Issue 15 item 8: a secondment into another tenant needs that tenant's consent — a request its
organisation managers accept or decline — unless the one who schedules it manages both tenants."""

from __future__ import annotations

import pytest
from django.utils import timezone
from graphql_relay import to_global_id

from jianlian.access.models import Membership
from jianlian.audit.models import AuditRecord
from jianlian.org import services
from jianlian.org.models import LifecycleEvent
from tenants.context import tenant_context
from tests.factories import grant, make_department, make_staff, make_user, member
from tests.utils import gql

TRANSFER = """mutation($c: ID!, $at: DateTime!, $u: ID!, $t: String!) {
  transferStaff(input: {contact: $c, effectiveAt: $at, unit: $u, tenantSlug: $t, secondment: true}) {
    event { status } errors { field code } } }"""
REQUESTS = "{ secondmentRequests { id staffName fromTenant { slug } unit { name } status } }"
DECIDE = """mutation($id: ID!, $ok: Boolean!) { decideSecondment(input: {request: $id, accept: $ok}) {
  request { status } errors { code } } }"""


@pytest.fixture
def nurse(province):
    with tenant_context(province.tenant_a):
        ward = make_department("NK-1", "内科一病区", unit=province.lead_a)
        return make_staff("单晓明", unit=province.lead_a, department=ward)


def _admin_b(province):
    admin_b = make_user("象山院管")
    member(admin_b, province.tenant_b, province.lead_b)
    grant(admin_b, "tenant_admin", province.lead_b, province.tenant_b)
    return admin_b


def _seconded_to_b(province, nurse) -> bool:
    return Membership.objects.filter(user_id=nurse.user_id, tenant=province.tenant_b, is_active=True).exists()


def _transfer(client, province, nurse):
    _s, body = gql(client, TRANSFER, {"c": to_global_id("Contact", nurse.pk), "at": timezone.now().isoformat(),
                                      "u": to_global_id("OrgUnit", province.member_b1.pk), "t": province.tenant_b.slug},
                   user=province.users["tenant_admin"], HTTP_X_TENANT=province.tenant_a.slug)
    return body["data"]["transferStaff"]


def test_a_secondment_into_another_tenant_waits_for_its_consent(client, province, nurse):
    # given 桐庐's admin, who manages nothing in 象山, seconds a nurse there
    result = _transfer(client, province, nurse)
    # then nothing happens in 象山 yet: the event waits, and 象山 has a request
    assert result == {"event": {"status": "PENDING"}, "errors": []}
    assert not _seconded_to_b(province, nurse)
    with tenant_context(province.tenant_a):
        assert services.apply_due_events() == []  # the periodic task does not apply it either
    assert not _seconded_to_b(province, nurse)
    admin_b = _admin_b(province)
    _s, body = gql(client, REQUESTS, user=admin_b, HTTP_X_TENANT=province.tenant_b.slug)
    [request] = body["data"]["secondmentRequests"]
    assert (request["staffName"], request["fromTenant"]["slug"], request["unit"]["name"], request["status"]) == (
        "单晓明", province.tenant_a.slug, province.member_b1.name, "PENDING")
    # 桐庐's admin can neither see nor accept it
    _s, body = gql(client, REQUESTS, user=province.users["tenant_admin"], HTTP_X_TENANT=province.tenant_a.slug)
    assert body["data"]["secondmentRequests"] == []
    _s, body = gql(client, DECIDE, {"id": request["id"], "ok": True}, user=province.users["tenant_admin"],
                   HTTP_X_TENANT=province.tenant_a.slug)
    # forbidden and missing answer alike, as a top-level error (the module contract's one shape)
    assert body["data"]["decideSecondment"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]
    assert not _seconded_to_b(province, nurse)
    # when 象山's admin accepts, the secondment takes effect (its time has come) and 象山 audits it
    _s, body = gql(client, DECIDE, {"id": request["id"], "ok": True}, user=admin_b, HTTP_X_TENANT=province.tenant_b.slug)
    assert body["data"]["decideSecondment"] == {"request": {"status": "ACCEPTED"}, "errors": []}
    assert _seconded_to_b(province, nurse)
    with tenant_context(province.tenant_b):
        assert AuditRecord.objects.filter(action="org.accept_secondment", actor_id=admin_b.pk).exists()
    with tenant_context(province.tenant_a):
        assert LifecycleEvent.objects.get(staff=nurse, kind="transfer").status == "applied"


def test_a_declined_secondment_is_cancelled(client, province, nurse):
    _transfer(client, province, nurse)
    admin_b = _admin_b(province)
    _s, body = gql(client, REQUESTS, user=admin_b, HTTP_X_TENANT=province.tenant_b.slug)
    request_id = body["data"]["secondmentRequests"][0]["id"]
    _s, body = gql(client, DECIDE, {"id": request_id, "ok": False}, user=admin_b, HTTP_X_TENANT=province.tenant_b.slug)
    assert body["data"]["decideSecondment"] == {"request": {"status": "DECLINED"}, "errors": []}
    assert not _seconded_to_b(province, nurse)
    with tenant_context(province.tenant_a):
        assert LifecycleEvent.objects.get(staff=nurse, kind="transfer").status == "cancelled"
    # a decided request cannot be decided again
    _s, body = gql(client, DECIDE, {"id": request_id, "ok": True}, user=admin_b, HTTP_X_TENANT=province.tenant_b.slug)
    assert body["data"]["decideSecondment"]["errors"] == [{"code": "REQUEST_DECIDED"}]


def test_someone_who_manages_both_tenants_seconds_at_once(client, province, nurse):
    grant(province.users["tenant_admin"], "tenant_admin", province.lead_b, province.tenant_b)
    result = _transfer(client, province, nurse)
    assert result == {"event": {"status": "APPLIED"}, "errors": []}
    assert _seconded_to_b(province, nurse)
