"""The audit log: every write and sign-in recorded, append-only, hash-chained per schema, and a
command that names the first altered record."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from jianlian.audit import service as audit
from jianlian.audit.models import AuditRecord
from jianlian.audit.service import verify_chain
from tenants.context import tenant_context


def _tamper(schema: str, seq: int, **changes):
    """Edit a record behind the trigger's back, as an attacker with table access would."""
    sets = ", ".join(f"{k} = %s" for k in changes)
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{schema}".audit_auditrecord DISABLE TRIGGER audit_append_only')
        cursor.execute(f'UPDATE "{schema}".audit_auditrecord SET {sets} WHERE seq = %s', [*changes.values(), seq])
        cursor.execute(f'ALTER TABLE "{schema}".audit_auditrecord ENABLE TRIGGER audit_append_only')


def test_writes_and_sign_ins_are_recorded_with_who_what_when_where(province):
    rec = AuditRecord.objects.filter(action="tenants.create", object_id=str(province.tenant_a.pk)).get()
    assert rec.after["slug"] == "tonglu" and rec.tenant == "public" and rec.hash and rec.prev_hash
    assert AuditRecord.objects.filter(action="hierarchy.create_unit").count() == 11


def test_records_cannot_be_updated_or_deleted(province):
    for sql in ("UPDATE audit_auditrecord SET action = 'x'", "DELETE FROM audit_auditrecord"):
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)


def test_chain_verifies_and_detects_an_edited_record(province):
    assert verify_chain().ok
    # given an attacker who rewrites the 5th record's actor
    _tamper("public", 5, actor_label="别人")
    # then verification names exactly that record
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == 5 and result.problem == "altered" and result.checked == 4


def test_chain_detects_a_recomputed_hash_through_the_next_link(province):
    # an attacker who also recomputes the edited record's own hash breaks the next record's link
    row = AuditRecord.objects.filter(seq=3).values().get()
    row["actor_label"] = "别人"
    _tamper("public", 3, actor_label="别人", hash=audit.compute_hash(row))
    result = verify_chain()
    assert result.first_bad_seq == 4 and result.problem == "broken_link"


def test_each_tenant_has_its_own_chain_and_the_command_names_the_bad_record(province, capsys):
    with tenant_context(province.tenant_b):
        for i in range(3):
            audit.record("test.write", object_type="x", object_id=str(i))
    _tamper(province.tenant_b.schema_name, 2, object_id="forged")
    with pytest.raises(SystemExit):
        call_command("verify_audit")
    out = capsys.readouterr().out
    assert "public: 正常" in out and f"{province.tenant_a.schema_name}: 正常" in out
    assert f"{province.tenant_b.schema_name}: 第 2 条记录异常（altered）" in out


def test_sensitive_values_never_enter_the_log(db):
    rec = audit.record("test.sensitive", after={"password": "secret", "id_number": "11010519491231002X", "name": "ok"})
    assert rec.after == {"password": "***", "id_number": "***", "name": "ok"}
