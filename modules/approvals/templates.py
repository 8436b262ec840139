"""Design-time actions: create a template, publish a new version of its form and flow, change
who may start it and who manages it. A published version is never changed: instances already
running keep theirs; new ones start on the new version.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, PermissionDeniedError
from jianlian import forms
from modules.approvals import access, flow
from modules.approvals.models import Template, TemplateKind, TemplateVersion

KEY_RE = re.compile(r"^[a-z][a-z0-9_-]{1,59}$")
POLICY_CHOICES = {"on_empty": ("pass", "admin", "user"), "on_submitter": ("skip", "self", "superior")}
AUDIENCE_KEYS = ("user_ids", "unit_ids", "role_codes", "department_ids", "tag_ids", "group_ids")


def clean_policies(policies) -> dict:
    policies = dict(policies or {})
    out = {"on_empty": "pass", "on_submitter": "self", "dedupe": True}
    for key, choices in POLICY_CHOICES.items():
        if key in policies:
            if policies[key] not in choices:
                raise DomainError("INVALID", _("流程规则取值不正确。"), f"policies.{key}")
            out[key] = policies[key]
    if "dedupe" in policies:
        out["dedupe"] = bool(policies["dedupe"])
    if out["on_empty"] == "user":
        if not isinstance(policies.get("empty_user_id"), int):
            raise DomainError("REQUIRED", _("请指定无审批人时的处理人。"), "policies.emptyUserId")
        out["empty_user_id"] = policies["empty_user_id"]
    if policies.get("cc_on_finish"):
        out["cc_on_finish"] = policies["cc_on_finish"]
    if policies.get("title"):
        out["title"] = str(policies["title"])[:100]
    return out


def clean_audience(spec, field: str = "audience") -> dict:
    """An audience (who may start / sub-administrators), checked against the organisation."""
    from jianlian.org.audience import resolve_audience

    spec = {k: list(v) for k, v in (spec or {}).items() if k in AUDIENCE_KEYS and v}
    if spec:
        try:
            resolve_audience(access._targets(spec))
        except DomainError as e:
            raise DomainError(e.code, e.message, field) from None
    return spec


def _version(template: Template, actor, form_schema, ui_schema, flow_tree, policies, note: str) -> TemplateVersion:
    forms.check_form_schema(form_schema)
    flow.check_flow(flow_tree, form_schema)
    if ui_schema is not None and not isinstance(ui_schema, dict):
        raise DomainError("INVALID_FORM_SCHEMA", _("界面设置须是一个对象。"), "uiSchema")
    number = (template.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return TemplateVersion.objects.create(
        template=template, number=number, form_schema=form_schema, ui_schema=ui_schema or {}, flow=flow_tree,
        policies=clean_policies(policies), note=(note or "")[:200], created_by_id=getattr(actor, "pk", None))


def create_template(actor, *, key: str, name: str, form_schema: dict, flow_tree: dict, ui_schema: dict | None = None,
                    policies: dict | None = None, category: str = "", icon: str = "", description: str = "",
                    kind: str = TemplateKind.APPROVAL, audience: dict | None = None, managers: dict | None = None,
                    opens_at=None) -> Template:
    """A new template with its first version. Who: `approvals.manage`. Audited."""
    if actor is not None and not access.is_admin(actor):
        raise PermissionDeniedError()
    key = (key or "").strip().lower()
    if not KEY_RE.match(key):
        raise DomainError("INVALID", _("模板代码须为小写字母开头的字母、数字、-、_。"), "key")
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise DomainError("REQUIRED", _("请填写模板名称（不超过60字）。"), "name")
    if kind not in TemplateKind.values:
        raise DomainError("INVALID", _("模板类型不正确。"), "kind")
    if Template.objects.filter(key=key).exists():
        raise DomainError("TEMPLATE_KEY_TAKEN", _("已有同代码的审批模板。"), "key")
    with transaction.atomic():
        template = Template.objects.create(
            key=key, name=name, category=(category or "")[:30], icon=(icon or "")[:40],
            description=(description or "")[:300], kind=kind, audience=clean_audience(audience),
            managers=clean_audience(managers, "managers"), opens_at=opens_at)
        template.current_version = _version(template, actor, form_schema, ui_schema, flow_tree, policies, _("首个版本"))
        template.save(update_fields=["current_version"])
        audit.record("approvals.create_template", actor=actor, target=template, after={"key": key, "name": name})
    return template


def publish_version(actor, template_id: int, *, form_schema: dict, flow_tree: dict, ui_schema: dict | None = None,
                    policies: dict | None = None, note: str = "") -> TemplateVersion:
    """Publish a new version of the form and flow; running instances keep theirs. Who:
    `approvals.manage` or the template's sub-administrators. Audited."""
    with transaction.atomic():
        template = access.access_template(actor, template_id, manage=actor is not None)
        Template.objects.select_for_update().filter(pk=template.pk).first()
        version = _version(template, actor, form_schema, ui_schema, flow_tree, policies, note)
        template.current_version = version
        template.save(update_fields=["current_version", "updated_at"])
        audit.record("approvals.publish_version", actor=actor, target=template, after={"version": version.number})
    return version


def update_settings(actor, template_id: int, **fields) -> Template:
    """Change name, category, icon, description, audience, managers, opening hour or whether it is
    enabled. Who: as `publish_version`; only `approvals.manage` may change the managers. Audited."""
    with transaction.atomic():
        template = access.access_template(actor, template_id, manage=actor is not None)
        if "managers" in fields and actor is not None and not access.is_admin(actor):
            raise PermissionDeniedError(_("只有审批管理员可以指定模板管理员。"))
        before = {k: getattr(template, k) for k in fields}
        for k, v in fields.items():
            if k in ("audience", "managers"):
                v = clean_audience(v, k)
            elif k == "name":
                v = (v or "").strip()
                if not v or len(v) > 60:
                    raise DomainError("REQUIRED", _("请填写模板名称（不超过60字）。"), "name")
            elif k in ("category", "icon", "description"):
                v = (v or "")[:{"category": 30, "icon": 40, "description": 300}[k]]
            elif k == "is_active":
                v = bool(v)
            elif k != "opens_at":
                continue
            setattr(template, k, v)
        template.save()
        audit.record("approvals.update_template", actor=actor, target=template, before=before,
                     after={k: getattr(template, k) for k in fields})
    return template
