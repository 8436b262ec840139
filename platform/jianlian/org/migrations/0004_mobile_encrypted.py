"""Staff mobiles are encrypted at rest; "search by the last digits" uses blind indexes of the
suffixes (`mobile_suffixes`, GIN) instead of the reversed number in clear."""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models

import jianlian.identity.crypto


def encrypt_mobiles(apps, schema_editor):
    from psycopg2.extras import execute_values

    from jianlian.identity.crypto import encrypt
    from jianlian.identity.models import mobile_suffix_indexes

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, mobile FROM org_staffprofile WHERE mobile <> ''")
        values = [(pk, encrypt(mobile), mobile_suffix_indexes(mobile)) for pk, mobile in cursor.fetchall()]
        execute_values(cursor.cursor, "UPDATE org_staffprofile AS s SET mobile = v.mobile, mobile_suffixes = v.sfx "
                                      "FROM (VALUES %s) AS v(id, mobile, sfx) WHERE s.id = v.id", values,
                       template="(%s, %s, %s::varchar(16)[])", page_size=1000)


def decrypt_mobiles(apps, schema_editor):
    from jianlian.identity.crypto import decrypt

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, mobile FROM org_staffprofile WHERE mobile <> ''")
        for pk, token in cursor.fetchall():
            plain = decrypt(token)
            cursor.execute("UPDATE org_staffprofile SET mobile = %s, mobile_reversed = %s WHERE id = %s",
                           [plain, plain[::-1], pk])


class Migration(migrations.Migration):
    dependencies = [("org", "0003_visibility_by_role")]

    operations = [
        migrations.AddField(
            model_name="staffprofile", name="mobile_suffixes",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=16), blank=True, default=list, editable=False, size=None),
        ),
        migrations.AlterField(
            model_name="staffprofile", name="mobile",
            field=jianlian.identity.crypto.EncryptedTextField(blank=True, verbose_name="手机号"),
        ),
        migrations.RunPython(encrypt_mobiles, decrypt_mobiles, elidable=False),
        migrations.RemoveIndex(model_name="staffprofile", name="staff_mobile_suffix"),
        migrations.RemoveField(model_name="staffprofile", name="mobile_reversed"),
        migrations.AddIndex(
            model_name="staffprofile",
            index=django.contrib.postgres.indexes.GinIndex(fields=["mobile_suffixes"], name="staff_mobile_suffixes"),
        ),
    ]
