"""Brainwriting's notes, themes and votes now belong to its own app
(intersector/workshops/activities/brainwriting). Only Django's record of the models moves: the
tables stay as they are, with everything in them (see that app's 0001_initial)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('workshops', '0002_note_sheet_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Vote'),
                migrations.DeleteModel(name='Note'),
                migrations.DeleteModel(name='Theme'),
            ],
            database_operations=[],
        ),
    ]
