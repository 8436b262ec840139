"""The learning centre's to-do source (manifest `todo_sources`): exams and courses assigned to the person and
not yet done, from the module's own tables (the actions keep the centre current as they write)."""

from __future__ import annotations


def open_assignments(user):
    from modules.learning.assignments import link, title, todo_key
    from modules.learning.models import AssignedPerson

    for p in AssignedPerson.objects.filter(user_id=user.pk, completed_at__isnull=True).select_related("assignment__exam", "assignment__course"):
        a = p.assignment
        yield {"key": todo_key(a.pk), "kind": "course" if a.course_id else "exam", "title": title(a), "summary": "", "link": link(a),
               "due_at": a.deadline, "urgent": False, "started_by": ""}
