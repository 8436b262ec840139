"""Surviving the organisation: an approver who leaves or moves hands their open tasks to the
successor the organisation names (jianlian.org's hand-over handlers), inside the transaction
that applies the move — so a flow never waits on an empty desk. The to-do centre's own handler
moves their list items alongside."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _


def hand_over_tasks(from_user_id, to_user_id, *, reason, event_id=None) -> int:
    from modules.approvals.models import OPEN_TASK, Action, ActionKind, Instance, Status, Task
    from modules.approvals.resolution import names

    now = timezone.now()
    successor = names([to_user_id]).get(to_user_id, "")[:60]
    moved = 0
    tasks = list(Task.objects.select_for_update().filter(assignee_id=from_user_id, status__in=OPEN_TASK,
                                                         instance__status=Status.RUNNING))
    for task in tasks:
        if Task.objects.filter(node_id=task.node_id, assignee_id=to_user_id, status__in=OPEN_TASK).exists():
            task.status, task.decided_at = "cancelled", now  # the successor already has this node's task
            task.save(update_fields=["status", "decided_at"])
        else:
            Task.objects.filter(pk=task.pk).update(assignee_id=to_user_id, assignee_name=successor)
        inst = Instance.objects.select_for_update().get(pk=task.instance_id)
        if to_user_id not in inst.participants:
            inst.participants = [*inst.participants, to_user_id]
            inst.save(update_fields=["participants"])
        Action.objects.create(instance=inst, task=task, node_id="", kind=ActionKind.HAND_OVER, at=now,
                              comment=_("工作交接（%(reason)s）") % {"reason": reason},
                              extra={"from": from_user_id, "to": to_user_id, "event": event_id})
        moved += 1
    return moved
