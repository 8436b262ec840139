"""What the province console's marketplace page and the visibility editor ask of the API: the
catalog as the province sees it, publishing an external app with per-field errors, a mandate's
progress across the tenants under its node, and picking people for an app's visibility by the
account id that the contacts list now carries."""

from __future__ import annotations

import json

import pytest
from graphql_relay import from_global_id, to_global_id

from jianlian.marketplace import services
from jianlian.marketplace.models import Mandate
from tenants.context import tenant_context
from tests.factories import build_province, make_department, make_staff
from tests.utils import error_code, gql


@pytest.fixture
def p(db, unique):
    return build_province(unique(""))


CATALOG = """query { apps(first: 100) { edges { node { key kind publisher { name } installation { status } } } } }"""

REGISTER = """mutation($p: ID!, $m: JSONString!) { registerExternalApp(input: {publisher: $p, manifest: $m}) {
  app { key kind version publisher { name } } errors { field code message } } }"""

MANDATE = """mutation($app: String!, $node: ID!) { mandateApp(input: {app: $app, node: $node}) {
  mandate { id app { key } node { name } tenantCount installedCount pendingTenants { slug } } errors { field code } } }"""

MANDATES = """query { mandates { id app { key } node { name } tenantCount installedCount pendingTenants { slug } } }"""


def _manifest(**over):
    doc = {"key": "bed_board", "name": "床位看板", "version": "1.0.0", "category": "clinical",
           "launchUrl": "https://apps.example.cn/bed-board"}
    doc.update(over)
    return json.dumps(doc)


def test_the_console_lists_built_in_and_external_apps_without_an_installation(client, p):
    # given an external app published by a city
    external_doc = _manifest()
    _s, body = gql(client, REGISTER, {"p": to_global_id("OrgUnit", p.city_a.pk), "m": external_doc},
                   user=p.users["province_admin"])
    assert body["data"]["registerExternalApp"]["errors"] == []

    # when the province console asks for the catalog
    _s, body = gql(client, CATALOG, user=p.users["province_admin"])

    # then it holds both kinds, with the publisher, and no tenant's installation
    apps = {e["node"]["key"]: e["node"] for e in body["data"]["apps"]["edges"]}
    assert apps["referrals"]["kind"] == "BUILTIN" and apps["referrals"]["publisher"] is None
    assert apps["bed_board"]["kind"] == "EXTERNAL" and apps["bed_board"]["publisher"]["name"] == p.city_a.name
    assert all(a["installation"] is None for a in apps.values())


def test_publishing_a_bad_manifest_names_each_field_then_the_fixed_one_is_listed(client, p):
    admin, publisher = p.users["province_admin"], to_global_id("OrgUnit", p.root.pk)

    # when the manifest has a bad version and a launch address on the intranet
    _s, body = gql(client, REGISTER, {"p": publisher, "m": _manifest(version="1.0", launchUrl="https://10.1.2.3/app")},
                   user=admin)

    # then the first pass (the document's shape) reports the version on its own path, in Chinese
    errors = body["data"]["registerExternalApp"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("version", "INVALID_MANIFEST")]
    assert errors[0]["message"] == "格式不正确。"
    # and once the shape is right, the address is refused on its field
    _s, body = gql(client, REGISTER, {"p": publisher, "m": _manifest(launchUrl="https://10.1.2.3/app")}, user=admin)
    assert [(e["field"], e["code"]) for e in body["data"]["registerExternalApp"]["errors"]] == [("launchUrl", "URL_NOT_ALLOWED")]
    assert not services.catalog_for(None).filter(key="bed_board").exists()

    # when it is fixed, it is on the shelf of every tenant under the province
    _s, body = gql(client, REGISTER, {"p": publisher, "m": _manifest()}, user=admin)
    payload = body["data"]["registerExternalApp"]
    assert payload["errors"] == [] and payload["app"]["publisher"]["name"] == p.root.name
    assert services.catalog_for(p.tenant_b).filter(key="bed_board").exists()


def test_a_doctor_cannot_publish_from_the_console(client, p):
    _s, body = gql(client, REGISTER, {"p": to_global_id("OrgUnit", p.root.pk), "m": _manifest()}, user=p.users["doctor"])
    assert error_code(body) == "PERMISSION_DENIED"


def test_a_mandates_progress_counts_the_tenants_under_its_node(client, p):
    admin = p.users["province_admin"]

    # when the province mandates referrals for 杭州 (one community, 桐庐)
    _s, body = gql(client, MANDATE, {"app": "referrals", "node": to_global_id("OrgUnit", p.city_a.pk)}, user=admin)

    # then the mandate is there, its background job not yet run: nothing installed, 桐庐 pending
    mandate = body["data"]["mandateApp"]["mandate"]
    assert body["data"]["mandateApp"]["errors"] == []
    assert (mandate["tenantCount"], mandate["installedCount"]) == (1, 0)
    assert mandate["pendingTenants"] == [{"slug": p.tenant_a.slug}]

    # when the job runs, the console's list of mandates shows it complete
    services.apply_mandate(int(from_global_id(mandate["id"])[1]))
    _s, body = gql(client, MANDATES, user=admin)
    [listed] = body["data"]["mandates"]
    assert listed["app"]["key"] == "referrals" and listed["node"]["name"] == p.city_a.name
    assert (listed["tenantCount"], listed["installedCount"], listed["pendingTenants"]) == (1, 1, [])
    assert services.installation(p.tenant_a, "referrals").mandated


