"""Seed the standard monthly data set (every standard element, the reporting levels, due on the
10th of the next month, never locked by date) and move every existing approval onto it, so that
what was keyed by unit and month before is keyed by (standard set, unit, month) now."""

from django.db import migrations


def seed(apps, schema_editor):
    from modules.supervision import standard

    standard.load_data_set(apps.get_model("supervision", "DataSet"), apps.get_model("supervision", "DataElement"))
    ds = apps.get_model("supervision", "DataSet").objects.get(code=standard.DATA_SET[0])
    apps.get_model("supervision", "Approval").objects.filter(data_set__isnull=True).update(data_set=ds)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0005_datasets")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop, hints={"public": True})]
