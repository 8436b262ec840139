"""The approvals app's to-do source (manifest `todo_sources`): a person's open approval tasks,
computed from the app's own tables. The actions keep the to-do centre current as they write; the
centre calls this to rebuild a person's list from the truth (`jianlian.todos.services.rebuild`)."""

from __future__ import annotations


def open_tasks(user):
    from modules.approvals.engine import link, task_key
    from modules.approvals.models import Status, Task, TaskStatus

    for task in (Task.objects.filter(assignee_id=user.pk, status=TaskStatus.PENDING, instance__status=Status.RUNNING)
                 .select_related("instance", "node")):
        inst = task.instance
        yield {"key": task_key(task.pk), "kind": "approve", "title": inst.title, "summary": inst.summary,
               "link": link(inst), "due_at": task.node.due_at, "urgent": inst.urgent, "started_by": inst.submitter_name}
