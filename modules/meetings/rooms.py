"""Room actions: create and change a room. Who: holders of `meetings.manage` at the room's unit."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, PermissionDeniedError
from modules.meetings import access
from modules.meetings.models import Room

MAX_CAPACITY = 2000


def _clean(name, building, floor, capacity, equipment) -> dict:
    name = (name or "").strip()
    if not name:
        raise DomainError("REQUIRED", _("请填写会议室名称。"), "name")
    if len(name) > 60:
        raise DomainError("TOO_LONG", _("名称不能超过60个字。"), "name")
    if capacity is None or not 1 <= int(capacity) <= MAX_CAPACITY:
        raise DomainError("INVALID", _("容纳人数须在1到%(n)s之间。") % {"n": MAX_CAPACITY}, "capacity")
    items = [str(e).strip()[:30] for e in (equipment or []) if str(e).strip()]
    if len(items) > 20:
        raise DomainError("INVALID", _("设备最多20项。"), "equipment")
    return {"name": name, "building": (building or "").strip()[:60], "floor": (floor or "").strip()[:20],
            "capacity": int(capacity), "equipment": list(dict.fromkeys(items))}


def create_room(user, unit_id: int, *, name: str, capacity: int, building: str = "", floor: str = "",
                equipment=None) -> Room:
    """A new room of `unit_id` (a unit of the current tenant). Who: `meetings.manage` there (or
    None: the demo seed). Audited."""
    if unit_id not in access.tenant_unit_ids():
        raise DomainError("INVALID", _("该单位不属于本医共体（医院）。"), "unit")
    if user is not None and not access.may_manage(user, unit_id):
        raise PermissionDeniedError()
    fields = _clean(name, building, floor, capacity, equipment)
    try:
        with transaction.atomic():
            room = Room.objects.create(unit_id=unit_id, **fields)
    except IntegrityError:
        raise DomainError("INVALID", _("同一楼宇已有同名会议室。"), "name") from None
    audit.record("meetings.room_created", actor=user, target=room, after={"name": room.name, "unit_id": unit_id})
    return room


def update_room(user, room_id: int, **changes) -> Room:
    """Change a room's name, place, capacity, equipment or whether it takes bookings (existing
    bookings stay). Who: `meetings.manage` at the room's unit."""
    room = access.access_room(user, room_id, manage=True)
    merged = {k: changes[k] if changes.get(k) is not None else getattr(room, k)
              for k in ("name", "building", "floor", "capacity", "equipment")}
    fields = _clean(**merged)
    if changes.get("is_active") is not None:
        fields["is_active"] = bool(changes["is_active"])
    for k, v in fields.items():
        setattr(room, k, v)
    try:
        with transaction.atomic():
            room.save()
    except IntegrityError:
        raise DomainError("INVALID", _("同一楼宇已有同名会议室。"), "name") from None
    audit.record("meetings.room_updated", actor=user, target=room, after=fields)
    return room
