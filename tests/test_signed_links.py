"""Pages that open in a new tab (a referral's paper form, an attachment download) open with a
short-lived signed link that the workbench asks for (`createSignedLink`): bound to the person,
the tenant and the path, GET only, two minutes, and only on views that accept signed links."""

from __future__ import annotations

import base64
import time

import pytest
from django.core import signing

from jianlian.bus import relay
from jianlian.identity import signed_links
from modules.referrals import services
from tenants.context import tenant_context
from tests.factories import grant, make_user, member
from tests.worlds import FORM
from tests.utils import gql

PDF = b"%PDF-1.4\n%%EOF\n"

CREATE = """mutation ($path: String!) { createSignedLink(input: {path: $path}) { url errors { field code message } } }"""


@pytest.fixture
def w(referral_world):
    return referral_world


def _link(client, user, tenant, path):
    status, body = gql(client, CREATE, {"path": path}, user=user, HTTP_X_TENANT=tenant.slug)
    assert status == 200, body
    return body["data"]["createSignedLink"]


def test_a_signed_link_opens_the_paper_form_and_the_attachment_in_a_tab_without_a_token(w, client):
    # given a referral with an attachment sent by the township doctor
    p = w.p
    with tenant_context(p.tenant_a):
        out = services.create_draft(w.sender, from_unit_id=p.member_a1.pk, to_unit_id=p.hospital.pk, desk_id=w.desk_h, **FORM)
        services.add_attachment(w.sender, out.pk, filename="化验单.pdf", content_type="application/pdf",
                                data_base64=base64.b64encode(PDF).decode())
        services.transition(w.sender, out.pk, "submit")
    relay.run_once()
    with tenant_context(p.tenant_h):
        received = w.in_h(out.uid).attachments.get()
    tenant = p.tenant_a
    # a plain link carries no credentials
    assert client.get(f"/t/{tenant.slug}/apps/referrals/{out.pk}/print/outbound/").status_code == 401

    # when the workbench asks for signed links
    printed = _link(client, w.sender, tenant, f"/apps/referrals/{out.pk}/print/outbound/")
    download = _link(client, w.cardio, p.tenant_h, f"/apps/referrals/attachments/{received.pk}/")  # the receiver

    # then they open with no Authorization header and no cookie
    assert printed["errors"] == [] and printed["url"].startswith(f"/t/{tenant.slug}/apps/referrals/{out.pk}/print/outbound/?link=")
    page = client.get(printed["url"])
    assert page.status_code == 200 and "双向转诊（转出）单" in page.content.decode() and "陈阿婆" in page.content.decode()
    file = client.get(download["url"])
    assert file.status_code == 200 and file.content == PDF and "attachment" in file["Content-Disposition"]

    # and only for GET, that path, that tenant, and not once altered
    assert client.post(printed["url"]).status_code in (401, 403, 405)
    other_path = printed["url"].replace("/print/outbound/", "/print/return/")
    assert client.get(other_path).json()["errors"][0]["extensions"]["code"] == "LINK_EXPIRED"
    other_tenant = printed["url"].replace(f"/t/{tenant.slug}/", f"/t/{w.p.tenant_h.slug}/")
    assert client.get(other_tenant).status_code in (401, 403)
    assert client.get(printed["url"][:-2] + "xx").status_code == 401
    # a page that does not accept signed links ignores the link
    fhir = f"/t/{tenant.slug}/apps/referrals/{out.pk}/fhir/?link=" + printed["url"].split("link=")[1]
    assert client.get(fhir).status_code == 401


def test_a_signed_link_expires_after_two_minutes(w, client, monkeypatch):
    out = w.refer_up()
    url = _link(client, w.sender, w.p.tenant_a, f"/apps/referrals/{out.pk}/print/outbound/")["url"]
    later = time.time() + signed_links.LINK_MAX_AGE + 1
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.get(url)
    assert response.status_code == 401 and response.json()["errors"][0]["extensions"]["code"] == "LINK_EXPIRED"


def test_a_link_is_only_made_for_pages_that_accept_one_and_never_to_see_more(w, client):
    out = w.refer_up()
    tenant = w.p.tenant_a
    # the GraphQL endpoint, the FHIR export and unknown paths get no link
    for path in ("/graphql/", f"/apps/referrals/{out.pk}/fhir/", "/nowhere/", f"/apps/referrals/{out.pk}/print/outbound/?x=1"):
        result = _link(client, w.sender, tenant, path)
        assert result["url"] is None and [e["code"] for e in result["errors"]] == ["INVALID_LINK_PATH"], path
    # signed in or nothing
    status, body = gql(client, CREATE, {"path": f"/apps/referrals/{out.pk}/print/outbound/"}, HTTP_X_TENANT=tenant.slug)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # a link someone else makes opens only what that person may see (not this referral)
    neighbour = make_user("吴医生")  # 横村镇卫生院: same community, another unit
    member(neighbour, tenant, w.p.member_a2)
    grant(neighbour, "doctor", w.p.member_a2, tenant)
    url = _link(client, neighbour, tenant, f"/apps/referrals/{out.pk}/print/outbound/")["url"]
    assert client.get(url).status_code == 404


def test_a_link_stops_working_when_its_person_leaves_the_tenant_or_the_tenant_is_suspended(w, client):
    from jianlian.access.models import Membership
    from tenants.models import TenantStatus

    out = w.refer_up()
    tenant = w.p.tenant_a
    path = f"/apps/referrals/{out.pk}/print/outbound/"
    url = _link(client, w.sender, tenant, path)["url"]
    tenant.status = TenantStatus.SUSPENDED
    tenant.save(update_fields=["status"])
    assert client.get(url).json()["errors"][0]["extensions"]["code"] == "TENANT_SUSPENDED"
    tenant.status = TenantStatus.ACTIVE
    tenant.save(update_fields=["status"])
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=w.sender, tenant=tenant).update(is_active=False)
    assert client.get(url).json()["errors"][0]["extensions"]["code"] == "TENANT_ACCESS_DENIED"
