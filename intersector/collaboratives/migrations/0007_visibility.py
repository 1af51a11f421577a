# Progress reports: what funders and the public may read (visibility), and e-mail digests.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('collaboratives', '0006_decision_log_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='decision',
            name='visibility',
            field=models.CharField(choices=[('partners', 'Partners only'), ('public', 'Partners, funders and the public')], default='partners', max_length=10, verbose_name='who may read it in reports'),
        ),
        migrations.AddField(
            model_name='healthwave',
            name='visibility',
            field=models.CharField(choices=[('partners', 'Partners only'), ('public', 'Partners, funders and the public')], default='partners', max_length=10, verbose_name='who may read it in reports'),
        ),
        migrations.AddField(
            model_name='member',
            name='digest',
            field=models.CharField(choices=[('none', 'No e-mail'), ('daily', 'Once a day'), ('weekly', 'Once a week')], default='none', max_length=10, verbose_name='e-mail digest'),
        ),
        migrations.AddField(
            model_name='member',
            name='digest_sent_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
