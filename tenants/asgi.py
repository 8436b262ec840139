"""Tenant resolution for WebSocket connections (django-tenants has no Channels support).

The tenant is named as for HTTP (`/t/<slug>/…`, an `X-Tenant` header from non-browser clients,
or the `<slug>.<BASE_DOMAIN>` host) and resolved into `scope["tenant"]`; an unknown or archived
tenant is recorded as `scope["tenant_error"]`, which the consumer answers with close code 4403
after the handshake (a refused handshake tells a browser nothing). Membership is checked by the
consumer once it knows who is connecting.
"""

from __future__ import annotations

from channels.db import database_sync_to_async

from tenants.middleware import _PATH_RE, _host_slug, find_tenant


def _resolve(scope):
    path = scope.get("path", "")
    headers = {k.decode("latin1").lower(): v.decode("latin1") for k, v in scope.get("headers", [])}
    m = _PATH_RE.match(path)
    name, how = (m["slug"], "path") if m else (headers.get("x-tenant", "").strip() or None, "header")
    if not name:
        name, how = _host_slug(headers.get("host", "")), "subdomain"
    if not name:
        return None, None
    tenant = find_tenant(name, how)
    if tenant is None:
        return None, f"unknown tenant {name}"
    if tenant.status == "archived":
        return None, "tenant archived"
    return tenant, None


class TenantScopeMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        tenant, error = await database_sync_to_async(_resolve)(scope)
        scope = {**scope, "tenant": tenant, "tenant_error": error}
        return await self.app(scope, receive, send)
