"""Append to, anchor and verify the per-schema audit chain.

The chain is keyed: each record's hash is an HMAC-SHA256 under AUDIT_HMAC_KEY, a key that lives
in the environment, never in the database, so whoever can write the tables cannot recompute a
valid chain after editing or deleting a record. Records written before the chain was keyed
(`hash_alg` "sha256") stay valid as a prefix: no unkeyed record may follow a keyed one.

It is anchored: `checkpoint()` (every minute from beat) writes each schema's head (seq, hash)
as a signed `AuditCheckpoint` in the public schema and as a log line (`jianlian.audit.anchor`,
shipped with the logs, and appended to AUDIT_ANCHOR_FILE when set). A chain shorter than a
checkpoint was truncated; one whose record differs from a checkpoint was rewritten.
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import json
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from jianlian.core import context

GENESIS = "0" * 64
KEYED = "hmac-sha256"
LEGACY = "sha256"  # records written before the chain was keyed (audit migration 0003)
anchor_log = logging.getLogger("jianlian.audit.anchor")
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


def audit_key() -> bytes:
    from django.conf import settings

    return settings.AUDIT_HMAC_KEY.encode()


def compute_hash(fields: dict) -> str:
    """The record's hash: keyed (HMAC) unless the record says it predates keying."""
    canonical = json.dumps(
        {k: _jsonable(fields[k]) for k in HASHED_FIELDS}, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode()
    if fields.get("hash_alg", KEYED) == LEGACY:
        return hashlib.sha256(canonical).hexdigest()
    return hmac.new(audit_key(), canonical, hashlib.sha256).hexdigest()


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
    ctx = context.current()
    actor_id, label = _actor_fields(actor)
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
    entry = {
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
    }
    pending = _pending.get()
    if pending is not None and connection.in_atomic_block:
        pending.append((getattr(connection, "tenant", None), tuple(connection.savepoint_ids), entry))
        return None
    return _append(entry)


def _append(entry: dict):
    from jianlian.audit.models import AuditRecord

    # A transaction for the advisory lock, not a savepoint: a record is written with its write or
    # not at all, so there is nothing to roll back to (and a savepoint is two more round trips).
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':audit'))")
        last = AuditRecord.objects.order_by("-seq").values("seq", "hash").first()
        fields = {
            "seq": (last["seq"] + 1) if last else 1,
            "at": timezone.now(),
            **entry,
            "prev_hash": last["hash"] if last else GENESIS,
            "hash_alg": KEYED,
        }
        fields["hash"] = compute_hash(fields)
        rec = AuditRecord.objects.create(**fields)
    _announce(rec)
    return rec


# Records of the block `written_last()` wraps, kept until it ends: (tenant, open savepoints, entry).
_pending: contextvars.ContextVar[list | None] = contextvars.ContextVar("jianlian_audit_pending", default=None)


@contextmanager
def written_last():
    """Inside a transaction, hold back the records made in this block and append them when it
    ends — still inside the transaction, so each commits with its write or not at all.

    The chain's lock is held from a record until the commit, and every audited write of the
    schema waits for it. An API mutation goes on after its record (the answer it returns is
    read and serialised inside its transaction: an exam paper of 50 questions), so its records
    are written last and the lock is held only for the commit. A record made inside a savepoint
    that was rolled back is dropped, as it would have been rolled back with it; a transaction
    already doomed writes none."""
    from tenants.context import tenant_context

    pending: list = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    if connection.needs_rollback:
        return
    rolled_back = getattr(connection, "rolled_back_savepoints", set())  # tenants.backend
    for tenant, savepoints, entry in pending:
        if rolled_back.intersection(savepoints):
            continue
        if tenant is None or getattr(connection, "schema_name", None) == tenant.schema_name:
            _append(entry)
        else:
            with tenant_context(tenant):
                _append(entry)


