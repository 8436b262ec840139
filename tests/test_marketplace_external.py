"""External apps: the manifest document, publisher scope, install with granted permissions and a
tenant-scoped API token, launch tokens verified with the published JWKS, signed webhooks
delivered through the bus with retries and a delivery log, and the SSRF guard."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from graphql_relay import to_global_id

from jianlian.core.errors import DomainError
from jianlian.marketplace import external, services
from jianlian.marketplace.models import WebhookDelivery
from tests.factories import build_province
from tests.utils import error_code, gql


def _doc(**over):
    doc = {"key": "bed_board", "name": "床位看板", "version": "1.0.0", "category": "clinical",
           "launchUrl": "https://apps.example.cn/bed-board", "permissions": ["platform.view_hierarchy", "platform.view_audit"],
           "webhooks": [{"event": "app.installed", "url": "https://apps.example.cn/hooks"}]}
    doc.update(over)
    return doc


def _problems(fn, *args, **kwargs):
    with pytest.raises(DomainError) as e:
        fn(*args, **kwargs)
    return [(p.code, p.field) for p in e.value.problems]


@pytest.fixture
def p(db, unique):
    return build_province(unique(""))


def test_a_bad_manifest_document_gets_one_error_per_field(p):
    admin = p.users["province_admin"]
    bad = _doc(key="Bed Board", version="v1", category="surgery", color="red",
               permissions=["platform.view_hierarchy", "no.such_perm"],
               webhooks=[{"event": "app.installed", "url": "http://10.0.0.8/hook"}])
    del bad["name"]
    assert sorted(_problems(external.register_external_app, admin, p.root, bad)) == [
        ("INVALID_MANIFEST", "category"), ("INVALID_MANIFEST", "color"), ("INVALID_MANIFEST", "key"),
        ("INVALID_MANIFEST", "name"), ("INVALID_MANIFEST", "version")]
    # Schema-valid, but naming an unknown permission and a private webhook address:
    semantic = _doc(permissions=["no.such_perm"], webhooks=[{"event": "app.installed", "url": "https://10.0.0.8/hook"}])
    assert _problems(external.register_external_app, admin, p.root, semantic) == [
        ("INVALID_MANIFEST", "permissions.0"), ("URL_NOT_ALLOWED", "webhooks.0.url")]


REGISTER = """mutation($p: ID!, $m: JSONString!) { registerExternalApp(input: {publisher: $p, manifest: $m}) {
  app { key kind version } errors { field code message } } }"""


def test_a_city_publishes_for_its_own_subtree_only(p, client):
    city_admin = p.users["city_supervisor"]  # 杭州
    m = json.dumps(_doc())
    _s, body = gql(client, REGISTER, {"p": to_global_id("OrgUnit", p.city_b.pk), "m": m}, user=city_admin)
    assert error_code(body) == "PERMISSION_DENIED"
    _s, body = gql(client, REGISTER, {"p": to_global_id("OrgUnit", p.city_a.pk), "m": m}, user=city_admin)
    assert body["data"]["registerExternalApp"] == {"app": {"key": "bed_board", "kind": "EXTERNAL", "version": "1.0.0"}, "errors": []}

    assert services.catalog_for(p.tenant_a).filter(key="bed_board").exists()  # 桐庐 is in 杭州
    assert not services.catalog_for(p.tenant_b).filter(key="bed_board").exists()  # 象山 is in 宁波
    _s, body = gql(client, REGISTER, {"p": to_global_id("OrgUnit", p.city_a.pk), "m": m}, user=city_admin)
    assert body["data"]["registerExternalApp"]["errors"][0]["code"] == "VERSION_NOT_NEWER"
    _s, body = gql(client, REGISTER, {"p": to_global_id("OrgUnit", p.city_a.pk), "m": json.dumps(_doc(version="1.1.0", changeNotes="加了夜间模式"))},
                   user=city_admin)
    assert body["data"]["registerExternalApp"]["app"]["version"] == "1.1.0"


def test_the_installer_grants_only_what_the_app_requested_and_they_hold(p):
    admin = p.users["tenant_admin"]  # holds view_hierarchy and view_audit, not manage_tenants
    external.register_external_app(None, p.root, _doc(permissions=["platform.view_hierarchy", "platform.manage_tenants"]))
    assert _problems(external.install_external, admin, p.tenant_a, "bed_board", ["platform.manage_tenants"]) == [
        ("PERMISSION_NOT_HELD", "permissions")]
    assert _problems(external.install_external, admin, p.tenant_a, "bed_board", ["platform.view_audit"]) == [
        ("PERMISSION_NOT_REQUESTED", "permissions")]
    inst, token = external.install_external(admin, p.tenant_a, "bed_board", ["platform.view_hierarchy"])
    assert token.startswith("jla_") and inst.granted_permissions == ["platform.view_hierarchy"]
    assert token not in json.dumps(list(inst.tokens.values()), default=str)  # stored hashed only


UNITS = "{ orgUnits(first: 5) { totalCount } }"
AUDIT = "{ auditRecords(first: 5) { totalCount } }"


def test_an_app_token_carries_only_its_grants_inside_its_own_tenant(p, client):
    external.register_external_app(None, p.root, _doc())
    _inst, token = external.install_external(p.users["tenant_admin"], p.tenant_a, "bed_board", ["platform.view_hierarchy"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    _s, body = gql(client, UNITS, HTTP_X_TENANT=p.tenant_a.slug, **auth)
    assert "errors" not in body and body["data"]["orgUnits"]["totalCount"] >= 1, body
    _s, body = gql(client, AUDIT, HTTP_X_TENANT=p.tenant_a.slug, **auth)
    assert error_code(body) == "PERMISSION_DENIED"  # not granted
    response = client.post("/graphql/", data=json.dumps({"query": UNITS}), content_type="application/json",
                           HTTP_X_TENANT=p.tenant_b.slug, **auth)
    assert response.status_code == 403 and response.json()["errors"][0]["extensions"]["code"] == "TENANT_ACCESS_DENIED"

    services.uninstall(None, p.tenant_a, "bed_board")  # uninstalling revokes the token
    response = client.post("/graphql/", data=json.dumps({"query": UNITS}), content_type="application/json",
                           HTTP_X_TENANT=p.tenant_a.slug, **auth)
    assert response.status_code == 401


LAUNCH = """mutation { launchApp(input: {app: "bed_board"}) { launchUrl launchToken expiresAt errors { code } } }"""


def test_a_launch_token_names_user_tenant_and_roles_and_verifies_with_the_published_keys(p, client):
    external.register_external_app(None, p.root, _doc())
    external.install_external(p.users["tenant_admin"], p.tenant_a, "bed_board", [])
    doctor = p.users["doctor"]
    _s, body = gql(client, LAUNCH, user=doctor, HTTP_X_TENANT=p.tenant_a.slug)
    launch = body["data"]["launchApp"]
    assert launch["launchUrl"] == "https://apps.example.cn/bed-board" and launch["errors"] == []

    keys = jwt.PyJWKSet.from_dict(client.get("/.well-known/jwks.json").json())
    kid = jwt.get_unverified_header(launch["launchToken"])["kid"]
    key = next(k for k in keys.keys if k.key_id == kid)
    claims = jwt.decode(launch["launchToken"], key.key, algorithms=["RS256"], audience="bed_board", issuer="jianlian")
    assert claims["sub"] == str(doctor.pk) and claims["tenant"] == p.tenant_a.slug
    assert claims["roles"] == ["doctor"] and claims["name"] == "赵医生"
    assert claims["exp"] - claims["iat"] == 300 and claims["exp"] == launch["expiresAt"]

    forged = launch["launchToken"][:-4] + ("AAAA" if not launch["launchToken"].endswith("AAAA") else "BBBB")
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(forged, key.key, algorithms=["RS256"], audience="bed_board")
    with pytest.raises(jwt.InvalidAudienceError):  # a token for one app is no good for another
        jwt.decode(launch["launchToken"], key.key, algorithms=["RS256"], audience="another_app")

    _s, body = gql(client, LAUNCH, user=p.users["doctor_b"], HTTP_X_TENANT=p.tenant_b.slug)
    assert body["data"]["launchApp"]["errors"] == [{"code": "APP_NOT_INSTALLED"}]


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8000/hook", "https://localhost/hook", "https://10.1.2.3/hook", "https://192.168.1.1/",
    "https://172.16.0.1/", "https://169.254.169.254/latest/meta-data", "https://[::1]/", "https://0.0.0.0/",
    "ftp://example.cn/hook", "https://app.internal/hook",
])
def test_urls_to_loopback_private_or_odd_places_are_refused(url, settings):
    settings.DEBUG = True  # even where plain http is otherwise let through
    with pytest.raises(DomainError) as e:
        external.check_url(url)
    assert e.value.code in ("URL_NOT_ALLOWED", "INVALID")


def test_an_allow_listed_host_passes_the_guard(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1:9"]
    assert external.check_url("http://127.0.0.1:9/hook") == ["127.0.0.1"]
    with pytest.raises(DomainError):
        external.check_url("http://127.0.0.1:10/hook")


# --- webhooks through the bus -------------------------------------------------------------------------

class _Receiver:
    """A webhook endpoint on loopback that fails the first `failures` calls."""

    def __init__(self, failures: int):
        self.calls, self.failures = [], failures
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.calls.append((dict(self.headers), body))
                self.send_response(500 if len(outer.calls) <= outer.failures else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.django_db(transaction=True)
def test_webhooks_are_signed_retried_through_the_bus_and_logged(unique, settings):
    from jianlian.bus import relay

    receiver = _Receiver(failures=1)
    try:
        settings.WEBHOOK_ALLOWED_HOSTS = [f"127.0.0.1:{receiver.port}"]
        settings.BUS_RETRY_BASE_DELAY = 0  # retry at once, so each relay pass is one attempt
        p = build_province(unique(""))
        url = f"http://127.0.0.1:{receiver.port}/hooks"
        external.register_external_app(None, p.root, _doc(webhooks=[{"event": "app.installed", "url": url}]))
        inst, _token = external.install_external(p.users["tenant_admin"], p.tenant_a, "bed_board", [])

        relay.run_once()  # attempt 1: the app answers 500
        relay.run_once()  # attempt 2: 204

        assert len(receiver.calls) == 2
        headers, body = receiver.calls[-1]
        expected = "sha256=" + hmac.new(inst.webhook_secret.encode(), body, hashlib.sha256).hexdigest()
        assert headers["X-Jianlian-Signature"] == expected
        assert headers["X-Jianlian-Event"] == "app.installed"
        payload = json.loads(body)
        assert payload["event"] == "app.installed" and payload["tenant"] == p.tenant_a.slug
        assert receiver.calls[0][1] == body  # the retry is the same delivery
        log = list(WebhookDelivery.objects.filter(installation=inst).order_by("pk").values_list("attempt", "status_code", "ok"))
        assert log == [(1, 500, False), (2, 204, True)]
    finally:
        receiver.close()


@pytest.mark.django_db(transaction=True)
def test_a_webhook_to_a_forbidden_address_is_never_called_and_ends_dead(unique, settings):
    from jianlian import bus
    from jianlian.bus import relay

    settings.BUS_RETRY_BASE_DELAY = 0
    settings.BUS_MAX_ATTEMPTS = 2
    p = build_province(unique(""))
    external.register_external_app(None, p.root, _doc())
    inst, _token = external.install_external(p.users["tenant_admin"], p.tenant_a, "bed_board", [])
    # The manifest's address was public when registered; its host now resolves nowhere public.
    type(inst.app).objects.filter(pk=inst.app_id).update(webhooks=[{"event": "app.installed", "url": "https://127.0.0.1/x"}])
    from jianlian.bus.models import OutboxMessage
    from tenants.context import tenant_context

    with tenant_context(p.tenant_a):
        OutboxMessage.objects.filter(type=external.WEBHOOK_MESSAGE).update(
            payload={"installation": inst.pk, "event": "app.installed", "url": "https://127.0.0.1/x", "data": {}})
    relay.run_once()
    relay.run_once()

    log = list(WebhookDelivery.objects.filter(installation=inst).values_list("ok", "status_code", "error"))
    assert len(log) == 2 and all(not ok and status is None and error.startswith("URL_NOT_ALLOWED") for ok, status, error in log)
    assert [d.type for d in bus.dead_letters([p.tenant_a.schema_name])] == [external.WEBHOOK_MESSAGE]
