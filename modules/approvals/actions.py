"""Every write of the approvals app is an action here (Zulip style): check who may do it, change
the rows in one transaction with the instance locked (`SELECT … FOR UPDATE`), audit it, and
announce it after commit — the instance's people hear `approvals.changed`, their to-do counts
change through the to-do centre, their workbench badge refreshes, and whoever has something new
to do is notified (preference-aware; urgent approvals ring through as DING and SMS).

GraphQL, the periodic task, hand-over and the demo seed all call these.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianlian import todos
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, PermissionDeniedError
from jianlian import forms
from modules.approvals import access, engine
from modules.approvals.engine import APP, Run, instance_key, link
from modules.approvals.models import (
    OPEN_TASK, Action, ActionKind, Instance, Status, Task, TaskStatus,
)
from modules.approvals.resolution import names

CHANGED = "approvals.changed"
URGE_INTERVAL = timedelta(minutes=10)
MAX_COMMENT = 1000
MAX_ATTACHMENTS = 9


# --- helpers -------------------------------------------------------------------------------------

def _text(value, field: str, *, required: bool = False, limit: int = MAX_COMMENT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError("REQUIRED", _("请填写意见。"), field)
    if len(value) > limit:
        raise DomainError("TOO_LONG", _("不能超过%(n)s个字。") % {"n": limit}, field)
    return value


def clean_attachments(items, field: str = "attachments") -> list[dict]:
    """Files already uploaded (their name and address), at most nine."""
    items = items or []
    if not isinstance(items, list) or len(items) > MAX_ATTACHMENTS:
        raise DomainError("INVALID", _("附件最多%(n)s个。") % {"n": MAX_ATTACHMENTS}, field)
    out = []
    for i, a in enumerate(items):
        url = str((a or {}).get("url") or "")
        if not (url.startswith("/") or url.startswith("https://")) or not str(a.get("name") or "").strip():
            raise DomainError("INVALID", _("附件须有文件名和地址。"), f"{field}.{i}")
        out.append({"name": str(a["name"])[:200], "url": url[:500], "size": int(a.get("size") or 0)})
    return out


def clean_signature(value, field: str = "signature") -> str:
    """A handwritten signature: the address of an uploaded PNG (or empty)."""
    value = (value or "").strip()
    if value and not (value.startswith("/") or value.startswith("https://")):
        raise DomainError("INVALID", _("签名须是已上传图片的地址。"), field)
    return value[:300]


def _next_id_and_number(now) -> tuple[int, str]:
    """The new instance's id and its number: the local date and the id (unique, since the date
    part has a fixed width), taken from the table's sequence without scanning anything."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Instance._meta.db_table])
        pk = cursor.fetchone()[0]
    return pk, f"{timezone.localtime(now):%Y%m%d}{pk:06d}"


def _summary(version, data: dict) -> str:
    """The first three filled fields, as the list shows them (留空的字段略过)."""
    parts = []
    for key, prop in version.form_schema["properties"].items():
        value = data.get(key)
        if value in (None, "", [], {}):
            continue
        if isinstance(value, dict) and "start" in value:
            value = f"{value.get('start')} ~ {value.get('end')}" + (f"（{value['days']}天）" if "days" in value else "")
        elif isinstance(value, list):
            value = _("%(n)s项") % {"n": len(value)}
        parts.append(f"{prop.get('title', key)}：{value}")
        if len(parts) == 3:
            break
    return "；".join(parts)[:500]


def _after_commit(run: Run, action: str, actor=None, **detail) -> None:
    """Save the instance, audit, notify, announce (inside the transaction; events after commit)."""
    from jianlian.marketplace.services import badge_changed
    from jianlian.notifications.services import notify
    from jianlian.realtime import events

    inst = run.i
    inst.updated_at = run.now
    inst.save()
    audit.record(f"approvals.{action}", actor=actor, target=inst,
                 after={"number": inst.number, "status": inst.status, **detail},
                 actor_label="" if actor else _("系统（审批引擎）"))
    for user_id, title in run.notify.items():
        if actor is not None and user_id == actor.pk:
            continue
        notify([user_id], sender_name=lambda: _("审批"), title=title, body=inst.summary, link=link(inst),
               priority="urgent" if inst.urgent and user_id != inst.submitter_id else "normal")
    people = [inst.submitter_id, *inst.participants]
    events.publish(CHANGED, {"id": inst.pk, "status": inst.status, "action": action},
                   groups=[events.user_group(u) for u in people])
    badge_changed(APP, people)


