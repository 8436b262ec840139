"""The audit chain is keyed and anchored: whoever can write the tables can neither recompute it
after an edit nor cut its end off unnoticed (GB/T 22239: audit records are protected)."""

import hashlib
import json

import pytest
from django.core.management import call_command
from django.db import connection

from jianlian.audit import service as audit
from jianlian.audit.models import AuditCheckpoint, AuditRecord
from jianlian.audit.service import HASHED_FIELDS, verify_chain
from jianlian.bus import relay
from tenants.context import tenant_context
from tests.worlds import ReferralWorld as World


def _sql(sql: str, params=(), table: str = "audit_auditrecord", trigger: str = "audit_append_only"):
    """Run `sql` behind the append-only trigger's back, as an attacker with table access would."""
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        cursor.execute(sql, params)
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")


def _unkeyed(row: dict) -> str:
    canonical = json.dumps({k: audit._jsonable(row[k]) for k in HASHED_FIELDS}, ensure_ascii=False, sort_keys=True,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _recompute_from(seq: int, *, alg: str | None = None, **changes):
    """Edit record `seq` and recompute every later hash and link with plain SHA-256 (no key)."""
    rows = list(AuditRecord.objects.filter(seq__gte=seq).order_by("seq").values())
    prev = AuditRecord.objects.filter(seq=seq - 1).values_list("hash", flat=True).first() or audit.GENESIS
    for row in rows:
        if row["seq"] == seq:
            row.update(changes)
        row["prev_hash"] = prev
        row["hash"] = _unkeyed(row)
        sets = {"prev_hash": row["prev_hash"], "hash": row["hash"], **({"hash_alg": alg} if alg else {}),
                **(changes if row["seq"] == seq else {})}
        _sql(f"UPDATE audit_auditrecord SET {', '.join(f'{k} = %s' for k in sets)} WHERE seq = %s",
             [*sets.values(), row["seq"]])
        prev = row["hash"]


@pytest.fixture
def chain(db):
    for i in range(6):
        audit.record("test.write", object_type="x", object_id=str(i))
    return AuditRecord.objects.count()


def test_new_records_are_keyed(chain):
    rec = AuditRecord.objects.order_by("-seq").first()
    assert rec.hash_alg == "hmac-sha256" and rec.hash != _unkeyed(AuditRecord.objects.filter(pk=rec.pk).values().get())
    assert verify_chain().ok


def test_an_edit_recomputed_without_the_key_is_detected(chain):
    # given an attacker who edits record 3 and recomputes the chain from there on
    _recompute_from(3, actor_label="别人")
    # then the first recomputed record does not verify
    result = verify_chain()
    assert (result.first_bad_seq, result.problem) == (3, "altered")


def test_truncation_after_a_checkpoint_is_detected(chain):
    # given a checkpoint of the head
    assert audit.checkpoint_schema("public")
    assert not audit.checkpoint_schema("public")  # an unmoved head writes nothing
    # when the last two records are deleted
    _sql("DELETE FROM audit_auditrecord WHERE seq > %s", [chain - 2])
    # then verification says the chain was cut
    result = verify_chain()
    assert (result.first_bad_seq, result.problem) == (chain - 1, "truncated")


def test_a_whole_chain_recomputed_as_unkeyed_is_detected_by_its_checkpoint(chain):
    audit.checkpoint_schema("public")
    _recompute_from(1, alg="sha256", object_id="forged")
    result = verify_chain()
    assert result.problem == "rewritten" and result.first_bad_seq == chain


def test_forged_and_deleted_checkpoints(chain, settings, tmp_path):
    # a checkpoint with a signature made without the key does not count
    AuditCheckpoint.objects.create(schema="public", seq=1, hash="0" * 64, signature="f" * 64, at="2026-01-01T00:00Z")
    assert verify_chain().problem == "forged_checkpoint"
    _sql("DELETE FROM audit_auditcheckpoint", table="audit_auditcheckpoint", trigger="audit_checkpoint_append_only")
    # with an anchor file, deleting the database's checkpoints hides nothing
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.jsonl")
    audit.checkpoint_schema("public")
    line = json.loads((tmp_path / "anchors.jsonl").read_text())
    assert line["schema"] == "public" and line["seq"] == chain
    _sql("DELETE FROM audit_auditcheckpoint", table="audit_auditcheckpoint", trigger="audit_checkpoint_append_only")
    _sql("DELETE FROM audit_auditrecord WHERE seq = %s", [chain])
    assert verify_chain().problem == "truncated"


def test_checkpoints_are_append_only(chain):
    audit.checkpoint_schema("public")
    with pytest.raises(Exception, match="append-only"):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditcheckpoint")


def test_records_from_before_keying_stay_valid_as_a_prefix(chain):
    # given a chain written before keying (unkeyed hashes), as audit migration 0003 leaves it
    _recompute_from(1, alg="sha256")
    assert verify_chain().ok
    # keyed records continue it
    audit.record("test.after_keying")
    assert verify_chain().ok
    # but an unkeyed record may not follow a keyed one
    audit.record("test.tail")
    last = AuditRecord.objects.order_by("-seq").first()
    _recompute_from(last.seq, alg="sha256")
    result = verify_chain()
    assert (result.first_bad_seq, result.problem) == (last.seq, "downgraded")


def test_the_checkpoint_command_anchors_every_schema(province, capsys):
    call_command("audit_checkpoint")
    schemas = set(AuditCheckpoint.objects.values_list("schema", flat=True))
    assert {"public", province.tenant_a.schema_name} <= schemas
    call_command("verify_audit")
    assert "public: 正常" in capsys.readouterr().out


def test_an_incoming_referral_leaves_a_record_in_the_receiving_tenant(transactional_db, unique):
    w = World(unique(""))
    out = w.refer_up()
    relay.run_once()
    received = [a for a in _actions(w.p.tenant_h) if a.startswith("referrals.remote_")]
    assert received == ["referrals.remote_submit"]
    with tenant_context(w.p.tenant_h):
        rec = AuditRecord.objects.get(action="referrals.remote_submit")
    assert rec.after["from_tenant"] == w.p.tenant_a.schema_name and rec.after["uid"] == str(out.uid)
    assert rec.after["created"] is True and "赵医生" in rec.actor_label




def _actions(tenant) -> list[str]:
    with tenant_context(tenant):
        assert verify_chain().ok
        return list(AuditRecord.objects.order_by("seq").values_list("action", flat=True))
