"""The demo loads on the Bangladesh organisation once its programmes and rules exist, and not before."""

from __future__ import annotations

from django.utils import timezone

from haven.benefits.grievances.models import Grievance
from haven.benefits.models import Application, RuleSet
from haven.benefits.rules import VWB_RULES
from haven.benefits.selection.models import Objection, SelectionList
from haven.benefits.tests import factories
from haven.conftest import World
from haven.web.demo_selection import load_demo_selection


def test_it_loads_a_list_in_its_objection_window(world: World) -> None:
    load_demo_selection(world.org, timezone.now())
    assert not Application.objects.exists()  # no programme yet: nothing
    programme = factories.vwb(world.org)
    RuleSet.objects.create(
        org=world.org, programme=programme, version=1, created_at=timezone.now(), **VWB_RULES
    )
    factories.union(world.org)
    load_demo_selection(world.org, timezone.now())
    assert Application.objects.filter(programme=programme).count() == 4
    selection_list = SelectionList.objects.get()
    assert selection_list.status == "PUBLISHED" and selection_list.entries.count() == 3
    assert Objection.objects.count() == 1 and Grievance.objects.count() == 2