def test_the_whole_province_counts_every_tenant_and_external_apps_cannot_be_mandated(client, p):
    admin, root = p.users["province_admin"], to_global_id("OrgUnit", p.root.pk)
    gql(client, REGISTER, {"p": root, "m": _manifest()}, user=admin)

    _s, body = gql(client, MANDATE, {"app": "bed_board", "node": root}, user=admin)
    assert [e["code"] for e in body["data"]["mandateApp"]["errors"]] == ["APP_NOT_FOUND"]
    _s, body = gql(client, MANDATE, {"app": "referrals", "node": root}, user=admin)
    mandate = body["data"]["mandateApp"]["mandate"]
    assert mandate["tenantCount"] == 3
    assert sorted(t["slug"] for t in mandate["pendingTenants"]) == sorted(
        [p.tenant_a.slug, p.tenant_b.slug, p.tenant_h.slug])
    # a doctor sees none of the console's mandates
    _s, body = gql(client, MANDATES, user=p.users["doctor"])
    assert body["data"]["mandates"] == []
    assert Mandate.objects.count() == 1


PEOPLE = """query($q: String) { contacts(search: $q, first: 10) { edges { node { name userId } } } }"""

VISIBILITY = """mutation($users: [ID!]) { setAppVisibility(input: {app: "referrals", users: $users}) {
  installation { visibility } errors { field code message } } }"""


def test_people_picked_from_the_contacts_are_stored_as_their_accounts(client, p):
    admin = p.users["tenant_admin"]
    with tenant_context(p.tenant_a):
        dept = make_department("NK", "内科", unit=p.lead_a)
        zeng = make_staff("曾国强", unit=p.lead_a, department=dept)
    services.install(admin, p.tenant_a, "referrals")

    # when the admin searches the contacts by pinyin initials
    _s, body = gql(client, PEOPLE, {"q": "zgq"}, user=admin, HTTP_X_TENANT=p.tenant_a.slug)
    [person] = [e["node"] for e in body["data"]["contacts"]["edges"]]

    # then the person carries their account's id, which the visibility scope takes
    assert person == {"name": "曾国强", "userId": to_global_id("User", zeng.user_id)}
    _s, body = gql(client, VISIBILITY, {"users": [person["userId"]]}, user=admin, HTTP_X_TENANT=p.tenant_a.slug)
    payload = body["data"]["setAppVisibility"]
    assert payload["errors"] == []
    assert json.loads(payload["installation"]["visibility"]) == {"users": [zeng.user_id]}
    inst = services.installation(p.tenant_a, "referrals")
    from jianlian.identity.models import User

    assert services.can_see(User.objects.get(pk=zeng.user_id), inst) and not services.can_see(p.users["doctor"], inst)


CHOSEN = """query($users: [ID!], $ids: [ID!]) {
  contacts(users: $users, first: 10) { edges { node { name } } }
  departments(ids: $ids, first: 10) { edges { node { name } } } }"""


def test_the_editor_names_what_is_already_chosen_by_account_and_department_ids(client, p):
    admin = p.users["tenant_admin"]
    with tenant_context(p.tenant_a):
        group = make_department("G-LC", "临床科室", unit=p.lead_a, kind="group")
        ward = make_department("NK-1", "内科一病区", unit=p.lead_a, parent=group, kind="ward")
        make_staff("单晓明", unit=p.lead_a, department=ward)
        zeng = make_staff("曾国强", unit=p.lead_a, department=ward)

    # when the editor asks for the people and departments a stored scope names
    _s, body = gql(client, CHOSEN, {"users": [to_global_id("User", zeng.user_id)], "ids": [to_global_id("Department", ward.pk)]},
                   user=admin, HTTP_X_TENANT=p.tenant_a.slug)

    # then it gets exactly those, a ward deep in the tree included
    assert [e["node"]["name"] for e in body["data"]["contacts"]["edges"]] == ["曾国强"]
    assert [e["node"]["name"] for e in body["data"]["departments"]["edges"]] == ["内科一病区"]
    # and an empty list names nobody (it does not mean "everyone")
    _s, body = gql(client, CHOSEN, {"users": [], "ids": []}, user=admin, HTTP_X_TENANT=p.tenant_a.slug)
    assert body["data"]["contacts"]["edges"] == [] and body["data"]["departments"]["edges"] == []
