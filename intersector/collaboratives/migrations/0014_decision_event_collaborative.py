"""A decision event keeps its decision's collaborative, with an index for "what changed"."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Decision = apps.get_model("collaboratives", "Decision")
    DecisionEvent = apps.get_model("collaboratives", "DecisionEvent")
    DecisionEvent.objects.update(collaborative_id=Subquery(
        Decision.objects.filter(pk=OuterRef("decision_id")).values("collaborative_id")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("collaboratives", "0013_digest_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="decisionevent",
            name="collaborative",
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="+", to="collaboratives.collaborative"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
