"""Answer saves and the submit update every item of a paper in place: with pages filled to 50 %
the new row version fits on the same page (a HOT update: no index entry written, less WAL), where
a full page sent it elsewhere and wrote every index again. The attempt's own index goes: the
unique (attempt, question) index serves look-ups by attempt, one index fewer to write per item."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("learning", "0002_courses_quizzes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="attemptitem",
            name="attempt",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="items",
                                    to="learning.attempt"),
        ),
        migrations.RunSQL("ALTER TABLE learning_attemptitem SET (fillfactor = 50)",
                          "ALTER TABLE learning_attemptitem RESET (fillfactor)"),
    ]
