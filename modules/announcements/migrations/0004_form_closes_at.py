from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('announcements', '0003_form'),
    ]

    operations = [
        migrations.AddField(
            model_name='post',
            name='form_closes_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='表单或投票截止时间'),
        ),
    ]
