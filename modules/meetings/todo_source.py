"""The meetings app's to-do source (manifest `todo_sources`): invitations a person has not
answered yet, for meetings still to come, computed from the app's own tables."""

from __future__ import annotations


def open_invitations(user):
    from django.utils import timezone

    from modules.meetings.booking import invite_key, invite_title, link, span
    from modules.meetings.models import ACTIVE, Answer, Invitation

    for inv in (Invitation.objects.filter(user_id=user.pk, answer=Answer.PENDING, booking__status__in=ACTIVE,
                                          booking__end_at__gt=timezone.now()).select_related("booking__room")):
        b = inv.booking
        yield {"key": invite_key(b.pk), "kind": "invitation", "title": invite_title(b),
               "summary": f"{span(b.start_at, b.end_at)} · {b.room.name}", "link": link(b), "due_at": b.start_at,
               "started_by": b.organiser_name}
