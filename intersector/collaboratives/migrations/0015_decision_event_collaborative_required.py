"""The decision event's collaborative is required, and indexed for "what changed" (apart from
0014, which fills it: PostgreSQL refuses to alter a table with the fill's checks still pending
in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("collaboratives", "0014_decision_event_collaborative"),
    ]

    operations = [
        migrations.AlterField(
            model_name="decisionevent",
            name="collaborative",
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="+", to="collaboratives.collaborative"),
        ),
        migrations.AddIndex(
            model_name="decisionevent",
            index=models.Index(fields=["collaborative", "at", "id"], name="decision_event_newest"),
        ),
    ]
