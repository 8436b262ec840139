"""`viewer`: what the signed-in person may use in the workspace of the request. The workbench's
menu shows an entry only where its app is installed and the reader holds its permission; these
tests pin the answers it builds that menu from."""

from __future__ import annotations

import pytest

from jianlian.marketplace import services
from tests.factories import build_province, grant, make_user, member
from tests.utils import gql

VIEWER = "{ viewer { permissions permissionsWithin installedApps } }"


@pytest.fixture
def p(db, unique):
    return build_province(unique(""))


def _viewer(client, user, tenant=None):
    path = f"/t/{tenant.slug}/graphql/" if tenant else "/graphql/"
    status, body = gql(client, VIEWER, user=user, path=path)
    assert status == 200 and "errors" not in body, body
    return body["data"]["viewer"]


def test_a_doctor_holds_the_referral_codes_for_her_unit_only_and_sees_the_installed_apps(client, p):
    # given a doctor granted at a member centre of the 桐庐 tenant, where only `notes` is installed
    services.install(None, p.tenant_a, "notes")

    # when she asks in her tenant
    viewer = _viewer(client, p.users["doctor"], p.tenant_a)

    # then she holds nothing over the whole tenant, the referral codes for her part of it
    assert viewer["permissions"] == []
    assert {"referrals.view", "referrals.create", "referrals.accept"} <= set(viewer["permissionsWithin"])
    assert "platform.view_audit" not in viewer["permissionsWithin"]
    # and the menu knows which apps are installed here (referrals is not)
    assert viewer["installedApps"] == ["notes"]


def test_the_tenant_admin_holds_the_management_codes_over_the_whole_tenant(client, p):
    viewer = _viewer(client, p.users["tenant_admin"], p.tenant_a)
    assert {"platform.view_audit", "platform.manage_users", "marketplace.manage"} <= set(viewer["permissions"])
    assert viewer["installedApps"] == []


def test_ordinary_staff_hold_no_management_code(client, p):
    staff = make_user("孙职工")
    member(staff, p.tenant_a, p.member_a2)
    grant(staff, "staff", p.member_a2, p.tenant_a)
    viewer = _viewer(client, staff, p.tenant_a)
    assert not {"platform.view_audit", "platform.manage_users", "marketplace.manage"} & set(viewer["permissionsWithin"])


def test_on_the_console_a_county_supervisor_holds_her_county_codes_but_not_tenant_management(client, p):
    # given a county supervisor granted at 桐庐县卫生健康局
    supervisor = make_user("周县督")
    grant(supervisor, "county_supervisor", p.county_a)

    viewer = _viewer(client, supervisor)

    assert viewer["permissions"] == []  # nothing over the whole province
    assert "platform.manage_tenants" not in viewer["permissionsWithin"]
    assert "supervision.view_aggregates" in viewer["permissionsWithin"]
    assert viewer["installedApps"] == []  # the console has no installations
    # while the province administrator holds tenant management over the whole province
    assert "platform.manage_tenants" in _viewer(client, p.users["province_admin"])["permissions"]


def test_no_viewer_without_sign_in(client, db):
    status, body = gql(client, VIEWER)
    assert status == 200 and body["data"] == {"viewer": None}
