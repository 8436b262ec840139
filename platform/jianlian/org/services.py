"""Organisation actions: departments, staff profiles, the lifecycle (入转调离), tags and groups,
contacts. Every write validates and authorises first, writes in one transaction with its audit
record, and announces itself after commit (Zulip style). GraphQL, import, sync and the periodic
task all call these functions.

Everything here works in the schema of the current tenant; accounts and memberships are read and
written in public through the same connection (the tenant's search path includes it), so one
transaction covers both.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jianlian.access.checks import has_perm
from jianlian.access.helpers import access_current_tenant, require_tenant
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError, NotFoundError, PermissionDeniedError
from jianlian.org.models import (
    Department, DepartmentCategory, DepartmentKind, DepartmentMembership, EmploymentType, EventStatus, Group,
    LifecycleEvent, LifecycleKind, PersonalContact, PublicContact, StaffProfile, StaffStatus, Tag, VisibilityRule,
)
from jianlian.org import search, secondments
from jianlian.realtime import events

logger = logging.getLogger(__name__)
STAFF_CHANGED = "org.staff_changed"
MANAGE = "org.manage"
VIEW_CONTACTS = "org.view_contacts"
VIEW_HIDDEN = "org.view_hidden_fields"
POST_FIELDS = ("post", "position", "title", "grade")
MAX_BACKDATE = timedelta(days=366)


# --- tenant and permission helpers ---------------------------------------------------------------

def tenant_unit_ids(tenant=None) -> set[int]:
    tenant = tenant or require_tenant()
    return set(tenant.org_unit.get_descendants(include_self=True).values_list("pk", flat=True))


def require_manage(actor) -> None:
    """`actor` None is the system (the periodic task, commands, the seed)."""
    if actor is not None:
        access_current_tenant(actor, MANAGE)


def _announce(kind: str, staff: StaffProfile) -> None:
    events.publish(STAFF_CHANGED, {"kind": kind, "staffId": staff.pk, "staffNo": staff.staff_no, "status": staff.status},
                   groups=[events.tenant_group()], perm=VIEW_CONTACTS, node_id=require_tenant().org_unit_id)


def access_staff(actor, staff_id: int, *, manage: bool = False) -> StaffProfile:
    """The profile `staff_id` if `actor` may see it (or manage it); NotFound otherwise."""
    staff = StaffProfile.objects.filter(pk=staff_id).first()
    if staff is None:
        raise NotFoundError(code="STAFF_NOT_FOUND", field="contact")
    if manage:
        require_manage(actor)
    elif actor is not None and staff.user_id != actor.pk and staff.unit_id not in contact_unit_ids(actor):
        raise NotFoundError(code="STAFF_NOT_FOUND", field="contact")
    return staff


def _department(department_id, field: str = "department") -> Department:
    dept = Department.objects.filter(pk=department_id).first() if department_id else None
    if dept is None:
        raise DomainError("UNKNOWN_DEPARTMENT", _("科室不存在。"), field)
    return dept


def _staff_department(department_id, field: str = "department") -> Department:
    """A department people can be placed in. A grouping node (分组: 职能科室, 临床科室) only
    gathers departments, so a person goes to a 科室 or 病区 under it (docs/org-placement.md);
    people already in a group stay there until they are moved."""
    dept = _department(department_id, field)
    if dept.kind == DepartmentKind.GROUP:
        raise group_refused(dept.name, field)
    return dept


def group_refused(name: str, field: str = "department") -> DomainError:
    return DomainError("DEPARTMENT_IS_GROUP", _("「%(name)s」是分组，不能直接安排人员，请选择其下的科室或病区。") % {"name": name},
                       field)


def _check_unit(unit_id, tenant=None, field: str = "unit") -> int:
    if unit_id is None or int(unit_id) not in tenant_unit_ids(tenant):
        raise DomainError("UNKNOWN_UNIT", _("该单位不属于本医共体（医院）。"), field)
    return int(unit_id)


def _text(value, limit: int, field: str, *, required: bool = False, label=None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError("REQUIRED", _("请填写%(label)s。") % {"label": label or field}, field)
    if len(value) > limit:
        raise DomainError("TOO_LONG", _("%(label)s不能超过%(n)s个字。") % {"label": label or field, "n": limit}, field)
    return value


# --- departments ---------------------------------------------------------------------------------

def create_department(actor, *, unit_id: int, code: str, name: str, parent_id: int | None = None,
                      kind: str = DepartmentKind.DEPARTMENT, category: str | None = None) -> Department:
    """Add a department (a top group, a department or a ward) under a unit of the tenant, or under
    another department. Who: `org.manage`. A department inherits its parent's category unless one
    is given. Audited."""
    require_manage(actor)
    code = _text(code, 32, "code", required=True, label=_("科室编码"))
    name = _text(name, 60, "name", required=True, label=_("科室名称"))
    parent = _department(parent_id, "parent") if parent_id else None
    unit_id = parent.unit_id if parent else _check_unit(unit_id)
    if kind not in DepartmentKind.values or (category and category not in DepartmentCategory.values):
        raise DomainError("INVALID_DEPARTMENT_KIND", _("科室类型或类别不正确。"), "kind")
    if Department.objects.filter(code=code).exists():
        raise DomainError("DEPARTMENT_CODE_TAKEN", _("科室编码已被使用。"), "code")
    with transaction.atomic():
        dept = Department.objects.create(
            unit_id=unit_id, code=code, name=name, parent=parent, kind=kind,
            category=category or (parent.category if parent else DepartmentCategory.OTHER),
        )
        audit.record("org.create_department", actor=actor, target=dept,
                     after={"code": code, "name": name, "unit_id": unit_id, "parent": parent_id, "kind": kind})
    return dept


def set_department_head(actor, department_id: int, staff_id: int | None) -> Department:
    """Name the head of a department (None clears it). Who: `org.manage`. Audited."""
    require_manage(actor)
    dept = _department(department_id)
    staff = access_staff(actor, staff_id, manage=True) if staff_id else None
    with transaction.atomic():
        before = {"head": dept.head_id}
        dept.head = staff
        dept.save(update_fields=["head"])
        audit.record("org.set_department_head", actor=actor, target=dept, before=before, after={"head": staff_id})
    return dept


def add_to_department(actor, staff_id: int, department_id: int) -> DepartmentMembership:
    """Add a person to a further (non-primary) department. Who: `org.manage`. Audited."""
    staff = access_staff(actor, staff_id, manage=True)
    dept = _staff_department(department_id)
    with transaction.atomic():
        link, _created = DepartmentMembership.objects.get_or_create(
            staff=staff, department=dept, defaults={"is_primary": not staff.department_links.exists()})
        audit.record("org.add_to_department", actor=actor, target=staff, after={"department": dept.code})
    return link


# --- staff and the lifecycle ---------------------------------------------------------------------

def _effective(value) -> datetime:
    if value is None:
        raise DomainError("INVALID_EFFECTIVE_DATE", _("请填写生效时间。"), "effectiveAt")
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value < timezone.now() - MAX_BACKDATE:
        raise DomainError("INVALID_EFFECTIVE_DATE", _("生效时间不能早于一年前。"), "effectiveAt")
    return value


def _schedule(actor, staff: StaffProfile, kind: str, effective_at, payload: dict, *, successor_user_id=None,
              reason: str = "") -> LifecycleEvent:
    """Record the event; apply it at once when it is already due."""
    if staff.status == StaffStatus.LEFT:
        raise DomainError("STAFF_HAS_LEFT", _("该人员已离职，不能再登记变动。"), "contact")
    effective_at = _effective(effective_at)
    if successor_user_id is not None and not StaffProfile.objects.filter(
            user_id=successor_user_id, status__in=(StaffStatus.ACTIVE, StaffStatus.SECONDED)).exists():
        raise DomainError("NO_SUCCESSOR", _("交接人不是本单位在职人员。"), "successor")
    reason = _text(reason, 200, "reason", label=_("原因"))
    with transaction.atomic():
        event = LifecycleEvent.objects.create(
            staff=staff, kind=kind, effective_at=effective_at, payload=payload, successor_user_id=successor_user_id,
            reason=reason, created_by_id=getattr(actor, "pk", None),
        )
        audit.record(f"org.schedule_{kind}", actor=actor, target=staff,
                     after={"event": event.pk, "effective_at": effective_at, **payload, "reason": reason})
        if effective_at <= timezone.now() and payload.get("consent") != "pending":
            try:
                with transaction.atomic():  # a savepoint: a failing hand-over leaves the event pending
                    apply_event(event)
            except Exception:  # noqa: BLE001 - the periodic task retries it
                logger.exception("lifecycle event %s could not be applied at once; it stays pending", event.pk)
                event.refresh_from_db()
    return event


def _find_or_create_user(*, name: str, mobile: str, id_number: str, username: str):
    from jianlian.identity.models import User, id_number_blind_index
    from jianlian.identity.services import preregister

    user = User.objects.filter(id_number_index=id_number_blind_index(id_number)).first()
    if user is not None:
        return user
    return preregister(None, real_name=name, mobile=mobile, id_number=id_number, username=username)


def _validated_identity(name: str, mobile: str, id_number: str) -> tuple[str, str, str]:
    from jianlian.core.validators import validate_id_number, validate_mobile

    problems = []
    try:
        name = _text(name, 50, "name", required=True, label=_("姓名"))
    except DomainError as e:
        problems.append(e)
    for field, fn, value in (("mobile", validate_mobile, mobile), ("idNumber", validate_id_number, id_number)):
        try:
            value = fn(value)
        except ValidationError as e:
            problems.append(DomainError(e.code, e.messages[0], field))
        if field == "mobile":
            mobile = value
        else:
            id_number = value
    if problems:
        raise DomainError.many(problems)
    return name, mobile, id_number


def validate_staff_no(staff_no: str, field: str = "staffNo") -> str:
    import re

    staff_no = (staff_no or "").strip()
    if not re.fullmatch(r"[A-Za-z0-9-]{1,32}", staff_no):
        raise DomainError("INVALID_STAFF_NO", _("工号应为1至32位字母、数字或连字符。"), field)
    return staff_no


def onboard(actor, *, staff_no: str, name: str, mobile: str, id_number: str, unit_id: int, department_id: int,
            effective_at, post: str = "", position: str = "", title: str = "", grade: str = "",
            employment_type: str = EmploymentType.OWN, office_phone: str = "") -> StaffProfile:
    """Onboard a person: find their global account by ID number (or pre-register one), create
    their profile here (pending), and schedule the onboarding; at the effective time they become
    active, gain a membership at the unit and join the department. Who: `org.manage`. Audited."""
    require_manage(actor)
    tenant = require_tenant()
    name, mobile, id_number = _validated_identity(name, mobile, id_number)
    staff_no = validate_staff_no(staff_no)
    unit_id = _check_unit(unit_id)
    dept = _staff_department(department_id)
    if employment_type not in EmploymentType.values:
        raise DomainError("INVALID_EMPLOYMENT_TYPE", _("用工类型只能是本院职工或第三方人员。"), "employmentType")
    with transaction.atomic():
        user = _find_or_create_user(name=name, mobile=mobile, id_number=id_number, username=f"{tenant.slug}.{staff_no}")
        staff = StaffProfile.objects.filter(user_id=user.pk).first()
        if staff is not None and staff.status != StaffStatus.LEFT:
            raise DomainError("ALREADY_ONBOARDED", _("此人已在本单位登记。"), "idNumber")
        if StaffProfile.objects.filter(staff_no=staff_no).exclude(user_id=user.pk).exists():
            raise DomainError("STAFF_NO_TAKEN", _("该工号已被使用。"), "staffNo")
        fields = dict(staff_no=staff_no, name=name, mobile=mobile, unit_id=unit_id, post=post, position=position,
                      title=title, grade=grade, employment_type=employment_type, office_phone=office_phone)
        if staff is None:
            staff = StaffProfile.objects.create(user_id=user.pk, **fields)
        else:  # rehired: the same profile again, pending until the onboarding takes effect
            for k, v in fields.items():
                setattr(staff, k, v)
            staff.status, staff.left_at = StaffStatus.PENDING, None
            staff.save()
        _schedule(actor, staff, LifecycleKind.ONBOARD, effective_at, {"unit_id": unit_id, "department_id": dept.pk})
    staff.refresh_from_db()
    return staff


def schedule_transfer(actor, staff_id: int, *, effective_at, department_id: int | None = None,
                      unit_id: int | None = None, tenant_slug: str | None = None, secondment: bool = False,
                      end_secondment: bool = False, successor_user_id: int | None = None,
                      reason: str = "") -> LifecycleEvent:
    """Schedule a transfer: to another department, to another unit of the tenant, or a secondment
    (下沉) to a member unit or to a unit of another tenant (which adds a membership there and keeps
    this one); `end_secondment` brings the person back (the secondments' memberships end).
    Pending work is handed over at the effective time. Who: `org.manage`. Audited.
    A secondment into another tenant that the actor does not also manage waits for that tenant's
    consent (jianlian.org.secondments): the event stays pending until its managers accept."""
    staff = access_staff(actor, staff_id, manage=True)
    payload: dict = {"secondment": bool(secondment)}
    if end_secondment:
        if secondment or tenant_slug:
            raise DomainError("INVALID", _("结束借调时不能同时发起新的借调。"), "endSecondment")
        payload["end_secondment"] = True
    if department_id:
        payload["department_id"] = _staff_department(department_id).pk
    if tenant_slug:
        from tenants.models import Tenant

        other = Tenant.objects.filter(slug=tenant_slug).first()
        if other is None or other.pk == require_tenant().pk:
            raise DomainError("UNKNOWN_UNIT", _("借调的目标租户不存在。"), "tenantSlug")
        payload.update(tenant_id=other.pk, unit_id=_check_unit(unit_id, other), secondment=True)
    elif unit_id:
        payload["unit_id"] = _check_unit(unit_id)
    if len(payload) == 1:
        raise DomainError("REQUIRED", _("请选择调入的科室或单位。"), "department")
    if not tenant_slug or not secondments.needs_consent(actor, other):
        return _schedule(actor, staff, LifecycleKind.TRANSFER, effective_at, payload,
                         successor_user_id=successor_user_id, reason=reason)
    with transaction.atomic():
        event = _schedule(actor, staff, LifecycleKind.TRANSFER, effective_at, {**payload, "consent": "pending"},
                          successor_user_id=successor_user_id, reason=reason)
        secondments.request_consent(actor, staff, event, require_tenant(), other, payload["unit_id"])
    return event


def schedule_post_change(actor, staff_id: int, *, effective_at, reason: str = "", **fields) -> LifecycleEvent:
    """Schedule a change of post, position, title or grade. Who: `org.manage`. Audited."""
    staff = access_staff(actor, staff_id, manage=True)
    payload = {k: _text(v, 60, k) for k, v in fields.items() if k in POST_FIELDS and v is not None}
    if not payload:
        raise DomainError("REQUIRED", _("请填写新的岗位、职务、职称或级别。"), "post")
    return _schedule(actor, staff, LifecycleKind.CHANGE_POST, effective_at, payload, reason=reason)


def schedule_leave(actor, staff_id: int, *, effective_at, successor_user_id: int | None = None,
                   reason: str = "") -> LifecycleEvent:
    """Schedule a person's leaving. At the effective time their memberships and role grants in
    this tenant end, their sign-in is revoked when no other membership remains, and their pending
    work goes to the successor (or the department head). Who: `org.manage`. Audited."""
    staff = access_staff(actor, staff_id, manage=True)
    return _schedule(actor, staff, LifecycleKind.LEAVE, effective_at, {}, successor_user_id=successor_user_id,
                     reason=reason)


def cancel_event(actor, event_id: int) -> LifecycleEvent:
    """Cancel a pending lifecycle event. Who: `org.manage`. Audited."""
    require_manage(actor)
    with transaction.atomic():
        event = LifecycleEvent.objects.select_for_update().filter(pk=event_id).first()
        if event is None:
            raise NotFoundError(field="event")
        if event.status != EventStatus.PENDING:
            raise DomainError("EVENT_NOT_PENDING", _("该变动已生效或已撤销。"), "event")
        event.status = EventStatus.CANCELLED
        event.save(update_fields=["status"])
        audit.record("org.cancel_event", actor=actor, target=event, after={"kind": event.kind})
    return event


def apply_due_events(now: datetime | None = None) -> list[int]:
    """Apply every pending event whose time has come, oldest first, each in its own transaction
    (rows locked with SKIP LOCKED, so two beats never apply one twice). Returns the applied ids.
    An event that fails (a hand-over handler raising) is rolled back, its error noted, and left
    pending for the next run; it never holds up the events after it.
    Who: the periodic task `org.apply_due_events` (and tests)."""
    now = now or timezone.now()
    applied, failed = [], []
    while True:
        event = None
        try:
            with transaction.atomic():
                event = (LifecycleEvent.objects.select_for_update(skip_locked=True)
                         .filter(status=EventStatus.PENDING, effective_at__lte=now).exclude(pk__in=failed)
                         .exclude(payload__contains={"consent": "pending"})  # a secondment the other tenant has not accepted
                         .order_by("effective_at", "pk").first())
                if event is None:
                    return applied
                apply_event(event, now=now)
                applied.append(event.pk)
        except Exception as exc:  # noqa: BLE001 - one broken event must not stall the others
            if event is None:
                raise
            logger.exception("lifecycle event %s failed; it stays pending", event.pk)
            failed.append(event.pk)
            LifecycleEvent.objects.filter(pk=event.pk).update(outcome={"error": f"{type(exc).__name__}: {exc}"[:500]})


def successor_for(staff: StaffProfile, explicit: int | None = None) -> int | None:
    """Who takes over `staff`'s pending work: the named successor, else the nearest head of
    their primary department or its ancestors who is not the person themselves."""
    if explicit:
        return explicit
    link = staff.department_links.filter(is_primary=True).select_related("department").first()
    if link is None:
        return None
    for dept in link.department.get_ancestors(ascending=True, include_self=True).select_related("head"):
        head = dept.head
        if head is not None and head.pk != staff.pk and head.status in (StaffStatus.ACTIVE, StaffStatus.SECONDED):
            return head.user_id
    return None


def apply_event(event: LifecycleEvent, now: datetime | None = None) -> None:
    """Carry out one event (inside the caller's transaction). Audited as `org.apply_<kind>`."""
    from jianlian.org import handover

    now = now or timezone.now()
    staff = StaffProfile.objects.select_for_update().get(pk=event.staff_id)
    outcome: dict = {}
    if event.kind in (LifecycleKind.TRANSFER, LifecycleKind.LEAVE):
        successor = successor_for(staff, event.successor_user_id)
        if successor is not None:
            outcome["handed_over_to"] = successor
            outcome["handed_over"] = handover.hand_over(staff.user_id, successor, reason=event.kind, event_id=event.pk)
        else:
            outcome["handed_over_to"] = None
    getattr(_EFFECTS, event.kind)(staff, event.payload, now, outcome)
    event.status, event.applied_at, event.outcome = EventStatus.APPLIED, now, outcome
    event.save(update_fields=["status", "applied_at", "outcome"])
    audit.record(f"org.apply_{event.kind}", target=staff, after={"event": event.pk, **event.payload, **outcome},
                 actor_label=str(_("系统（定时任务）")))
    _announce(event.kind, staff)


def _membership_model():
    from jianlian.access.models import Membership

    return Membership


def _set_primary_department(staff: StaffProfile, department_id: int) -> None:
    DepartmentMembership.objects.filter(staff=staff, department_id=department_id).delete()
    DepartmentMembership.objects.filter(staff=staff, is_primary=True).delete()
    DepartmentMembership.objects.create(staff=staff, department_id=department_id, is_primary=True)


def _end_secondments(staff: StaffProfile, now) -> int:
    """End the memberships that this tenant's secondments of `staff` created (here or in another
    tenant). Returns how many were active."""
    ids = [e.outcome["secondment_membership"] for e in LifecycleEvent.objects.filter(
        staff=staff, kind=LifecycleKind.TRANSFER, status=EventStatus.APPLIED, outcome__has_key="secondment_membership")]
    active = _membership_model().objects.filter(pk__in=ids, is_active=True, is_primary=False)
    ended = list(active.values_list("pk", "tenant_id", "unit_id"))
    count = active.update(is_active=False, left_at=now)
    for membership_id, tenant_id, unit_id in ended:
        _record_in_receiving_tenant(tenant_id, "org.secondment_ended", staff, membership_id, unit_id)
    return count


def _record_in_receiving_tenant(tenant_id: int, action: str, staff: StaffProfile, membership_id: int, unit_id: int) -> None:
    """A secondment into another tenant (or its end) is also recorded in that tenant's own audit
    chain, inside the same transaction: its auditors see who joined or left their units, and from
    where."""
    here = require_tenant()
    if here is None or tenant_id == here.pk:
        return
    from tenants.context import tenant_context
    from tenants.models import Tenant

    with tenant_context(Tenant.objects.get(pk=tenant_id)):
        audit.record(action, object_type="identity.membership", object_id=str(membership_id),
                     actor_label=str(_("%(tenant)s（派出单位）") % {"tenant": here.name}),
                     after={"user_id": staff.user_id, "name": staff.name, "unit_id": unit_id, "from_tenant": here.slug})


class _EFFECTS:
    @staticmethod
    def onboard(staff, payload, now, outcome):
        Membership = _membership_model()
        tenant = require_tenant()
        m, _created = Membership.objects.get_or_create(
            user_id=staff.user_id, tenant=tenant, unit_id=payload["unit_id"],
            defaults={"staff_no": staff.staff_no, "is_primary": True})
        if not m.is_active or m.staff_no != staff.staff_no:
            Membership.objects.filter(pk=m.pk).update(is_active=True, left_at=None, staff_no=staff.staff_no)
        _set_primary_department(staff, payload["department_id"])
        from jianlian.identity.models import User

        # a rehired person's account was switched off when they left
        if User.objects.filter(pk=staff.user_id, is_active=False).update(is_active=True):
            outcome["sign_in_restored"] = True
        staff.status, staff.joined_on, staff.unit_id = StaffStatus.ACTIVE, timezone.localdate(now), payload["unit_id"]
        staff.save()

    @staticmethod
    def transfer(staff, payload, now, outcome):
        Membership = _membership_model()
        tenant = require_tenant()
        if payload.get("department_id"):
            _set_primary_department(staff, payload["department_id"])
        unit_id = payload.get("unit_id")
        if payload.get("end_secondment"):
            outcome["secondments_ended"] = _end_secondments(staff, now)
            staff.status = StaffStatus.ACTIVE
        if unit_id and payload.get("secondment"):
            target_tenant = payload.get("tenant_id", tenant.pk)
            m, _created = Membership.objects.get_or_create(
                user_id=staff.user_id, tenant_id=target_tenant, unit_id=unit_id, defaults={"is_primary": False})
            Membership.objects.filter(pk=m.pk).update(is_active=True, left_at=None)
            outcome["secondment_membership"] = m.pk
            _record_in_receiving_tenant(target_tenant, "org.secondment_received", staff, m.pk, unit_id)
            staff.status = StaffStatus.SECONDED
        elif unit_id:
            primary = Membership.objects.filter(user_id=staff.user_id, tenant=tenant, is_primary=True).first()
            Membership.objects.filter(user_id=staff.user_id, tenant=tenant, unit_id=unit_id, is_primary=False).delete()
            if primary is None:
                Membership.objects.create(user_id=staff.user_id, tenant=tenant, unit_id=unit_id, staff_no=staff.staff_no)
            else:
                Membership.objects.filter(pk=primary.pk).update(unit_id=unit_id)
            staff.unit_id = unit_id
        staff.save()

    @staticmethod
    def change_post(staff, payload, now, outcome):
        for field, value in payload.items():
            setattr(staff, field, value)
        staff.save()

    @staticmethod
    def leave(staff, payload, now, outcome):
        from jianlian.access.checks import forget
        from jianlian.access.models import RoleGrant
        from jianlian.identity.models import ApiToken, User

        Membership = _membership_model()
        tenant = require_tenant()
        Membership.objects.filter(user_id=staff.user_id, tenant=tenant, is_active=True).update(is_active=False, left_at=now)
        outcome["secondments_ended"] = _end_secondments(staff, now)  # a secondment from here ends with the job
        units = tenant_unit_ids(tenant)
        outcome["grants_revoked"] = RoleGrant.objects.filter(user_id=staff.user_id, node_id__in=units).delete()[0]
        Department.objects.filter(head=staff).update(head=None)
        staff.static_groups.clear()
        from jianlian.realtime.events import close_sockets

        close_sockets(code=4403, reason="Left the unit", user_id=staff.user_id, schema=tenant.schema_name)
        if not Membership.objects.filter(user_id=staff.user_id, is_active=True).exists():
            User.objects.filter(pk=staff.user_id).update(is_active=False)
            outcome["tokens_revoked"] = ApiToken.objects.filter(user_id=staff.user_id, revoked_at__isnull=True).update(revoked_at=now)
            outcome["sign_in_revoked"] = True
            close_sockets(code=4403, reason="Sign-in revoked", user_id=staff.user_id)
        user = User.objects.filter(pk=staff.user_id).first()
        if user is not None:
            forget(user)
        staff.status, staff.left_at = StaffStatus.LEFT, now
        staff.save()


def update_contact_details(actor, staff_id: int, *, office_phone=None, photo=None, email=None) -> StaffProfile:
    """Change a profile's office phone, photo or e-mail. Who: the person themselves or
    `org.manage`. Audited."""
    staff = StaffProfile.objects.filter(pk=staff_id).first()
    if staff is None or (staff.user_id != getattr(actor, "pk", None) and not has_perm(actor, MANAGE, require_tenant().org_unit)):
        raise NotFoundError(code="STAFF_NOT_FOUND", field="contact")
    changes = {}
    if office_phone is not None:
        changes["office_phone"] = validate_office_phone(office_phone)
    if photo is not None:
        changes["photo"] = _text(photo, 300, "photo")
    if email is not None:
        from django.core.validators import validate_email

        changes["email"] = _text(email, 254, "email")
        try:
            if changes["email"]:
                validate_email(changes["email"])
        except ValidationError:
            raise DomainError("INVALID", _("电子邮箱格式不正确。"), "email") from None
    with transaction.atomic():
        before = {k: getattr(staff, k) for k in changes}
        for k, v in changes.items():
            setattr(staff, k, v)
        staff.save()
        audit.record("org.update_contact", actor=actor, target=staff, before=before, after=changes)
    _announce("update", staff)
    return staff


def validate_office_phone(value: str, field: str = "officePhone") -> str:
    import re

    value = (value or "").strip()
    if value and not re.fullmatch(r"[0-9+\-()# ]{3,30}", value):
        raise DomainError("INVALID_PHONE", _("办公电话只能包含数字、空格、括号、+、-、#，3至30位。"), field)
    return value


# --- tags and groups -----------------------------------------------------------------------------

def create_tag(actor, *, code: str, name: str) -> Tag:
    """A job-title tag. Who: `org.manage`. Audited."""
    require_manage(actor)
    code = _text(code, 40, "code", required=True, label=_("标签代码"))
    name = _text(name, 40, "name", required=True, label=_("标签名称"))
    if Tag.objects.filter(code=code).exists():
        raise DomainError("TAG_CODE_TAKEN", _("标签代码已被使用。"), "code")
    with transaction.atomic():
        tag = Tag.objects.create(code=code, name=name)
        audit.record("org.create_tag", actor=actor, target=tag, after={"code": code, "name": name})
    return tag


def set_tags(actor, staff_id: int, tag_ids: list[int]) -> StaffProfile:
    """Replace a person's tags. Who: `org.manage`. Audited."""
    staff = access_staff(actor, staff_id, manage=True)
    tags = list(Tag.objects.filter(pk__in=tag_ids))
    if len(tags) != len(set(tag_ids)):
        raise DomainError("UNKNOWN_TAG", _("有标签不存在。"), "tags")
    with transaction.atomic():
        before = sorted(staff.tags.values_list("code", flat=True))
        staff.tags.set(tags)
        audit.record("org.set_tags", actor=actor, target=staff, before={"tags": before},
                     after={"tags": sorted(t.code for t in tags)})
    return staff


RULE_KEYS = {"tags", "categories", "departments", "posts", "positions", "employment_types"}


def validate_rule(rule: dict) -> dict:
    if not isinstance(rule, dict) or not rule or set(rule) - RULE_KEYS or not all(
            isinstance(v, list) and v and all(isinstance(x, str) for x in v) for v in rule.values()):
        raise DomainError("INVALID_GROUP_RULE", _("动态群组规则只能包含标签、科室类别、科室、岗位、职务、用工类型条件，且每项至少一个值。"), "rule")
    if set(rule.get("categories", [])) - set(DepartmentCategory.values) or \
            set(rule.get("employment_types", [])) - set(EmploymentType.values):
        raise DomainError("INVALID_GROUP_RULE", _("动态群组规则中的科室类别或用工类型不正确。"), "rule")
    unknown_tags = set(rule.get("tags", [])) - set(Tag.objects.filter(code__in=rule.get("tags", [])).values_list("code", flat=True))
    if unknown_tags:
        raise DomainError("UNKNOWN_TAG", _("规则中有标签不存在。"), "rule")
    return rule


def create_group(actor, *, name: str, member_ids: list[int] | None = None, rule: dict | None = None) -> Group:
    """A group beside the departments: named members, or a dynamic rule (e.g. every head nurse of
    a clinical department: `{"tags": ["head_nurse"], "categories": ["clinical"]}`), whose members
    are worked out whenever the group is used. Who: `org.manage`. Audited."""
    require_manage(actor)
    name = _text(name, 60, "name", required=True, label=_("群组名称"))
    if rule:
        rule = validate_rule(rule)
    with transaction.atomic():
        group = Group.objects.create(name=name, is_dynamic=bool(rule), rule=rule or {})
        if member_ids and not rule:
            members = list(StaffProfile.objects.filter(pk__in=member_ids))
            if len(members) != len(set(member_ids)):
                raise DomainError("STAFF_NOT_FOUND", _("有成员不存在。"), "memberIds")
            group.members.set(members)
        audit.record("org.create_group", actor=actor, target=group, after={"name": name, "rule": rule or {},
                                                                           "members": sorted(member_ids or [])})
    return group


def active_staff():
    return StaffProfile.objects.filter(status__in=(StaffStatus.ACTIVE, StaffStatus.SECONDED))


def group_members(group: Group):
    """The group's current members (a queryset of active profiles)."""
    if not group.is_dynamic:
        return active_staff().filter(static_groups=group)
    rule, qs = group.rule, active_staff()
    if rule.get("tags"):
        qs = qs.filter(tags__code__in=rule["tags"])
    if rule.get("categories"):
        qs = qs.filter(department_links__department__category__in=rule["categories"])
    if rule.get("departments"):
        depts = Department.objects.filter(code__in=rule["departments"])
        q = Q(pk__in=[])
        for d in depts:
            q |= Q(department_links__department__tree_id=d.tree_id, department_links__department__lft__gte=d.lft,
                   department_links__department__rght__lte=d.rght)
        qs = qs.filter(q)
    for key, field in (("posts", "post"), ("positions", "position"), ("employment_types", "employment_type")):
        if rule.get(key):
            qs = qs.filter(**{f"{field}__in": rule[key]})
    return qs.distinct()


# --- contacts ------------------------------------------------------------------------------------

def contact_unit_ids(viewer) -> set[int]:
    """The units whose staff `viewer` may see: where they hold `org.view_contacts`, within this
    tenant (a grant at the community's lead unit covers all its member units)."""
    from jianlian.access.checks import scope_nodes

    # Cached on the user object for the request, per schema (a user object may visit two tenants).
    cache = viewer.__dict__.setdefault("_jl_contact_units", {})
    schema = connection.schema_name
    if schema not in cache:
        cache[schema] = set(scope_nodes(viewer, VIEW_CONTACTS).values_list("pk", flat=True)) & tenant_unit_ids()
    return cache[schema]


def search_contacts(viewer, query: str = "", *, department_id: int | None = None, user_ids=None):
    """Internal contacts `viewer` may see, matching `query`: a name (or its start), full pinyin
    or initials by prefix (`zhangsan`, `zs`), a staff number by prefix, or the last 4–11 digits of a
    mobile; only the accounts `user_ids` when given. Returns a queryset; ordered by pinyin and
    sliced, each way of matching reads one page of its own index (`jianlian.org.search`)."""
    units = contact_unit_ids(viewer)
    qs = active_staff().filter(unit_id__in=units)
    if user_ids is not None:
        qs = qs.filter(user_id__in=user_ids)
    if department_id:
        dept = _department(department_id)
        qs = qs.filter(department_links__department__tree_id=dept.tree_id, department_links__department__lft__gte=dept.lft,
                       department_links__department__rght__lte=dept.rght).distinct()
    return search.matching(qs, query) if search.normalise(query) else qs


class ContactPolicy:
    """Which contact fields a viewer sees of each person: office phones always; a mobile or
    e-mail hidden by a visibility rule only to viewers without `org.view_hidden_fields` (people
    always see their own). One instance per request: rules load once."""

    def __init__(self, viewer):
        self.viewer = viewer
        self.sees_all = viewer is None or has_perm(viewer, VIEW_HIDDEN, require_tenant().org_unit)
        self.rules = [] if self.sees_all else list(VisibilityRule.objects.values_list("field", "tag_id", "post", "role_code"))
        self.role_holders: dict[str, set[int]] = {}
        codes = {code for _f, _t, _p, code in self.rules if code}
        if codes:
            from jianlian.access.models import RoleGrant

            for code, user_id in RoleGrant.objects.filter(role__code__in=codes, node_id__in=tenant_unit_ids()).values_list(
                    "role__code", "user_id"):
                self.role_holders.setdefault(code, set()).add(user_id)

    def hidden(self, staff: StaffProfile, tag_ids: set[int] | None = None) -> set[str]:
        if self.sees_all or not self.rules or staff.user_id == getattr(self.viewer, "pk", None):
            return set()
        if tag_ids is None:
            tag_ids = {t.pk for t in staff.tags.all()}
        return {field for field, tag_id, post, code in self.rules
                if (tag_id and tag_id in tag_ids) or (post and post == staff.post)
                or (code and staff.user_id in self.role_holders.get(code, ()))}

    def card(self, staff: StaffProfile, tag_ids: set[int] | None = None) -> dict:
        hidden = self.hidden(staff, tag_ids)
        return {"name": staff.name, "staff_no": staff.staff_no, "office_phone": staff.office_phone,
                "mobile": None if "mobile" in hidden else staff.mobile,
                "email": None if "email" in hidden else staff.email}


def add_visibility_rule(actor, *, field: str = "mobile", tag_id: int | None = None, post: str = "",
                        role_code: str = "") -> VisibilityRule:
    """Hide a field of the holders of a tag, a post or a role (granted in this tenant) from
    ordinary viewers. Who: `org.manage`. Audited."""
    require_manage(actor)
    if field not in VisibilityRule.Field.values:
        raise DomainError("INVALID", _("只能隐藏手机号或电子邮箱；办公电话总是显示。"), "field")
    tag = Tag.objects.filter(pk=tag_id).first() if tag_id else None
    if tag_id and tag is None:
        raise DomainError("UNKNOWN_TAG", _("标签不存在。"), "tag")
    post, role_code = _text(post, 60, "post"), _text(role_code, 40, "roleCode")
    if role_code:
        from jianlian.access.models import Role

        if not Role.objects.filter(code=role_code).filter(Q(tenant=require_tenant()) | Q(tenant__isnull=True)).exists():
            raise DomainError("INVALID", _("角色不存在。"), "roleCode")
    if tag is None and not post and not role_code:
        raise DomainError("REQUIRED", _("请选择标签、角色或填写岗位。"), "tag")
    with transaction.atomic():
        rule = VisibilityRule.objects.create(field=field, tag=tag, post=post, role_code=role_code)
        audit.record("org.add_visibility_rule", actor=actor, target=rule,
                     after={"field": field, "tag": tag_id, "post": post, "role": role_code})
    return rule


def add_public_contact(actor, *, name: str, phone: str, department_id: int | None = None, note: str = "") -> PublicContact:
    """A contact shared with everyone in the tenant. Who: `org.manage`. Audited."""
    require_manage(actor)
    contact = PublicContact(name=_text(name, 60, "name", required=True, label=_("名称")),
                            phone=validate_office_phone(phone, "phone"), note=_text(note, 200, "note"),
                            department=_department(department_id) if department_id else None)
    if not contact.phone:
        raise DomainError("REQUIRED", _("请填写电话。"), "phone")
    with transaction.atomic():
        contact.save()
        audit.record("org.add_public_contact", actor=actor, target=contact, after={"name": contact.name})
    return contact


def add_personal_contact(owner, *, name: str, phone: str, note: str = "") -> PersonalContact:
    """A contact of the owner's own, visible to nobody else."""
    if owner is None or not owner.is_authenticated:
        raise PermissionDeniedError()
    contact = PersonalContact(owner_id=owner.pk, name=_text(name, 60, "name", required=True, label=_("姓名")),
                              phone=validate_office_phone(phone, "phone"), note=_text(note, 200, "note"))
    with transaction.atomic():
        contact.save()
        audit.record("org.add_personal_contact", actor=owner, target=contact, after={"name": contact.name})
    return contact
