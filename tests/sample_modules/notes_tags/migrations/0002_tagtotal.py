from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("notes_tags", "0001_initial")]
    operations = [
        migrations.CreateModel("TagTotal", [
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("tenant_slug", models.CharField(max_length=40)),
            ("label", models.CharField(max_length=30)),
            ("total", models.PositiveIntegerField(default=0)),
        ]),
    ]
