"""Node timeouts: reminders, then the automatic decision the node asks for. Run every minute by
the periodic task `approvals.check_timeouts` in each tenant with the app."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from modules.approvals import engine
from modules.approvals.actions import _after_commit
from modules.approvals.engine import Run
from modules.approvals.models import ActionKind, Instance, NodeRun, NodeStatus, Status, TaskStatus


def check_timeouts(now: dt.datetime | None = None) -> dict:
    """Remind the approvers of nodes past their reminder time (up to `maxReminders`), then on
    the deadline pass or reject automatically as the node says. Each node in its own
    transaction, rows taken with SKIP LOCKED so two beats never act twice.
    Who: the periodic task `approvals.check_timeouts` (and tests with a controlled `now`)."""
    now = now or timezone.now()
    done = {"reminded": 0, "passed": 0, "rejected": 0}
    skip: set[int] = set()
    while True:
        with transaction.atomic():
            node = (NodeRun.objects.select_for_update(skip_locked=True)
                    .filter(Q(remind_at__lte=now) | Q(auto_at__lte=now), status=NodeStatus.ACTIVE, kind="approver")
                    .exclude(pk__in=skip).order_by("id").first())
            if node is None:
                return done
            skip.add(node.pk)
            inst = Instance.objects.select_for_update().select_related("version", "template").get(pk=node.instance_id)
            if inst.status != Status.RUNNING:
                continue
            spec = (engine.flows.index(inst.version.flow).nodes.get(node.node_id) or {}).get("timeout") or {}
            run = Run(inst, now)
            pending = list(node.tasks.filter(status=TaskStatus.PENDING))
            if node.auto_at and now >= node.auto_at and spec.get("action") in ("pass", "reject"):
                verdict = TaskStatus.APPROVED if spec["action"] == "pass" else TaskStatus.REJECTED
                note = _("超时自动通过") if verdict == TaskStatus.APPROVED else _("超时自动拒绝")
                for task in pending:
                    task.refresh_from_db(fields=["status"])
                    if task.status == TaskStatus.PENDING and inst.status == Status.RUNNING:
                        run.decide(task, verdict, automatic="timeout", comment=note)
                    for nxt in node.tasks.filter(status=TaskStatus.PENDING).exclude(pk__in=[t.pk for t in pending]):
                        pending.append(nxt)  # 依次: the next in line times out too
                done["passed" if verdict == TaskStatus.APPROVED else "rejected"] += 1
                _after_commit(run, "timeout", None, node=node.node_id, verdict=verdict)
                continue
            every = spec.get("remindEveryHours")
            if node.remind_at and now >= node.remind_at:
                limit = spec.get("maxReminders", 3)
                node.reminders += 1
                node.remind_at = now + timedelta(hours=every) if every and node.reminders < limit else None
                node.save(update_fields=["reminders", "remind_at"])
                for task in pending:
                    run.notify[task.assignee_id] = lambda t=inst.title: _("审批即将超时，请尽快处理：%(title)s") % {"title": t}
                run.log(ActionKind.REMIND, node_id=node.node_id, to=[t.assignee_id for t in pending])
                done["reminded"] += 1
                _after_commit(run, "remind", None, node=node.node_id)
