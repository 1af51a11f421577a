# Progress reports: a convenor marks commitments, results, indicators and network surveys public (as decisions, 0007).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('collaboratives', '0008_network'),
    ]

    operations = [
        migrations.AddField(
            model_name='commitment',
            name='visibility',
            field=models.CharField(choices=[('partners', 'Partners only'), ('public', 'Partners, funders and the public')], default='partners', max_length=10, verbose_name='who may read it in reports'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='visibility',
            field=models.CharField(choices=[('partners', 'Partners only'), ('public', 'Partners, funders and the public')], default='partners', max_length=10, verbose_name='who may read it in reports'),
        ),
        migrations.AddField(
            model_name='networkwave',
            name='visibility',
            field=models.CharField(choices=[('partners', 'Partners only'), ('public', 'Partners, funders and the public')], default='partners', max_length=10, verbose_name='who may read it in reports'),
        ),
        migrations.AddField(
            model_name='result',
            name='visibility',
            field=models.CharField(choices=[('partners', 'Partners only'), ('public', 'Partners, funders and the public')], default='partners', max_length=10, verbose_name='who may read it in reports'),
        ),
    ]
