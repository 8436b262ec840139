"""Give the built-in roles of an existing tenant this app's permission codes (new tenants get
them when their roles are seeded). Runs in each tenant schema; the template has no tenant row."""

from django.db import migrations


def add_permissions(apps, schema_editor):
    from jianlian.org.apps import ROLE_PERMISSIONS

    Tenant = apps.get_model("tenants", "Tenant")
    Role = apps.get_model("access", "Role")
    tenant = Tenant.objects.filter(schema_name=schema_editor.connection.schema_name).first()
    if tenant is None:
        return
    for role in Role.objects.filter(tenant=tenant, is_builtin=True, code__in=list(ROLE_PERMISSIONS)):
        missing = [c for c in ROLE_PERMISSIONS[role.code] if c not in role.permissions]
        if missing:
            role.permissions = [*role.permissions, *missing]
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0001_initial"),
        ("access", "__first__"),
        ("tenants", "__first__"),
    ]

    operations = [migrations.RunPython(add_permissions, migrations.RunPython.noop)]
