import django.contrib.postgres.fields
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('hierarchy', '0001_initial'),
        ('supervision', '0004_alert_alertfiring'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DataSet',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=60, unique=True, verbose_name='代码')),
                ('name', models.CharField(max_length=100, verbose_name='名称')),
                ('name_en', models.CharField(blank=True, max_length=150, verbose_name='英文名称')),
                ('period_type', models.CharField(choices=[('monthly', '月报'), ('quarterly', '季报'), ('yearly', '年报')], default='monthly', max_length=10, verbose_name='报告周期')),
                ('levels', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=16), default=list, size=None, verbose_name='适用层级')),
                ('unit_types', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=32), blank=True, default=list, size=None, verbose_name='适用单位类型')),
                ('due_days', models.PositiveSmallIntegerField(default=10, verbose_name='按时上报天数')),
                ('lock_days', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='锁定天数')),
                ('description', models.TextField(blank=True, verbose_name='说明')),
                ('elements', models.ManyToManyField(blank=True, related_name='data_sets', to='supervision.dataelement', verbose_name='数据元')),
            ],
            options={
                'verbose_name': '数据集',
                'verbose_name_plural': '数据集',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='EntryReopening',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period', models.DateField(verbose_name='期间（首月月初）')),
                ('until', models.DateField(verbose_name='开放至')),
                ('reason', models.CharField(max_length=500, verbose_name='原因')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
                ('data_set', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reopenings', to='supervision.dataset')),
                ('granted_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='hierarchy.orgunit')),
            ],
            options={
                'verbose_name': '重新开放填报',
                'verbose_name_plural': '重新开放填报',
                'indexes': [models.Index(fields=['data_set', 'unit', 'period'], name='supervision_reopening_key')],
            },
        ),
        migrations.AddField(
            model_name='approval',
            name='data_set',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='approvals', to='supervision.dataset'),
        ),
    ]
