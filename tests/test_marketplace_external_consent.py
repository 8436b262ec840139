"""Installing an external app is a consent step, not a background job: the marketplace shows
what the app asks for (in words, and which of it the installer may grant), `installApp` refuses
at once instead of queuing a job that can only fail, and `installExternalApp` answers the token
once."""

from __future__ import annotations

import pytest
from graphql_relay import to_global_id

from jianlian.marketplace import external
from jianlian.marketplace.models import InstallJob
from tests.factories import build_province
from tests.test_marketplace_external import _doc
from tests.utils import gql


@pytest.fixture
def p(db, unique):
    return build_province(unique(""))


INSTALL = """mutation { installApp(input: {app: "bed_board"}) { job { id } errors { field code message } } }"""
REQUESTED = """query ($id: ID!) { node(id: $id) { ... on App { kind requestedPermissions { code label patientData grantable } } } }"""
CONSENT = """mutation ($perms: [String!]) { installExternalApp(input: {app: "bed_board", permissions: $perms}) {
  apiToken installation { status grantedPermissions } errors { field code message } } }"""


def test_installing_an_external_app_asks_for_consent_instead_of_queuing_a_job_that_fails(p, client):
    # given an external app published by the province, asking for two permissions
    app = external.register_external_app(None, p.root, _doc(permissions=["platform.view_hierarchy", "platform.manage_tenants"]))
    admin, tenant = p.users["tenant_admin"], p.tenant_a

    # when the county admin presses 安装 the way a built-in app installs
    _s, body = gql(client, INSTALL, user=admin, HTTP_X_TENANT=tenant.slug)
    # then it is refused at once, saying what to do, and no job is left to fail
    assert body["data"]["installApp"]["job"] is None
    assert [(e["code"], e["field"]) for e in body["data"]["installApp"]["errors"]] == [("EXTERNAL_APP_NEEDS_CONSENT", "app")]
    assert not InstallJob.objects.filter(tenant=tenant, app__key="bed_board").exists()

    # the consent step reads what the app asks for, in words, and which of it she may grant
    _s, body = gql(client, REQUESTED, {"id": to_global_id("App", app.pk)}, user=admin, HTTP_X_TENANT=tenant.slug)
    assert body["data"]["node"]["requestedPermissions"] == [
        {"code": "platform.view_hierarchy", "label": "查看组织层级", "patientData": False, "grantable": True},
        {"code": "platform.manage_tenants", "label": "管理租户（开通、暂停、归档）", "patientData": False, "grantable": False},
    ]

    # and consenting to what she holds installs it, the token answered this once
    _s, body = gql(client, CONSENT, {"perms": ["platform.view_hierarchy"]}, user=admin, HTTP_X_TENANT=tenant.slug)
    payload = body["data"]["installExternalApp"]
    assert payload["errors"] == [] and payload["apiToken"].startswith("jla_")
    assert payload["installation"] == {"status": "INSTALLED", "grantedPermissions": ["platform.view_hierarchy"]}