def _locked(user, instance_id: int) -> Instance:
    return access.access_instance(user, instance_id, for_update=True)


def _require_running(inst: Instance) -> None:
    if inst.status != Status.RUNNING:
        raise DomainError("INSTANCE_NOT_RUNNING", _("该审批已结束，不能再操作。"), "instance")


def _pending_task(user, task_id: int) -> tuple[Instance, Task]:
    inst, task = access.access_task(user, task_id)
    if task.status != TaskStatus.PENDING and inst.status != Status.WITHDRAWN:
        # decided already — by this person, or (或签) by another approver, which may have ended it
        raise DomainError("TASK_NOT_PENDING", _("该审批已被处理（可能已由其他审批人处理）。"), "task")
    _require_running(inst)
    return inst, task


# --- start ---------------------------------------------------------------------------------------

def _clean_chosen(version, chosen) -> dict:
    from modules.approvals.flow import chosen_nodes
    from jianlian.org.audience import Targets, resolve_audience

    chosen = chosen or {}
    out, problems = {}, []
    for node in chosen_nodes(version.flow):
        ids = [int(u) for u in chosen.get(node["id"]) or [] if str(u).isdigit()]
        if not ids and node["type"] == "approver":
            problems.append(DomainError("APPROVER_REQUIRED", _("请选择“%(node)s”的审批人。") % {"node": node.get("name", "")},
                                        f"chosen.{node['id']}"))
            continue
        members = resolve_audience(Targets(user_ids=ids))
        if any(u not in members for u in ids):
            problems.append(DomainError("INVALID_APPROVER", _("所选审批人不在本单位。"), f"chosen.{node['id']}"))
        out[node["id"]] = ids
    if problems:
        raise DomainError.many(problems)
    return out


def submit(user, template_id: int, data, *, chosen: dict | None = None, urgent: bool = False, now=None,
           owner: str = "", title: str = "") -> Instance:
    """Start an approval of `template` with form `data`. Who: anyone in the template's audience.
    Validates the whole form first (all problems at once, nothing written), pins the template's
    current version, enters the flow, and tells the first approvers. `owner` ("app:ref") is set
    only by `hooks.start_owned`, which starts an embedded template for another module."""
    template = access.access_template(user, template_id)
    if owner and template.kind != "embedded" or not owner and not access.may_start(user, template):
        raise DomainError("TEMPLATE_NOT_STARTABLE", _("该审批未启用，或您不在可发起范围内。"), "template")
    version = template.current_version
    problems = []
    try:
        data = forms.validate_data(version.form_schema, data)
    except DomainError as e:
        problems += e.problems
    try:
        chosen = _clean_chosen(version, chosen)
    except DomainError as e:
        problems += e.problems
    if problems:
        raise DomainError.many(problems)
    now = now or timezone.now()
    from modules.approvals import collections
    from modules.approvals.resolution import _primary_department

    if template.kind == "collection":
        collections.check_once_a_day(user, template, now)

    dept = _primary_department(user.pk)
    with transaction.atomic():
        pk, number = _next_id_and_number(now)
        inst = Instance.objects.create(
            pk=pk, template=template, version=version, number=number, submitter_id=user.pk,
            submitter_name=(names([user.pk]).get(user.pk) or user.real_name or "")[:60],
            department_id=dept.pk if dept else None, department_name=dept.name if dept else "",
            unit_id=dept.unit_id if dept else None, data=data, chosen=chosen, urgent=bool(urgent),
            created_at=now, updated_at=now, title="", owner=owner)
        inst.title = title[:200] or (version.policies.get("title") or _("%(submitter)s的%(name)s")) % {
            "submitter": inst.submitter_name, "name": template.name}
        inst.summary = _summary(version, data)
        run = Run(inst, now, fresh=True, submitter_department=dept)
        run.log(ActionKind.SUBMIT, actor=user)
        todos.create_todo([user.pk], source=APP, kind="started", key=instance_key(inst.pk), role="submitter",
                          title=inst.title, summary=inst.summary, link=link(inst), started_by=inst.submitter_name)
        run.start()
        if template.kind == "collection":
            collections.filled(user, template, now)
        _after_commit(run, "submit", user, template=template.key, version=version.number)
    return inst


