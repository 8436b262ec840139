"""Who may see, start, manage and act — each helper fetches the object and checks in one call
(Zulip's `access_*`), so forgetting the check is impossible. NOT_FOUND alike for a missing and a
forbidden object."""

from __future__ import annotations

from django.db.models import Q, Subquery
from django.utils.translation import gettext_lazy as _

from jianlian.access.checks import has_perm
from jianlian.core.errors import NotFoundError, PermissionDeniedError
from jianlian.org.audience import Targets, resolve_audience
from modules.approvals.models import Instance, Task, Template, TemplateKind

MANAGE = "approvals.manage"
VIEW_ALL = "approvals.view_all"


def tenant_node():
    from jianlian.access.helpers import require_tenant

    return require_tenant().org_unit


def is_admin(user) -> bool:
    return has_perm(user, MANAGE, tenant_node())


def sees_all(user) -> bool:
    node = tenant_node()
    return has_perm(user, VIEW_ALL, node) or has_perm(user, MANAGE, node)


def _targets(spec: dict) -> Targets:
    return Targets(user_ids=list(spec.get("user_ids") or []), unit_ids=list(spec.get("unit_ids") or []),
                   role_codes=list(spec.get("role_codes") or []), department_ids=list(spec.get("department_ids") or []),
                   tag_ids=list(spec.get("tag_ids") or []), group_ids=list(spec.get("group_ids") or []))


def in_audience(user_id: int, spec: dict) -> bool:
    """Everyone of the tenant when `spec` is empty; else the organisation's resolver decides."""
    if not any(spec.get(k) for k in ("user_ids", "unit_ids", "role_codes", "department_ids", "tag_ids", "group_ids")):
        return user_id in resolve_audience(Targets(user_ids=[user_id]))
    try:
        return user_id in resolve_audience(_targets(spec))
    except Exception:  # a department or tag removed since: that part of the range is empty
        return False


def may_manage(user, template: Template | None = None) -> bool:
    """Tenant-wide `approvals.manage`, or a sub-administrator named on the template (a person, or
    a member of a department the tenant admin delegated it to)."""
    if is_admin(user):
        return True
    return template is not None and bool(template.managers) and in_audience(user.pk, template.managers)


def may_start(user, template: Template) -> bool:
    return (template.is_active and template.current_version_id is not None and template.kind != TemplateKind.EMBEDDED
            and in_audience(user.pk, template.audience))


def startable_templates(user):
    return [t for t in Template.objects.filter(is_active=True, current_version__isnull=False)
            .exclude(kind=TemplateKind.EMBEDDED).order_by("category", "name")
            if in_audience(user.pk, t.audience)]


def access_template(user, template_id: int, *, manage: bool = False) -> Template:
    template = Template.objects.select_related("current_version").filter(pk=template_id).first()
    if template is None:
        raise NotFoundError(_("审批模板不存在。"), field="template")
    if manage and not may_manage(user, template):
        raise PermissionDeniedError()
    return template


def may_view(user, instance: Instance) -> bool:
    return (instance.submitter_id == user.pk or user.pk in (instance.participants or [])
            or sees_all(user) or may_manage(user, instance.template))


def visible_instances(user):
    """Instances `user` may see: theirs, those they take part in (approver, cc, forwarded to),
    or all for holders of approvals.view_all / approvals.manage."""
    qs = Instance.objects.all()
    if sees_all(user):
        return qs
    return qs.filter(Q(submitter_id=user.pk) | Q(participants__contains=[user.pk]))


def access_instance(user, instance_id: int, *, for_update: bool = False) -> Instance:
    qs = Instance.objects.select_for_update(of=("self",)) if for_update else Instance.objects
    instance = qs.select_related("template", "version").filter(pk=instance_id).first()
    if instance is None or not may_view(user, instance):
        raise NotFoundError(_("审批单不存在或您无权查看。"), field="instance")
    return instance


def access_task(user, task_id: int, *, for_update: bool = True) -> tuple[Instance, Task]:
    """The task (of `user`) and its instance, the instance row locked for the decision: found and
    locked in one query, then the task read under the lock (so its status is the latest)."""
    mine = Task.objects.filter(pk=task_id, assignee_id=user.pk).values("instance_id")[:1]
    qs = Instance.objects.select_for_update(of=("self",)) if for_update else Instance.objects
    instance = qs.select_related("template", "version").filter(pk=Subquery(mine)).first()
    if instance is None:
        raise NotFoundError(_("审批任务不存在或不是您的。"), field="task")
    if not may_view(user, instance):
        raise NotFoundError(_("审批单不存在或您无权查看。"), field="instance")
    return instance, Task.objects.select_related("node").get(pk=task_id)
