"""The hand-over hook: when a person moves or leaves, their pending work goes to a successor.

Apps that hold work assigned to a person (approvals, referrals, to-dos) register a handler:

    from jianlian.org import handover

    @handover.handler("referrals.pending")
    def reassign_referrals(from_user_id, to_user_id, *, reason, event_id):
        return Referral.objects.filter(assignee_id=from_user_id, status="pending").update(assignee_id=to_user_id)

A handler runs inside the tenant's schema and inside the transaction that applies the lifecycle
event, so the hand-over commits with the move or not at all; it returns how many items it moved.
"""

from __future__ import annotations

from collections.abc import Callable

Handler = Callable[..., int]
HANDLERS: dict[str, Handler] = {}


def register(name: str, fn: Handler) -> Handler:
    """Register (or replace) the handler called `name`."""
    HANDLERS[name] = fn
    return fn


def unregister(name: str) -> None:
    HANDLERS.pop(name, None)


def handler(name: str):
    """Decorator form of `register`."""
    return lambda fn: register(name, fn)


def hand_over(from_user_id: int, to_user_id: int, *, reason: str, event_id: int | None = None) -> dict[str, int]:
    """Call every handler; returns {handler name: items moved}. A failing handler fails the whole
    lifecycle event (its transaction rolls back and the periodic task retries it later)."""
    return {name: int(fn(from_user_id, to_user_id, reason=reason, event_id=event_id) or 0)
            for name, fn in sorted(HANDLERS.items())}


@handler("org.department_heads")
def _department_heads(from_user_id, to_user_id, *, reason, event_id):
    """Departments the person heads are headed by the successor (when they have a profile here)."""
    from jianlian.org.models import Department, StaffProfile

    old = StaffProfile.objects.filter(user_id=from_user_id).first()
    new = StaffProfile.objects.filter(user_id=to_user_id).first()
    if old is None or new is None:
        return 0
    return Department.objects.filter(head=old).update(head=new)
