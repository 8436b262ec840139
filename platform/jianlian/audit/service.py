"""Append to and verify the per-schema audit chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from jianlian.core import context

GENESIS = "0" * 64
# Fields that enter the hash, in order. Changing this list invalidates every existing chain.
HASHED_FIELDS = (
    "seq", "at", "actor_id", "actor_label", "action", "object_type", "object_id", "tenant", "ip",
    "request_id", "outcome", "before", "after", "prev_hash",
)
SENSITIVE_KEYS = frozenset({"password", "id_number", "token", "code", "mobile"})


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): ("***" if k in SENSITIVE_KEYS and v else _jsonable(v)) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def compute_hash(fields: dict) -> str:
    canonical = json.dumps(
        {k: _jsonable(fields[k]) for k in HASHED_FIELDS}, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _actor_fields(actor) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, ""
    return actor.pk, getattr(actor, "real_name", "") or actor.get_username()


def record(
    action: str,
    *,
    actor=None,
    target=None,
    object_type: str = "",
    object_id: str = "",
    before: dict | None = None,
    after: dict | None = None,
    outcome: str = "success",
    actor_label: str = "",
):
    """Append one record to the chain of the schema the connection is on.

    Call it inside the transaction of the write it describes, so that the write and its record
    commit together. A transaction-scoped advisory lock per schema keeps the chain linear when
    writers race.
    """
    from jianlian.audit.models import AuditRecord

    ctx = context.current()
    actor_id, label = _actor_fields(actor)
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':audit'))")
        last = AuditRecord.objects.order_by("-seq").values("seq", "hash").first()
        fields = {
            "seq": (last["seq"] + 1) if last else 1,
            "at": timezone.now(),
            "actor_id": actor_id,
            "actor_label": (actor_label or label)[:150],
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id)[:64],
            "tenant": getattr(connection, "schema_name", "public"),
            "ip": ctx.ip,
            "request_id": ctx.request_id,
            "outcome": outcome,
            "before": _jsonable(before) if before is not None else None,
            "after": _jsonable(after) if after is not None else None,
            "prev_hash": last["hash"] if last else GENESIS,
        }
        fields["hash"] = compute_hash(fields)
        rec = AuditRecord.objects.create(**fields)
    _announce(rec)
    return rec


def _announce(rec) -> None:
    """Live feed for auditors: only who did what, never the before/after values."""
    from jianlian.realtime import events

    tenant = getattr(connection, "tenant", None)
    node_id = getattr(tenant, "org_unit_id", None) or _province_root_id()
    payload = {"seq": rec.seq, "at": rec.at.isoformat(), "actorLabel": rec.actor_label, "action": rec.action,
               "objectType": rec.object_type, "objectId": rec.object_id, "outcome": rec.outcome}
    events.publish(RECORDED, payload, groups=[events.tenant_group()], perm="platform.view_audit", node_id=node_id)


RECORDED = "audit.recorded"


def _province_root_id() -> int | None:
    """The console's events are guarded at the province root (one indexed lookup: caching it in
    the process would go stale when an operator rebuilds the tree, as tests do)."""
    from jianlian.hierarchy.models import OrgUnit

    return OrgUnit.objects.filter(parent__isnull=True).values_list("pk", flat=True).first()


@dataclass
class VerifyResult:
    schema: str
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None


def verify_chain(batch: int = 5000) -> VerifyResult:
    """Recompute the chain of the current schema; report the first record that does not match."""
    from jianlian.audit.models import AuditRecord

    schema = getattr(connection, "schema_name", "public")
    prev = GENESIS
    expected_seq = 1
    checked = 0
    qs = AuditRecord.objects.order_by("seq").values(*HASHED_FIELDS, "hash")
    for row in qs.iterator(chunk_size=batch):
        if row["seq"] != expected_seq:
            return VerifyResult(schema, checked, expected_seq, "missing")
        if row["prev_hash"] != prev:
            return VerifyResult(schema, checked, row["seq"], "broken_link")
        if compute_hash(row) != row["hash"]:
            return VerifyResult(schema, checked, row["seq"], "altered")
        prev = row["hash"]
        expected_seq += 1
        checked += 1
    return VerifyResult(schema, checked)


def snapshot(instance, fields) -> dict:
    """The values of `fields` on a model instance, for `before` / `after`."""
    return {f: getattr(instance, f) for f in fields}
