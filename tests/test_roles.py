"""Role management by tenant admins (issue 17 item 2): the roles of the platform and of installed
apps, granting one to a member at a unit (which is what lets a hospital doctor receive
referrals), clear errors for the wrong person, role or unit, revoking, and the audit trail."""

from __future__ import annotations

from graphql_relay import to_global_id

from jianlian.access.checks import has_perm
from jianlian.access.models import Role, RoleGrant
from jianlian.audit.models import AuditRecord
from jianlian.marketplace import services as market
from tenants.context import tenant_context
from tests.factories import grant, make_user, member
from tests.utils import error_code, gql

ROLES = """{ tenantRoles { id code name sourceKey sourceName permissions { code label }
  grants { id personName unitName } } roleGrantUnits { id name depth } }"""
GRANT = """mutation($input: GrantRoleInput!) { grantRole(input: $input) {
  grant { id personName unitName } errors { field code message } } }"""
AUDIT = """{ auditRecords(first: 2) { edges { node { action actionLabel actionLabelEn actorName objectLabel outcome } } } }"""
REVOKE = """mutation($input: RevokeRoleInput!) { revokeRole(input: $input) { ok errors { field code message } } }"""


def _world(p):
    market.install(None, p.tenant_h, "referrals")
    admin = make_user("吴院管")
    member(admin, p.tenant_h, p.hospital)
    grant(admin, "tenant_admin", p.hospital, p.tenant_h)
    doctor = make_user("冯医生")
    member(doctor, p.tenant_h, p.hospital)
    grant(doctor, "staff", p.hospital, p.tenant_h)
    return admin, doctor


def _call(client, user, query, variables=None, tenant="zjph"):
    status, body = gql(client, query, variables, user=user, HTTP_X_TENANT=tenant)
    assert status == 200, body
    return body


def test_a_hospital_admin_grants_the_receiving_role_and_takes_it_back(client, province):
    p = province
    admin, doctor = _world(p)
    # given the roles page: the platform's roles, then the referrals app's, and the hospital's units
    data = _call(client, admin, ROLES)["data"]
    roles = {r["code"]: r for r in data["tenantRoles"]}
    assert roles["doctor"]["sourceKey"] == "platform" and roles["referral_office"]["sourceName"] == "双向转诊"
    assert "referrals.accept" in {c["code"] for c in roles["referral_office"]["permissions"]}
    assert [g["personName"] for g in roles["tenant_admin"]["grants"]] == ["吴院管"]
    assert not {"province_admin", "city_supervisor"} & set(roles)  # supervisors are not handed out here
    assert data["roleGrantUnits"] == [{"id": to_global_id("OrgUnit", p.hospital.pk), "name": "浙江省人民医院", "depth": 0}]
    assert not has_perm(doctor, "referrals.accept", p.hospital)

    # when the admin grants the doctor 医生 at the hospital
    body = _call(client, admin, GRANT, {"input": {"role": roles["doctor"]["id"], "user": to_global_id("User", doctor.pk),
                                                  "unit": to_global_id("OrgUnit", p.hospital.pk)}})["data"]["grantRole"]
    # then the doctor may receive referrals there, and the tenant's audit chain says who did it
    assert body["errors"] == [] and body["grant"]["personName"] == "冯医生"
    assert has_perm(type(doctor).objects.get(pk=doctor.pk), "referrals.accept", p.hospital)
    with tenant_context(p.tenant_h):
        rec = AuditRecord.objects.filter(action="access.grant_role").latest("seq")
        assert rec.actor_id == admin.pk and rec.after["role"] == "doctor" and rec.after["user"] == doctor.pk

    # and the audit log says so in words: what happened, by whom, on what
    [latest] = [e["node"] for e in _call(client, admin, AUDIT)["data"]["auditRecords"]["edges"]][:1]
    assert latest == {"action": "access.grant_role", "actionLabel": "授予角色", "actionLabelEn": "Granted a role",
                      "actorName": "吴院管", "objectLabel": "角色授权：冯医生 · 医生 · 浙江省人民医院", "outcome": "success"}

    # and granting it again says so
    again = _call(client, admin, GRANT, {"input": {"role": roles["doctor"]["id"], "user": to_global_id("User", doctor.pk),
                                                   "unit": to_global_id("OrgUnit", p.hospital.pk)}})["data"]["grantRole"]
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("user", "ALREADY_GRANTED")]

    # when it is revoked the permission is gone, and that is audited too
    assert _call(client, admin, REVOKE, {"input": {"grant": body["grant"]["id"]}})["data"]["revokeRole"] == {"ok": True, "errors": []}
    assert not has_perm(type(doctor).objects.get(pk=doctor.pk), "referrals.accept", p.hospital)
    with tenant_context(p.tenant_h):
        assert AuditRecord.objects.filter(action="access.revoke_role").latest("seq").before["user_name"] == "冯医生"


def test_wrong_person_role_or_unit_gets_a_clear_error_and_outsiders_are_refused(client, province):
    p = province
    admin, doctor = _world(p)
    roles = {r["code"]: r["id"] for r in _call(client, admin, ROLES)["data"]["tenantRoles"]}
    doctor_id, unit_id = to_global_id("User", doctor.pk), to_global_id("OrgUnit", p.hospital.pk)

    def errors(role, user, unit):
        body = _call(client, admin, GRANT, {"input": {"role": role, "user": user, "unit": unit}})
        return [(e["field"], e["code"]) for e in body["data"]["grantRole"]["errors"]]

    outsider = make_user("外院人")
    tonglu_doctor = Role.objects.get(tenant=p.tenant_a, code="doctor")
    province_admin = Role.objects.get(tenant=None, code="province_admin")
    assert errors(roles["doctor"], to_global_id("User", outsider.pk), unit_id) == [("user", "NOT_A_MEMBER")]
    assert errors(to_global_id("Role", tonglu_doctor.pk), doctor_id, unit_id) == [("role", "ROLE_NOT_GRANTABLE")]
    assert errors(to_global_id("Role", province_admin.pk), doctor_id, unit_id) == [("role", "ROLE_NOT_GRANTABLE")]
    assert errors(roles["doctor"], doctor_id, to_global_id("OrgUnit", p.lead_a.pk)) == [("unit", "UNIT_OUTSIDE_TENANT")]
    assert errors(roles["doctor"], doctor_id, "bm90LWFuLWlk") == [("unit", "INVALID_ID")]

    # the last grant that lets anyone here manage roles stays
    [own] = RoleGrant.objects.filter(user=admin, role__code="tenant_admin")
    body = _call(client, admin, REVOKE, {"input": {"grant": to_global_id("RoleGrant", own.pk)}})["data"]["revokeRole"]
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("grant", "LAST_ROLE_ADMIN")]

    # an ordinary doctor sees no roles and grants nothing; another tenant's grant is not found
    assert error_code(_call(client, doctor, ROLES)) == "PERMISSION_DENIED"
    assert error_code(_call(client, doctor, GRANT, {"input": {"role": roles["doctor"], "user": doctor_id, "unit": unit_id}})) == "PERMISSION_DENIED"
    [theirs] = RoleGrant.objects.filter(user=p.users["doctor"], role__code="doctor")
    assert error_code(_call(client, admin, REVOKE, {"input": {"grant": to_global_id("RoleGrant", theirs.pk)}})) == "NOT_FOUND"
