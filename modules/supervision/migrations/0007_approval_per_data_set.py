import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('supervision', '0006_standard_data_set'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='approval',
            name='supervision_approval_key',
        ),
        migrations.AlterField(
            model_name='approval',
            name='data_set',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='approvals', to='supervision.dataset'),
        ),
        migrations.AlterField(
            model_name='approval',
            name='period',
            field=models.DateField(verbose_name='期间（首月月初）'),
        ),
        migrations.AddConstraint(
            model_name='approval',
            constraint=models.UniqueConstraint(fields=('data_set', 'unit', 'period'), name='supervision_approval_ds_key'),
        ),
    ]