def _announce(rec) -> None:
    """Live feed for auditors: who did what to which object (named as the log names it), never
    the before/after values themselves."""
    from jianlian.audit.actions import object_label
    from jianlian.realtime import events

    tenant = getattr(connection, "tenant", None)
    node_id = getattr(tenant, "org_unit_id", None) or _province_root_id()
    payload = {"seq": rec.seq, "at": rec.at.isoformat(), "actorLabel": rec.actor_label, "action": rec.action,
               "objectType": rec.object_type, "objectId": rec.object_id, "outcome": rec.outcome,
               "objectLabel": object_label(rec.object_type, rec.object_id, rec.before, rec.after, rec.actor_id,
                                          rec.actor_label)}
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
    """Recompute the chain of the current schema and hold it against the schema's checkpoints;
    report the first record that does not match (`missing`, `broken_link`, `altered`,
    `downgraded`: an unkeyed record after keyed ones, `truncated`: the chain ends before a
    checkpoint, `rewritten`: a record differs from its checkpoint, `forged_checkpoint`)."""
    from jianlian.audit.models import AuditRecord

    schema = getattr(connection, "schema_name", "public")
    anchors, forged = _checkpoints(schema)
    if forged is not None:
        return VerifyResult(schema, 0, forged, "forged_checkpoint")
    prev = GENESIS
    expected_seq = 1
    checked = 0
    keyed_seen = False
    qs = AuditRecord.objects.order_by("seq").values(*HASHED_FIELDS, "hash", "hash_alg")
    for row in qs.iterator(chunk_size=batch):
        if row["seq"] != expected_seq:
            return VerifyResult(schema, checked, expected_seq, "missing")
        if row["prev_hash"] != prev:
            return VerifyResult(schema, checked, row["seq"], "broken_link")
        if row["hash_alg"] == LEGACY and keyed_seen:
            return VerifyResult(schema, checked, row["seq"], "downgraded")
        keyed_seen = keyed_seen or row["hash_alg"] != LEGACY
        if not hmac.compare_digest(compute_hash(row), row["hash"]):
            return VerifyResult(schema, checked, row["seq"], "altered")
        if anchors.get(row["seq"], row["hash"]) != row["hash"]:
            return VerifyResult(schema, checked, row["seq"], "rewritten")
        prev = row["hash"]
        expected_seq += 1
        checked += 1
    if anchors and max(anchors) >= expected_seq:
        return VerifyResult(schema, checked, expected_seq, "truncated")
    return VerifyResult(schema, checked)


# --- anchoring -----------------------------------------------------------------------------------

def _public_table() -> str:
    from django_tenants.utils import get_public_schema_name

    return f'"{get_public_schema_name()}".audit_auditcheckpoint'


def _signature(schema: str, seq: int, head: str) -> str:
    return hmac.new(audit_key(), f"audit-checkpoint:{schema}:{seq}:{head}".encode(), hashlib.sha256).hexdigest()


def _checkpoints(schema: str) -> tuple[dict[int, str], int | None]:
    """{seq: hash} of the schema's checkpoints (from the public schema and AUDIT_ANCHOR_FILE),
    and the seq of the first one whose signature does not verify."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash, signature FROM {_public_table()} WHERE schema = %s", [schema])
        rows = cursor.fetchall()
    rows += [(a["seq"], a["hash"], a["signature"]) for a in _file_anchors() if a.get("schema") == schema]
    anchors: dict[int, str] = {}
    for seq, head, signature in sorted(rows):
        if not hmac.compare_digest(_signature(schema, seq, head), signature):
            return anchors, seq
        anchors[seq] = head
    return anchors, None


def _file_anchors() -> list[dict]:
    from django.conf import settings

    path = settings.AUDIT_ANCHOR_FILE
    if not path:
        return []
    try:
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


def checkpoint_schema(schema: str) -> bool:
    """Anchor the current schema's head, if it moved since its last checkpoint. Returns whether
    a checkpoint was written. Who: the beat task and `audit_checkpoint`; never a request."""
    from django.conf import settings

    from jianlian.audit.models import AuditRecord

    head = AuditRecord.objects.order_by("-seq").values("seq", "hash").first()
    if head is None:
        return False
    signature, at = _signature(schema, head["seq"], head["hash"]), timezone.now()
    with connection.cursor() as cursor:
        # Explicitly in the public schema, leaving the connection on the schema it is on.
        cursor.execute(f"INSERT INTO {_public_table()} (schema, seq, hash, signature, at) "
                       "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (schema, seq) DO NOTHING",
                       [schema, head["seq"], head["hash"], signature, at])
        if cursor.rowcount == 0:
            return False
    line = {"schema": schema, "seq": head["seq"], "hash": head["hash"], "signature": signature, "at": at.isoformat()}
    anchor_log.info("audit checkpoint", extra={"anchor": line})
    if settings.AUDIT_ANCHOR_FILE:
        with open(settings.AUDIT_ANCHOR_FILE, "a", encoding="utf-8") as f:
            f.write(json.dumps(line) + "\n")
    return True


def checkpoint() -> int:
    """Anchor the public schema's chain and every tenant's; returns how many moved."""
    from tenants.context import public as public_tenant
    from tenants.context import tenant_context
    from tenants.models import Tenant

    written = 0
    for tenant in [public_tenant(), *Tenant.objects.order_by("pk")]:
        with tenant_context(tenant):
            written += checkpoint_schema(tenant.schema_name)
    return written


def snapshot(instance, fields) -> dict:
    """The values of `fields` on a model instance, for `before` / `after`."""
    return {f: getattr(instance, f) for f in fields}
