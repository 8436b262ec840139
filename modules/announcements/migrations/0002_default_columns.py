"""The four usual columns arrive with the app (院务公开, 通知公告, 新闻动态, 专题), without
administrators: the tenant's announcements administrator names them."""

from django.db import migrations


def install(apps, schema_editor):
    from modules.announcements.columns import install_defaults

    install_defaults(apps.get_model("announcements", "Column"))


class Migration(migrations.Migration):
    dependencies = [("announcements", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