def resubmit(user, instance_id: int, data, *, now=None) -> Instance:
    """The submitter sends a returned approval again (with corrected data): the flow restarts."""
    with transaction.atomic():
        inst = _locked(user, instance_id)
        if inst.submitter_id != user.pk or inst.status != Status.RETURNED:
            raise DomainError("INSTANCE_NOT_RUNNING", _("只有被退回的审批才能重新提交。"), "instance")
        inst.data = forms.validate_data(inst.version.form_schema, data if data is not None else inst.data)
        inst.summary = _summary(inst.version, inst.data)
        inst.status = Status.RUNNING
        run = Run(inst, now)
        todos.remove_todo(f"approvals:resubmit:{inst.pk}")
        run.log(ActionKind.RESUBMIT, actor=user)
        run.start()
        _after_commit(run, "resubmit", user)
    return inst


# --- decisions -----------------------------------------------------------------------------------

def approve(user, task_id: int, *, comment: str = "", edits: dict | None = None, signature: str = "",
            attachments=None, now=None) -> Instance:
    """Approve one's pending task (optionally changing the fields editable at this node, with a
    signature). Who: the task's assignee. 或签: the first approval decides; a second approver
    acting at the same instant gets TASK_NOT_PENDING."""
    comment = _text(comment, "comment")
    signature, attachments = clean_signature(signature), clean_attachments(attachments)
    with transaction.atomic():
        inst, task = _pending_task(user, task_id)
        if edits:
            rights = _rights_of(inst, task.node.node_id)
            inst.data = forms.merge_edits(inst.version.form_schema, inst.data, edits, rights)
            inst.summary = _summary(inst.version, inst.data)
        run = Run(inst, now)
        run.decide(task, TaskStatus.APPROVED, actor=user, comment=comment, signature=signature,
                   attachments=attachments, edited=sorted(edits or {}))
        _after_commit(run, "approve", user, task=task.pk)
    return inst


def reject(user, task_id: int, *, comment: str, signature: str = "", attachments=None, now=None) -> Instance:
    """Reject: the approval ends as rejected. Who: the task's assignee. A reason is required."""
    comment = _text(comment, "comment", required=True)
    signature, attachments = clean_signature(signature), clean_attachments(attachments)
    with transaction.atomic():
        inst, task = _pending_task(user, task_id)
        run = Run(inst, now)
        run.decide(task, TaskStatus.REJECTED, actor=user, comment=comment, signature=signature, attachments=attachments)
        _after_commit(run, "reject", user, task=task.pk)
    return inst


def return_to(user, task_id: int, node_id: str, *, comment: str, now=None) -> Instance:
    """Return to an earlier node (those nodes approve again) or to the submitter ("start", who
    may correct and resubmit). Who: the task's assignee. A reason is required."""
    comment = _text(comment, "comment", required=True)
    with transaction.atomic():
        inst, task = _pending_task(user, task_id)
        run = Run(inst, now)
        if node_id not in {t["nodeId"] for t in run.return_targets()}:
            raise DomainError("INVALID_RETURN_TARGET", _("只能退回到已经审批过的节点或发起人。"), "node")
        task.status, task.decided_at, task.comment = TaskStatus.RETURNED, run.now, comment
        task.save(update_fields=["status", "decided_at", "comment"])
        todos.complete_todo(engine.task_key(task.pk), outcome="returned")
        run.log(ActionKind.RETURN, actor=user, task=task, comment=comment, to=node_id)
        run.close_open()
        if node_id == "start":
            inst.status = Status.RETURNED
            todos.create_todo([inst.submitter_id], source=APP, kind="resubmit", key=f"approvals:resubmit:{inst.pk}",
                              title=inst.title, summary=comment, link=link(inst), started_by=inst.submitter_name)
            run.notify[inst.submitter_id] = lambda t=inst.title: _("您的审批被退回：%(title)s") % {"title": t}
        else:
            run.enter(node_id)
        _after_commit(run, "return", user, task=task.pk, to=node_id)
    return inst


