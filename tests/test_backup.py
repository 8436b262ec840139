"""Backing up one tenant with `pg_dump -n` and restoring it into a fresh database, as
infra/README.md tells an operator to: the restored tenant works there (its audit chain verifies,
its rows are all there, and it takes new writes)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from jianlian.audit import service as audit
from jianlian.audit.models import AuditRecord
from tenants.context import tenant_context
from tests.factories import build_province


def _client(name: str) -> str:
    """The PostgreSQL client tool matching the server (the embedded one ships its own)."""
    import pgserver

    bundled = Path(pgserver.__file__).parent / "pginstall" / "bin" / name
    found = str(bundled) if bundled.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def _args(dbname: str) -> list[str]:
    db = connection.settings_dict
    host = db["OPTIONS"].get("host") or db["HOST"] or "127.0.0.1"
    return ["-h", host, "-p", str(db["PORT"] or 5432), "-U", db["USER"], "-d", dbname]


def _env() -> dict:
    return {**os.environ, "PGPASSWORD": connection.settings_dict.get("PASSWORD") or ""}


def _counts(schema: str) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1", [schema])
        tables = [r[0] for r in cursor.fetchall()]
        counts = {}
        for t in tables:
            cursor.execute(f'SELECT count(*) FROM "{schema}"."{t}"')
            counts[t] = cursor.fetchone()[0]
    return counts


def test_one_tenant_restored_into_a_fresh_database_works(transactional_db, unique, tmp_path):
    p = build_province(unique("b"))
    tenant = p.tenant_a
    with tenant_context(tenant):
        audit.record("backup.before", actor=None)
    source = connection.settings_dict["NAME"]
    before = _counts(tenant.schema_name)

    # the installation without its tenants (where the tenant's row and accounts live), then the one tenant
    subprocess.run([_client("pg_dump"), *_args(source), "-Fc", "-N", "t_*", "-N", "_tenant_template",
                    "-f", str(tmp_path / "public.dump")],
                   check=True, env=_env())
    subprocess.run([_client("pg_dump"), *_args(source), "-Fc", "-n", tenant.schema_name, "-f", str(tmp_path / "tenant.dump")],
                   check=True, env=_env())
    fresh = f"{source}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    try:
        for dump in ("public.dump", "tenant.dump"):
            out = subprocess.run([_client("pg_restore"), *_args(fresh), "--no-owner", "--exit-on-error", str(tmp_path / dump)],
                                 check=False, env=_env(), capture_output=True, text=True)
            assert out.returncode == 0, out.stderr
        connection.close()
        connection.settings_dict["NAME"] = fresh
        try:
            assert _counts(tenant.schema_name) == before
            with tenant_context(tenant):
                assert audit.verify_chain().ok
                audit.record("backup.after", actor=None)
                assert list(AuditRecord.objects.order_by("-seq").values_list("action", flat=True)[:2]) == [
                    "backup.after", "backup.before"]
                assert audit.verify_chain().ok
        finally:
            connection.close()
            connection.settings_dict["NAME"] = source
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
