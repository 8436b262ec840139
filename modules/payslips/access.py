"""Who may see a payslip: the person it belongs to (once its batch is published) and the payroll
office (`payslips.manage` at the tenant's unit) — nobody else, by any API. A missing payslip and
a forbidden one answer alike (NOT_FOUND)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jianlian.access.checks import has_perm
from jianlian.access.helpers import require_tenant
from jianlian.core.errors import NotFoundError, PermissionDeniedError
from modules.payslips.models import Batch, BatchStatus, Payslip

MANAGE = "payslips.manage"


def is_office(user) -> bool:
    if getattr(user, "pk", None) is None:
        return False
    cache = user.__dict__.setdefault("_jl_payslips_office", {})
    tenant = require_tenant()
    if tenant.pk not in cache:
        cache[tenant.pk] = has_perm(user, MANAGE, tenant.org_unit)
    return cache[tenant.pk]


def require_office(user) -> None:
    if not is_office(user):
        raise PermissionDeniedError()


def office_user_ids() -> list[int]:
    """The payroll office of the tenant: everyone holding `payslips.manage` at its unit."""
    from jianlian.access.models import RoleGrant
    from jianlian.identity.models import User

    tenant = require_tenant()
    ids = set(RoleGrant.objects.filter(role__permissions__contains=[MANAGE]).values_list("user_id", flat=True))
    return sorted(u.pk for u in User.objects.filter(pk__in=ids) if has_perm(u, MANAGE, tenant.org_unit))


def may_see(user, slip: Payslip) -> bool:
    if getattr(user, "pk", None) is None:
        return False
    if slip.user_id == user.pk and slip.batch.status == BatchStatus.PUBLISHED:
        return True
    return is_office(user)


def access_payslip(user, slip_id: int, *, own: bool = False, for_update: bool = False) -> Payslip:
    qs = Payslip.objects.select_for_update(of=("self",)) if for_update else Payslip.objects
    slip = qs.select_related("batch").filter(pk=slip_id).first()
    if slip is None or not (slip.user_id == user.pk and slip.batch.status == BatchStatus.PUBLISHED if own else may_see(user, slip)):
        raise NotFoundError(_("工资条不存在或您无权查看。"), field="payslip")
    return slip


def access_batch(user, batch_id: int, *, for_update: bool = False) -> Batch:
    require_office(user)
    qs = Batch.objects.select_for_update() if for_update else Batch.objects
    batch = qs.filter(pk=batch_id).first()
    if batch is None:
        raise NotFoundError(_("工资条批次不存在。"), field="batch")
    return batch
