"""Contact search reads a page in pinyin order from an index: the pinyin in the "C" collation
(one btree serves `LIKE 'zh%'` and the order, whatever the database's collation), (name_pinyin,
id) instead of the text_pattern_ops index, and the first two or three letters of
the initials followed by the pinyin."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0004_mobile_encrypted'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='staffprofile',
            name='staff_pinyin_prefix',
        ),
        migrations.AlterField(
            model_name='staffprofile',
            name='name_pinyin',
            field=models.CharField(db_collation='C', editable=False, max_length=200, verbose_name='姓名全拼'),
        ),
        migrations.AddIndex(
            model_name='staffprofile',
            index=models.Index(fields=['name_pinyin', 'id'], name='staff_pinyin_order'),
        ),
        migrations.AddIndex(
            model_name='staffprofile',
            index=models.Index(django.db.models.functions.text.Left('name_initials', 2), models.F('name_pinyin'), models.F('id'), name='staff_initials2_order'),
        ),
        migrations.AddIndex(
            model_name='staffprofile',
            index=models.Index(django.db.models.functions.text.Left('name_initials', 3), models.F('name_pinyin'), models.F('id'), name='staff_initials3_order'),
        ),
    ]
