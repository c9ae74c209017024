"""A screen that offered an immediate dispatch is answered when a dispatch is created for her case."""

from __future__ import annotations

from django.utils import timezone

from haven.cases.models import Case
from haven.conftest import World
from haven.dispatch import actions
from haven.dispatch.tests.conftest import ADDRESS
from haven.risk.actions import install_default_rules
from haven.risk.models import Escalation
from haven.risk.tests.walk import lap_screen


def test_creating_a_dispatch_takes_up_the_screens_offer(world: World, case: Case) -> None:
    install_default_rules(org=world.org, acting_user=None, at=world.at)
    screened_in = lap_screen(case, at=world.at)
    assert Escalation.objects.open_dispatch_offers().filter(assessment=screened_in).count() == 1

    actions.create_dispatch(
        case=case, priority=1, location_address=ADDRESS, acting_user=None, at=timezone.now()
    )

    assert not Escalation.objects.open_dispatch_offers().filter(assessment=screened_in).exists()
    assert Escalation.objects.get(assessment=screened_in).dispatch_taken_at is not None


def test_a_dispatch_for_another_case_leaves_the_offer_open(world: World, case: Case) -> None:
    install_default_rules(org=world.org, acting_user=None, at=world.at)
    lap_screen(case, yes=("q2",), at=world.at)
    other = Case.objects.create(org=world.org, survivor=case.survivor, opened_at=world.at)

    actions.create_dispatch(
        case=other, priority=1, location_address=ADDRESS, acting_user=None, at=timezone.now()
    )

    assert Escalation.objects.open_dispatch_offers().count() == 1
