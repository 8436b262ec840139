"""福利慰问 condolence requests (生育、住院、丧事): a member asks; the request goes through the
approvals engine as another module's object (modules/approvals/hooks.py, reached by dotted name)
to the officers of the member's nearest node that has officers (any one of them decides); the
engine tells us the outcome in the deciding transaction (approval_hooks.approval_finished)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError
from modules.union import access
from modules.union.care_models import Condolence, CondolenceKind
from modules.union.models import Officer, UnionNode

APP = "union"
FLOW_VERSION = 1


def flow_spec() -> dict:
    kinds = [k.value for k in CondolenceKind]
    form = {"type": "object", "required": ["kind", "reason"], "properties": {
        "kind": {"title": "类别", "enum": kinds},
        "reason": {"type": "string", "title": "事由", "maxLength": 500, "minLength": 1},
        "member": {"type": "string", "title": "会员", "maxLength": 60}}}
    approver = {"id": "officer", "type": "approver", "name": "工会审核", "mode": "any",
                "assignee": {"kind": "chosen"}, "child": None}
    return {"key": "union-condolence", "name": "工会慰问", "version": FLOW_VERSION, "category": "工会",
            "form_schema": form, "policies": {"dedupe": False},
            "flow": {"id": "start", "type": "start", "name": "申请人", "child": approver}}


def approvers_for(member) -> list[int]:
    """The officers of the member's node, else of the nearest ancestor that has any."""
    ids = [int(i) for i in member.path.strip("/").split("/") if i]
    nodes = {n.pk: n for n in UnionNode.objects.filter(pk__in=ids)}
    for nid in reversed(ids):
        officers = list(Officer.objects.filter(node_id=nid).exclude(user_id=member.user_id)
                        .order_by("pk").values_list("user_id", flat=True))
        if officers and nid in nodes:
            return officers
    return []


def submit(user, kind: str, reason: str) -> Condolence:
    member = access.member_of(user)
    reason = (reason or "").strip()
    if kind not in CondolenceKind.values:
        raise DomainError("INVALID", _("请选择慰问类别。"), "kind")
    if not reason:
        raise DomainError("REQUIRED", _("请填写事由。"), "reason")
    if len(reason) > 500:
        raise DomainError("TOO_LONG", _("事由不能超过500个字。"), "reason")
    approvers = approvers_for(member)
    if not approvers:
        raise DomainError("UNION_NO_OFFICER", _("您所在的工会组织还没有干部，暂不能申请。"), "kind")
    start = import_string("modules.approvals.hooks.start_owned")
    from django.db import transaction

    with transaction.atomic():
        row = Condolence.objects.create(member=member, kind=kind, reason=reason)
        row.approval_id = start(user, app=APP, ref=str(row.pk), template=flow_spec(),
                                data={"kind": kind, "reason": reason, "member": member.name},
                                chosen={"officer": approvers},
                                title=_("慰问申请：%(n)s（%(k)s）") % {"n": member.name, "k": CondolenceKind(kind).label})
        row.save(update_fields=["approval_id"])
        audit.record("union.condolence", actor=user, target=row, after={"kind": kind})
    return row


def approval_finished(ref: str, *, status: str, actor_id=None) -> None:
    row = Condolence.objects.select_for_update().filter(pk=int(ref)).first()
    if row is None or row.status != "pending":
        return
    row.status = status if status in ("approved", "rejected", "withdrawn") else "rejected"
    row.decided_at = timezone.now()
    row.save(update_fields=["status", "decided_at"])
    audit.record("union.condolence_decided", target=row, after={"status": row.status}, actor_label=_("系统（审批）"))


def mine(user) -> list[Condolence]:
    return list(Condolence.objects.filter(member__user_id=user.pk).order_by("-created_at", "-pk")[:50])
