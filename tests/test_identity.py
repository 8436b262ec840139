"""Sign-in, lockout, activation by ID number + mobile + code, tokens, and suspended tenants."""

import re
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from jianlian.audit.models import AuditRecord
from jianlian.core.errors import DomainError
from jianlian.identity import services
from jianlian.identity.models import ApiToken, User, UserStatus
from jianlian.identity.sms import LocmemSMSBackend
from tenants.provisioning import set_status
from tests.factories import PASSWORD, make_id_number, make_user
from tests.utils import error_code, gql

SIGN_IN = """mutation($i: String!, $p: String!) { signIn(input: {identifier: $i, password: $p}) {
  token user { username realName maskedMobile maskedIdNumber memberships { tenant { slug } unit { name } } }
  errors { field code message } } }"""


def test_sign_in_by_mobile_or_username(db):
    user = make_user("孙护士", mobile="13912345678", username="sunhs")
    assert services.sign_in("139-1234-5678", PASSWORD) == user
    assert services.sign_in("sunhs", PASSWORD) == user
    outcomes = list(AuditRecord.objects.filter(action="auth.sign_in").values_list("outcome", flat=True))
    assert outcomes == ["success", "success"]


def test_wrong_password_is_audited_as_a_failure(db):
    make_user("周医生", username="zhouys")
    with pytest.raises(DomainError) as e:
        services.sign_in("zhouys", "wrong-password")
    assert e.value.code == "INVALID_CREDENTIALS"
    assert AuditRecord.objects.filter(action="auth.sign_in", outcome="failure").count() == 1


@override_settings(LOCKOUT_THRESHOLD=3)
def test_lockout_after_repeated_failures_says_when_to_retry(db):
    make_user("吴医生", username="wuys")
    for _ in range(2):
        with pytest.raises(DomainError) as e:
            services.sign_in("wuys", "bad")
        assert e.value.code == "INVALID_CREDENTIALS"
    with pytest.raises(DomainError) as e:
        services.sign_in("wuys", "bad")
    assert e.value.code == "ACCOUNT_LOCKED"
    # even the right password is refused now, with the time to retry in the message
    with pytest.raises(DomainError) as e:
        services.sign_in("wuys", PASSWORD)
    assert e.value.code == "ACCOUNT_LOCKED"
    assert re.search(r"请在 \d\d:\d\d 之后（约 1\d 分钟后）重试", str(e.value.message))


@override_settings(LOCKOUT_THRESHOLD=100, LOCKOUT_IP_THRESHOLD=4)
def test_lockout_per_address_covers_guessing_across_accounts(db):
    for name in ("a1", "a2", "a3", "a4"):
        make_user(username=f"ip{name}")
    from jianlian.core import context

    context.current().ip = "10.1.2.3"
    try:
        for name in ("a1", "a2", "a3"):
            with pytest.raises(DomainError):
                services.sign_in(f"ip{name}", "bad")
        with pytest.raises(DomainError) as e:
            services.sign_in("ipa4", "bad")
        assert e.value.code == "ACCOUNT_LOCKED"
    finally:
        context.current().ip = None


def test_pending_and_disabled_accounts_are_refused_with_reasons(db):
    make_user(username="pending1", status=UserStatus.PENDING)
    make_user(username="disabled1", status=UserStatus.DISABLED)
    for username, code in (("pending1", "ACCOUNT_NOT_ACTIVATED"), ("disabled1", "ACCOUNT_DISABLED")):
        with pytest.raises(DomainError) as e:
            services.sign_in(username, PASSWORD)
        assert e.value.code == code


@override_settings(SMS_BACKEND="jianlian.identity.sms.LocmemSMSBackend")
def test_activation_by_id_number_mobile_and_code(db):
    # given a staff member pre-registered by an admin
    LocmemSMSBackend.outbox.clear()
    id_number = make_id_number("330122", "19900101")
    user = services.preregister(None, real_name="郑医生", mobile="13755556666", id_number=id_number)
    assert user.status == UserStatus.PENDING and not user.has_usable_password()
    # when the person asks for a code with the same ID number and mobile
    services.request_activation_code(id_number.lower(), "137 5555 6666")
    mobile, text = LocmemSMSBackend.outbox[-1]
    code = re.search(r"\d{6}", text).group()
    assert mobile == "13755556666"
    # a wrong code is counted and refused
    with pytest.raises(DomainError) as e:
        services.activate(id_number, "13755556666", "000000" if code != "000000" else "111111", "Xinmima@2026")
    assert e.value.code == "CODE_INVALID"
    # a weak password is refused before the code is spent
    with pytest.raises(DomainError) as e:
        services.activate(id_number, "13755556666", code, "12345678")
    assert e.value.code == "WEAK_PASSWORD"
    # then the right code and a good password activate the account
    services.activate(id_number, "13755556666", code, "Xinmima@2026")
    user.refresh_from_db()
    assert user.status == UserStatus.ACTIVE
    assert services.sign_in("13755556666", "Xinmima@2026") == user
    # and the code cannot be used again
    with pytest.raises(DomainError) as e:
        services.activate(id_number, "13755556666", code, "Xinmima@2026")
    assert e.value.code == "CODE_EXPIRED"


@override_settings(SMS_BACKEND="jianlian.identity.sms.LocmemSMSBackend")
def test_activation_refuses_a_mismatched_mobile_without_saying_which_part_is_wrong(db):
    LocmemSMSBackend.outbox.clear()
    id_number = make_id_number()
    services.preregister(None, real_name="冯医生", mobile="13711112222", id_number=id_number)
    services.request_activation_code(id_number, "13711113333")  # answered as any other pair
    assert LocmemSMSBackend.outbox == []
    with pytest.raises(DomainError) as e:
        services.activate(id_number, "13711113333", "123456", "Xinmima@2026")
    assert e.value.code == "CODE_EXPIRED"