def withdraw(user, instance_id: int, *, reason: str = "", now=None) -> Instance:
    """The submitter withdraws a running (or returned) approval; every open task ends."""
    reason = _text(reason, "reason")
    with transaction.atomic():
        inst = _locked(user, instance_id)
        if inst.submitter_id != user.pk:
            raise PermissionDeniedError(_("只有发起人可以撤回。"))
        if inst.status not in (Status.RUNNING, Status.RETURNED):
            raise DomainError("INSTANCE_NOT_RUNNING", _("该审批已结束，不能撤回。"), "instance")
        run = Run(inst, now)
        run.log(ActionKind.WITHDRAW, actor=user, comment=reason)
        run.close_open()
        todos.remove_todo(f"approvals:resubmit:{inst.pk}")
        run.finish(Status.WITHDRAWN)
        run.notify.pop(inst.submitter_id, None)
        for uid in Task.objects.filter(instance=inst, status=TaskStatus.CANCELLED, decided_at=run.now).values_list("assignee_id", flat=True):
            run.notify[uid] = lambda t=inst.title: _("审批已撤回：%(title)s") % {"title": t}
        _after_commit(run, "withdraw", user)
    return inst


def forward(user, task_id: int, to_user_id: int, *, comment: str = "", now=None) -> Instance:
    """Forward (转交) one's pending task to a colleague, who takes it over in the same place."""
    comment = _text(comment, "comment")
    with transaction.atomic():
        inst, task = _pending_task(user, task_id)
        to_user_id = _colleague(to_user_id, "toUser", inst)
        if to_user_id == user.pk or task.node.tasks.filter(assignee_id=to_user_id, status__in=OPEN_TASK).exists():
            raise DomainError("INVALID_APPROVER", _("不能转交给自己或本节点已有的审批人。"), "toUser")
        run = Run(inst, now)
        task.status, task.decided_at, task.comment = TaskStatus.FORWARDED, run.now, comment
        task.save(update_fields=["status", "decided_at", "comment"])
        todos.complete_todo(engine.task_key(task.pk), outcome="forwarded")
        new = Task.objects.create(instance=inst, node=task.node, assignee_id=to_user_id, added=task.added,
                                  assignee_name=names([to_user_id]).get(to_user_id, "")[:60], after=task.after,
                                  created_at=run.now)
        Task.objects.filter(after=task).exclude(pk=new.pk).update(after=new)
        run.participate([to_user_id])
        run.log(ActionKind.FORWARD, actor=user, task=task, comment=comment, to=to_user_id)
        run.activate(new)
        _after_commit(run, "forward", user, task=task.pk, to=to_user_id)
    return inst


def add_sign(user, task_id: int, user_ids: list[int], *, position: str, comment: str = "", now=None) -> Instance:
    """Add approvers (加签) before oneself (they decide first, then the task comes back) or after
    oneself (this approves, and they decide before the node is through)."""
    comment = _text(comment, "comment")
    if position not in ("before", "after"):
        raise DomainError("INVALID", _("加签位置只能是之前或之后。"), "position")
    with transaction.atomic():
        inst, task = _pending_task(user, task_id)
        ids = list(dict.fromkeys(_colleague(u, "users", inst) for u in user_ids or []))
        if not ids or user.pk in ids or task.node.tasks.filter(assignee_id__in=ids, status__in=OPEN_TASK).exists():
            raise DomainError("INVALID_APPROVER", _("请选择要加签的其他同事。"), "users")
        run = Run(inst, now)
        who = names(ids)
        followers = list(Task.objects.filter(after=task))
        prev = task.after if position == "before" else task
        added = []
        for uid in ids:
            prev = Task.objects.create(instance=inst, node=task.node, assignee_id=uid, assignee_name=who.get(uid, "")[:60],
                                       added=True, after=prev, status=TaskStatus.WAITING, created_at=run.now)
            added.append(prev)
        run.participate(ids)
        run.log(ActionKind.ADD_SIGN, actor=user, task=task, comment=comment, to=ids, position=position)
        if position == "before":
            Task.objects.filter(pk__in=[f.pk for f in followers]).update(after=task)
            task.after, task.status = prev, TaskStatus.WAITING
            task.save(update_fields=["after", "status"])
            todos.remove_todo(engine.task_key(task.pk))
            first = added[0]
            if first.after_id is None or first.after.status not in OPEN_TASK:
                run.activate(first)
        else:
            Task.objects.filter(pk__in=[f.pk for f in followers]).update(after=prev)
            run.decide(task, TaskStatus.APPROVED, actor=user, comment=comment)
        _after_commit(run, "add_sign", user, task=task.pk, to=ids, position=position)
    return inst


