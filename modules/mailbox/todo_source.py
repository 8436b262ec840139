"""The to-do source (manifest `todo_sources`): letters waiting on the person as a handler."""

from __future__ import annotations


def open_letters(user):
    from modules.mailbox.actions import link, todo_key
    from modules.mailbox.models import Letter, Status

    for letter in Letter.objects.filter(handler_ids__contains=[user.pk], status__in=[Status.SUBMITTED, Status.HANDLING]):
        yield {"key": todo_key(letter.pk), "kind": "letter", "title": f"来信：{letter.subject}", "summary": letter.body[:120],
               "link": link(letter.pk), "due_at": None, "urgent": False, "started_by": letter.sender_name or "匿名"}