def test_preregistration_validates_everything_and_writes_nothing_on_error(db):
    before = User.objects.count()
    with pytest.raises(DomainError) as e:
        services.preregister(None, real_name="", mobile="1234", id_number="110105194912310021")
    assert {p.code for p in e.value.problems} == {"INVALID_NAME", "INVALID_MOBILE", "INVALID_ID_NUMBER"}
    assert User.objects.count() == before


def test_id_number_is_encrypted_at_rest_and_found_by_blind_index(db):
    from django.db import connection

    id_number = make_id_number("330122", "19800202")
    user = services.preregister(None, real_name="陈医生", mobile="13722223333", id_number=id_number)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM identity_user WHERE id = %s", [user.pk])
        stored = cursor.fetchone()[0]
    assert id_number not in stored and stored.startswith("gAAAA")
    with pytest.raises(DomainError) as e:
        services.preregister(None, real_name="重复", mobile="13722224444", id_number=id_number)
    assert e.value.code == "ID_NUMBER_TAKEN"


def test_tokens_expire_and_can_be_revoked(db):
    user = make_user()
    token, key = services.issue_token(user)
    assert services.user_for_token(key) == user
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.user_for_token(key) is None
    _, key2 = services.issue_token(user)
    assert services.revoke_token(user, key2)
    assert services.user_for_token(key2) is None


def test_graphql_sign_in_returns_a_token_and_masked_identity(client, province):
    doctor = province.users["doctor"]
    status, body = gql(client, SIGN_IN, {"i": doctor.username, "p": PASSWORD})
    data = body["data"]["signIn"]
    assert status == 200 and data["errors"] == []
    assert data["user"]["maskedIdNumber"].count("*") == 11 and "*" in data["user"]["maskedMobile"]
    assert data["user"]["memberships"] == [{"tenant": {"slug": "tonglu"}, "unit": {"name": "桐庐县分水镇中心卫生院"}}]
    # the token works as a bearer token
    r = client.post("/graphql/", {"query": "{ me { username } }"}, content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {data['token']}")
    assert r.json()["data"]["me"]["username"] == doctor.username


def test_graphql_sign_in_errors_are_localised(client, db):
    make_user(username="lang1")
    _, zh = gql(client, SIGN_IN, {"i": "lang1", "p": "bad"})
    _, en = gql(client, SIGN_IN, {"i": "lang1", "p": "bad"}, HTTP_ACCEPT_LANGUAGE="en")
    assert zh["data"]["signIn"]["errors"][0]["code"] == en["data"]["signIn"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert zh["data"]["signIn"]["errors"][0]["message"] == "账号或密码不正确。"


def test_a_suspended_tenant_refuses_sign_in_and_keeps_its_data(client, province):
    set_status(None, province.tenant_a, "suspended", "停业整顿")
    doctor = province.users["doctor"]
    # signing in at the tenant's address is refused with the reason
    _, body = gql(client, SIGN_IN, {"i": doctor.username, "p": PASSWORD}, path="/t/tonglu/graphql/")
    assert body["data"]["signIn"]["errors"][0]["code"] == "TENANT_SUSPENDED"
    # and so is signing in at the console when that was the person's only tenant
    _, body = gql(client, SIGN_IN, {"i": doctor.username, "p": PASSWORD})
    assert body["data"]["signIn"]["errors"][0]["code"] == "TENANT_SUSPENDED"
    assert "数据已保留" in body["data"]["signIn"]["errors"][0]["message"]
    # a member of another tenant is unaffected
    _, body = gql(client, SIGN_IN, {"i": province.users["doctor_b"].username, "p": PASSWORD})
    assert body["data"]["signIn"]["errors"] == []


def test_invalid_bearer_token_is_refused(client, province):
    r = client.post("/graphql/", {"query": "{ me { username } }"}, content_type="application/json",
                    HTTP_AUTHORIZATION="Bearer jl_not-a-real-token", HTTP_X_TENANT="tonglu")
    assert r.status_code == 401 and error_code(r.json()) == "UNAUTHENTICATED"


CHANGE_PASSWORD = """mutation($o: String!, $n: String!) { changePassword(input: {oldPassword: $o, newPassword: $n}) {
  ok errors { field code } } }"""


def test_a_person_changes_their_password_over_graphql(client, db):
    from tests.factories import PASSWORD, make_user
    from tests.utils import gql

    user = make_user()
    _s, body = gql(client, CHANGE_PASSWORD, {"o": "wrong-old", "n": "Xinmima@2026"}, user=user)
    assert body["data"]["changePassword"] is not None, body
    assert body["data"]["changePassword"]["errors"] == [{"field": "oldPassword", "code": "INVALID_CREDENTIALS"}], body
    _s, body = gql(client, CHANGE_PASSWORD, {"o": PASSWORD, "n": "12345678"}, user=user)
    assert body["data"]["changePassword"]["errors"][0]["code"] == "WEAK_PASSWORD"
    _s, body = gql(client, CHANGE_PASSWORD, {"o": PASSWORD, "n": "Xinmima@2026"}, user=user)
    assert body["data"]["changePassword"] == {"ok": True, "errors": []}
    user.refresh_from_db()
    assert user.check_password("Xinmima@2026") and not user.check_password(PASSWORD)
