"""The referral state machine, in one place: which step (action) each side may take from which
status with which permission, what status it leads to, and what a given viewer may do now
(`available_actions`, served as `Referral.availableActions` so that no client keeps a copy).

Sides: the sender's copy (OUTGOING), the receiver's copy (INCOMING), or one copy shared by both
units of a tenant (INTERNAL).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from modules.referrals.models import Referral, Side, Status


@dataclass(frozen=True)
class Move:
    side: str  # "sender" or "receiver": who may take it
    sources: tuple
    perm: str
    reason: bool = False  # a reason is required


MOVES = {
    "submit": Move("sender", (Status.DRAFT,), "referrals.create"),
    "approve": Move("sender", (Status.REVIEW,), "referrals.review"),
    "return_to_draft": Move("sender", (Status.REVIEW,), "referrals.review", reason=True),
    "withdraw": Move("sender", (Status.REVIEW, Status.REQUESTED, Status.RECEIVED, Status.ON_HOLD), "referrals.create"),
    "resubmit": Move("sender", (Status.ON_HOLD,), "referrals.create"),
    "cancel": Move("sender", (Status.ACCEPTED, Status.BOOKED), "referrals.create", reason=True),
    "receive": Move("receiver", (Status.REQUESTED,), "referrals.accept"),
    "accept": Move("receiver", (Status.REQUESTED, Status.RECEIVED), "referrals.accept"),
    "reject": Move("receiver", (Status.REQUESTED, Status.RECEIVED), "referrals.accept", reason=True),
    "hold": Move("receiver", (Status.REQUESTED, Status.RECEIVED), "referrals.accept", reason=True),
    "book": Move("receiver", (Status.ACCEPTED,), "referrals.accept"),
    "arrive": Move("receiver", (Status.ACCEPTED, Status.BOOKED), "referrals.accept"),
    "complete": Move("receiver", (Status.ARRIVED,), "referrals.accept"),
    "close": Move("receiver", (Status.REQUESTED, Status.RECEIVED, Status.ACCEPTED, Status.BOOKED), "referrals.accept", reason=True),
}
ACTION_LABELS = {
    "create": _("创建"), "submit": _("提交"), "approve": _("审核通过"), "return_to_draft": _("审核退回"), "withdraw": _("撤回"),
    "resubmit": _("补充资料后重新提交"), "cancel": _("取消"), "receive": _("已查看"), "accept": _("接收"), "reject": _("拒绝"),
    "hold": _("退回补充资料"), "book": _("预约"), "arrive": _("到诊"), "complete": _("完成"), "close": _("关闭"),
    "conflict": _("冲突"),
}
RETURN_FIELDS = ("result_diagnosis", "inpatient_no", "main_findings", "treatment_summary", "next_plan")


def _target_status(referral: Referral, action: str, data: dict) -> str:
    if action == "submit":
        return Status.REVIEW if referral.needs_review else Status.REQUESTED
    if action == "accept" and data.get("appointment_date"):
        return Status.BOOKED
    return {
        "approve": Status.REQUESTED, "return_to_draft": Status.DRAFT, "withdraw": Status.WITHDRAWN,
        "resubmit": Status.REQUESTED, "cancel": Status.CANCELLED, "receive": Status.RECEIVED, "accept": Status.ACCEPTED,
        "reject": Status.REJECTED, "hold": Status.ON_HOLD, "book": Status.BOOKED, "arrive": Status.ARRIVED,
        "complete": Status.COMPLETED, "close": Status.CLOSED,
    }[action]


def _my_side_unit(referral: Referral) -> tuple[str, int]:
    """('sender' | 'receiver' | 'both', unit id) for this copy."""
    if referral.side == Side.OUTGOING:
        return "sender", referral.from_unit_id
    if referral.side == Side.INCOMING:
        return "receiver", referral.to_unit_id
    return "both", referral.from_unit_id


def acting_side(user, referral: Referral) -> set[str]:
    """The sides `user` acts for on this copy: {"sender"} or {"receiver"} from the copy itself,
    and on a referral inside one tenant the side of the user's own unit (a member of the
    receiving hospital is not offered the sender's 撤回, even if a grant there covers the sending
    unit). Someone with no membership in either unit (an administrator) acts by permission alone."""
    side, _unit_id = _my_side_unit(referral)
    if side != "both":
        return {side}
    mine = _member_units(user)
    units = _units(user, [referral.from_unit_id, referral.to_unit_id, *mine])
    ends = [(name, units[pk]) for name, pk in (("sender", referral.from_unit_id), ("receiver", referral.to_unit_id))
            if pk in units]
    sides = set()
    for unit in (units[pk] for pk in mine if pk in units):
        around = [(end.rght - end.lft, name) for name, end in ends
                  if end.tree_id == unit.tree_id and end.lft <= unit.lft and unit.rght <= end.rght]
        if around:  # the nearer end wins: a township centre's doctor is its sender, not the lead's receiver
            sides.add(min(around)[1])
    return sides or {"sender", "receiver"}


def available_actions(user, referral: Referral) -> list[str]:
    """The steps `user` may take on `referral` now, in MOVES order: the status allows it, the
    user acts for that side, and holds the step's permission at that side's unit."""
    from jianlian.access.checks import has_perm

    sides = acting_side(user, referral)
    units = _units(user, [referral.from_unit_id, referral.to_unit_id])
    out = []
    for action, move in MOVES.items():
        if referral.status not in move.sources or move.side not in sides:
            continue
        unit = units.get(referral.from_unit_id if move.side == "sender" else referral.to_unit_id)
        if unit is not None and has_perm(user, move.perm, unit):
            out.append(action)
    return out


# A board resolves availableActions for a page of referrals: the units and the viewer's own
# memberships are read once per request and kept on the user object, like its grants.

def _units(user, pks) -> dict:
    from jianlian.hierarchy.models import OrgUnit

    cache = user.__dict__.setdefault("_jl_referral_units", {})
    missing = [pk for pk in pks if pk not in cache]
    if missing:
        cache.update({u.pk: u for u in OrgUnit.objects.filter(pk__in=missing)})
    return {pk: cache[pk] for pk in pks if pk in cache}


def _member_units(user) -> list[int]:
    from jianlian.access.models import Membership

    if "_jl_member_units" not in user.__dict__:
        user.__dict__["_jl_member_units"] = list(
            Membership.objects.filter(user_id=user.pk, is_active=True).values_list("unit_id", flat=True))
    return user.__dict__["_jl_member_units"]
