"""Tenants provisioned before the marketplace keep editable copies of the built-in roles; give
their built-in tenant administrators the new right to manage apps, as new tenants get it."""

from django.db import migrations


def forwards(apps, schema_editor):
    Role = apps.get_model("access", "Role")
    for role in Role.objects.filter(tenant__isnull=False, code="tenant_admin", is_builtin=True):
        if "marketplace.manage" not in role.permissions:
            role.permissions = [*role.permissions, "marketplace.manage"]
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_initial"), ("access", "0002_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
