"""The demo's programme: synthetic participants with sessions, in the organisation's languages."""

from __future__ import annotations

from django.utils import timezone

from haven.conftest import World
from haven.perpetrators.models import Completion, OdaraAssessment, Participant, ProgrammeSession
from haven.web.demo_perpetrators import load_demo_perpetrators


def test_it_loads_the_kazakh_programme_once(world: World) -> None:
    world.org.country = "KZ"
    world.org.save(update_fields=["country"])
    load_demo_perpetrators(world.org, timezone.now())
    load_demo_perpetrators(world.org, timezone.now())
    assert Participant.objects.filter(org=world.org).count() == 3
    assert set(Participant.objects.values_list("status", flat=True)) == {"ACTIVE", "COMPLETED", "INTAKE"}
    assert ProgrammeSession.objects.count() == 6 and OdaraAssessment.objects.count() == 2
    assert Completion.objects.count() == 1
