"""Approval up the tree — the report's lifecycle, one rule per step, used both to act and to say
which actions a reader has (`available_actions`), so the pages offer only what will work.

OPEN → SUBMITTED (the unit reports; entry locks) → COMMUNITY (its lead) → COUNTY → CITY →
PROVINCE, skipping levels a unit does not have above it (a standalone hospital), from the unit's
path that month (`placement.chain_at`). RETURN (with a reason) steps back one level; returning a
submission reopens entry up to the lock date. REOPEN opens entry again past the lock date, until
a date, with a reason. Every step is audited, notified to whoever acts next, and announced live
after commit (`live.announce`, the `supervisionChanged` subscription).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian.access.checks import has_perm
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, PermissionDeniedError
from jianlian.core.i18n import pick
from jianlian.hierarchy.models import OrgUnit
from modules.supervision import live, todos
from modules.supervision.datasets import REPORTING_LEVELS, data_set_period, due_date, get_data_set, not_assigned
from modules.supervision.models import Approval, ApprovalEvent, DataSet, EntryReopening, Step
from modules.supervision.notices import notify
from modules.supervision.periods import Period
from modules.supervision.placement import Approver, approves_at, chain_at, community_of, path_at

SUBMIT, APPROVE, RETURN, REOPEN = "SUBMIT", "APPROVE", "RETURN", "REOPEN"
ACTIONS = (SUBMIT, APPROVE, RETURN, REOPEN)


# --- the rules ---------------------------------------------------------------------------------

def approving_node(step: int, chain: list[tuple[int, OrgUnit]]) -> tuple[int, OrgUnit] | None:
    """The next approval step and the node that takes it; None before submission or once every
    level has approved."""
    if step < Step.SUBMITTED:
        return None
    return next(((s, n) for s, n in chain if s > step), None)


def _steps(chain) -> list[int]:
    return [Step.SUBMITTED] + [s for s, _n in chain]


def returning_nodes(unit: OrgUnit, step: int, chain: list[tuple[int, OrgUnit]]) -> list[OrgUnit]:
    """Where an approver may step the period back from `step`: the node that took the current
    step or the next node up (a submission: its community's, or the unit itself without one)."""
    if step == Step.OPEN:
        return []
    steps, nodes = _steps(chain), dict(chain)
    if step == Step.SUBMITTED:
        return [nodes[steps[1]]] if len(steps) > 1 else [unit]
    current = steps.index(step) if step in steps else len(steps) - 1
    above = nodes.get(steps[current + 1]) if current + 1 < len(steps) else None
    return [n for n in (nodes.get(step), above) if n is not None]


def returned_step(step: int, chain: list[tuple[int, OrgUnit]]) -> int:
    """The step a return from `step` goes back to."""
    steps = _steps(chain)
    current = steps.index(step) if step in steps else len(steps) - 1
    return Step.OPEN if current == 0 else steps[current - 1]


def available_actions(user, unit: OrgUnit, step: int, chain, *, approves: Approver | None = None,
                      past_lock: bool = False, community: OrgUnit | None = None) -> list[str]:
    """What the user may do now with the unit's period at `step`: SUBMIT (supervision.report at
    the unit, not yet submitted), APPROVE (`approving_node` is theirs), RETURN (one of the
    `returning_nodes` is theirs), REOPEN (past the lock date, not submitted, supervision.approve at
    the unit's community or above). `approves` and `community` may be passed in for many rows."""
    approves = approves or Approver(user)
    out = []
    if step == Step.OPEN and has_perm(user, "supervision.report", unit):
        out.append(SUBMIT)
    following = approving_node(step, chain)
    if following is not None and approves(following[1]):
        out.append(APPROVE)
    if any(approves(n) for n in returning_nodes(unit, step, chain)):
        out.append(RETURN)
    if past_lock and step == Step.OPEN and has_perm(user, "supervision.approve", community or community_of(unit)):
        out.append(REOPEN)
    return out


# --- the actions -------------------------------------------------------------------------------

def report(ds: DataSet, unit: OrgUnit, start: dt.date) -> Approval:
    """The unit's report (approval state) of the data set's period starting at `start`; an
    unsaved OPEN one when nobody has acted on it yet."""
    return Approval.objects.filter(data_set=ds, unit=unit, period=start).first() or Approval(
        data_set=ds, unit=unit, period=start)


def _approval(ds: DataSet, unit: OrgUnit, month: dt.date) -> Approval:
    approval, _c = Approval.objects.get_or_create(data_set=ds, unit=unit, period=month)
    return Approval.objects.select_for_update().get(pk=approval.pk)


def _step(approval: Approval, user, action: str, to_step: int, reason: str = "", period: Period | None = None) -> Approval:
    before = approval.step
    approval.step = to_step
    if action == "submit":
        approval.submitted_at = timezone.now()
        approval.on_time = timezone.localdate(approval.submitted_at) <= due_date(approval.data_set, period)
    approval.save()
    ApprovalEvent.objects.create(approval=approval, action=action, from_step=before, to_step=to_step, actor=user, reason=reason)
    audit.record(f"supervision.{action}", actor=user, object_type="supervision.approval", object_id=str(approval.pk),
                 before={"step": before}, after={"step": to_step, "unit": approval.unit_id, "data_set": approval.data_set.code,
                                                 "period": period.label if period else approval.period.strftime("%Y-%m"),
                                                 "reason": reason})
    live.announce(approval.data_set, approval.unit, approval.period, action, step=to_step)
    todos.feed(approval, period)
    return approval


def _target(unit_id: int, period_text, data_set: str | None) -> tuple[OrgUnit, DataSet, Period]:
    """The unit (PERMISSION_DENIED when missing: the callers check permission on it next), the
    data set and its period."""
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise PermissionDeniedError()
    ds = get_data_set(data_set)
    return unit, ds, data_set_period(ds, period_text)


def submit(user, unit_id: int, period_text, data_set: str | None = None) -> Approval:
    """The unit reports its period of a data set (default: the standard monthly one): OPEN →
    SUBMITTED, which locks entry; on time up to the data set's due date. Who: supervision.report
    at the unit. Notifies its community's approvers."""
    unit, ds, period = _target(unit_id, period_text, data_set)
    if not has_perm(user, "supervision.report", unit):
        raise PermissionDeniedError()
    month = period.start
    if not ds.assigned_to(unit):
        raise not_assigned(ds, unit)
    with transaction.atomic():
        approval = _approval(ds, unit, month)
        if approval.step != Step.OPEN:
            raise DomainError("ILLEGAL_APPROVAL", _("该月数据已上报，不能重复上报。"), "period")
        approval = _step(approval, user, "submit", Step.SUBMITTED, period=period)
        chain = chain_at(unit, month)
        if chain:
            notify(chain[0][1], "supervision.approve", lambda: _("监管数据待审核"),
                   lambda: _("%(unit)s 已上报 %(period)s 的监管数据，请审核。") % {"unit": unit.name, "period": period.label})
    return approval


def approve(user, unit_id: int, period_text, data_set: str | None = None) -> Approval:
    """The next level up approves the unit's period of a data set (community → county → city →
    province). Who: supervision.approve granted at that level's node (`approves_at`). Notifies the
    level after it."""
    unit, ds, period = _target(unit_id, period_text, data_set)
    month = period.start
    with transaction.atomic():
        approval = _approval(ds, unit, month)
        chain = chain_at(unit, month)
        following = approving_node(approval.step, chain)
        if following is None:
            raise DomainError("ILLEGAL_APPROVAL", _("该月数据尚未上报或已完成全部审核。"), "period")
        step, node = following
        if not approves_at(user, node):
            raise PermissionDeniedError()
        approval = _step(approval, user, "approve", step, period=period)
        after = approving_node(step, chain)
        if after is not None:
            notify(after[1], "supervision.approve", lambda: _("监管数据待审核"),
                   lambda: _("%(unit)s %(period)s 的监管数据已通过%(by)s审核，请继续审核。")
                   % {"unit": unit.name, "period": period.label, "by": node.name})
    return approval


def unapprove(user, unit_id: int, period_text, reason: str, data_set: str | None = None) -> Approval:
    """Step the unit's period of a data set back one level, with a reason (returning a submission
    reopens entry, up to the lock date). Who: supervision.approve at the node that took the
    current step (for a submission, the community's), or at the next node up. Notifies the unit's
    reporters."""
    unit, ds, period = _target(unit_id, period_text, data_set)
    month = period.start
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("REASON_REQUIRED", _("退回或撤销审核须填写原因。"), "reason")
    if len(reason) > 500:
        raise DomainError("TOO_LONG", _("原因不能超过500字。"), "reason")
    with transaction.atomic():
        approval = _approval(ds, unit, month)
        if approval.step == Step.OPEN:
            raise DomainError("ILLEGAL_APPROVAL", _("该月数据尚未上报，无需退回。"), "period")
        chain = chain_at(unit, month)
        approves = Approver(user)
        if not any(approves(n) for n in returning_nodes(unit, approval.step, chain)):
            raise PermissionDeniedError()
        approval = _step(approval, user, "unapprove", returned_step(approval.step, chain), reason, period=period)
        notify([n for n in OrgUnit.objects.filter(pk__in=path_at(unit, month), level__in=REPORTING_LEVELS)],
                "supervision.report", lambda: _("监管数据被退回"),
               lambda: _("%(unit)s %(period)s 的监管数据被退回：%(reason)s") % {"unit": unit.name, "period": period.label, "reason": reason})
    return approval


def reopen_entry(user, *, data_set, unit_id: int, period, until, reason: str) -> EntryReopening:
    """Reopen a unit's period of a data set for entry past its lock date, until the end of
    `until`. Who: supervision.approve at the unit's community or above. Audited; the unit's
    reporters are notified; announced live."""
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None or not has_perm(user, "supervision.approve", community_of(unit)):
        raise PermissionDeniedError()
    ds = get_data_set(data_set)
    p = data_set_period(ds, period)
    problems = []
    try:
        end = until if isinstance(until, dt.date) else dt.date.fromisoformat(str(until or "").strip())
        if end < timezone.localdate():
            raise ValueError
    except ValueError:
        end = None
        problems.append(DomainError("INVALID_DATE", _("开放截止日期须为今天或以后的日期，如 2026-03-31。"), "until"))
    reason = (reason or "").strip()
    if not reason:
        problems.append(DomainError("REASON_REQUIRED", _("重新开放填报须填写原因。"), "reason"))
    elif len(reason) > 500:
        problems.append(DomainError("TOO_LONG", _("原因不能超过500字。"), "reason"))
    if problems:
        raise DomainError.many(problems)
    with transaction.atomic():
        reopening = EntryReopening.objects.create(data_set=ds, unit=unit, period=p.start, until=end, reason=reason, granted_by=user)
        audit.record("supervision.reopen", actor=user, object_type="supervision.reopening", object_id=str(reopening.pk),
                     after={"data_set": ds.code, "unit": unit.pk, "period": p.label, "until": end.isoformat(), "reason": reason})
        notify([n for n in OrgUnit.objects.filter(pk__in=path_at(unit, p.start), level__in=REPORTING_LEVELS)],
                "supervision.report", lambda: _("监管数据已重新开放填报"),
               lambda: _("%(unit)s %(period)s 的「%(name)s」已重新开放填报，截至 %(until)s：%(reason)s") % {
                    "unit": unit.name, "period": p.label, "name": pick(ds.name, ds.name_en), "until": end.isoformat(), "reason": reason})
        live.announce(ds, unit, p.start, "reopen")
    return reopening

