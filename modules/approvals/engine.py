"""The flow engine: entering nodes, deciding tasks, joining branches, finishing.

Everything here runs inside an action's transaction with the instance row locked
(`SELECT … FOR UPDATE` in `actions._locked`), so two approvers of one 或签 deciding at the same
instant are serialised: the second finds its task no longer pending. Nothing here checks who
the caller is; the actions do that first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian import todos
from modules.approvals import flow as flows
from modules.approvals import resolution
from modules.approvals.models import (
    OPEN_TASK, Action, ActionKind, Instance, NodeRun, NodeStatus, Status, Task, TaskStatus,
)

APP = "approvals"


def task_key(task_id: int) -> str:
    return f"approvals:task:{task_id}"


def instance_key(instance_id: int) -> str:
    return f"approvals:instance:{instance_id}"


def link(instance: Instance) -> str:
    return f"/approvals/instances/{instance.pk}"  # the workbench page (Django serves /apps/approvals/ itself)


class Run:
    """One instance being moved along its (pinned) version's flow."""

    def __init__(self, instance: Instance, now=None, *, fresh: bool = False, submitter_department=None):
        """`fresh`: the run that starts a new instance, which has no node runs but the ones this
        run creates (so nothing about earlier rounds needs reading); `submitter_department`: the
        submitter's primary department when the caller has just read it."""
        self.i = instance
        self.fresh = fresh
        self.submitter_department = submitter_department
        self._rounds: dict[str, int] = {}  # node id -> rounds entered in this run (fresh runs)
        self._approved: list[NodeRun] = []  # approver nodes this run approved
        self.v = instance.version
        self.idx = flows.index(self.v.flow)
        self.policies = self.v.policies or {}
        self.now = now or timezone.now()
        self._who = None
        self.notify: dict[int, Callable[[], str]] = {}  # user id -> what to tell them, built in each language (sent after writing)

    # --- logging ---------------------------------------------------------------------------------
    def log(self, kind: str, *, actor=None, task=None, node_id: str = "", comment: str = "", **extra) -> Action:
        return Action.objects.create(
            instance=self.i, task=task, node_id=node_id or (task.node.node_id if task else ""), kind=kind,
            actor_id=getattr(actor, "pk", None), actor_name=(getattr(actor, "real_name", "") or "")[:60] if actor else "",
            comment=comment[:1000], at=self.now, attachments=extra.pop("attachments", []),
            signature=extra.pop("signature", "")[:300], extra=extra)

    def participate(self, user_ids) -> None:
        have = set(self.i.participants)
        new = [u for u in user_ids if u not in have and u != self.i.submitter_id]
        if new:
            self.i.participants = [*self.i.participants, *new]

    # --- walking the tree ------------------------------------------------------------------------
    def start(self) -> None:
        self.succ(self.v.flow["id"])

    def enter(self, node_id: str) -> None:
        if self.i.status != Status.RUNNING:
            return
        node = self.idx.nodes[node_id]
        kind = node["type"]
        if kind == "approver":
            self._enter_approver(node)
        elif kind == "cc":
            self._enter_cc(node)
            self.succ(node_id)
        elif kind == "condition":
            branch = flows.choose_branch(node, self.i.data, self.who())
            self.log(ActionKind.AUTO, node_id=node_id, branch=branch["id"], note=branch.get("name", ""))
            self._enter_branch(node, branch)
        elif kind == "parallel":
            NodeRun.objects.create(instance=self.i, node_id=node_id, name=node.get("name") or _("并行分支"),
                                   kind="parallel", round=self._round(node_id), entered_at=self.now)
            for branch in node["branches"]:
                self._enter_branch(node, branch)

    def _enter_branch(self, gateway: dict, branch: dict) -> None:
        child = branch.get("child")
        if child:
            self.enter(child["id"])
        else:
            self.exit_branch(gateway["id"], branch["id"])

    def succ(self, node_id: str) -> None:
        """Continue after `node_id` is through."""
        if self.i.status != Status.RUNNING:
            return
        child = self.idx.nodes[node_id].get("child")
        if child:
            self.enter(child["id"])
            return
        where = self.idx.container.get(node_id)
        if where is None:
            self.finish(Status.APPROVED)
        else:
            self.exit_branch(*where)

    def exit_branch(self, gateway_id: str, branch_id: str) -> None:
        gateway = self.idx.nodes[gateway_id]
        if gateway["type"] == "condition":
            self.succ(gateway_id)
            return
        join = (NodeRun.objects.select_for_update().filter(instance=self.i, node_id=gateway_id, status=NodeStatus.ACTIVE)
                .order_by("-id").first())
        if join is None:
            return
        join.branches_done = [*join.branches_done, branch_id]
        if set(self.idx.branches[gateway_id]) <= set(join.branches_done):
            join.status, join.finished_at = NodeStatus.APPROVED, self.now
            join.save(update_fields=["branches_done", "status", "finished_at"])
            self.succ(gateway_id)
        else:
            join.save(update_fields=["branches_done"])

    def _round(self, node_id: str) -> int:
        if self.fresh:
            self._rounds[node_id] = self._rounds.get(node_id, 0) + 1
            return self._rounds[node_id]
        return NodeRun.objects.filter(instance=self.i, node_id=node_id).count() + 1

    def who(self):
        if self._who is None:
            self._who = resolution.submitter_facts(self.i.submitter_id)
        return self._who

    # --- approver and cc nodes -------------------------------------------------------------------
    def _people(self, node: dict) -> tuple[list[int], str]:
        ids = resolution.resolve(node["assignee"], submitter_id=self.i.submitter_id, chosen=self.i.chosen,
                                 node_id=node["id"], department=self.submitter_department)
        note = ""
        sub = self.i.submitter_id
        if node["type"] == "approver" and sub in ids and node["assignee"].get("kind") != "submitter":
            policy = self.policies.get("on_submitter", "self")
            if policy == "skip":
                ids, note = [u for u in ids if u != sub], _("审批人为发起人，自动跳过")
            elif policy == "superior":
                up = resolution.superior(sub)
                ids, note = list(dict.fromkeys(up + [u for u in ids if u != sub])), _("审批人为发起人，转由上级审批")
        if not ids and node["type"] == "approver" and not note:
            policy = self.policies.get("on_empty", "pass")
            if policy == "admin":
                ids, note = resolution.admins(), _("未找到审批人，转交管理员")
            elif policy == "user" and self.policies.get("empty_user_id"):
                ids = resolution.resolve({"kind": "users", "userIds": [self.policies["empty_user_id"]]},
                                         submitter_id=sub, chosen={}, node_id=node["id"])
                note = _("未找到审批人，转交指定人员")
            if not ids:
                note = _("未找到审批人，自动通过")
        return ids, note

    def _enter_approver(self, node: dict) -> None:
        ids, note = self._people(node)
        timeout = node.get("timeout") or {}
        run = NodeRun.objects.create(
            instance=self.i, node_id=node["id"], name=node.get("name") or _("审批人"), kind="approver",
            mode=node.get("mode", "seq"), round=self._round(node["id"]), entered_at=self.now, note=note,
            due_at=self.now + timedelta(hours=timeout["hours"]) if timeout.get("hours") else None,
            auto_at=self.now + timedelta(hours=timeout["hours"]) if timeout.get("action") in ("pass", "reject") else None,
            remind_at=self.now + timedelta(hours=timeout["remindEveryHours"]) if timeout.get("remindEveryHours") else None)
        if not ids:
            run.status, run.finished_at = NodeStatus.SKIPPED, self.now
            run.save(update_fields=["status", "finished_at"])
            self.log(ActionKind.AUTO, node_id=node["id"], note=note)
            self.succ(node["id"])
            return
        if note:
            self.log(ActionKind.AUTO, node_id=node["id"], note=note)
        names = resolution.names(ids)
        previous = None
        tasks = []
        for uid in ids:
            sequential = run.mode == "seq" and previous is not None
            task = Task.objects.create(instance=self.i, node=run, assignee_id=uid, assignee_name=names.get(uid, "")[:60],
                                       status=TaskStatus.WAITING if sequential else TaskStatus.PENDING,
                                       after=previous if sequential else None, created_at=self.now)
            tasks.append(task)
            previous = task
        self.participate(ids)
        dedupe = self._previous_approvers() if self.policies.get("dedupe", True) else set()
        decided = False
        for task in tasks:
            if decided:  # an automatic decision may have released or cancelled the tasks after it
                task.refresh_from_db(fields=["status"])
            if task.status == TaskStatus.PENDING and task.assignee_id in dedupe:
                decided = True
                self.decide(task, TaskStatus.APPROVED, automatic="dedupe", comment=_("与上一节点审批人相同，自动通过"))
                if self.i.status != Status.RUNNING or run.status != NodeStatus.ACTIVE:
                    return
            elif task.status == TaskStatus.PENDING:
                self.activate(task)

    def _previous_approvers(self) -> set[int]:
        """Who approved the approver node decided just before this one."""
        if self.fresh:  # every node of a new instance was approved in this run, at self.now
            prev = max(self._approved, key=lambda n: n.pk, default=None)
        else:
            prev = (NodeRun.objects.filter(instance=self.i, kind="approver", status=NodeStatus.APPROVED)
                    .order_by("-finished_at", "-id").first())
        if prev is None:
            return set()
        return set(prev.tasks.filter(status=TaskStatus.APPROVED).values_list("assignee_id", flat=True))

    def _enter_cc(self, node: dict) -> None:
        ids, _note = self._people(node)
        ids = [u for u in ids if u != self.i.submitter_id]
        if not ids:
            return
        run = NodeRun.objects.create(instance=self.i, node_id=node["id"], name=node.get("name") or _("抄送人"), kind="cc",
                                     round=self._round(node["id"]), entered_at=self.now, finished_at=self.now,
                                     status=NodeStatus.APPROVED)
        names = resolution.names(ids)
        Task.objects.bulk_create([Task(instance=self.i, node=run, assignee_id=u, assignee_name=names.get(u, "")[:60],
                                       status=TaskStatus.CC, created_at=self.now, decided_at=self.now) for u in ids])
        self.participate(ids)
        self.log(ActionKind.CC, node_id=node["id"], to=ids)
        todos.create_todo(ids, source=APP, kind="cc", key=instance_key(self.i.pk), role="cc", title=self.i.title,
                          summary=self.i.summary, link=link(self.i), started_by=self.i.submitter_name)
        for u in ids:
            self.notify.setdefault(u, lambda t=self.i.title: _("抄送给您：%(title)s") % {"title": t})

    # --- tasks -----------------------------------------------------------------------------------
    def activate(self, task: Task) -> None:
        """A task becomes the assignee's to do: on their list and told."""
        if task.status != TaskStatus.PENDING:
            task.status = TaskStatus.PENDING
            task.save(update_fields=["status"])
        todos.create_todo([task.assignee_id], source=APP, kind="approve", key=task_key(task.pk), title=self.i.title,
                          summary=self.i.summary, link=link(self.i), due_at=task.node.due_at,
                          started_by=self.i.submitter_name, urgent=self.i.urgent)
        self.notify[task.assignee_id] = lambda t=self.i.title: _("待您审批：%(title)s") % {"title": t}

    def decide(self, task: Task, status: str, *, actor=None, comment: str = "", automatic: str = "", **extra) -> None:
        """Record `task`'s decision and move on: release the tasks after it, close the node when
        nothing is left open on it (或签: the first approval closes it), finish on rejection."""
        task.status, task.decided_at, task.comment, task.automatic = status, self.now, comment[:1000], automatic
        task.save(update_fields=["status", "decided_at", "comment", "automatic"])
        todos.complete_todo(task_key(task.pk), outcome=status)
        kind = {TaskStatus.APPROVED: ActionKind.APPROVE, TaskStatus.REJECTED: ActionKind.REJECT}[status]
        if automatic:
            self.log(ActionKind.AUTO, task=task, comment=comment, decision=status, reason=automatic)
        else:
            self.log(kind, actor=actor, task=task, comment=comment, **extra)
        if status == TaskStatus.REJECTED:
            self.close_open(NodeStatus.REJECTED)
            self.finish(Status.REJECTED)
            return
        node = task.node
        still_open = list(node.tasks.filter(status__in=OPEN_TASK).order_by("id"))  # one read for the three questions below
        for nxt in still_open:
            if nxt.after_id == task.pk and nxt.status == TaskStatus.WAITING:
                self.activate(nxt)
        if node.mode == "any" and not task.added:
            for other in [t for t in still_open if t.after_id != task.pk]:
                self.cancel(other)
                still_open.remove(other)
        self.settle(node, open_left=bool(still_open))

    def cancel(self, task: Task) -> None:
        task.status, task.decided_at = TaskStatus.CANCELLED, self.now
        task.save(update_fields=["status", "decided_at"])
        todos.remove_todo(task_key(task.pk))

    def settle(self, node: NodeRun, open_left: bool | None = None) -> None:
        """Close `node` and move on when none of its tasks is open (`open_left`, when the caller
        has just read them)."""
        if open_left is None:
            open_left = node.tasks.filter(status__in=OPEN_TASK).exists()
        if node.status == NodeStatus.ACTIVE and not open_left:
            node.status, node.finished_at = NodeStatus.APPROVED, self.now
            node.save(update_fields=["status", "finished_at"])
            if node.kind == "approver":
                self._approved.append(node)
            self.succ(node.node_id)

    def close_open(self, node_status: str = NodeStatus.CANCELLED) -> None:
        """End every open task and active node (rejection, return, withdrawal)."""
        for task in Task.objects.filter(instance=self.i, status__in=OPEN_TASK):
            self.cancel(task)
        NodeRun.objects.filter(instance=self.i, status=NodeStatus.ACTIVE).update(status=node_status, finished_at=self.now)

    def finish(self, status: str) -> None:
        self.i.status, self.i.finished_at = status, self.now
        todos.complete_todo(instance_key(self.i.pk), role="submitter", outcome=status)
        self.log(ActionKind.FINISH, outcome=status)
        self.notify[self.i.submitter_id] = lambda t=self.i.title: {
            Status.APPROVED: _("您的审批已通过：%(title)s"), Status.REJECTED: _("您的审批被拒绝：%(title)s"),
        }.get(status, _("审批已结束：%(title)s")) % {"title": t}
        if status == Status.APPROVED:
            self._finish_cc()
        if self.i.owner:
            from modules.approvals.hooks import tell_owner

            tell_owner(self.i, status)

    def _finish_cc(self) -> None:
        """Template-level cc on completion (policies.cc_on_finish: an assignee spec)."""
        spec = self.policies.get("cc_on_finish")
        if spec:
            self._enter_cc({"id": "finish-cc", "type": "cc", "name": _("抄送人"), "assignee": spec})

    # --- returns ---------------------------------------------------------------------------------
    def return_targets(self) -> list[dict]:
        """Earlier approver nodes this instance went through (not inside a parallel branch), and
        the submitter ("start")."""
        done = set(NodeRun.objects.filter(instance=self.i, kind="approver", status=NodeStatus.APPROVED)
                   .values_list("node_id", flat=True))
        out = [{"nodeId": "start", "name": _("发起人")}]
        for nid in self.idx.order:
            if nid in done and not self._in_parallel(nid):
                out.append({"nodeId": nid, "name": self.idx.nodes[nid].get("name") or _("审批人")})
        return out

    def _in_parallel(self, node_id: str) -> bool:
        where = self.idx.container.get(node_id)
        while where is not None:
            if self.idx.nodes[where[0]]["type"] == "parallel":
                return True
            where = self.idx.container.get(where[0])
        return False
