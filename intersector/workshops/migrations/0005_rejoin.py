"""A phone or browser asking to continue as someone already in the workshop ("Is this you?"):
it waits for a yes from that person's first phone or a facilitator (workshops/people.py)."""

import django.db.models.deletion
import django.utils.timezone
import intersector.workshops.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workshops', '0004_languages'),
    ]

    operations = [
        migrations.CreateModel(
            name='Rejoin',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('secret', models.CharField(default=intersector.workshops.models.new_secret, max_length=64)),
                ('status', models.CharField(choices=[('waiting', 'Waiting for a yes'), ('allowed', 'Let in'), ('refused', 'Refused')], default='waiting', max_length=10)),
                ('created', models.DateTimeField(default=django.utils.timezone.now)),
                ('participant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rejoins', to='workshops.participant')),
            ],
            options={
                'ordering': ['created', 'pk'],
            },
        ),
    ]
