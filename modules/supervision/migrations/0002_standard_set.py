"""Preload the national monitoring set (modules/supervision/standard.py) in the public schema."""

from django.db import migrations


def load(apps, schema_editor):
    from modules.supervision import standard

    standard.load(apps.get_model("supervision", "DataElement"), apps.get_model("supervision", "Indicator"),
                  apps.get_model("supervision", "ValidationRule"))


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop, hints={"public": True})]
