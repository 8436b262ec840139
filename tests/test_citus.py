"""Citus with schema-based sharding (tenants/citus.py). On the embedded PostgreSQL (CI) this
checks that nothing changes; run against a Citus coordinator (`make test-external`), that every
table of every tenant is distributed and that new tenants spread over the workers."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from tenants import citus
from tests.factories import build_province


def _tables(schema: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = %s", [schema])
        return cursor.fetchone()[0]


def test_new_tenants_have_all_their_tables_distributed_and_spread(db, unique):
    p = build_province(unique("c"))  # three tenants, provisioned one after the other
    rows = {r["schema"]: r for r in citus.tenant_placement()}
    if not citus.is_citus():
        assert rows == {}
        return
    tenants = (p.tenant_a, p.tenant_b, p.tenant_h)
    for tenant in tenants:
        row = rows[tenant.schema_name]
        assert row["tables"] == _tables(tenant.schema_name) > 20
        assert row["distributed"] == row["tables"] and len(row["nodes"]) == 1
    assert len({rows[t.schema_name]["nodes"][0] for t in tenants}) > 1, "the tenants are all on one worker"


def test_the_report_command(db, capsys):
    call_command("citus_report")
    out = capsys.readouterr().out
    assert ("不是 Citus" in out) != citus.is_citus()


@pytest.mark.skipif("not __import__('tenants.citus').citus.is_citus()", reason="needs a Citus coordinator")
def test_audit_records_stay_append_only_on_a_distributed_table(db, unique):
    from django.db import DatabaseError, transaction

    from jianlian.audit import service as audit
    from tenants.context import tenant_context

    p = build_province(unique("a"))
    with tenant_context(p.tenant_a):
        audit.record("test.citus", actor=None)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditrecord SET action = 'x'")
