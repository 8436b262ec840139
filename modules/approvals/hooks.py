"""Another module's business object on an approval flow (official documents, welfare claims …).

Modules never import each other (the import-linter contract), so a module reaches these two
functions by dotted name, as the platform reaches manifests:

    start = import_string("modules.approvals.hooks.start_owned")
    inst_id = start(user, app="documents", ref="12", template=SPEC, data={...}, chosen={...}, title="…")

- `start_owned` installs (or upgrades, when `SPEC["version"]` grew) an *embedded* template
  (`TemplateKind.EMBEDDED`: never listed as startable, never started from the approvals page),
  then submits an instance owned by `app:ref`. The approvers see ordinary approval tasks and
  to-dos and decide them in the approvals pages.
- When that instance finishes (approved, rejected, withdrawn) the engine calls
  `modules.<app>.approval_hooks.approval_finished(ref, status=…, instance_id=…, number=…, actor_id=…)`
  **inside the transaction of the deciding action** — so the owner's writes (a document number,
  say) commit or roll back with the decision. An exception there fails the decision.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.module_loading import import_string

from modules.approvals.models import Instance, Template, TemplateKind


def _ensure_template(spec: dict) -> Template:
    from modules.approvals import templates

    template = Template.objects.filter(key=spec["key"]).first()
    if template is None:
        return templates.create_template(None, key=spec["key"], name=spec["name"], form_schema=spec["form_schema"],
                                         flow_tree=spec["flow"], policies=spec.get("policies") or {},
                                         category=spec.get("category", ""), kind=TemplateKind.EMBEDDED)
    if template.current_version.number < int(spec.get("version", 1)):
        templates._version(template, None, spec["form_schema"], None, spec["flow"], spec.get("policies") or {},
                           "upgrade")
        template.current_version = template.versions.order_by("-number").first()
        template.save(update_fields=["current_version"])
    return template


def start_owned(user, *, app: str, ref: str, template: dict, data: dict, chosen: dict, title: str = "") -> int:
    """Start an approval of the embedded template `template` ({key, name, version, form_schema,
    flow, policies, category}) for `app`'s object `ref`, submitted by `user` with the approvers
    `chosen` ({nodeId: [user ids]}). Returns the instance id. Raises the approvals' DomainErrors
    (APPROVER_REQUIRED, INVALID_APPROVER, form problems) with fields under `data.` / `chosen.`."""
    from modules.approvals import actions

    with transaction.atomic():
        tpl = _ensure_template(template)
        return actions.submit(user, tpl.pk, data, chosen=chosen, owner=f"{app}:{ref}", title=title).pk


def tell_owner(instance: Instance, status: str) -> None:
    """Called by the engine when an owned instance finishes (see the module docstring)."""
    app, _, ref = instance.owner.partition(":")
    last = instance.tasks.filter(decided_at__isnull=False).order_by("-decided_at", "-id").values_list(
        "assignee_id", flat=True).first()
    import_string(f"modules.{app}.approval_hooks.approval_finished")(
        ref, status=status, instance_id=instance.pk, number=instance.number, actor_id=last)


def approve_owned(user, instance_id: int, comment: str = "") -> None:
    """`user` approves their pending task on an owned instance (demo data, automations of the
    owning module). Raises TASK_NOT_PENDING when they have none."""
    from modules.approvals import actions
    from modules.approvals.models import Task

    task = Task.objects.filter(instance_id=instance_id, instance__owner__contains=":", assignee_id=user.pk,
                               status="pending").first()
    if task is None:
        from jianlian.core.errors import DomainError

        raise DomainError("TASK_NOT_PENDING", _("没有待处理的审批。"), "task")
    actions.approve(user, task.pk, comment=comment)
