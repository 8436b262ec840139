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

import functools
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
    from django.db import connection

    sql, template, at_slug, at_user, tenant_fields, unit_fields = _member_query()
    params = list(template)
    params[at_slug], params[at_user] = name.lower(), user.pk
    # Its tables are named with their schema, so it runs on the connection's search path as it is:
    # no `SET search_path` to the public schema and back to the tenant's on every call.
    with connection.cursor_on_any_path() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    n, m = len(tenant_fields), len(unit_fields)
    tenant = Tenant.from_db("default", tenant_fields, row[:n])
    if row[n] is not None:  # the unit, as select_related would have cached it
        Tenant._meta.get_field("org_unit").set_cached_value(tenant, _unit_model().from_db("default", unit_fields, row[n:n + m]))
    tenant.members_known = {user.pk: row[-2]}
    tenant.installed_keys_known = frozenset(row[-1] or ())
    return tenant


_SLUG, _USER = "\x00jianlian-slug\x00", -(2**62)  # stand-ins, replaced by each call's values


def _unit_model():
    from tenants.models import Tenant

    return Tenant._meta.get_field("org_unit").related_model


@functools.cache
def _member_query():
    """find_tenant's query for a signed-in caller (the tenant, its unit, whether the caller is an
    active member, the installed apps), built by the ORM once per process: building it took
    about a millisecond of CPU, on every API call, against 0.1 ms to run it. Returns the SQL, its
    parameters, where the slug and the user's id go, and the tenant's and the unit's columns."""
    from django_tenants.utils import get_public_schema_name

    from jianlian.access.checks import membership_exists
    from jianlian.access.models import Membership
    from jianlian.marketplace.models import Installation
    from jianlian.marketplace.services import installed_keys_subquery
    from tenants.models import Tenant

    class _Caller:
        pk = _USER

    tenant_fields = [f.attname for f in Tenant._meta.concrete_fields]
    unit_fields = [f.attname for f in _unit_model()._meta.concrete_fields]
    query = (Tenant.objects.filter(slug=_SLUG)
             .annotate(request_member=membership_exists(_Caller), request_apps=installed_keys_subquery())
             .values_list(*tenant_fields, *(f"org_unit__{f}" for f in unit_fields), "request_member", "request_apps"))
    sql, params = query.query.sql_with_params()
    params = list(params)
    public = get_public_schema_name()
    for model in {Tenant, _unit_model(), Membership, Installation, Installation._meta.get_field("app").related_model}:
        table = f'"{model._meta.db_table}"'
        sql = sql.replace(table, f'"{public}".{table}')
    if params.count(_SLUG) != 1 or params.count(_USER) != 1:  # a changed query shape: fail loudly, even under -O
        raise RuntimeError("find_tenant: the slug and the user id must each appear once in the compiled query")
    return sql, params, params.index(_SLUG), params.index(_USER), tenant_fields, unit_fields


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
