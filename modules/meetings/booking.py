"""Every write to a booking (Zulip style): book (once or weekly), cancel, answer an invitation,
check in. Each checks who may act, writes in one transaction, audits, keeps the to-do centre
current and notifies the people concerned. GraphQL, the timers and the demo seed call these.

Clashes are decided by the database (the exclusion constraint in models.py). Before inserting we
look for clashes only to say *which* times clash; a booking that slips in between the look and
the insert still fails the constraint, and is reported the same way.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian import todos
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, PermissionDeniedError
from modules.meetings import access
from modules.meetings.models import ACTIVE, Answer, Booking, Invitation, Room, Status

APP = "meetings"
CHECK_IN_WINDOW = timedelta(minutes=15)
MAX_LENGTH = timedelta(hours=12)
MAX_OCCURRENCES = 26
MAX_INVITEES = 200


def link(booking: Booking) -> str:
    return f"/meetings/bookings/{booking.pk}"


def invite_key(booking_id: int) -> str:
    return f"meetings:invite:{booking_id}"


def span(start, end) -> str:
    """"12月6日 14:00–15:00" in local time (the message names the clashing time)."""
    s, e = timezone.localtime(start), timezone.localtime(end)
    return _("%(m)s月%(d)s日") % {"m": s.month, "d": s.day} + f" {s:%H:%M}–{e:%H:%M}"


def _names(user_ids) -> dict[int, str]:
    from jianlian.identity.models import User

    return {u.pk: u.real_name or u.username for u in User.objects.filter(pk__in=user_ids)}


def _minute(value):
    return value.replace(second=0, microsecond=0)


def _clash_error(clashes: list[tuple[int, Booking]], many: bool) -> DomainError:
    parts = []
    for n, other in clashes[:5]:
        who = "" if other.is_private else _("「%(t)s」") % {"t": other.title}
        at = span(other.start_at, other.end_at)
        parts.append(_("第%(n)s次：%(at)s 已被%(who)s占用") % {"n": n, "at": at, "who": who} if many
                     else _("%(at)s 已被%(who)s预订") % {"at": at, "who": who})
    more = _("等%(n)s次") % {"n": len(clashes)} if len(clashes) > 5 else ""
    return DomainError("MEETINGS_ROOM_TAKEN", _("会议室时间冲突：%(parts)s%(more)s。请换个时间或会议室。")
                       % {"parts": "；".join(parts), "more": more}, "start")


def _clashes(room: Room, spans) -> list[tuple[int, Booking]]:
    found = []
    for n, (s, e) in enumerate(spans, start=1):
        other = (Booking.objects.filter(room=room, status__in=ACTIVE, start_at__lt=e, end_at__gt=s)
                 .order_by("start_at").first())
        if other is not None:
            found.append((n, other))
    return found


def book(user, room_id: int, *, title: str, start, end, invitee_ids=(), is_private: bool = False,
         weeks: int = 1, remind_minutes: int = 15, ding: bool = False, now=None) -> list[Booking]:
    """Book `room_id` from `start` to `end` for `user` (the organiser), repeated on the same
    weekday `weeks` times. All or nothing: if any occurrence clashes, nothing is booked and the
    error names every clashing occurrence. Invitees get a notification and a to-do each.
    Who: any member of the tenant, for an active room. Returns the bookings, first one first."""
    now = now or timezone.now()
    room = access.access_room(user, room_id)
    if not room.is_active:
        raise DomainError("MEETINGS_ROOM_CLOSED", _("该会议室已停用，请选择其他会议室。"), "room")
    title = (title or "").strip()
    if not title:
        raise DomainError("REQUIRED", _("请填写会议主题。"), "title")
    if len(title) > 100:
        raise DomainError("TOO_LONG", _("主题不能超过100个字。"), "title")
    start, end = _minute(start), _minute(end)
    if end <= start:
        raise DomainError("MEETINGS_BAD_TIME", _("结束时间须晚于开始时间。"), "end")
    if end - start > MAX_LENGTH:
        raise DomainError("MEETINGS_BAD_TIME", _("一次会议最长12小时。"), "end")
    if start < now - timedelta(minutes=5):
        raise DomainError("MEETINGS_BAD_TIME", _("开始时间已过，请选择将来的时间。"), "start")
    if not 1 <= int(weeks) <= MAX_OCCURRENCES:
        raise DomainError("INVALID", _("每周重复次数须在1到%(n)s之间。") % {"n": MAX_OCCURRENCES}, "weeks")
    if not 0 <= int(remind_minutes) <= 24 * 60:
        raise DomainError("INVALID", _("提前提醒须在0到1440分钟之间。"), "remindMinutes")
    invitees = _clean_invitees(user, invitee_ids)
    spans = [(start + timedelta(weeks=i), end + timedelta(weeks=i)) for i in range(int(weeks))]
    clashes = _clashes(room, spans)
    if clashes:
        raise _clash_error(clashes, many=weeks > 1)
    series = uuid.uuid4() if weeks > 1 else None
    made = []
    try:
        with transaction.atomic():
            for n, (s, e) in enumerate(spans, start=1):
                b = Booking(room=room, title=title, start_at=s, end_at=e, organiser_id=user.pk,
                            organiser_name=user.real_name or user.username, is_private=bool(is_private), ding=bool(ding),
                            remind_minutes=int(remind_minutes), remind_at=s - timedelta(minutes=int(remind_minutes)),
                            series=series, occurrence=n)
                b.save()
                made.append(b)
                Invitation.objects.bulk_create([Invitation(booking=b, user_id=u, name=name) for u, name in invitees.items()])
                _invite(b, list(invitees))
                audit.record("meetings.booked", actor=user, target=b,
                             after={"room": room.name, "start": s.isoformat(), "end": e.isoformat(), "invitees": len(invitees)})
    except IntegrityError as e:
        if getattr(getattr(e, "__cause__", None), "pgcode", None) != "23P01":  # exclusion_violation
            raise
        raise _clash_error(_clashes(room, spans) or [(1, Booking(start_at=start, end_at=end, is_private=True))],
                           many=weeks > 1) from None
    return made


def _clean_invitees(user, ids) -> dict[int, str]:
    from jianlian.org.audience import Targets, resolve_audience

    wanted = {int(i) for i in ids or [] if int(i) != user.pk}
    if len(wanted) > MAX_INVITEES:
        raise DomainError("INVALID", _("一次最多邀请%(n)s人。") % {"n": MAX_INVITEES}, "invitees")
    if not wanted:
        return {}
    members = resolve_audience(Targets(user_ids=sorted(wanted)))
    if wanted - members:
        raise DomainError("INVALID", _("受邀人须是本单位的在职人员。"), "invitees")
    return _names(wanted)


def invite_title(b: Booking) -> str:
    return _("%(who)s邀请您参加会议：%(t)s") % {"who": b.organiser_name, "t": b.title}


def _invite(b: Booking, user_ids: list[int]) -> None:
    from jianlian.notifications.services import notify

    if not user_ids:
        return
    when = span(b.start_at, b.end_at)
    title = invite_title(b)
    todos.create_todo(user_ids, source=APP, kind="invitation", key=invite_key(b.pk), title=title,
                      summary=f"{when} · {b.room.name}", link=link(b), due_at=b.start_at, started_by=b.organiser_name)
    notify(user_ids, sender_name=lambda: _("会议室"), title=lambda: invite_title(b),
           body=lambda: f"{span(b.start_at, b.end_at)} · {b.room.name}", link=link(b))


def _series(b: Booking, whole: bool):
    if not whole or b.series is None:
        return [b]
    return list(Booking.objects.select_for_update().filter(series=b.series, status__in=ACTIVE, start_at__gte=b.start_at)
                .select_related("room").order_by("start_at"))


def cancel(user, booking_id: int, *, whole_series: bool = False, now=None) -> Booking:
    """Cancel a booking (and, with `whole_series`, the later ones of its series): the room is
    free again at once; invitees are told and their to-dos dropped. Who: the organiser, or a
    holder of meetings.manage at the room's unit."""
    now = now or timezone.now()
    with transaction.atomic():
        b = access.access_booking(user, booking_id, for_update=True)
        if not (b.organiser_id == user.pk or access.may_manage(user, b.room.unit_id)):
            raise PermissionDeniedError(_("只有组织者或会议室管理员可以取消。"))
        if not b.active or b.end_at <= now:
            raise DomainError("MEETINGS_NOT_ACTIVE", _("会议已结束、取消或释放，无法取消。"), "booking")
        for one in _series(b, whole_series):
            _close(one, Status.CANCELLED, actor=user,
                   message=lambda one=one: _("会议已取消：%(t)s（%(at)s）") % {"t": one.title, "at": span(one.start_at, one.end_at)})
    b.refresh_from_db()
    return b


