"""Fetch an object and authorise it in one call (Zulip's `access_*`), so that forgetting the check
is impossible. A missing object and a forbidden one answer alike: `PermissionDeniedError` with
one message, never saying whether the object exists.

`codes` is one permission code or several (any of them will do).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jianlian.access.checks import has_perm
from jianlian.core.errors import DomainError, PermissionDeniedError

HIDDEN = _("对象不存在或您无权访问。")


def _codes(codes) -> tuple[str, ...]:
    return (codes,) if isinstance(codes, str) else tuple(codes)


def _allowed(user, codes, node) -> bool:
    return node is not None and any(has_perm(user, c, node) for c in _codes(codes))


def access_unit(user, unit_id, codes):
    """The OrgUnit `unit_id` (a primary key or an OrgUnit) if `user` holds one of `codes` there."""
    from jianlian.hierarchy.models import OrgUnit

    unit = unit_id if isinstance(unit_id, OrgUnit) else OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None
    if not _allowed(user, codes, unit):
        raise PermissionDeniedError(HIDDEN)
    return unit


def access_tenant(user, tenant_id, codes):
    """The Tenant `tenant_id` if `user` holds one of `codes` at its org unit."""
    from tenants.models import Tenant

    tenant = Tenant.objects.select_related("org_unit").filter(pk=tenant_id).first() if tenant_id else None
    if tenant is None or not _allowed(user, codes, tenant.org_unit):
        raise PermissionDeniedError(HIDDEN)
    return tenant


def require_tenant(message=None):
    """The request's tenant; on the province console a clear error (`TENANT_NOT_FOUND`)."""
    from tenants.context import current_tenant

    tenant = current_tenant()
    if tenant is None:
        raise DomainError("TENANT_NOT_FOUND", message or _("此功能只能在租户（医共体或医院）内使用。"))
    return tenant


def access_current_tenant(user, codes):
    """The request's tenant if `user` holds one of `codes` at its unit; on the province console,
    which has no tenant, `TENANT_NOT_FOUND` (see `require_tenant`)."""
    tenant = require_tenant()
    if not _allowed(user, codes, tenant.org_unit):
        raise PermissionDeniedError()
    return tenant


def workspace_node():
    """The org unit the request works in: its tenant's unit, or the province on the console."""
    from jianlian.hierarchy.models import OrgUnit
    from tenants.context import current_tenant

    tenant = current_tenant()
    return tenant.org_unit if tenant else OrgUnit.objects.filter(parent__isnull=True).order_by("tree_id").first()


def access_workspace(user, codes):
    """The workspace's unit if `user` holds one of `codes` there (the audit log, for example)."""
    node = workspace_node()
    if not _allowed(user, codes, node):
        raise PermissionDeniedError()
    return node
