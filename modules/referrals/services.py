"""Referral actions: create and edit drafts, every status transition, slots, attachments.

Every transition is one action (`transition`): it checks the caller's permission on its side of
the referral, checks the move is legal from the current status, writes the referral and a
timeline event, audits, notifies and announces live after commit, and — for a referral between
tenants — sends the step to the other side through the bus in the same transaction, where
`apply_remote` applies it in order, exactly once (see handlers.py).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianlian.access.checks import has_perm
from jianlian.access.helpers import HIDDEN, access_current_tenant, access_unit
from jianlian.audit import service as audit
from tenants.context import current_tenant
from jianlian.core.errors import DomainError, PermissionDeniedError
from jianlian.core.validators import normalize_id_number, validate_id_number, validate_mobile
from jianlian.hierarchy.models import OrgUnit
from jianlian.identity.models import id_number_blind_index
from modules.referrals.workflow import (  # noqa: F401 — the state machine, re-exported for callers
    ACTION_LABELS, MOVES, RETURN_FIELDS, _my_side_unit, _target_status, acting_side,
)
from modules.referrals.models import (
    DEFAULT_SLA, Attachment, Desk, Direction, Event, Kind, Referral, Side, Sex, SlaPolicy, SlotDay, Status, Urgency,
)

APP = "referrals"
CHANGED = "referrals.changed"
ICD10_RE = re.compile(r"^[A-TV-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$")
MAX_ATTACHMENT_BYTES = settings.UPLOAD_MAX_BYTES  # the platform's one upload limit
ATTACHMENT_TYPES = {"application/pdf": b"%PDF-", "image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n"}
MAX_ATTACHMENTS = 10

# --- who is where ------------------------------------------------------------------------------------

LEVEL_RANK = {"member": 4, "lead": 3, "hospital": 2}


def _unit(pk) -> OrgUnit | None:
    return OrgUnit.objects.filter(pk=pk).first() if pk else None


def _direction(from_unit: OrgUnit, to_unit: OrgUnit) -> str:
    a, b = LEVEL_RANK.get(str(from_unit.level), 3), LEVEL_RANK.get(str(to_unit.level), 3)
    return Direction.UP if b < a else Direction.DOWN if b > a else Direction.LATERAL


def tenant_of_unit(unit: OrgUnit):
    """The tenant whose subtree holds `unit` (a member unit belongs to its community's tenant)."""
    from tenants.models import Tenant

    return (Tenant.objects.select_related("org_unit")
            .filter(org_unit__tree_id=unit.tree_id, org_unit__lft__lte=unit.lft, org_unit__rght__gte=unit.rght)
            .order_by("-org_unit__lft").first())


def may_view(user, referral: Referral) -> bool:
    units = []
    if referral.side in (Side.OUTGOING, Side.INTERNAL):
        units.append(referral.from_unit_id)
    if referral.side in (Side.INCOMING, Side.INTERNAL):
        units.append(referral.to_unit_id)
    return any(has_perm(user, "referrals.view", u) for u in OrgUnit.objects.filter(pk__in=units))


def access_referral(user, referral_id: int, *, for_update: bool = False) -> Referral:
    """The referral with this id in the current tenant, if `user` may see it; a missing and a
    forbidden one answer alike (PERMISSION_DENIED, see `jianlian.access.helpers`)."""
    qs = Referral.objects.select_for_update() if for_update else Referral.objects
    referral = qs.filter(pk=referral_id).first()
    if referral is None or not may_view(user, referral):
        raise PermissionDeniedError(HIDDEN)
    return referral


def visible_referrals(user, *, box: str = "all"):
    """The referrals of this tenant that `user` may see: `incoming`, `outgoing` or `all`."""
    from jianlian.access.checks import scope_nodes

    units = list(scope_nodes(user, "referrals.view").values_list("pk", flat=True))
    incoming = Q(to_unit_id__in=units) & Q(side__in=[Side.INCOMING, Side.INTERNAL])
    outgoing = Q(from_unit_id__in=units) & Q(side__in=[Side.OUTGOING, Side.INTERNAL])
    q = incoming if box == "incoming" else outgoing if box == "outgoing" else incoming | outgoing
    return Referral.objects.filter(q)


# --- drafts ----------------------------------------------------------------------------------------

@dataclass
class Target:
    unit: OrgUnit
    tenant: object
    desk: dict | None
    doctor_id: int | None
    doctor_name: str


FORM_FIELDS = ("reason", "diagnosis_code", "diagnosis_text", "chief_complaint", "present_history", "past_history",
               "exam_findings", "lab_results", "imaging_results", "medications", "allergies", "treatment")
PATIENT_FIELDS = ("patient_name", "patient_sex", "patient_birth_date", "patient_id_number", "patient_phone", "patient_mpi_id")


def _text(data, name, limit, problems, *, required=False):
    value = (data.get(name) or "").strip() if isinstance(data.get(name, ""), str) else data.get(name)
    if required and not value:
        problems.append(DomainError("REQUIRED", _("此项为必填。"), name))
    elif isinstance(value, str) and len(value) > limit:
        problems.append(DomainError("TOO_LONG", _("不能超过%(n)s个字。") % {"n": limit}, name))
    return value or ""


def clean_form(data: dict, *, partial: bool = False) -> dict:
    """Validate the referral form's fields; every problem at once, each with its field."""
    problems: list[DomainError] = []
    out: dict = {}
    limits = {f.name: f.max_length or 200 for f in Referral._meta.fields}
    for name in FORM_FIELDS + ("patient_name", "patient_mpi_id"):
        if name in data or not partial:
            out[name] = _text(data, name, limits.get(name, 200),
                              problems, required=name in ("reason", "diagnosis_code", "diagnosis_text", "patient_name"))
    if out.get("diagnosis_code"):
        code = out["diagnosis_code"].upper()
        if not ICD10_RE.match(code):
            problems.append(DomainError("INVALID_ICD10", _("ICD-10 编码格式不正确，例如 I21.9、J18.9。"), "diagnosis_code"))
        out["diagnosis_code"] = code
    if "patient_sex" in data or not partial:
        if data.get("patient_sex") not in Sex.values:
            problems.append(DomainError("INVALID", _("请选择性别。"), "patient_sex"))
        out["patient_sex"] = data.get("patient_sex")
    if "patient_birth_date" in data or not partial:
        born = data.get("patient_birth_date")
        if not isinstance(born, dt.date) or born > timezone.localdate() or born.year < 1890:
            problems.append(DomainError("INVALID_DATE", _("出生日期不正确。"), "patient_birth_date"))
        out["patient_birth_date"] = born
    if data.get("patient_id_number"):
        try:
            out["patient_id_number"] = validate_id_number(normalize_id_number(data["patient_id_number"]))
        except Exception as e:
            problems.append(DomainError("INVALID_ID_NUMBER", getattr(e, "messages", [str(e)])[0], "patient_id_number"))
    elif not partial:
        out["patient_id_number"] = ""
    if data.get("patient_phone"):
        phone = str(data["patient_phone"]).strip()
        try:
            validate_mobile(phone)
        except Exception:
            if not re.fullmatch(r"0\d{2,3}-?\d{7,8}", phone):
                problems.append(DomainError("INVALID_MOBILE", _("联系电话格式不正确。"), "patient_phone"))
        out["patient_phone"] = phone
    elif not partial:
        out["patient_phone"] = ""
    for name, choices in (("kind", Kind.values), ("urgency", Urgency.values)):
        if name in data and data[name] is not None:
            if data[name] not in choices:
                problems.append(DomainError("INVALID", _("取值不正确。"), name))
            out[name] = data[name]
    if data.get("wished_date") is not None:
        wished = data["wished_date"]
        if not isinstance(wished, dt.date) or wished < timezone.localdate() or wished > timezone.localdate() + dt.timedelta(days=90):
            problems.append(DomainError("INVALID_DATE", _("期望就诊日期须在今天到90天之内。"), "wished_date"))
        out["wished_date"] = wished
    for flag in ("consent", "needs_review"):
        if flag in data and data[flag] is not None:
            out[flag] = bool(data[flag])
    if problems:
        raise DomainError.many(problems)
    return out


def resolve_target(from_tenant, to_unit_id: int, desk_id: int | None, doctor_id: int | None) -> Target:
    """The receiving unit (a unit with a tenant that has the app installed), its desk and doctor."""
    from jianlian.marketplace.services import is_installed

    unit = _unit(to_unit_id)
    if unit is None or str(unit.level) not in LEVEL_RANK:
        raise DomainError("INVALID_TARGET", _("请选择接收转诊的医疗机构。"), "to_unit")
    tenant = tenant_of_unit(unit)
    if tenant is None or tenant.status != "active" or not is_installed(tenant, APP):
        raise DomainError("INVALID_TARGET", _("该机构尚未开通双向转诊，暂不能接收转诊。"), "to_unit")
    desk = None
    if desk_id:
        desk = next((d for d in desks_of(tenant, unit.pk) if d["id"] == desk_id), None)
        if desk is None:
            raise DomainError("INVALID_TARGET", _("该科室不接收转诊。"), "to_desk")
    doctor_name = ""
    if doctor_id:
        from jianlian.access.models import Membership

        m = Membership.objects.select_related("user").filter(user_id=doctor_id, tenant=tenant, is_active=True).first()
        if m is None or not has_perm(m.user, "referrals.accept", unit):
            raise DomainError("INVALID_TARGET", _("该医生不能在该机构接收转诊。"), "to_doctor")
        doctor_name = m.user.real_name
    return Target(unit, tenant, desk, doctor_id, doctor_name)


def desks_of(tenant, unit_id: int | None = None) -> list[dict]:
    """The published receiving desks of `tenant` (non-patient capacity data, read in its schema)."""
    from tenants.context import tenant_context

    with tenant_context(tenant):
        qs = Desk.objects.filter(active=True)
        if unit_id:
            qs = qs.filter(unit_id=unit_id)
        return [{"id": d.pk, "unit_id": d.unit_id, "name": d.name, "code": d.code, "kinds": d.kinds,
                 "daily_slots": d.daily_slots} for d in qs.order_by("unit_id", "name")]


def _next_number(tenant_slug: str) -> str:
    today = timezone.localdate().strftime("%Y%m%d")
    n = Referral.objects.filter(number__startswith=f"ZZ{today}").count() + 1
    return f"ZZ{today}{n:05d}"


def create_draft(user, *, from_unit_id: int, to_unit_id: int, desk_id=None, doctor_id=None, **form) -> Referral:
    """Save a new referral as a draft (草稿) in the current tenant.

    Who: holders of `referrals.create` at the sending unit (a unit of this tenant). Validates the
    whole form (every bad field reported) and the target. Audited.
    """
    tenant = current_tenant()
    from_unit = access_unit(user, from_unit_id, "referrals.create")
    if tenant is None or not _in_tenant(from_unit, tenant):
        raise DomainError("INVALID_TARGET", _("请选择本单位作为转出机构。"), "from_unit")
    cleaned = clean_form(form)
    target = resolve_target(tenant, to_unit_id, desk_id, doctor_id)
    if target.unit.pk == from_unit.pk:
        raise DomainError("INVALID_TARGET", _("不能转诊给本机构。"), "to_unit")
    internal = target.tenant.pk == tenant.pk
    with transaction.atomic():
        referral = Referral(
            number=_next_number(tenant.slug), side=Side.INTERNAL if internal else Side.OUTGOING,
            direction=_direction(from_unit, target.unit), from_tenant=tenant.slug, from_unit_id=from_unit.pk,
            from_unit_name=from_unit.name, from_doctor_id=user.pk, from_doctor_name=user.real_name,
            to_tenant=target.tenant.slug, to_unit_id=target.unit.pk, to_unit_name=target.unit.name,
            to_desk_id=target.desk["id"] if target.desk else None, to_desk_name=target.desk["name"] if target.desk else "",
            to_doctor_id=target.doctor_id, to_doctor_name=target.doctor_name, **cleaned,
        )
        referral.patient_id_index = id_number_blind_index(referral.patient_id_number) if referral.patient_id_number else ""
        referral.paperwork_pending = referral.urgency == Urgency.EMERGENCY and not referral.consent
        referral.save()
        _event(referral, "create", "", Status.DRAFT, user.real_name, from_unit.name)
        audit.record("referrals.create", actor=user, object_type="referrals.referral", object_id=str(referral.pk),
                     after={"number": referral.number, "to": target.unit.pk})
    return referral


def update_draft(user, referral_id: int, **form) -> Referral:
    """Edit a draft (or a referral returned for more information). Who: its sender."""
    with transaction.atomic():
        referral = access_referral(user, referral_id, for_update=True)
        if referral.side == Side.INCOMING or referral.status not in (Status.DRAFT, Status.ON_HOLD):
            raise DomainError("ILLEGAL_TRANSITION", _("只有草稿或被退回的转诊单可以修改。"), None)
        access_unit(user, referral.from_unit_id, "referrals.create")
        cleaned = clean_form(form, partial=True)
        for k, v in cleaned.items():
            setattr(referral, k, v)
        if "patient_id_number" in cleaned:
            referral.patient_id_index = id_number_blind_index(referral.patient_id_number) if referral.patient_id_number else ""
        referral.save()
        audit.record("referrals.update", actor=user, object_type="referrals.referral", object_id=str(referral.pk),
                     after={"fields": sorted(cleaned)})
    return referral


def _in_tenant(unit: OrgUnit, tenant) -> bool:
    root = tenant.org_unit
    return unit.tree_id == root.tree_id and root.lft <= unit.lft and unit.rght <= root.rght


# --- attachments -----------------------------------------------------------------------------------

def add_attachment(user, referral_id: int, *, filename: str, content_type: str, data_base64: str) -> Attachment:
    """Attach a PDF, JPEG or PNG (≤ 10 MB; the bytes must match the type) to a draft."""
    filename = (filename or "").strip()[:120]
    if not filename:
        raise DomainError("REQUIRED", _("请填写文件名。"), "filename")
    if content_type not in ATTACHMENT_TYPES:
        raise DomainError("ATTACHMENT_TYPE", _("附件只能是 PDF、JPG 或 PNG 文件。"), "content_type")
    try:
        data = base64.b64decode(data_base64 or "", validate=True)
    except (ValueError, TypeError):
        raise DomainError("INVALID", _("附件内容不是有效的 Base64 编码。"), "data") from None
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise DomainError("ATTACHMENT_TOO_LARGE", _("附件不能超过10MB。"), "data")
    if not data.startswith(ATTACHMENT_TYPES[content_type]):
        raise DomainError("ATTACHMENT_TYPE", _("文件内容与所选类型不符。"), "data")
    with transaction.atomic():
        referral = access_referral(user, referral_id, for_update=True)
        if referral.side == Side.INCOMING or referral.status not in (Status.DRAFT, Status.ON_HOLD):
            raise DomainError("ILLEGAL_TRANSITION", _("只有草稿或被退回的转诊单可以添加附件。"), None)
        if referral.attachments.count() >= MAX_ATTACHMENTS:
            raise DomainError("INVALID", _("附件最多10个。"), "data")
        att = Attachment.objects.create(referral=referral, filename=filename, content_type=content_type, size=len(data),
                                        sha256=hashlib.sha256(data).hexdigest(), data=data)
        audit.record("referrals.attach", actor=user, object_type="referrals.referral", object_id=str(referral.pk),
                     after={"filename": filename, "size": len(data)})
    return att


# --- slots -----------------------------------------------------------------------------------------

def set_desk(user, *, unit_id: int, name: str, code: str = "", kinds=None, daily_slots: int = 10,
             head_user_id=None, active: bool = True) -> Desk:
    """Publish (or change) a department that takes referrals and its default daily slots.
    Who: `referrals.manage_desks` at the unit (`user=None`: the platform, e.g. the demo seed)."""
    unit = _unit(unit_id) if user is None else access_unit(user, unit_id, "referrals.manage_desks")
    tenant = current_tenant()
    if unit is None or tenant is None or not _in_tenant(unit, tenant):
        raise DomainError("INVALID_TARGET", _("请选择本单位。"), "unit")
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise DomainError("INVALID_NAME", _("科室名称不能为空，且不超过60个字。"), "name")
    kinds = list(kinds or Kind.values)
    if any(k not in Kind.values for k in kinds):
        raise DomainError("INVALID", _("接收类型不正确。"), "kinds")
    if not 0 <= int(daily_slots) <= 1000:
        raise DomainError("INVALID", _("每日号源须在0到1000之间。"), "daily_slots")
    with transaction.atomic():
        desk, _created = Desk.objects.update_or_create(
            unit_id=unit.pk, name=name,
            defaults={"code": code[:30], "kinds": kinds, "daily_slots": int(daily_slots), "head_user_id": head_user_id,
                      "active": active})
        audit.record("referrals.desk", actor=user, object_type="referrals.desk", object_id=str(desk.pk),
                     after={"name": name, "daily_slots": int(daily_slots), "active": active})
    return desk


def slots(desk_id: int, start: dt.date, days: int = 14) -> list[dict]:
    """Free slots of a desk (in this tenant) per day from `start`."""
    desk = Desk.objects.filter(pk=desk_id, active=True).first()
    if desk is None:
        return []
    booked = {d.date: d for d in SlotDay.objects.filter(desk=desk, date__gte=start, date__lt=start + dt.timedelta(days=days))}
    out = []
    for i in range(days):
        day = start + dt.timedelta(days=i)
        row = booked.get(day)
        capacity = row.capacity if row else desk.daily_slots
        out.append({"date": day, "capacity": capacity, "free": capacity - (row.booked if row else 0)})
    return out


def book_slot(desk_id: int, day: dt.date) -> int:
    """Take one slot of `desk_id` on `day` in this tenant; returns the SlotDay id. One
    conditional UPDATE decides, so parallel bookings never overbook. Raises SLOT_FULL, NO_SLOTS."""
    desk = Desk.objects.filter(pk=desk_id, active=True).first()
    if desk is None or desk.daily_slots == 0:
        raise DomainError("NO_SLOTS", _("该科室当天没有号源。"), "appointment_date")
    if day < timezone.localdate():
        raise DomainError("INVALID_DATE", _("预约日期不能早于今天。"), "appointment_date")
    SlotDay.objects.get_or_create(desk=desk, date=day, defaults={"capacity": desk.daily_slots})
    row = SlotDay.objects.filter(desk=desk, date=day, booked__lt=F("capacity"))
    if not row.update(booked=F("booked") + 1):
        raise DomainError("SLOT_FULL", _("%(date)s 的号源已约满，请选择其他日期。") % {"date": day.isoformat()}, "appointment_date")
    return SlotDay.objects.get(desk=desk, date=day).pk


def release_slot(slot_day_id) -> None:
    if slot_day_id:
        SlotDay.objects.filter(pk=slot_day_id, booked__gt=0).update(booked=F("booked") - 1)


# --- transitions -----------------------------------------------------------------------------------

def transition(user, referral_id: int, action: str, *, reason: str = "", appointment_date=None, system: bool = False,
               **data) -> Referral:
    """Move a referral by `action` (see MOVES), on this tenant's side of it.

    Who: the holder of the move's permission at this side's unit (the sending unit for sender
    moves, the receiving unit for receiver moves); `system=True` for the SLA task. Raises
    ILLEGAL_TRANSITION (naming the status), REASON_REQUIRED, CONSENT_REQUIRED, SLOT_FULL, and the
    return form's field errors. Emits `referrals.changed` to both units after commit, notifies
    the receiving desk or doctor, and sends the step to the other tenant through the bus.
    """
    move = MOVES.get(action)
    if move is None:
        raise DomainError("ILLEGAL_TRANSITION", _("未知的操作。"), "action")
    with transaction.atomic():
        referral = (Referral.objects.select_for_update().filter(pk=referral_id).first() if system
                    else access_referral(user, referral_id, for_update=True))
        if referral is None:
            raise PermissionDeniedError(HIDDEN)
        side, _unit_id = _my_side_unit(referral)
        if side not in ("both", move.side) or (not system and move.side not in acting_side(user, referral)):
            raise DomainError("ILLEGAL_TRANSITION", _("该操作应由对方机构进行。"), "action")
        unit_id = referral.from_unit_id if move.side == "sender" else referral.to_unit_id
        unit = _unit(unit_id) if system else access_unit(user, unit_id, move.perm)
        if referral.status not in move.sources:
            raise DomainError("ILLEGAL_TRANSITION", _("转诊单当前状态为「%(status)s」，不能%(action)s。") % {
                "status": Status(referral.status).label, "action": ACTION_LABELS[action]}, "action")
        reason = (reason or "").strip()
        if move.reason and not reason:
            raise DomainError("REASON_REQUIRED", _("请填写原因。"), "reason")
        if len(reason) > 500:
            raise DomainError("TOO_LONG", _("原因不能超过500字。"), "reason")
        if action == "submit" and not referral.consent and referral.urgency != Urgency.EMERGENCY:
            raise DomainError("CONSENT_REQUIRED", _("请先取得患者知情同意（急诊转诊可事后补录）。"), "consent")
        changes: dict = {}
        if action == "complete":
            changes = _clean_return_form(data)
        if action in ("book", "accept") and (appointment_date or action == "book"):
            if appointment_date is None:
                raise DomainError("REQUIRED", _("请选择预约日期。"), "appointment_date")
            desk_id = data.get("desk_id") or referral.to_desk_id
            if not desk_id:
                raise DomainError("INVALID_TARGET", _("请选择接诊科室。"), "desk")
            release_slot(referral.slot_day_id)
            referral.slot_day_id = book_slot(desk_id, appointment_date)
            referral.to_desk_id = desk_id
            changes["appointment_date"] = appointment_date.isoformat()
        new_status = _target_status(referral, action, {"appointment_date": appointment_date})
        if new_status in (Status.WITHDRAWN, Status.CANCELLED, Status.REJECTED, Status.CLOSED) and side != "sender":
            release_slot(referral.slot_day_id)
            referral.slot_day_id = None
        actor_name = str(_("系统")) if system else user.real_name
        _apply(referral, action, new_status, actor_name, unit.name if unit else "", reason, changes)
        audit.record(f"referrals.{action}", actor=None if system else user, object_type="referrals.referral",
                     object_id=str(referral.pk), after={"status": new_status, "reason": reason, **changes})
        if referral.side != Side.INTERNAL:
            _send_step(referral, action, new_status, actor_name, unit.name if unit else "", reason, changes)
        if action == "submit" and referral.side == Side.INTERNAL and new_status == Status.REQUESTED:
            _notify_receiver(referral)
        if action in ("approve", "resubmit") and referral.side == Side.INTERNAL:
            _notify_receiver(referral)
    return referral


def _clean_return_form(data: dict) -> dict:
    problems = []
    out = {}
    for name in RETURN_FIELDS:
        value = (data.get(name) or "").strip()
        limit = Referral._meta.get_field(name).max_length or 200
        if name in ("result_diagnosis", "next_plan") and not value:
            problems.append(DomainError("REQUIRED", _("回转单此项为必填。"), name))
        elif len(value) > limit:
            problems.append(DomainError("TOO_LONG", _("不能超过%(n)s个字。") % {"n": limit}, name))
        out[name] = value
    if problems:
        raise DomainError.many(problems)
    return out


def _apply(referral: Referral, action: str, new_status: str, actor_name: str, actor_unit: str, reason: str,
           changes: dict) -> None:
    """Write the step on this copy: status, timestamps, form changes, a timeline event, live event."""
    old = referral.status
    now = timezone.now()
    referral.status = new_status
    referral.seq += 1
    if reason:
        referral.status_reason = reason
    for k, v in changes.items():
        setattr(referral, k, dt.date.fromisoformat(v) if k == "appointment_date" and isinstance(v, str) else v)
    if new_status == Status.REQUESTED and referral.submitted_at is None:
        referral.submitted_at = now
    if new_status in (Status.ACCEPTED, Status.BOOKED) and referral.accepted_at is None:
        referral.accepted_at = now
    if new_status == Status.ARRIVED:
        referral.arrived_at = now
    if new_status == Status.COMPLETED:
        referral.completed_at = now
    referral.save()
    _event(referral, action, old, new_status, actor_name, actor_unit, reason)
    announce(referral)


def _event(referral, action, old, new, actor_name, actor_unit, note="") -> None:
    Event.objects.create(referral=referral, seq=referral.seq, action=action, from_status=old, to_status=new,
                         actor_name=actor_name[:50], actor_unit=actor_unit[:100], note=note[:500], at=timezone.now())


def announce(referral: Referral) -> None:
    """Tell both units' live boards and the receivers' workbench badges (after commit)."""
    from jianlian.marketplace.services import badge_changed
    from jianlian.realtime import events

    payload = {"id": referral.pk, "uid": str(referral.uid), "status": referral.status, "side": referral.side}
    units = []
    if referral.side in (Side.OUTGOING, Side.INTERNAL):
        units.append(referral.from_unit_id)
    if referral.side in (Side.INCOMING, Side.INTERNAL):
        units.append(referral.to_unit_id)
    # One event for both ends: a subscriber who may see both units hears of the change once.
    events.publish(CHANGED, payload, groups=[events.tenant_group()], perm="referrals.view", node_id=units)
    if referral.side in (Side.INCOMING, Side.INTERNAL):
        badge_changed(APP, receivers(referral))
        _feed_todos(referral)


def _feed_todos(referral: Referral) -> None:
    """The to-do centre: a referral waiting to be received is on each receiver's list until it
    is received, accepted or ends."""
    from jianlian import todos
    from modules.referrals.models import OPEN_INCOMING

    key = f"referrals:{referral.pk}"
    if referral.status in OPEN_INCOMING:
        todos.create_todo(receivers(referral), source=APP, kind="receive", key=key, link=f"/referrals/{referral.pk}",
                          title=_("待接收转诊：%(name)s（%(dx)s）") % {"name": referral.patient_name, "dx": referral.diagnosis_text},
                          summary=referral.from_unit_name, started_by=referral.from_doctor_name,
                          urgent=referral.urgency != Urgency.ROUTINE)
    else:
        todos.complete_todo(key, outcome=referral.status)


def open_todos(user):
    """The to-do source (manifest `todo_sources`): referrals waiting for `user` to receive them."""
    from modules.referrals.badges import mine
    from modules.referrals.models import OPEN_INCOMING

    for r in Referral.objects.filter(mine(user), side__in=[Side.INCOMING, Side.INTERNAL], status__in=OPEN_INCOMING):
        yield {"key": f"referrals:{r.pk}", "kind": "receive", "link": f"/referrals/{r.pk}", "summary": r.from_unit_name,
               "title": _("待接收转诊：%(name)s（%(dx)s）") % {"name": r.patient_name, "dx": r.diagnosis_text},
               "started_by": r.from_doctor_name, "urgent": r.urgency != Urgency.ROUTINE, "due_at": None}


def receivers(referral: Referral) -> list[int]:
    """Who receives for this referral: its named doctor, else whoever accepts referrals at the
    receiving unit (a grant at the unit or above it). Cached on the object for one step."""
    cached = getattr(referral, "_jl_receivers", None)
    if cached is not None:
        return cached
    if referral.to_doctor_id:
        found = [referral.to_doctor_id]
    else:
        from jianlian.access.models import RoleGrant

        unit = _unit(referral.to_unit_id)
        found = [] if unit is None else sorted(set(RoleGrant.objects.filter(
            node__tree_id=unit.tree_id, node__lft__lte=unit.lft, node__rght__gte=unit.rght,
            role__permissions__contains=["referrals.accept"]).values_list("user_id", flat=True)))
    referral._jl_receivers = found
    return found


def receiving_units(search: str):
    """Units a referral can be sent to, matching `search` by name: medical units (never a health
    commission) of an active tenant that runs this app, where someone holds `referrals.accept`
    at the unit or above it (the same receivers `receivers` notifies). An empty tenant, or one
    without the app, is left out."""
    from django.db.models import Exists, OuterRef, Q

    from jianlian.access.models import RoleGrant
    from jianlian.hierarchy.models import AUTHORITY_LEVELS, OrgUnit
    from jianlian.marketplace.services import installations_of

    covering = dict(tree_id=OuterRef("tree_id"), lft__lte=OuterRef("lft"), rght__gte=OuterRef("rght"))
    runs_app = installations_of("referrals").filter(**{f"tenant__org_unit__{k}": v for k, v in covering.items()})
    has_receiver = RoleGrant.objects.filter(role__permissions__contains=["referrals.accept"],
                                            **{f"node__{k}": v for k, v in covering.items()})
    text = (search or "").strip()
    return (OrgUnit.objects.exclude(level__in=AUTHORITY_LEVELS)
            .filter(Q(name__icontains=text) | Q(short_name__icontains=text))
            .filter(Exists(runs_app), Exists(has_receiver)))


def _notify_receiver(referral: Referral) -> None:
    """Tell the receivers a referral arrived. Notices name the referral, never the patient: the
    notification centre shows them to tenant admins (read receipts) and may text them out, and
    neither may read the referral itself; the link opens it for those who may."""
    from jianlian.notifications.services import notify

    urgent = referral.urgency == Urgency.EMERGENCY
    notify(receivers(referral), sender_name=referral.from_unit_name,
           title=lambda: str(_("新转诊：%(no)s（%(urgency)s）") % {"no": referral.number, "urgency": Urgency(referral.urgency).label})[:120],
           body=lambda: str(_("%(unit)s %(doctor)s 转来%(dir)s患者，请及时处理。") % {
               "unit": referral.from_unit_name, "doctor": referral.from_doctor_name, "dir": Direction(referral.direction).label}),
           priority="urgent" if urgent else "normal", link=f"/referrals/{referral.pk}")


# --- across tenants --------------------------------------------------------------------------------

def shared_payload(referral: Referral) -> dict:
    """What the receiver gets: the form and its attachments, nothing else of the sender's."""
    fields = ("number", "direction", "kind", "urgency", "from_tenant", "from_unit_id", "from_unit_name", "from_doctor_id",
              "from_doctor_name", "to_tenant", "to_unit_id", "to_unit_name", "to_desk_id", "to_desk_name", "to_doctor_id",
              "to_doctor_name", *PATIENT_FIELDS, *FORM_FIELDS, "consent", "paperwork_pending")
    data = {f: getattr(referral, f) for f in fields}
    data["patient_birth_date"] = referral.patient_birth_date.isoformat()
    data["wished_date"] = referral.wished_date.isoformat() if referral.wished_date else None
    data["attachments"] = [{"filename": a.filename, "content_type": a.content_type, "sha256": a.sha256,
                            "data": base64.b64encode(bytes(a.data)).decode()} for a in referral.attachments.all()]
    return data


def _send_step(referral, action, new_status, actor_name, actor_unit, reason, changes) -> None:
    from jianlian import bus

    if referral.side == Side.OUTGOING and referral.submitted_at is None:
        return  # drafts and internal review stay with the sender until the referral is sent
    other = referral.to_tenant if referral.side == Side.OUTGOING else referral.from_tenant
    step = {"uid": str(referral.uid), "action": action, "status": new_status, "actor": actor_name,
            "actor_unit": actor_unit, "reason": reason, "changes": changes}
    if referral.side == Side.OUTGOING and new_status == Status.REQUESTED and action in ("submit", "approve"):
        step["referral"] = shared_payload(referral)  # the first time the receiver hears of it
    bus.send(other, "referrals.transition", step, conversation=f"referral:{referral.uid}")


def apply_remote(sender_schema: str, step: dict) -> None:
    """The other side's step, applied on this copy (the bus calls this once per step, in order).

    A first step that carries the referral creates the receiver's copy. A step that is no longer
    legal here (both sides acted at once: the sender withdrew as the receiver accepted) is
    recorded in the timeline as a conflict instead of silently winning."""
    uid = step["uid"]
    referral = Referral.objects.select_for_update().filter(uid=uid).first()
    created = referral is None
    if referral is None:
        data = step.get("referral")
        if data is None:
            raise LookupError(f"referral {uid} is unknown here and the step does not carry it")
        referral = _create_incoming(uid, data)
    elif step.get("referral") and referral.status in (Status.WITHDRAWN,):
        return
    if referral.side == Side.INCOMING and step["action"] in ("submit", "approve", "resubmit"):
        new_status = Status.REQUESTED
    else:
        new_status = step["status"]
    move = MOVES.get(step["action"])
    if move is not None and referral.status not in move.sources and not (
            referral.side == Side.INCOMING and step["action"] in ("submit", "approve") and referral.status == Status.DRAFT):
        referral.seq += 1
        referral.save(update_fields=["seq", "updated_at"])
        _event(referral, "conflict", referral.status, referral.status, step["actor"], step["actor_unit"],
               str(_("对方「%(action)s」时本方状态为「%(status)s」，未应用。") % {
                   "action": ACTION_LABELS.get(step["action"], step["action"]), "status": Status(referral.status).label}))
        announce(referral)
        return
    if new_status in (Status.WITHDRAWN, Status.CANCELLED) and referral.side == Side.INCOMING:
        release_slot(referral.slot_day_id)
        referral.slot_day_id = None
    _apply(referral, step["action"], new_status, step["actor"], step["actor_unit"], step.get("reason", ""),
           step.get("changes") or {})
    # The receiving tenant's own chain records what arrived from the other one, and from whom.
    audit.record(f"referrals.remote_{step['action']}", object_type="referrals.referral", object_id=str(referral.pk),
                 actor_label=f"{step['actor']}（{step['actor_unit']}）",
                 after={"uid": uid, "status": new_status, "from_tenant": sender_schema, "created": created})
    if referral.side == Side.INCOMING and step["action"] in ("submit", "approve", "resubmit"):
        _notify_receiver(referral)


def _create_incoming(uid: str, data: dict) -> Referral:
    attachments = data.pop("attachments", [])
    data = dict(data)
    data["patient_birth_date"] = dt.date.fromisoformat(data["patient_birth_date"])
    data["wished_date"] = dt.date.fromisoformat(data["wished_date"]) if data.get("wished_date") else None
    referral = Referral(uid=uid, side=Side.INCOMING, status=Status.DRAFT, **data)
    referral.patient_id_index = id_number_blind_index(referral.patient_id_number) if referral.patient_id_number else ""
    referral.save()
    for a in attachments:
        raw = base64.b64decode(a["data"])
        Attachment.objects.create(referral=referral, filename=a["filename"], content_type=a["content_type"],
                                  size=len(raw), sha256=a["sha256"], data=raw)
    return referral


# --- SLA -------------------------------------------------------------------------------------------

def sla_policy() -> dict[str, tuple[int, int]]:
    policy = dict(DEFAULT_SLA)
    for p in SlaPolicy.objects.all():
        policy[p.urgency] = (p.ack_minutes, p.escalate_minutes)
    return policy


def set_sla(user, urgency: str, ack_minutes: int, escalate_minutes: int) -> SlaPolicy:
    """Set this tenant's time to acknowledge for one urgency. Who: `referrals.manage_desks` at the tenant."""
    access_current_tenant(user, "referrals.manage_desks")
    if urgency not in Urgency.values:
        raise DomainError("INVALID", _("紧急程度不正确。"), "urgency")
    if not (1 <= int(ack_minutes) < int(escalate_minutes) <= 30 * 24 * 60):
        raise DomainError("INVALID", _("升级时限须大于应答时限，且不超过30天。"), "escalate_minutes")
    with transaction.atomic():
        p, _c = SlaPolicy.objects.update_or_create(urgency=urgency, defaults={"ack_minutes": ack_minutes,
                                                                              "escalate_minutes": escalate_minutes})
        audit.record("referrals.sla", actor=user, object_type="referrals.sla", object_id=urgency,
                     after={"ack": ack_minutes, "escalate": escalate_minutes})
    return p


def check_sla(now=None) -> dict:
    """Remind the receivers of referrals waiting past their time to acknowledge, then escalate to
    the department head (or the unit's accepters) and mark them overdue. Each referral is
    reminded once and escalated once (the marks are written with the notices). Returns counts."""
    from jianlian.notifications.services import notify

    now = now or timezone.now()
    policy = sla_policy()
    counts = {"reminded": 0, "escalated": 0}
    waiting = Referral.objects.filter(side__in=[Side.INCOMING, Side.INTERNAL], status__in=[Status.REQUESTED, Status.RECEIVED],
                                      submitted_at__isnull=False)
    for referral in waiting.filter(escalated_at__isnull=True).order_by("submitted_at"):
        ack, escalate = policy[referral.urgency]
        waited = (now - referral.submitted_at).total_seconds() / 60
        with transaction.atomic():
            locked = Referral.objects.select_for_update(skip_locked=True).filter(pk=referral.pk, escalated_at__isnull=True).first()
            if locked is None:
                continue
            if waited >= escalate:
                head = Desk.objects.filter(pk=locked.to_desk_id).values_list("head_user_id", flat=True).first()
                notify([head] if head else receivers(locked), sender_name=_("转诊时限提醒"), priority="urgent",
                       title=lambda: _("转诊超时未处理：%(no)s") % {"no": locked.number},
                       body=lambda: _("转诊 %(no)s 已等待 %(m)s 分钟，请科室负责人督办。") % {"no": locked.number, "m": int(waited)},
                       link=f"/referrals/{locked.pk}")
                Referral.objects.filter(pk=locked.pk).update(escalated_at=now, overdue=True, reminded_at=locked.reminded_at or now)
                counts["escalated"] += 1
            elif waited >= ack and locked.reminded_at is None:
                notify(receivers(locked), sender_name=_("转诊时限提醒"),
                       title=lambda: _("请尽快处理转诊：%(no)s") % {"no": locked.number},
                       body=lambda: _("转诊 %(no)s 已等待 %(m)s 分钟。") % {"no": locked.number, "m": int(waited)},
                       link=f"/referrals/{locked.pk}")
                Referral.objects.filter(pk=locked.pk).update(reminded_at=now)
                counts["reminded"] += 1
    return counts
