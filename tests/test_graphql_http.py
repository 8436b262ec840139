"""The GraphQL endpoint as HTTP clients meet it: CSRF for cookie sessions, standard clients (Apollo's
persisted queries, GET, batching, the GraphQL-over-HTTP media types), request-body limits, client
mistakes answered with client codes, and the security headers."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client

from jianlian.api.persisted import document_hash
from tests.utils import error_code, gql, token_for

ADD_CONTACT = 'mutation { addPersonalContact(input: {name: "外人", mobile: "13900000001"}) { errors { code } } }'


def _post(client, body, content_type="application/json", **headers):
    return client.post("/graphql/", data=body if isinstance(body, (str, bytes)) else json.dumps(body),
                       content_type=content_type, **headers)


# --- item 3: CSRF for cookie sessions ------------------------------------------------------------

def test_form_posts_are_refused(db, province):
    # given a signed-in browser session
    client = Client(enforce_csrf_checks=True)
    client.force_login(province.users["doctor"])
    # when a foreign page posts a form with only the cookie
    r = client.post("/graphql/", {"query": ADD_CONTACT}, HTTP_ORIGIN="https://evil.example")
    # then nothing runs
    assert r.status_code == 403 and error_code(r.json()) == "CSRF_FAILED"
    # and without a session, a form body is not GraphQL at all
    r = Client(enforce_csrf_checks=True).post("/graphql/", {"query": "{ __typename }"})
    assert r.status_code == 415 and error_code(r.json()) == "UNSUPPORTED_MEDIA_TYPE"


def test_session_requests_need_the_csrf_token(db, province):
    client = Client(enforce_csrf_checks=True)
    client.force_login(province.users["doctor"])
    me = {"query": "query { me { username } }"}
    # without the token, or from a foreign origin, a cookie session is refused
    r = _post(client, me)
    assert r.status_code == 403 and error_code(r.json()) == "CSRF_FAILED"
    r = _post(client, me, HTTP_ORIGIN="https://evil.example")
    assert r.status_code == 403 and error_code(r.json()) == "CSRF_FAILED"
    # with the cookie's token from the site itself it runs
    client.get("/graphql/", HTTP_ACCEPT="application/json")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    r = _post(client, me, HTTP_X_CSRFTOKEN=token, HTTP_ORIGIN="http://testserver")
    assert r.status_code == 200 and r.json()["data"]["me"]["username"] == province.users["doctor"].username


def test_bearer_requests_need_no_csrf_token(db, province):
    client = Client(enforce_csrf_checks=True)
    doctor = province.users["doctor"]
    r = _post(client, {"query": "query { me { username } }"}, HTTP_AUTHORIZATION=f"Bearer {token_for(doctor)}",
              HTTP_ORIGIN="https://elsewhere.example")
    assert r.status_code == 200 and r.json()["data"]["me"]["username"] == doctor.username
    # and anonymous JSON requests (signing in) need none either
    r = _post(client, {"query": 'mutation { signIn(input: {identifier: "x", password: "y"}) { errors { code } } }'})
    assert r.status_code == 200 and r.json()["data"]["signIn"]["errors"][0]["code"] == "INVALID_CREDENTIALS"


# --- item 11: client mistakes are client errors ------------------------------------------------------

@pytest.mark.parametrize("body", ['{"query":123}', '{"query":["x"]}', '{"query":"{ me { username } }","variables":7}',
                                  '{"query":"{ me { username } }","operationName":[1]}', "[1]", "17", "{bad"])
def test_malformed_requests_are_400(client, db, settings, body):
    settings.DEBUG = True  # the debug page would leak settings
    r = _post(client, body)
    assert r.status_code == 400 and r["Content-Type"].startswith("application/json")
    assert error_code(r.json()) in ("BAD_REQUEST", "GRAPHQL_PARSE_FAILED")


@pytest.mark.parametrize("query, variables", [
    ('query { node(id: "") { id } }', None),
    ('query { node(id: "Tm9TdWNoVHlwZTox") { id } }', None),  # NoSuchType:1
    ('query { node(id: "VGVuYW50OmFiYw==") { id } }', None),  # Tenant:abc
    ('mutation { signIn(input: {identifier: "a\\u0000b", password: "x"}) { token errors { code } } }', None),
    ('mutation($i: String!) { signIn(input: {identifier: $i, password: "x"}) { token errors { code } } }', {"i": "a\ud800b"}),
    ('mutation($i: String!) { signIn(input: {identifier: "x", password: $i}) { token errors { code } } }', {"i": "\x00"}),
    ('mutation { requestActivationCode(input: {idNumber: "110101199003074514", mobile: "13800000000"}) { ok errors { code } } }', None),
    ('query { tenants(first: -5) { totalCount } }', None),
])
def test_client_mistakes_never_answer_internal_error(client, province, query, variables):
    for user in (None, province.users["tenant_admin"]):
        status, body = gql(client, query, variables, user=user)
        assert status < 500
        codes = [e["extensions"]["code"] for e in body.get("errors", [])]
        assert "INTERNAL_ERROR" not in codes, body


def test_nul_bytes_get_a_clear_code(client, db):
    status, body = gql(client, 'mutation { signIn(input: {identifier: "a\\u0000b", password: "x"}) { token } }')
    assert error_code(body) == "INVALID_CHARACTERS" and "字符" in body["errors"][0]["message"]


def test_activation_refused_reads_ok_false(client, db):
    # (an unknown pair is answered like a real one, issue 15 item 7: refused here is a bad mobile)
    _, body = gql(client, 'mutation { requestActivationCode(input: {idNumber: "110101199003074514", '
                          'mobile: "123"}) { ok errors { code } } }')
    assert body["data"]["requestActivationCode"]["ok"] is False
    assert body["data"]["requestActivationCode"]["errors"][0]["code"] == "INVALID_MOBILE"


def test_far_dates_are_a_client_error(client, province):
    from jianlian.marketplace import services as market
    from graphql_relay import to_global_id

    market.install(None, province.tenant_a, "referrals")
    q = "query($u: ID!) { referralSlots(unit: $u, desk: 1, start: \"9999-12-31\") { __typename } }"
    status, body = gql(client, q, {"u": to_global_id("OrgUnit", province.lead_a.pk)}, user=province.users["tenant_admin"],
                       path=f"/t/{province.tenant_a.slug}/graphql/")
    assert status < 500 and "INTERNAL_ERROR" not in [e["extensions"]["code"] for e in body.get("errors", [])], body


# --- item 12: standard clients ----------------------------------------------------------------------

def test_apollo_automatic_persisted_queries_register(client, province):
    doctor = province.users["doctor"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(doctor)}"}
    doc = "query ApqMe { me { username } }"
    ext = {"persistedQuery": {"version": 1, "sha256Hash": document_hash(doc)}}
    # Apollo first sends the hash alone, then hash and text, then the hash alone again
    r = _post(client, {"extensions": ext}, **auth)
    assert error_code(r.json()) == "PERSISTED_QUERY_NOT_FOUND"
    r = _post(client, {"query": doc, "extensions": ext}, **auth)
    assert r.json()["data"]["me"]["username"] == doctor.username
    r = _post(client, {"extensions": ext}, **auth)
    assert r.json()["data"]["me"]["username"] == doctor.username
    # a text that does not match its hash is refused
    r = _post(client, {"query": "query { me { realName } }", "extensions": ext}, **auth)
    assert error_code(r.json()) == "PERSISTED_QUERY_HASH_MISMATCH"


def test_apq_registration_is_off_in_persisted_only_mode(client, province, settings, tmp_path):
    manifest = tmp_path / "persisted.json"
    manifest.write_text("{}")
    settings.GRAPHQL_PERSISTED_DOCUMENTS = str(manifest)
    settings.GRAPHQL_PERSISTED_ONLY = True
    doc = "query { me { username } }"
    ext = {"persistedQuery": {"version": 1, "sha256Hash": document_hash(doc)}}
    r = _post(client, {"query": doc, "extensions": ext})
    assert error_code(r.json()) == "PERSISTED_QUERY_NOT_FOUND"


def test_get_with_a_json_content_type(client, province):
    doctor = province.users["doctor"]
    doc = "query { me { username } }"
    ext = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": document_hash(doc)}})
    r = client.get("/graphql/", {"query": doc, "variables": "{}", "extensions": ext}, content_type="application/json",
                   HTTP_ACCEPT="application/json", HTTP_AUTHORIZATION=f"Bearer {token_for(doctor)}")
    assert r.status_code == 200 and r.json()["data"]["me"]["username"] == doctor.username
    # Apollo's GET by hash alone, once registered
    r = client.get("/graphql/", {"extensions": ext}, content_type="application/json", HTTP_ACCEPT="application/json",
                   HTTP_AUTHORIZATION=f"Bearer {token_for(doctor)}")
    assert r.json()["data"]["me"]["username"] == doctor.username


def test_batches_run_each_operation_and_are_bounded(client, province, settings):
    doctor = province.users["doctor"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(doctor)}"}
    r = _post(client, [{"query": "query { me { username } }"}, {"query": "query { me { noSuchField } }"}], **auth)
    assert r.status_code == 200
    first, second = r.json()
    assert first["data"]["me"]["username"] == doctor.username
    assert error_code(second) == "GRAPHQL_VALIDATION_FAILED"
    settings.GRAPHQL_MAX_BATCH = 3
    r = _post(client, [{"query": "{ me { username } }"}] * 4, **auth)
    assert r.status_code == 400 and error_code(r.json()) == "BATCH_TOO_LARGE"
    r = _post(client, [], **auth)
    assert r.status_code == 400 and error_code(r.json()) == "BAD_REQUEST"


def test_graphql_over_http_status_codes_and_media_types(client, db):
    bad = {"query": "query { me { "}
    # a client that accepts only application/json gets 200 for parse and validation errors
    r = _post(client, bad, HTTP_ACCEPT="application/json")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
    assert error_code(r.json()) == "GRAPHQL_PARSE_FAILED" and "data" not in r.json()
    r = _post(client, {"query": "query { me { noSuchField } }"}, HTTP_ACCEPT="application/json")
    assert r.status_code == 200 and error_code(r.json()) == "GRAPHQL_VALIDATION_FAILED"
    # application/graphql-response+json: 400 for a document that cannot run, 200 for one that ran
    accept = {"HTTP_ACCEPT": "application/graphql-response+json, application/json;q=0.9"}
    r = _post(client, bad, **accept)
    assert r.status_code == 400 and r["Content-Type"].startswith("application/graphql-response+json")
    r = _post(client, {"query": "query { __typename }"}, **accept)
    assert r.status_code == 200 and r["Content-Type"].startswith("application/graphql-response+json")
    assert r.json()["data"] == {"__typename": "Query"}


# --- item 13: uploads -----------------------------------------------------------------------------

@pytest.fixture
def draft(province):
    from django_tenants.utils import tenant_context

    from jianlian.marketplace import services as market
    from modules.referrals import services
    from tests.worlds import FORM

    market.install(None, province.tenant_a, "referrals")
    market.install(None, province.tenant_h, "referrals")
    doctor = province.users["doctor"]
    with tenant_context(province.tenant_a):
        r = services.create_draft(doctor, from_unit_id=province.member_a1.pk, to_unit_id=province.hospital.pk, **FORM)
    from graphql_relay import to_global_id

    return doctor, to_global_id("Referral", r.pk), f"/t/{province.tenant_a.slug}/graphql/"


ATTACH = """mutation($r: ID!, $d: String!) { addReferralAttachment(input: {referral: $r, filename: "ct.pdf",
  contentType: "application/pdf", data: $d}) { attachment { size } errors { code } } }"""


def test_attachments_up_to_ten_megabytes_work(client, draft):
    doctor, rid, path = draft
    data = b"%PDF-1.7\n" + b"x" * (10 * 1024 * 1024 - 20)
    status, body = gql(client, ATTACH, {"r": rid, "d": base64.b64encode(data).decode()}, user=doctor, path=path)
    assert status == 200 and body["data"]["addReferralAttachment"]["attachment"]["size"] == len(data), str(body)[:300]


def test_an_oversized_request_body_is_a_clear_error(client, draft, settings):
    doctor, rid, path = draft
    data = b"%PDF-1.7\n" + b"x" * (12 * 1024 * 1024)
    status, body = gql(client, ATTACH, {"r": rid, "d": base64.b64encode(data).decode()}, user=doctor, path=path)
    assert status == 413 and error_code(body) == "PAYLOAD_TOO_LARGE"
    assert "MB" in body["errors"][0]["message"]


# --- item 14: headers -----------------------------------------------------------------------------

def test_every_page_has_a_content_security_policy(client, db):
    for url in ("/", "/graphql/", "/healthz", "/admin/login/"):
        r = client.get(url, HTTP_ACCEPT="application/json")
        policy = r.get("Content-Security-Policy", "")
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, url
        assert "unsafe-eval" not in policy


def test_cors_answers_only_listed_origins(client, db, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://partner.example"]
    preflight = dict(HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST", HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type")
    r = client.options("/graphql/", HTTP_ORIGIN="https://partner.example", **preflight)
    assert r.status_code == 200 and r["Access-Control-Allow-Origin"] == "https://partner.example"
    assert "authorization" in r["Access-Control-Allow-Headers"]
    r = client.options("/graphql/", HTTP_ORIGIN="https://evil.example", **preflight)
    assert "Access-Control-Allow-Origin" not in r
    r = _post(client, {"query": "{ __typename }"}, HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in r


def test_introspection_needs_a_sign_in_when_configured(client, province, settings):
    settings.GRAPHQL_INTROSPECTION = "authenticated"
    q = "query { __schema { queryType { name } } }"
    _, body = gql(client, q)
    assert error_code(body) == "INTROSPECTION_DISABLED"
    _, body = gql(client, "query { __typename }")
    assert body["data"] == {"__typename": "Query"}
    _, body = gql(client, q, user=province.users["doctor"])
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"