def _close(b: Booking, status: str, *, actor, message: Callable[[], str]) -> None:
    """`message` builds the notice's title in each language (the notification centre renders it twice)."""
    from jianlian.notifications.services import notify

    b.status = status
    b.save(update_fields=["status", "slot"])
    people = list(b.invitations.exclude(answer=Answer.DECLINED).values_list("user_id", flat=True))
    todos.remove_todo(invite_key(b.pk))
    if actor is None or actor.pk != b.organiser_id:
        people.append(b.organiser_id)
    if people:
        notify(people, sender_name=lambda: _("会议室"), title=message, link=link(b))
    audit.record(f"meetings.{status}", actor=actor, target=b, after={"title": b.title, "start": b.start_at.isoformat()},
                 actor_label="" if actor else _("系统（会议室）"))


def respond(user, booking_id: int, accept: bool, *, now=None) -> Booking:
    """Accept or decline an invitation (an answer may be changed until the meeting ends). The
    organiser is notified; the invitee's to-do is done. Who: an invitee."""
    now = now or timezone.now()
    from jianlian.notifications.services import notify

    with transaction.atomic():
        b = access.access_booking(user, booking_id, for_update=True)
        inv = access.invitation_of(user, b)
        if inv is None:
            raise DomainError("MEETINGS_NOT_INVITED", _("您不在这次会议的受邀名单中。"), "booking")
        if not b.active or b.end_at <= now:
            raise DomainError("MEETINGS_NOT_ACTIVE", _("会议已结束、取消或释放。"), "booking")
        inv.answer = Answer.ACCEPTED if accept else Answer.DECLINED
        inv.answered_at = now
        inv.save(update_fields=["answer", "answered_at"])
        todos.complete_todo(invite_key(b.pk), user_ids=[user.pk], outcome=inv.answer)
        notify([b.organiser_id], sender_name=lambda: _("会议室"), link=link(b),
               title=lambda: _("%(who)s%(verb)s了会议邀请：%(t)s") % {
                   "who": inv.name, "verb": _("接受") if accept else _("拒绝"), "t": b.title})
        audit.record("meetings.responded", actor=user, target=b, after={"answer": inv.answer})
    return b


