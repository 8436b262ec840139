"""Secondments into another tenant need that tenant's consent.

A tenant's organisation managers may second their staff to a unit of another tenant (下沉), which
gives the person a membership there. Unless the one scheduling it also manages the receiving
tenant, the lifecycle event waits (`payload["consent"] == "pending"`, skipped by the periodic
task) and a `SecondmentRequest` in the public schema asks the receiving tenant; its managers
accept (the event is applied at once if its time has come, else at its time) or decline (the
event is cancelled). Both decisions are audited in the receiving tenant's chain; applying the
event is audited in the sending tenant's, as every lifecycle event is.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianlian.access.checks import has_perm
from jianlian.access.models import SecondmentRequest
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, NotFoundError

MANAGE = "org.manage"
PENDING = "pending"


def needs_consent(actor, other_tenant) -> bool:
    """True unless `actor` manages the receiving tenant too (or is the system, actor None)."""
    return actor is not None and not has_perm(actor, MANAGE, other_tenant.org_unit)


def request_consent(actor, staff, event, from_tenant, to_tenant, unit_id: int) -> SecondmentRequest:
    """Ask `to_tenant` to accept the secondment `event` (in the caller's transaction)."""
    request = SecondmentRequest.objects.create(
        user_id=staff.user_id, staff_name=staff.name, from_tenant=from_tenant, to_tenant=to_tenant, unit_id=unit_id,
        event_id=event.pk, requested_by=actor if getattr(actor, "pk", None) else None)
    audit.record("org.request_secondment", actor=actor, target=staff,
                 after={"event": event.pk, "request": request.pk, "to_tenant": to_tenant.slug, "unit_id": unit_id})
    return request


def incoming_requests(viewer, tenant):
    """The requests to second people into `tenant`, newest first, for its organisation managers
    (nobody else sees them)."""
    if tenant is None or not has_perm(viewer, MANAGE, tenant.org_unit):
        return SecondmentRequest.objects.none()
    return SecondmentRequest.objects.filter(to_tenant=tenant).select_related("from_tenant", "unit").order_by("-requested_at", "-pk")


def decide(actor, request_id: int, *, accept: bool, tenant) -> SecondmentRequest:
    """Accept or decline a request to second someone into `tenant` (the current one).

    Who: `org.manage` at `tenant`. NOT_FOUND for a request elsewhere or a caller who may not see
    it; REQUEST_DECIDED once decided. Accepting applies the sending tenant's event at once when its
    time has come; declining cancels it. Audited here as `org.accept_secondment` /
    `org.decline_secondment`."""
    from jianlian.org.models import EventStatus, LifecycleEvent
    from jianlian.org.services import apply_event
    from tenants.context import tenant_context

    with transaction.atomic():
        request = incoming_requests(actor, tenant).select_for_update(of=("self",)).filter(pk=request_id).first()
        if request is None:
            raise NotFoundError(_("借调申请不存在或您无权处理。"))
        if request.status != SecondmentRequest.Status.PENDING:
            raise DomainError("REQUEST_DECIDED", _("该借调申请已处理。"))
        now = timezone.now()
        request.status = SecondmentRequest.Status.ACCEPTED if accept else SecondmentRequest.Status.DECLINED
        request.decided_by, request.decided_at = actor, now
        request.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record("org.accept_secondment" if accept else "org.decline_secondment", actor=actor, target=request,
                     after={"from_tenant": request.from_tenant.slug, "user_id": request.user_id, "unit_id": request.unit_id})
        with tenant_context(request.from_tenant):
            event = LifecycleEvent.objects.select_for_update().filter(pk=request.event_id, status=EventStatus.PENDING).first()
            if event is not None:
                if accept:
                    event.payload = {**event.payload, "consent": "accepted"}
                    event.save(update_fields=["payload"])
                    if event.effective_at <= now:
                        apply_event(event, now=now)
                else:
                    event.status = EventStatus.CANCELLED
                    event.outcome = {"declined_by_tenant": tenant.slug}
                    event.save(update_fields=["status", "outcome"])
                    audit.record("org.cancel_event", target=event, actor_label=str(_("对方单位拒绝借调")),
                                 after={"kind": event.kind, "request": request.pk})
    return request
