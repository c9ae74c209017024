"""The demo's group work loads through the verbs for both demo countries."""

from __future__ import annotations

from django.utils import timezone

from haven.conftest import World
from haven.groups.models import Activity, Campaign, Certificate
from haven.groups.queries import campaign_totals
from haven.groups.tests.conftest import Family
from haven.web.demo_groups import load_demo_groups


def test_it_loads_the_quebec_and_dhaka_demos(world: World, family: Family) -> None:
    load_demo_groups(world.org, timezone.now())
    assert {"Réunion de cuisine", "Groupe des enfants"} <= set(
        Activity.objects.values_list("title", flat=True)
    )
    world.org.country = "BD"
    world.org.default_language = "bn"
    load_demo_groups(world.org, timezone.now())
    assert Activity.objects.filter(kind="VOCATIONAL_TRAINING", language="bn").exists()
    assert Certificate.objects.count() == 1
    for campaign in Campaign.objects.all():
        totals = campaign_totals(campaign)
        assert (totals.produced, totals.distributed) == (2600, 1950)
