"""Each bed keeps its state (occupied, held until) for the network's availability count; existing beds
take it from their open residencies and their holds still marked held."""

from typing import Any

from django.db import migrations, models
from django.db.models import Exists, OuterRef, Subquery


def fill_bed_state(apps: Any, schema_editor: Any) -> None:
    Bed = apps.get_model("shelters", "Bed")
    StayResident = apps.get_model("shelters", "StayResident")
    BedHold = apps.get_model("shelters", "BedHold")
    sleeping = StayResident.objects.filter(bed_id=OuterRef("pk"), ended_at__isnull=True)
    held = BedHold.objects.filter(bed_id=OuterRef("pk"), status="HELD").values("expires_at")[:1]
    Bed.objects.update(is_occupied=Exists(sleeping), held_until=Subquery(held))


class Migration(migrations.Migration):
    dependencies = [
        ("shelters", "0001_shelters"),
    ]

    operations = [
        migrations.AddField(
            model_name="bed",
            name="held_until",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="bed",
            name="is_occupied",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(fill_bed_state, migrations.RunPython.noop, elidable=True),
    ]
