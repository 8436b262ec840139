"""Issue 15: client addresses cannot be forged through X-Forwarded-For unless a proxy is
configured, and webhook registration refuses hosts that resolve to loopback or private addresses."""

from __future__ import annotations

import ipaddress
import json
import socket

import pytest

from jianlian.audit.models import AuditRecord
from jianlian.core.errors import DomainError

SIGN_IN = 'mutation { signIn(input: {identifier: "nobody-here", password: "wrong-guess"}) { errors { code } } }'


def test_the_asgi_server_ignores_forwarded_for_without_trusted_proxies(live_asgi, settings):
    import httpx

    # given TRUSTED_PROXY_HOPS=0 (the default: no proxy in front) and a client on loopback
    assert settings.TRUSTED_PROXY_HOPS == 0
    # when it claims another address in X-Forwarded-For
    r = httpx.post(f"http://{live_asgi}/graphql/", json={"query": SIGN_IN},
                   headers={"X-Forwarded-For": "203.0.113.77", "X-Real-IP": "203.0.113.78"}, timeout=10)
    assert r.status_code == 200 and r.json()["data"]["signIn"]["errors"] == [{"code": "INVALID_CREDENTIALS"}]
    # then the audit log (and the address lockout) see the real peer
    record = AuditRecord.objects.filter(action="auth.sign_in").order_by("-seq").first()
    assert record.ip == "127.0.0.1"


def test_the_supervisor_runs_uvicorn_without_proxy_headers_unless_configured(settings):
    from jianlian.asgi_server import uvicorn_args, uvicorn_options

    settings.TRUSTED_PROXY_HOPS = 0
    assert uvicorn_options()["proxy_headers"] is False
    assert "--no-proxy-headers" in uvicorn_args()
    settings.TRUSTED_PROXY_HOPS = 1
    settings.TRUSTED_PROXY_ADDRESSES = "10.0.0.5"
    assert uvicorn_options()["proxy_headers"] is True and uvicorn_options()["forwarded_allow_ips"] == "10.0.0.5"
    assert "--proxy-headers" in uvicorn_args() and "10.0.0.5" in uvicorn_args()


def _local_name() -> str:
    """A host name that resolves (from /etc/hosts) to a non-public address on this machine."""
    name = socket.gethostname()
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(name, 443, proto=socket.IPPROTO_TCP)}
    except OSError:
        pytest.skip("this machine's host name does not resolve")
    if any(ipaddress.ip_address(a).is_global for a in addresses):
        pytest.skip("this machine's host name resolves to a public address")
    return name


def test_webhook_registration_refuses_names_that_resolve_to_private_addresses(db):
    from jianlian.marketplace import external
    from tests.test_marketplace_external import _doc
    from tests.factories import build_province

    p = build_province()
    name = _local_name()
    doc = _doc(webhooks=[{"event": "app.installed", "url": f"https://{name}/hooks"}])
    with pytest.raises(DomainError) as e:
        external.register_external_app(p.users["province_admin"], p.root, json.dumps(doc))
    assert [(x.code, x.field) for x in e.value.problems] == [("URL_NOT_ALLOWED", "webhooks.0.url")]
    # the metadata address and a private one are refused as literals too
    for url in ("https://169.254.169.254/latest/meta-data", "https://[fd00::1]/hook", "https://100.64.0.1/hook"):
        with pytest.raises(DomainError) as e:
            external.register_external_app(p.users["province_admin"], p.root,
                                           _doc(webhooks=[{"event": "app.installed", "url": url}]))
        assert e.value.code == "URL_NOT_ALLOWED", url
