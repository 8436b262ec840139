"""The audit chain is keyed and anchored (see jianlian.audit.service).

Existing records keep their unkeyed SHA-256 hashes (`hash_alg` "sha256") and stay verifiable as
the chain's prefix; every record written from now on is an HMAC under AUDIT_HMAC_KEY. Checkpoints
are append-only like the records (one SQL statement per operation, as Citus wants).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [
        migrations.AddField(
            model_name="auditrecord", name="hash_alg",
            field=models.CharField(default="sha256", max_length=16),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditrecord", name="hash_alg",
            field=models.CharField(default="hmac-sha256", max_length=16),
        ),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("schema", models.CharField(max_length=63, verbose_name="模式")),
                ("seq", models.BigIntegerField(verbose_name="序号")),
                ("hash", models.CharField(max_length=64)),
                ("signature", models.CharField(max_length=64)),
                ("at", models.DateTimeField(verbose_name="时间")),
            ],
            options={"verbose_name": "审计锚点", "verbose_name_plural": "审计锚点"},
        ),
        migrations.AddConstraint(
            model_name="auditcheckpoint",
            constraint=models.UniqueConstraint(fields=("schema", "seq"), name="audit_checkpoint_schema_seq"),
        ),
        migrations.RunSQL(
            "CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_auditcheckpoint "
            "FOR EACH ROW EXECUTE FUNCTION jianlian_audit_append_only()",
            "DROP TRIGGER IF EXISTS audit_checkpoint_append_only ON audit_auditcheckpoint",
        ),
        migrations.RunSQL(
            "CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_auditcheckpoint "
            "FOR EACH STATEMENT EXECUTE FUNCTION jianlian_audit_append_only()",
            "DROP TRIGGER IF EXISTS audit_checkpoint_no_truncate ON audit_auditcheckpoint",
        ),
    ]