def check_in_window(b: Booking):
    return b.start_at - CHECK_IN_WINDOW, b.start_at + CHECK_IN_WINDOW


def check_in(user, booking_id: int, *, now=None) -> Booking:
    """The organiser confirms the meeting is taking place, from 15 minutes before to 15 minutes
    after its start; a booking nobody checks in to is released (timers.release_no_shows)."""
    now = now or timezone.now()
    with transaction.atomic():
        b = access.access_booking(user, booking_id, for_update=True)
        if b.organiser_id != user.pk:
            raise PermissionDeniedError(_("只有组织者可以签到。"))
        if b.status != Status.BOOKED:
            raise DomainError("MEETINGS_NOT_ACTIVE", _("会议已签到、取消或释放。"), "booking")
        opens, closes = check_in_window(b)
        if not opens <= now <= closes:
            raise DomainError("MEETINGS_CHECK_IN_CLOSED", _("签到时间为会议开始前后15分钟内（%(a)s–%(b)s）。")
                              % {"a": f"{timezone.localtime(opens):%H:%M}", "b": f"{timezone.localtime(closes):%H:%M}"},
                              "booking")
        b.status = Status.CHECKED_IN
        b.checked_in_at = now
        b.save(update_fields=["status", "checked_in_at", "slot"])
        audit.record("meetings.checked_in", actor=user, target=b, after={"at": now.isoformat()})
    return b


def available_actions(user, b: Booking, now=None) -> list[str]:
    """What `user` may do with `b` now — the only thing the client looks at to show buttons."""
    now = now or timezone.now()
    if not b.active or b.end_at <= now:
        return []
    out = []
    organiser = b.organiser_id == user.pk
    if organiser and b.status == Status.BOOKED:
        opens, closes = check_in_window(b)
        if opens <= now <= closes:
            out.append("CHECK_IN")
    inv = next((i for i in b.invitations.all() if i.user_id == user.pk), None)
    if inv is not None:
        if inv.answer != Answer.ACCEPTED:
            out.append("ACCEPT")
        if inv.answer != Answer.DECLINED:
            out.append("DECLINE")
    if organiser or access.may_manage(user, b.room.unit_id):
        out.append("CANCEL")
    return out
