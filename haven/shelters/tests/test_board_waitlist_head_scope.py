"""The board names the household heading the waitlist only to staff who may see that entry: a lawyer
neither on her case nor based at the shelter learns nothing of who is waiting for it."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from haven.conftest import World
from haven.orgs.roles import Role
from haven.shelters import actions
from haven.shelters.models import Facility, WaitlistEntry
from haven.shelters.tests.conftest import Household


def _board(world: World, facility: Facility, role: Role) -> str:
    client = world.client_for(world.members[role])
    response = client.get(reverse("shelters:board", args=[facility.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_head_of_the_waitlist_is_shown_only_to_who_may_see_it(
    world: World, facility: Facility, household: Household
) -> None:
    entry = actions.add_to_waitlist(
        case=household.case, facility=facility, acting_user=None, at=timezone.now()
    )
    lawyer = world.members[Role.LAWYER]
    assert not WaitlistEntry.objects.visible_to(lawyer.user).filter(pk=entry.pk).exists()
    assert household.woman.survivor_code not in _board(world, facility, Role.LAWYER)
    assert household.woman.survivor_code in _board(world, facility, Role.SHELTER_MANAGER)
    assert household.woman.survivor_code in _board(world, facility, Role.CASEWORKER)
