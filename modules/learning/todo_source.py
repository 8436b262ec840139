"""The learning centre's to-do source (manifest `todo_sources`): exams assigned to the person and
not yet done, from the module's own tables (the actions keep the centre current as they write)."""

from __future__ import annotations


def open_assignments(user):
    from modules.learning.assignments import link, todo_key
    from modules.learning.models import AssignedPerson

    for p in AssignedPerson.objects.filter(user_id=user.pk, completed_at__isnull=True).select_related("assignment__exam"):
        a = p.assignment
        yield {"key": todo_key(a.pk), "kind": "exam", "title": a.exam.title, "summary": "", "link": link(a),
               "due_at": a.deadline, "urgent": False, "started_by": ""}
