"""停诊/替诊 on the approvals engine (embedded template `clinics-change`: 科室主任 → 门诊部, through
`modules.approvals.hooks.start_owned`). The session changes only in the approving transaction
(`approval_finished`); the change is then pushed to the HIS after the commit (his.py)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, NotFoundError
from modules.clinics import his, services
from modules.clinics.models import Change, ChangeKind, ChangeStatus, Session, SessionStatus

APP = "clinics"
FLOW_VERSION = 1


def _node(node_id: str, name: str, child=None) -> dict:
    return {"id": node_id, "type": "approver", "name": name, "mode": "seq", "assignee": {"kind": "chosen"}, "child": child}


SPEC = {"key": "clinics-change", "name": "停诊/替诊申请", "version": FLOW_VERSION, "category": "门诊",
        "policies": {"dedupe": False},
        "form_schema": {"type": "object", "required": ["session", "kind", "reason"], "properties": {
            "session": {"type": "string", "title": "出诊", "maxLength": 200},
            "kind": {"type": "string", "title": "类型", "maxLength": 10},
            "reason": {"type": "string", "title": "原因", "maxLength": 200},
            "substitute": {"type": "string", "title": "替诊医生", "maxLength": 60}}},
        "flow": {"id": "start", "type": "start", "name": "申请人",
                 "child": _node("head", "科室主任审批", _node("office", "门诊部审批"))}}


def label(s: Session) -> str:
    return f"{s.day:%m-%d}{s.get_half_display()} {s.department_name} {s.doctor_name}"


def request(user, *, session_id: int, kind: str, reason: str, head_ids: list[int], office_ids: list[int],
            substitute_id: int | None = None) -> Change:
    """The session's doctor or a scheduler asks to stop it or hand it to `substitute_id`."""
    reason = (reason or "").strip()
    if kind not in ChangeKind.values:
        raise DomainError("INVALID", _("类型须为停诊或替诊。"), "kind")
    if not reason:
        raise DomainError("REQUIRED", _("请填写原因。"), "reason")
    if len(reason) > 200:
        raise DomainError("TOO_LONG", _("原因最多200个字。"), "reason")
    with transaction.atomic():
        s = Session.objects.select_for_update().filter(pk=session_id).first()
        if s is None or not (s.doctor_id == user.pk or services.is_scheduler(user)):
            raise NotFoundError(_("出诊不存在。"), field="session")
        if s.status != SessionStatus.OPEN or s.day < timezone.localdate() or \
                s.changes.filter(status=ChangeStatus.PENDING).exists():
            raise DomainError("CLINICS_NOT_CHANGEABLE", _("该出诊已停诊、已过期或已有申请在审批中。"), "session")
        sub_name = ""
        if kind == ChangeKind.SUBSTITUTE:
            if not substitute_id:
                raise DomainError("CLINICS_SUBSTITUTE_REQUIRED", _("替诊请选择替诊医生。"), "substitute")
            sub_name = services.person_name(substitute_id)
        change = Change.objects.create(session=s, kind=kind, reason=reason, substitute_id=substitute_id if sub_name else None,
                                       substitute_name=sub_name, requester_id=user.pk)
        data = {"session": label(s), "kind": str(change.get_kind_display()), "reason": reason, "substitute": sub_name}
        change.approval_id = import_string("modules.approvals.hooks.start_owned")(
            user, app=APP, ref=str(change.pk), template=SPEC, data=data, chosen={"head": head_ids, "office": office_ids},
            title=_("%(kind)s：%(s)s") % {"kind": data["kind"], "s": label(s)})
        change.save(update_fields=["approval_id"])
        audit.record("clinics.change_request", actor=user, object_type="clinics.change", object_id=str(change.pk),
                     after={"kind": kind, "session": s.pk})
    return change


def approval_finished(change_id: int, *, status: str) -> None:
    """Called inside the deciding transaction. Approved: the session is stopped or handed over,
    and after the commit the change goes to the HIS."""
    change = Change.objects.select_for_update().select_related("session").filter(
        pk=change_id, status=ChangeStatus.PENDING).first()
    if change is None:
        return
    if status != "approved":
        change.status = ChangeStatus.REJECTED
        change.save(update_fields=["status"])
        return
    s = change.session
    if change.kind == ChangeKind.STOP:
        s.status = SessionStatus.STOPPED
    else:
        s.substitute_for = s.substitute_for or s.doctor_name
        s.doctor_id, s.doctor_name, s.doctor_title = change.substitute_id, change.substitute_name, ""
    s.save()
    change.status = ChangeStatus.APPROVED
    change.save(update_fields=["status"])
    audit.record("clinics.change", object_type="clinics.change", object_id=str(change.pk),
                 after={"kind": change.kind, "session": s.pk}, actor_label=_("系统（审批）"))
    transaction.on_commit(lambda: his.push_quietly(change.pk))