def _colleague(user_id, field: str, inst: Instance) -> int:
    from jianlian.org.audience import Targets, resolve_audience

    try:
        uid = int(user_id)
    except (TypeError, ValueError):
        raise DomainError("INVALID_APPROVER", _("所选人员不在本单位。"), field) from None
    if uid not in resolve_audience(Targets(user_ids=[uid])):
        raise DomainError("INVALID_APPROVER", _("所选人员不在本单位。"), field)
    return uid


# --- around the decisions --------------------------------------------------------------------------

def comment(user, instance_id: int, text: str, *, attachments=None, now=None) -> Action:
    """Comment on an approval one may see (with attachments); the submitter and approvers hear of it."""
    text = _text(text, "text", required=True)
    attachments = clean_attachments(attachments)
    with transaction.atomic():
        inst = _locked(user, instance_id)
        run = Run(inst, now)
        action = run.log(ActionKind.COMMENT, actor=user, comment=text, attachments=attachments)
        _after_commit(run, "comment", user)
    return action


def urge(user, instance_id: int, *, now=None) -> Instance:
    """The submitter urges (催办) the pending approvers, at most once every ten minutes."""
    with transaction.atomic():
        inst = _locked(user, instance_id)
        if inst.submitter_id != user.pk:
            raise PermissionDeniedError(_("只有发起人可以催办。"))
        _require_running(inst)
        run = Run(inst, now)
        if inst.last_urged_at and run.now - inst.last_urged_at < URGE_INTERVAL:
            raise DomainError("URGE_TOO_SOON", _("刚刚催办过，请%(n)s分钟后再试。") % {
                "n": int((URGE_INTERVAL - (run.now - inst.last_urged_at)).total_seconds() // 60) + 1}, "instance")
        inst.last_urged_at = run.now
        pending = list(Task.objects.filter(instance=inst, status=TaskStatus.PENDING).values_list("assignee_id", flat=True))
        for uid in pending:
            run.notify[uid] = lambda n=inst.submitter_name, t=inst.title: _("%(name)s催您审批：%(title)s") % {"name": n, "title": t}
        run.log(ActionKind.URGE, actor=user, to=pending)
        _after_commit(run, "urge", user, to=pending)
    return inst


def _rights_of(inst: Instance, node_id: str) -> dict:
    from modules.approvals.flow import index

    return (index(inst.version.flow).nodes.get(node_id) or {}).get("fieldRights") or {}


def field_rights(user, inst: Instance) -> dict:
    """What `user` may do with each field: the submitter and admins see all (read-only); an
    approver gets the rights of the node of their open (else latest) task; hidden fields stay
    hidden from cc and forwarded readers of that node too."""
    base = {k: "readonly" for k in inst.version.form_schema["properties"]}
    task = (Task.objects.filter(instance=inst, assignee_id=user.pk).select_related("node")
            .order_by("-status", "-id").first()) if inst.submitter_id != user.pk else None
    if task is not None and task.node.kind == "approver":
        rights = _rights_of(inst, task.node.node_id)
        if task.status != TaskStatus.PENDING:
            rights = {k: ("hidden" if v == "hidden" else "readonly") for k, v in rights.items()}
        base.update(rights)
    return base


def available_actions(user, inst: Instance, task: Task | None = None) -> list[str]:
    """What `user` may do now — computed here so the client never re-implements the flow."""
    out = []
    mine = task if task is not None else Task.objects.filter(
        instance=inst, assignee_id=user.pk, status=TaskStatus.PENDING).first()
    if inst.status == Status.RUNNING and mine is not None and mine.status == TaskStatus.PENDING and mine.assignee_id == user.pk:
        out += ["APPROVE", "REJECT", "RETURN", "FORWARD", "ADD_SIGN"]
    if inst.submitter_id == user.pk:
        if inst.status in (Status.RUNNING, Status.RETURNED):
            out.append("WITHDRAW")
        if inst.status == Status.RUNNING:
            out.append("URGE")
        if inst.status == Status.RETURNED:
            out.append("RESUBMIT")
    out.append("COMMENT")
    return out
