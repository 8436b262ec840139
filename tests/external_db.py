"""`make test-external`: run the tenancy, marketplace, bus and referral suites against any
PostgreSQL named by DATABASE_URL (a Citus coordinator with schema-based sharding, a server behind
PgBouncer …) instead of the embedded one.

Loaded as a plugin (`-p tests.external_db`). The suites then use the database named by
JIANLIAN_TEST_DATABASE (it must start with `test_`: transactional tests empty its tables) on the
server of DATABASE_URL, and keep it between runs (`--reuse-db`): on Citus it must be prepared
once, on every node, with the extension and the workers registered (infra/README.md), which a
test run cannot do by itself. Without Citus it is created when missing.
"""

from __future__ import annotations

import os

import pytest


@pytest.hookimpl(trylast=True)  # after tests/conftest.py, which names a database per run
def pytest_configure(config):
    from django.conf import settings

    name = os.environ.get("JIANLIAN_TEST_DATABASE", "")
    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        raise pytest.UsageError("make test-external 需要 DATABASE_URL 与 REDIS_URL (set DATABASE_URL and REDIS_URL)")
    if not name.startswith("test_"):
        raise pytest.UsageError("JIANLIAN_TEST_DATABASE 必须以 test_ 开头 (name a database starting with test_)")
    settings.DATABASES["default"]["TEST"]["NAME"] = name
    config.option.reuse_db = True
    _start_clean(settings.DATABASES["default"], name)


def _start_clean(db: dict, name: str) -> None:
    """A kept database still holds what an interrupted run committed (tenants created by
    transactional tests, their bus messages …), which later runs would see. Drop every schema the
    platform made and public's tables; the session then migrates it afresh, as it would a new
    database (the extensions, Citus's node list included, stay)."""
    import psycopg2

    try:
        conn = psycopg2.connect(dbname=name, user=db["USER"], password=db.get("PASSWORD") or None,
                                host=db.get("HOST") or db["OPTIONS"].get("host"), port=db.get("PORT") or None)
    except psycopg2.OperationalError:
        return  # not created yet: the session creates it
    conn.autocommit = True
    member = "EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = {oid} AND d.deptype = 'e')"
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_%%' AND nspname NOT IN "
            "('public', 'information_schema', 'citus', 'citus_internal', 'columnar', 'columnar_internal') "
            f"AND NOT {member.format(oid='pg_namespace.oid')}"
        )
        for (schema,) in cursor.fetchall():
            cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')
        # public keeps the extensions' objects (Citus has views there): drop only the platform's tables
        cursor.execute(f"SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') "
                       f"AND NOT {member.format(oid='pg_class.oid')}")
        tables = [r[0] for r in cursor.fetchall()]
        if tables:
            cursor.execute("DROP TABLE " + ", ".join(f'public."{t}"' for t in tables) + " CASCADE")
    conn.close()
