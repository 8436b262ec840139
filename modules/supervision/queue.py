"""The approval queue and a period's history: every expected unit under a node (the
completeness rule) with its step, timeliness, entry lock, whether it was returned (and why) or
resubmitted after a return, and the actions the reader has (`actions.available_actions`) — a
bounded number of queries for all its rows."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Max
from django.utils import timezone

from jianlian.hierarchy.models import OrgUnit
from modules.supervision import actions
from modules.supervision.access import access_node
from modules.supervision.completeness import reports
from modules.supervision.datasets import data_set_period, get_data_set, lock_date
from modules.supervision.models import Approval, ApprovalEvent, EntryReopening, Step
from modules.supervision.placement import Approver, chain_at, chain_of, communities_of, paths_at


def histories(approval_ids) -> dict[int, list[ApprovalEvent]]:
    """The steps of each approval, oldest first (one query)."""
    out = defaultdict(list)
    for e in ApprovalEvent.objects.filter(approval_id__in=list(approval_ids)).select_related("actor").order_by("at", "id"):
        out[e.approval_id].append(e)
    return out


def return_state(events: list[ApprovalEvent]) -> tuple[ApprovalEvent | None, bool]:
    """(the return the period now stands at, if its last step was one; whether its current
    submission came after a return to the unit — a resubmission)."""
    returned = events[-1] if events and events[-1].action == "unapprove" else None
    last_submit = max((i for i, e in enumerate(events) if e.action == "submit"), default=None)
    resubmitted = last_submit is not None and any(
        e.action == "unapprove" and e.to_step == Step.OPEN for e in events[:last_submit])
    return returned, resubmitted


def approval_queue(user, node_id: int, period_text, data_set: str | None = None) -> list[dict]:
    """Every expected unit under the node for a period of the data set (default: the standard
    monthly one), with its step, whether it was on time, when it was submitted (and whether that
    was a resubmission after a return), the return it stands at, the step that comes next, its
    entry lock (why entry is closed, the lock date, the end of an active reopening) and the
    actions the reader has (SUBMIT, APPROVE, RETURN, REOPEN). Who: whoever may see the node."""
    node = access_node(user, node_id)
    ds = get_data_set(data_set)
    period = data_set_period(ds, period_text)
    month = period.start
    rows = reports(node, ds, [month])[month]
    paths = paths_at([r.unit.pk for r in rows], month)
    nodes = {u.pk: u for u in OrgUnit.objects.filter(pk__in={n for p in paths.values() for n in p})}
    events = histories([r.approval.pk for r in rows if r.approval])
    approves = Approver(user)
    today = timezone.localdate()
    last_day = lock_date(ds, period)
    past_lock = last_day is not None and today > last_day
    reopened, communities = {}, {}
    if past_lock:  # the reopenings and communities matter only once the lock date has passed
        reopened = dict(EntryReopening.objects.filter(data_set=ds, period=month, unit_id__in=list(paths), until__gte=today)
                        .values("unit_id").annotate(last=Max("until")).values_list("unit_id", "last"))
        communities = communities_of([r.unit for r in rows], nodes)
    out = []
    for r in rows:
        unit, a, step = r.unit, r.approval, int(r.step)
        chain = chain_of(paths[unit.pk], nodes)
        until = reopened.get(unit.pk)
        available = actions.available_actions(user, unit, step, chain, approves=approves,
                                              past_lock=past_lock, community=communities.get(unit.pk))
        following = actions.approving_node(step, chain)
        returned, resubmitted = return_state(events.get(a.pk, []) if a else [])
        submitted = step >= Step.SUBMITTED
        out.append({"unit": unit, "values": r.values, "complete": r.complete, "step": step,
                    "submitted_at": a.submitted_at if a else None,
                    "resubmitted_at": a.submitted_at if a and submitted and resubmitted else None,
                    "returned": returned, "on_time": a.on_time if a and submitted else None,
                    "next_step": Step.SUBMITTED if step == Step.OPEN else following[0] if following else None,
                    "available_actions": available,
                    "can_approve": actions.APPROVE in available, "can_unapprove": actions.RETURN in available,
                    "lock_reason": "SUBMITTED" if submitted else "PAST_LOCK_DATE" if past_lock and until is None else None,
                    "lock_date": last_day, "reopened_until": until, "can_reopen": actions.REOPEN in available})
    return out


def approval_events(user, unit_id: int, period_text, data_set: str | None = None) -> list[ApprovalEvent]:
    """The steps a unit's period of the data set (default: the standard monthly one) went
    through, oldest first, with who took each and why. Who: whoever may see the unit."""
    unit = access_node(user, unit_id)
    ds = get_data_set(data_set)
    month = data_set_period(ds, period_text).start
    return list(ApprovalEvent.objects.filter(approval__data_set=ds, approval__unit=unit, approval__period=month)
                .select_related("actor"))


def period_state(user, unit: OrgUnit, ds, period) -> dict:
    """One unit's period as the entry form shows it: the approval, the return to the unit it
    stands at (its last step returned it to OPEN), and the actions the reader has."""
    approval = Approval.objects.filter(data_set=ds, unit=unit, period=period.start).first()
    step = int(approval.step) if approval else Step.OPEN
    returned, _resubmitted = return_state(histories([approval.pk])[approval.pk] if approval else [])
    if returned is not None and returned.to_step != Step.OPEN:
        returned = None  # stepped back between approvers: the unit's own entry is not concerned
    last_day = lock_date(ds, period)
    available = actions.available_actions(user, unit, step, chain_at(unit, period.start),
                                          past_lock=last_day is not None and timezone.localdate() > last_day)
    return {"approval": approval, "step": step, "returned": returned, "available_actions": available}
