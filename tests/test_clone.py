"""A cloned tenant schema is the template, object for object (tenants/clone.py): columns,
identity, defaults, storage parameters, constraints and indexes by name and definition, triggers, functions, rows and
where each identity sequence stands — so later migrations, which find constraints and indexes by
name, apply to a clone exactly as to a migrated schema."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import connection

CATALOG = {
    "columns": """SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity,
                         pg_get_expr(d.adbin, d.adrelid)
                  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                  WHERE c.relnamespace = %s::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped""",
    "constraints": """SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid), k.condeferrable, k.condeferred
                      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid WHERE c.relnamespace = %s::regnamespace""",
    "indexes": """SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                  WHERE c.relnamespace = %s::regnamespace""",
    "triggers": """SELECT t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                   WHERE c.relnamespace = %s::regnamespace AND NOT t.tgisinternal""",
    "storage parameters": """SELECT relname, reloptions FROM pg_class
                             WHERE relnamespace = %s::regnamespace AND reloptions IS NOT NULL""",
    "functions": "SELECT proname, prosrc FROM pg_proc WHERE pronamespace = %s::regnamespace",
    "sequences": """SELECT sequencename, last_value, increment_by FROM pg_sequences WHERE schemaname = %s""",
}


def _catalog(schema: str) -> dict[str, list]:
    out = {}
    with connection.cursor() as cursor:
        for what, sql in CATALOG.items():
            cursor.execute(sql, [schema])
            out[what] = sorted(tuple(re.sub(rf'"?{re.escape(schema)}"?\.', "S.", str(v)) for v in row) for row in cursor.fetchall())
        cursor.execute("SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace AND relkind = 'r'", [schema])
        counts = {}
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')
            counts[table] = cursor.fetchone()[0]
        out["rows"] = counts
    return out


def test_a_clone_is_the_template_object_for_object(db, unique):
    from jianlian.hierarchy.services import create_unit
    from tenants.provisioning import create_tenant
    from tests.factories import build_province

    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute(f'ALTER TABLE "{settings.TENANT_TEMPLATE_SCHEMA}".audit_auditrecord SET (fillfactor = 70)')
    p = build_province(unique("k"))
    node = create_unit(None, parent=p.county_a, level="lead", name="克隆医共体", unit_type="county_hospital")
    tenant = create_tenant(None, node, unique("k"), method="clone")
    template, clone = _catalog(settings.TENANT_TEMPLATE_SCHEMA), _catalog(tenant.schema_name)
    # provisioning writes the clone's first audit record: its table and sequence moved on
    for side in (template, clone):
        side["sequences"] = [s for s in side["sequences"] if s[0] != "audit_auditrecord_id_seq"]
    for what in CATALOG:
        assert clone[what] == template[what], what
    assert {t: n for t, n in clone["rows"].items() if t != "audit_auditrecord"} == {
        t: n for t, n in template["rows"].items() if t != "audit_auditrecord"}
    assert clone["rows"]["django_migrations"] > 0
    # a table given room for in-place updates (as learning migration 0003 does) keeps it in the clone
    assert ("audit_auditrecord", "['fillfactor=70']") in clone["storage parameters"]
