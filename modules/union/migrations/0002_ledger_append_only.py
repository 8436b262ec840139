"""The points ledger only grows: a trigger refuses UPDATE and DELETE of its rows (a correction is
a new line with rule `adjust`)."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION union_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'union_pointentry is append-only' USING ERRCODE = 'check_violation';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER union_pointentry_append_only BEFORE UPDATE OR DELETE ON union_pointentry
    FOR EACH ROW EXECUTE FUNCTION union_ledger_append_only();
"""
REVERSE = """
DROP TRIGGER IF EXISTS union_pointentry_append_only ON union_pointentry;
DROP FUNCTION IF EXISTS union_ledger_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("union", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
