"""The built-in templates arrive with the app: this runs when the app is installed in a tenant
(the marketplace applies the module's migrations in that tenant's schema only)."""

from django.db import migrations


def install(apps, schema_editor):
    from modules.approvals.builtin import install as install_builtin

    install_builtin(apps.get_model("approvals", "Template"), apps.get_model("approvals", "TemplateVersion"))


class Migration(migrations.Migration):
    dependencies = [("approvals", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
