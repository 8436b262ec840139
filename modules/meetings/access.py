"""Who may see and do what with rooms and bookings. Each `access_*` helper fetches and checks in
one call; a missing object and a forbidden one answer alike (NOT_FOUND).

- Rooms and the board: members of the tenant (active membership), nobody else — not even a
  province administrator who may enter the tenant for other reasons.
- A booking's details: everyone of the tenant, except a private meeting's, which only its
  organiser and invitees see (others see only that the room is taken).
- Rooms are managed by holders of `meetings.manage` at the room's unit (or above).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jianlian.access.checks import has_perm
from jianlian.core.errors import NotFoundError, PermissionDeniedError
from modules.meetings.models import Booking, Invitation, Room

MANAGE = "meetings.manage"


def tenant():
    from jianlian.access.helpers import require_tenant

    return require_tenant()


def is_member(user) -> bool:
    """An active member of the request's tenant (cached on the user object for the request)."""
    from jianlian.access.models import Membership

    t = tenant()
    cache = user.__dict__.setdefault("_jl_meetings_member", {})
    if t.pk not in cache:
        cache[t.pk] = Membership.objects.filter(tenant=t, user_id=user.pk, is_active=True).exists()
    return cache[t.pk]


def require_member(user) -> None:
    if getattr(user, "pk", None) is None or not is_member(user):
        raise PermissionDeniedError(_("您不是本单位成员，不能使用会议室。"))


def tenant_unit_ids() -> list[int]:
    """The org units of the tenant (its own unit and everything below it)."""
    return list(tenant().org_unit.get_descendants(include_self=True).values_list("pk", flat=True))


def may_manage(user, unit_id: int) -> bool:
    from jianlian.hierarchy.models import OrgUnit

    unit = OrgUnit.objects.filter(pk=unit_id).first()
    return unit is not None and has_perm(user, MANAGE, unit)


def managed_unit_ids(user) -> list[int]:
    from jianlian.hierarchy.models import OrgUnit

    units = OrgUnit.objects.filter(pk__in=tenant_unit_ids())
    return [u.pk for u in units if has_perm(user, MANAGE, u)]


def access_room(user, room_id: int, *, manage: bool = False) -> Room:
    require_member(user)
    room = Room.objects.filter(pk=room_id).first()
    if room is None:
        raise NotFoundError(_("会议室不存在。"), field="room")
    if manage and not may_manage(user, room.unit_id):
        raise PermissionDeniedError()
    return room


def is_participant(user, booking: Booking) -> bool:
    if booking.organiser_id == user.pk:
        return True
    invited = getattr(booking, "_invitee_ids", None)
    if invited is None:
        invited = set(Invitation.objects.filter(booking=booking).values_list("user_id", flat=True))
        booking._invitee_ids = invited
    return user.pk in invited


def sees_details(user, booking: Booking) -> bool:
    return not booking.is_private or is_participant(user, booking)


def access_booking(user, booking_id: int, *, for_update: bool = False) -> Booking:
    """A booking whose details `user` may see (NOT_FOUND for a private meeting of others)."""
    require_member(user)
    qs = Booking.objects.select_for_update(of=("self",)) if for_update else Booking.objects
    booking = qs.select_related("room").filter(pk=booking_id).first()
    if booking is None or not sees_details(user, booking):
        raise NotFoundError(_("会议不存在或您无权查看。"), field="booking")
    return booking


def invitation_of(user, booking: Booking) -> Invitation | None:
    return Invitation.objects.filter(booking=booking, user_id=user.pk).first()
