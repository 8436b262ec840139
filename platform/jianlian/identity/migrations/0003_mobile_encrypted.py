"""Mobile numbers are encrypted at rest (Fernet, like ID numbers) and found through a blind index.

Existing numbers are read in clear, encrypted and indexed in place; going back decrypts them.
"""

from django.db import migrations, models

import jianlian.identity.crypto


def encrypt_mobiles(apps, schema_editor):
    from jianlian.identity.crypto import encrypt
    from jianlian.identity.models import mobile_blind_index

    from psycopg2.extras import execute_values

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, mobile FROM identity_user")
        values = [(pk, encrypt(mobile) if mobile else "", mobile_blind_index(mobile or "")) for pk, mobile in cursor.fetchall()]
        execute_values(cursor.cursor, "UPDATE identity_user AS u SET mobile = v.mobile, mobile_index = v.idx "
                                      "FROM (VALUES %s) AS v(id, mobile, idx) WHERE u.id = v.id", values, page_size=1000)


def decrypt_mobiles(apps, schema_editor):
    from jianlian.identity.crypto import decrypt

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, mobile FROM identity_user")
        for pk, token in cursor.fetchall():
            cursor.execute("UPDATE identity_user SET mobile = %s WHERE id = %s", [decrypt(token) if token else "", pk])


class Migration(migrations.Migration):
    dependencies = [("identity", "0002_user_email")]

    operations = [
        migrations.AddField(
            model_name="user", name="mobile_index",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name="user", name="mobile",
            field=jianlian.identity.crypto.EncryptedTextField(verbose_name="手机号"),
        ),
        migrations.RunPython(encrypt_mobiles, decrypt_mobiles, elidable=False),
        migrations.AlterField(
            model_name="user", name="mobile_index",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
