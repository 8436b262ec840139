"""Roster swaps (换班) on the approvals engine: a person offers one of her shifts on a published
roster for a colleague's; the colleague, then the head she names, approve (an embedded template
through `modules.approvals.hooks.start_owned`). The two entries change hands only in the approving
transaction (`approval_finished`); a rejection or withdrawal leaves the roster as it was."""

from __future__ import annotations

from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, NotFoundError
from modules.rosters.models import Entry, RosterStatus, Swap, SwapStatus

APP = "rosters"
FLOW_VERSION = 1


def _node(node_id: str, name: str, child=None) -> dict:
    return {"id": node_id, "type": "approver", "name": name, "mode": "seq", "assignee": {"kind": "chosen"}, "child": child}


SPEC = {"key": "rosters-swap", "name": "换班申请", "version": FLOW_VERSION, "category": "排班", "policies": {"dedupe": False},
        "form_schema": {"type": "object", "required": ["summary"], "properties": {
            "summary": {"type": "string", "title": "换班内容", "maxLength": 200},
            "reason": {"type": "string", "title": "事由", "maxLength": 200}}},
        "flow": {"id": "start", "type": "start", "name": "申请人",
                 "child": _node("colleague", "对方确认", _node("head", "科室负责人审批"))}}


def _label(e: Entry) -> str:
    return f"{e.name} {e.day:%m-%d} {e.shift.name}"


def request(user, *, mine_id: int, theirs_id: int, head_id: int, reason: str = "") -> Swap:
    """Ask to swap my entry `mine_id` for a colleague's `theirs_id` (same published roster)."""
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise DomainError("TOO_LONG", _("事由最多200个字。"), "reason")
    with transaction.atomic():
        entries = {e.pk: e for e in Entry.objects.select_related("shift", "roster").filter(pk__in=[mine_id, theirs_id])}
        mine, theirs = entries.get(mine_id), entries.get(theirs_id)
        if mine is None or mine.user_id != user.pk or mine.roster.status != RosterStatus.PUBLISHED:
            raise NotFoundError(_("找不到你的这个班次。"), field="mine")
        if theirs is None or theirs.roster_id != mine.roster_id or theirs.user_id == user.pk:
            raise DomainError("ROSTERS_BAD_SWAP", _("只能与同一排班表上的同事换班。"), "theirs")
        if _clashes(mine, theirs):
            raise DomainError("ROSTERS_SWAP_CLASH", _("换班后会有人同一天上两个班。"), "theirs")
        if Swap.objects.filter(status=SwapStatus.PENDING, mine_id__in=[mine.pk, theirs.pk]).exists() or \
                Swap.objects.filter(status=SwapStatus.PENDING, theirs_id__in=[mine.pk, theirs.pk]).exists():
            raise DomainError("ROSTERS_SWAP_PENDING", _("其中一个班次已在换班审批中。"), "mine")
        swap = Swap.objects.create(mine=mine, theirs=theirs, requester_id=user.pk, colleague_id=theirs.user_id, reason=reason)
        summary = _("%(a)s ⇄ %(b)s") % {"a": _label(mine), "b": _label(theirs)}
        swap.approval_id = import_string("modules.approvals.hooks.start_owned")(
            user, app=APP, ref=str(swap.pk), template=SPEC, data={"summary": summary[:200], "reason": reason},
            chosen={"colleague": [theirs.user_id], "head": [head_id]}, title=_("换班：%(s)s") % {"s": summary})
        swap.save(update_fields=["approval_id"])
        audit.record("rosters.swap_request", actor=user, object_type="rosters.swap", object_id=str(swap.pk),
                     after={"mine": mine.pk, "theirs": theirs.pk})
    return swap


def _clashes(a: Entry, b: Entry) -> bool:
    """After the swap a.user works b.day and b.user works a.day: clash when either has another shift then."""
    if a.day == b.day:
        return False
    return (Entry.objects.filter(roster_id=a.roster_id, user_id=a.user_id, day=b.day).exists()
            or Entry.objects.filter(roster_id=a.roster_id, user_id=b.user_id, day=a.day).exists())


def approval_finished(swap_id: int, *, status: str) -> None:
    """Called inside the deciding transaction. Approved: the two shifts change hands."""
    swap = Swap.objects.select_for_update().filter(pk=swap_id, status=SwapStatus.PENDING).first()
    if swap is None:
        return
    if status != "approved":
        swap.status = SwapStatus.REJECTED
        swap.save(update_fields=["status"])
        return
    a, b = (Entry.objects.select_for_update().get(pk=pk) for pk in (swap.mine_id, swap.theirs_id))
    if (a.user_id, b.user_id) != (swap.requester_id, swap.colleague_id) or _clashes(a, b):
        swap.status = SwapStatus.CONFLICT
        swap.save(update_fields=["status"])
        return
    if a.day == b.day:
        a.shift_id, b.shift_id = b.shift_id, a.shift_id
        Entry.objects.bulk_update([a, b], ["shift_id"])
    else:
        a.user_id, a.name, b.user_id, b.name = b.user_id, b.name, a.user_id, a.name
        Entry.objects.bulk_update([a, b], ["user_id", "name"])
    swap.status = SwapStatus.APPROVED
    swap.save(update_fields=["status"])
    audit.record("rosters.swap", object_type="rosters.swap", object_id=str(swap.pk), after={"status": "approved"},
                 actor_label=_("系统（审批）"))
