"""Incidents keep her sex and their perpetrators' relationships, so the GBVIMS statistics read incidents alone.

The new columns are filled from what the records say today: her sex from her person record, the
relationships (each once, in order) from the incident's alleged perpetrators.
"""

from typing import Any

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

BATCH = 2000


def fill_from_the_records(apps: Any, schema_editor: Any) -> None:
    case_model = apps.get_model("cases", "Case")
    incident_model = apps.get_model("cases", "Incident")
    perpetrator_model = apps.get_model("cases", "AllegedPerpetrator")
    her_sex = case_model.objects.filter(pk=OuterRef("case_id")).values("survivor__sex")[:1]
    incident_model.objects.update(survivor_sex=Subquery(her_sex))
    rows = perpetrator_model.objects.order_by("incident_id").values_list("incident_id", "relationship")
    relationships: dict[Any, set[str]] = {}
    for incident_id, relationship in rows.iterator(chunk_size=BATCH):
        relationships.setdefault(incident_id, set()).add(relationship)
    incident_model.objects.bulk_update(
        [
            incident_model(pk=pk, perpetrator_relationships=sorted(kinds))
            for pk, kinds in relationships.items()
        ],
        ["perpetrator_relationships"],
        batch_size=BATCH,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_incident_reported_elsewhere"),
    ]

    operations = [
        migrations.AddField(
            model_name="incident",
            name="perpetrator_relationships",
            field=models.JSONField(default=list, editable=False),
        ),
        migrations.AddField(
            model_name="incident",
            name="survivor_sex",
            field=models.CharField(
                choices=[
                    ("FEMALE", "Female"),
                    ("MALE", "Male"),
                    ("OTHER", "Other"),
                    ("UNKNOWN", "Not known"),
                ],
                default="UNKNOWN",
                editable=False,
                max_length=8,
            ),
        ),
        migrations.RunPython(fill_from_the_records, migrations.RunPython.noop),
    ]
