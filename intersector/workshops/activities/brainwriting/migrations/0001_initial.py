"""Brainwriting's models, moved here from the workshops app without touching their tables.

On a site that ran the workshops app's 0001 and 0002, the tables workshops_theme, workshops_note
and workshops_vote already exist with their rows: this migration only tells Django that they now
belong to this app (db_table keeps the names), after workshops' 0003 forgot them. The content
types follow, so anything that points at them keeps pointing at the same models.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

MODELS = ('theme', 'note', 'vote')


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    for model in MODELS:
        if not ContentType.objects.filter(app_label='brainwriting', model=model).exists():
            ContentType.objects.filter(app_label='workshops', model=model).update(app_label='brainwriting')


def return_content_types(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    for model in MODELS:
        if not ContentType.objects.filter(app_label='workshops', model=model).exists():
            ContentType.objects.filter(app_label='brainwriting', model=model).update(app_label='workshops')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('workshops', '0003_brainwriting_moves_to_its_own_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Theme',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('label', models.CharField(max_length=120, verbose_name='label')),
                        ('locked', models.BooleanField(default=False, verbose_name='keep when themes are made again')),
                        ('order', models.PositiveIntegerField(default=0)),
                        ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='themes', to='workshops.agendaitem')),
                    ],
                    options={
                        'db_table': 'workshops_theme',
                        'ordering': ['order', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Note',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('prompt', models.PositiveSmallIntegerField(verbose_name='prompt')),
                        ('about', models.CharField(max_length=20, verbose_name='sector written about')),
                        ('text', models.CharField(max_length=280, verbose_name='note')),
                        ('round', models.PositiveSmallIntegerField(verbose_name='round')),
                        ('key', models.CharField(max_length=64)),
                        ('created', models.DateTimeField(default=django.utils.timezone.now)),
                        ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notes', to='workshops.agendaitem')),
                        ('participant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notes', to='workshops.participant')),
                        ('sheet', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='workshops.participant')),
                        ('table', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='workshops.table')),
                        ('theme', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='notes', to='brainwriting.theme')),
                    ],
                    options={
                        'db_table': 'workshops_note',
                        'ordering': ['created', 'pk'],
                        'indexes': [
                            models.Index(fields=['item', 'round'], name='workshops_n_item_id_a23f1f_idx'),
                            models.Index(fields=['sheet', 'item', 'round'], name='note_sheet_round'),
                        ],
                        'constraints': [models.UniqueConstraint(fields=('participant', 'key'), name='note_saved_once')],
                    },
                ),
                migrations.CreateModel(
                    name='Vote',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created', models.DateTimeField(default=django.utils.timezone.now)),
                        ('participant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='workshops.participant')),
                        ('theme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='votes', to='brainwriting.theme')),
                    ],
                    options={
                        'db_table': 'workshops_vote',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, return_content_types),
    ]
