import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = [("notes", "0001_initial")]
    operations = [
        migrations.CreateModel("Tag", [
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("label", models.CharField(max_length=30)),
            ("note", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="notes.note")),
        ]),
    ]
