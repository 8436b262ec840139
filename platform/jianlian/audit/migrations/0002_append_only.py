"""Audit records are append-only: the database itself refuses UPDATE, DELETE and TRUNCATE on them.

A superuser can still drop the trigger; `verify_audit` then finds the altered record by
recomputing the hash chain.
"""

from django.db import migrations

# One statement per element: a coordinator forwards DDL to the workers as prepared statements, which
# refuse several commands in one ("cannot insert multiple commands into a prepared statement").
#
# On Citus a tenant's audit table is distributed, and Citus refuses triggers on distributed tables
# unless `citus.enable_unsafe_triggers` is on (its worry: a trigger that reads or writes other
# shards). This trigger reads a setting and raises; it touches no table, so it is safe, and it is
# switched on for this transaction only (SET LOCAL; on plain PostgreSQL it is an unused custom
# setting). Provisioning does the same when it distributes a cloned schema (tenants/citus.py).
FORWARD = [
    "SET LOCAL citus.enable_unsafe_triggers = on",
    """CREATE OR REPLACE FUNCTION jianlian_audit_append_only() RETURNS trigger AS $$
BEGIN
    -- Only a database an operator marked for maintenance (the test database) may be truncated.
    IF TG_OP = 'TRUNCATE' AND current_setting('jianlian.audit_maintenance', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit records are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS audit_append_only ON audit_auditrecord",
    """CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditrecord
    FOR EACH ROW EXECUTE FUNCTION jianlian_audit_append_only()""",
    "DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditrecord",
    """CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_auditrecord
    FOR EACH STATEMENT EXECUTE FUNCTION jianlian_audit_append_only()""",
]

BACKWARD = [
    "SET LOCAL citus.enable_unsafe_triggers = on",
    "DROP TRIGGER IF EXISTS audit_append_only ON audit_auditrecord",
    "DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditrecord",
]


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
