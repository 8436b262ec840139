"""Issue 15: sign-in lockout shared by every endpoint, no password oracle at a foreign tenant,
changePassword counted, the activation oracle closed and throttled, app tokens kept in their
tenant, and passwords that repeat the username or the current one refused."""

import re

import pytest
from django.test import override_settings

from jianlian.identity.sms import LocmemSMSBackend
from tests.factories import PASSWORD, make_id_number, make_user, member
from tests.utils import error_code, gql

SIGN_IN = """mutation($i: String!, $p: String!) { signIn(input: {identifier: $i, password: $p}) {
  token errors { field code message } } }"""


def _sign_in(client, identifier, password, path="/graphql/", **headers):
    _s, body = gql(client, SIGN_IN, {"i": identifier, "p": password}, path=path, **headers)
    return body["data"]["signIn"]


# the three ways to reach a sign-in: the console, a tenant's path, the X-Tenant header
ENDPOINTS = [("/graphql/", {}), ("/t/tonglu/graphql/", {}), ("/graphql/", {"HTTP_X_TENANT": "tonglu"})]


@override_settings(LOCKOUT_THRESHOLD=5, LOCKOUT_IP_THRESHOLD=1000)
def test_lockout_counts_one_account_across_every_endpoint(client, province):
    # given a doctor of tonglu
    doctor = province.users["doctor"]
    # when four wrong passwords go to the console and one more to the tenant's path
    for _ in range(4):
        assert _sign_in(client, doctor.username, "wrong-guess")["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert _sign_in(client, doctor.username, "wrong-guess", "/t/tonglu/graphql/")["errors"][0]["code"] == "ACCOUNT_LOCKED"
    # then the right password is refused at every endpoint
    for path, headers in ENDPOINTS:
        result = _sign_in(client, doctor.username, PASSWORD, path, **headers)
        assert result["token"] is None and result["errors"][0]["code"] == "ACCOUNT_LOCKED", (path, headers)


@override_settings(LOCKOUT_THRESHOLD=1000, LOCKOUT_IP_THRESHOLD=6)
def test_the_address_threshold_is_shared_by_every_endpoint(client, province):
    for n in range(6):
        make_user(username=f"guess{n}")
    codes = []
    for n in range(6):
        path, headers = ENDPOINTS[n % 3]
        codes.append(_sign_in(client, f"guess{n}", "wrong-guess", path, **headers)["errors"][0]["code"])
    assert codes == ["INVALID_CREDENTIALS"] * 5 + ["ACCOUNT_LOCKED"]
    # the address stays locked, for a real account with its right password too
    assert _sign_in(client, province.users["doctor"].username, PASSWORD, "/t/tonglu/graphql/")["errors"][0]["code"] == "ACCOUNT_LOCKED"


@override_settings(LOCKOUT_THRESHOLD=3, LOCKOUT_IP_THRESHOLD=1000)
def test_a_right_password_at_a_foreign_tenant_looks_like_a_wrong_one(client, province):
    # given tonglu's doctor, who is no member of xiangshan
    doctor = province.users["doctor"]
    wrong = _sign_in(client, doctor.username, "wrong-guess", "/t/xiangshan/graphql/")
    # when the right password is tried at xiangshan
    right = _sign_in(client, doctor.username, PASSWORD, "/t/xiangshan/graphql/")
    # then the answer is the wrong password's, word for word, and no token is issued
    assert right == wrong and right["errors"][0]["code"] == "INVALID_CREDENTIALS"
    # and it counts like a wrong password, so the lockout cannot tell the two apart either
    assert _sign_in(client, doctor.username, PASSWORD, "/t/xiangshan/graphql/")["errors"][0]["code"] == "ACCOUNT_LOCKED"
    # also for a suspended tenant the person does not belong to
    from tenants.provisioning import set_status

    set_status(None, province.tenant_h, "suspended", "停业整顿")
    other = province.users["doctor_b"]
    assert _sign_in(client, other.username, PASSWORD, "/t/zjph/graphql/")["errors"][0]["code"] == "INVALID_CREDENTIALS"


CHANGE_PASSWORD = """mutation($o: String!, $n: String!) { changePassword(input: {oldPassword: $o, newPassword: $n}) {
  ok errors { field code } } }"""


@override_settings(LOCKOUT_THRESHOLD=3, LOCKOUT_IP_THRESHOLD=1000)
def test_wrong_old_passwords_in_change_password_lock_the_account(client, province):
    from tests.utils import token_for

    doctor = province.users["doctor"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(doctor)}", "HTTP_X_TENANT": "tonglu"}
    codes = [gql(client, CHANGE_PASSWORD, {"o": "wrong-old", "n": "Xinmima@2026"}, **auth)[1]["data"]["changePassword"]
             ["errors"][0]["code"] for _ in range(4)]
    assert codes == ["INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "ACCOUNT_LOCKED", "ACCOUNT_LOCKED"]
    # the right old password is refused while locked, and so is signing in
    _s, body = gql(client, CHANGE_PASSWORD, {"o": PASSWORD, "n": "Xinmima@2026"}, **auth)
    assert body["data"]["changePassword"]["errors"][0]["code"] == "ACCOUNT_LOCKED"
    assert _sign_in(client, doctor.username, PASSWORD)["errors"][0]["code"] == "ACCOUNT_LOCKED"
    doctor.refresh_from_db()
    assert doctor.check_password(PASSWORD)


def test_passwords_repeating_the_username_or_the_current_one_are_refused(client, db):
    user = make_user(username="zhangwei2026")
    for new in ("zhangwei2026", "Zhangwei2026", PASSWORD):
        _s, body = gql(client, CHANGE_PASSWORD, {"o": PASSWORD, "n": new}, user=user)
        assert body["data"]["changePassword"]["errors"] == [{"field": "newPassword", "code": "WEAK_PASSWORD"}], new
    _s, body = gql(client, CHANGE_PASSWORD, {"o": PASSWORD, "n": "Lvshui@Qingshan9"}, user=user)
    assert body["data"]["changePassword"] == {"ok": True, "errors": []}


REQUEST_CODE = """mutation($id: String!, $m: String!) { requestActivationCode(input: {idNumber: $id, mobile: $m}) {
  errors { field code message } } }"""


def _request_code(client, id_number, mobile, **headers):
    _s, body = gql(client, REQUEST_CODE, {"id": id_number, "m": mobile}, **headers)
    assert "errors" not in body, body
    return body["data"]["requestActivationCode"]


@override_settings(SMS_BACKEND="jianlian.identity.sms.LocmemSMSBackend")
def test_request_activation_code_answers_alike_for_real_and_unknown_pairs(client, db):
    from jianlian.identity import services

    LocmemSMSBackend.outbox.clear()
    pending_id, active_id = make_id_number(), make_id_number()
    services.preregister(None, real_name="待激活", mobile="13700001111", id_number=pending_id)
    make_user("已激活", mobile="13700002222", id_number=active_id)
    # a pending pair, an activated pair, a wrong mobile and an unknown ID number: one answer
    answers = [
        _request_code(client, pending_id, "13700001111", REMOTE_ADDR="10.0.0.1"),
        _request_code(client, active_id, "13700002222", REMOTE_ADDR="10.0.0.2"),
        _request_code(client, pending_id, "13700003333", REMOTE_ADDR="10.0.0.3"),
        _request_code(client, make_id_number(), "13700004444", REMOTE_ADDR="10.0.0.4"),
    ]
    assert answers == [{"errors": []}] * 4
    # only the pending person got a code; nobody else was texted one
    codes = [(m, t) for m, t in LocmemSMSBackend.outbox if re.search(r"\d{6}", t)]
    assert [m for m, _t in codes] == ["13700001111"]
    # activating an unknown or activated pair fails like a pending one without a valid code
    for id_number, mobile in ((active_id, "13700002222"), (pending_id, "13700003333")):
        with pytest.raises(services.DomainError) as e:
            services.activate(id_number, mobile, "123456", "Xinmima@2026")
        assert e.value.code == "CODE_EXPIRED"


@override_settings(SMS_BACKEND="jianlian.identity.sms.LocmemSMSBackend", ACTIVATION_IP_LIMIT=5)
def test_request_activation_code_is_throttled_per_mobile_and_per_address(client, db):
    # per mobile: a second request within the minute is refused, known mobile or not
    for mobile in ("13700005555", "13700006666"):
        assert _request_code(client, make_id_number(), mobile, REMOTE_ADDR="10.0.1.1")["errors"] == []
        again = _request_code(client, make_id_number(), mobile, REMOTE_ADDR="10.0.1.2")
        assert [e["code"] for e in again["errors"]] == ["CODE_TOO_FREQUENT"]
    # per address: the sixth request from one address is refused, whatever the mobile
    answers = [_request_code(client, make_id_number(), f"1370001{n:04d}", REMOTE_ADDR="10.0.2.1")["errors"] for n in range(6)]
    assert answers[:5] == [[]] * 5
    assert [e["code"] for e in answers[5]] == ["CODE_TOO_FREQUENT"]
    assert "频繁" in answers[5][0]["message"]


def test_app_tokens_are_refused_outside_their_tenant(client, province):
    from jianlian.marketplace import external
    from tests.test_marketplace_external import _doc

    external.register_external_app(None, province.root, _doc())
    _inst, token = external.install_external(province.users["tenant_admin"], province.tenant_a, "bed_board",
                                             ["platform.view_hierarchy"])
    for path, headers in (("/graphql/", {}), ("/t/xiangshan/graphql/", {}), ("/graphql/", {"HTTP_X_TENANT": "xiangshan"})):
        r = client.post(path, data='{"query": "{ me { username } }"}', content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {token}", **headers)
        assert r.status_code in (401, 403) and error_code(r.json()) in ("UNAUTHENTICATED", "TENANT_ACCESS_DENIED"), (path, r.content)
    # inside its own tenant it works
    r = client.post("/t/tonglu/graphql/", data='{"query": "{ __typename }"}', content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 200 and r.json()["data"] == {"__typename": "Query"}
