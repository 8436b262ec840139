"""The HIS adapter: pull a period's clinic sessions from the hospital information system, push
approved 停诊/替诊 back to it. There is no real HIS here: a deployment names an adapter class in
the setting `CLINICS_HIS_ADAPTER` (dotted path; options in `CLINICS_HIS_OPTIONS`), built per tenant
with its slug. `FileHis` is the file-based simulator the tests (and the demo) use: it reads
`<root>/<slug>/sessions.json` and appends what it is told to `<root>/<slug>/changes.jsonl`, the way a
hospital's interface engine exchanges files."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import TypedDict

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from jianlian.access.helpers import require_tenant
from jianlian.audit import service as audit
from jianlian.core.errors import DomainError
from modules.clinics.models import Change, Session, SessionStatus

log = logging.getLogger(__name__)


class HisSession(TypedDict, total=False):
    his_id: str  # the HIS's own id of the session
    department_code: str  # = our Department.code
    day: str  # 2030-03-01
    half: str  # am | pm
    doctor_no: str  # the doctor's staff number (StaffProfile.staff_no), may be empty
    doctor_name: str
    doctor_title: str
    room: str
    quota: int


class HisAdapter:
    """What a HIS connection offers. Subclasses raise any exception when the HIS fails."""

    def __init__(self, tenant_slug: str, **options):
        self.tenant_slug = tenant_slug

    def pull_sessions(self, start: dt.date, end: dt.date) -> list[HisSession]:  # days in [start, end)
        raise NotImplementedError

    def push_change(self, change: dict) -> None:
        raise NotImplementedError


class FileHis(HisAdapter):
    def __init__(self, tenant_slug: str, *, root: str, **options):
        super().__init__(tenant_slug)
        self.dir = Path(root) / tenant_slug

    def pull_sessions(self, start, end):
        path = self.dir / "sessions.json"
        rows = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
        return [r for r in rows if start.isoformat() <= r["day"] < end.isoformat()]

    def push_change(self, change):
        self.dir.mkdir(parents=True, exist_ok=True)
        with (self.dir / "changes.jsonl").open("a", encoding="utf-8") as f:
            f.write(json.dumps(change, ensure_ascii=False) + "\n")


def adapter() -> HisAdapter:
    dotted = getattr(settings, "CLINICS_HIS_ADAPTER", "")
    if not dotted:
        raise DomainError("CLINICS_HIS_UNAVAILABLE", _("未配置 HIS 接口。"))
    return import_string(dotted)(require_tenant().slug, **getattr(settings, "CLINICS_HIS_OPTIONS", {}))


def _unavailable(exc: Exception) -> DomainError:
    log.warning("HIS failed: %s", exc)
    return DomainError("CLINICS_HIS_UNAVAILABLE", _("HIS 暂时无法访问，请稍后再试。"))


def pull(actor, start: dt.date, end: dt.date) -> dict:
    """Bring the HIS's sessions of [start, end) in: new ones are created, known ones (by HIS id)
    take the HIS's room, quota and doctor unless stopped here. Rows naming an unknown department
    are skipped and counted. Who: a scheduler (None: a periodic job)."""
    from jianlian.org.models import Department, StaffProfile

    from modules.clinics import services

    if actor is not None:
        services.require_scheduler(actor)
    try:
        rows = adapter().pull_sessions(start, end)
    except DomainError:
        raise
    except Exception as exc:  # noqa: BLE001 - any HIS failure is the same to the user
        raise _unavailable(exc) from exc
    depts = dict(Department.objects.filter(is_active=True).values_list("code", "pk"))
    names = dict(Department.objects.values_list("pk", "name"))
    doctors = dict(StaffProfile.objects.exclude(staff_no="").values_list("staff_no", "user_id"))
    out = {"created": 0, "updated": 0, "skipped": 0}
    with transaction.atomic():
        for r in rows:
            dept_id = depts.get(r.get("department_code", ""))
            if dept_id is None or r.get("half") not in ("am", "pm") or not r.get("his_id"):
                out["skipped"] += 1
                continue
            fields = {"department_id": dept_id, "department_name": names[dept_id], "day": dt.date.fromisoformat(r["day"]),
                      "half": r["half"], "doctor_id": doctors.get(r.get("doctor_no") or ""),
                      "doctor_name": (r.get("doctor_name") or "")[:60], "doctor_title": (r.get("doctor_title") or "")[:20],
                      "room": (r.get("room") or "")[:30], "quota": max(0, int(r.get("quota") or 0))}
            s = Session.objects.select_for_update().filter(his_id=r["his_id"]).first()
            if s is None:
                Session.objects.create(his_id=r["his_id"], **fields)
                out["created"] += 1
            elif s.status == SessionStatus.OPEN and not s.substitute_for:
                Session.objects.filter(pk=s.pk).update(updated_at=timezone.now(), **fields)
                out["updated"] += 1
        audit.record("clinics.his_pull", actor=actor, object_type="clinics.session", object_id="", after=out,
                     actor_label="" if actor else str(_("系统（HIS 同步）")))
    return out


def change_message(c: Change) -> dict:
    s = c.session
    return {"his_id": s.his_id, "kind": c.kind, "day": s.day.isoformat(), "half": s.half, "department": s.department_name,
            "doctor": c.substitute_name if c.kind == "substitute" else s.doctor_name,
            "replaces": s.substitute_for if c.kind == "substitute" else "", "reason": c.reason}


def push(change_id: int) -> None:
    c = Change.objects.select_related("session").get(pk=change_id)
    adapter().push_change(change_message(c))
    Change.objects.filter(pk=c.pk).update(pushed_at=timezone.now())


def push_quietly(change_id: int) -> None:
    """After the approving commit: a HIS that fails leaves `pushed_at` empty (to be retried), never
    the approval."""
    if not getattr(settings, "CLINICS_HIS_ADAPTER", ""):
        return  # no HIS here: nothing to tell
    try:
        push(change_id)
    except Exception:  # noqa: BLE001
        log.exception("could not push clinic change %s to the HIS", change_id)
