"""Tenant routing: which tenant a request is for, and whether the caller may enter it.

Three ways to name a tenant, tried in this order:
1. a path prefix `/t/<slug>/…` (single-host deployments); the prefix is stripped before URL
   resolution so every tenant serves the same URLs;
2. an `X-Tenant: <slug>` header (API clients);
3. the host: `<slug>.<BASE_DOMAIN>`, or an extra host name registered as a `Domain`.
No tenant named means the province console (the public schema).

An authenticated caller is always checked against their memberships: naming a tenant one does
not belong to is refused, whichever way it was named.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext as _

from jianlian.core.errors import error_response
from tenants import context

_PATH_RE = re.compile(r"^/t/(?P<slug>[^/]+)(?P<rest>/.*)?$")


def _host_slug(host: str) -> str | None:
    base = settings.BASE_DOMAIN
    host = host.split(":")[0].lower().rstrip(".")
    if host.endswith("." + base):
        sub = host[: -len(base) - 1]
        if sub and "." not in sub and sub != "www":
            return sub
    return None


def requested_tenant(request):
    """(slug or host, how) named by the request, or (None, None) for the province console."""
    m = _PATH_RE.match(request.path_info)
    if m:
        return m["slug"], "path"
    header = request.META.get("HTTP_X_TENANT", "").strip()
    if header:
        return header, "header"
    host = request.get_host()
    slug = _host_slug(host)
    if slug:
        return slug, "subdomain"
    return None, None


def find_tenant(name: str, how: str, user=None):
    """The tenant named, or None. With `user` (a request's caller), the same query also answers
    what the request asks next — whether the caller is a member and which apps are installed —
    so that an API call pays one round trip for its tenant, not three (see `request_facts`)."""
    from tenants.models import Domain, Tenant

    if how == "domain":
        d = Domain.objects.select_related("tenant", "tenant__org_unit").filter(domain=name.lower()).first()
        return d.tenant if d else None
    tenants = Tenant.objects.select_related("org_unit").filter(slug=name.lower())
    if user is None or not getattr(user, "is_authenticated", False) or getattr(user, "is_app", False):
        return tenants.first()
    from jianlian.access.checks import membership_exists
    from jianlian.marketplace.services import installed_keys_subquery

    tenant = tenants.annotate(request_member=membership_exists(user), request_apps=installed_keys_subquery()).first()
    if tenant is not None:
        tenant.members_known = {user.pk: tenant.request_member}
        tenant.installed_keys_known = frozenset(tenant.request_apps or ())
    return tenant


class TenantRoutingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name, how = requested_tenant(request)
        tenant = None
        if name:
            tenant = find_tenant(name, how, getattr(request, "user", None))
        else:
            host = request.get_host().split(":")[0].lower()
            if host not in ("localhost", "127.0.0.1", "testserver", settings.BASE_DOMAIN):
                tenant = find_tenant(host, "domain")
        if name and tenant is None:
            return error_response("TENANT_NOT_FOUND", _("找不到该单位（租户）：%(name)s。请检查地址是否正确。") % {"name": name}, 404)

        if tenant is None and getattr(getattr(request, "user", None), "is_app", False):
            # an external app's token works inside the one tenant that installed it, never on
            # the province console (where no tenant would scope what it reads)
            return error_response("TENANT_ACCESS_DENIED", _("应用令牌只能在安装该应用的单位内使用。"), 403)
        if tenant is not None:
            refusal = self.refusal(request, tenant)
            if refusal is not None:
                return refusal
            if how == "path":
                rest = _PATH_RE.match(request.path_info)["rest"] or "/"
                request.tenant_prefix = f"/t/{tenant.slug}"
                request.path_info = rest
            token = context.activate(tenant)
        else:
            token = context.activate(context.public())
        request.tenant = tenant
        try:
            return self.get_response(request)
        finally:
            context.deactivate(token)

    @staticmethod
    def refusal(request, tenant):
        """Why `request.user` may not enter `tenant` now (archived, suspended, not a member), as a
        response; None when they may. Also used where a view authenticates its caller itself."""
        from jianlian.access.checks import can_enter_tenant
        from tenants.models import TenantStatus

        user = getattr(request, "user", None)
        if tenant.status == TenantStatus.ARCHIVED:
            return error_response("TENANT_ARCHIVED", _("该单位已归档，不能再登录使用。"), 403)
        if user is None or not user.is_authenticated:
            return None  # anonymous callers can only sign in, which checks again
        if tenant.status == TenantStatus.SUSPENDED and not user.is_superuser:
            return error_response(
                "TENANT_SUSPENDED", _("该单位已被暂停使用，暂时无法登录。数据已保留，请联系上级卫生健康部门。"), 403
            )
        if not can_enter_tenant(user, tenant):
            return error_response("TENANT_ACCESS_DENIED", _("您不是该单位的成员，无法进入。"), 403)
        return None
