"""A stay changed through the API comes back in the response: that answer is a reading of the stay, so
each change writes the same audited read (`stay.view`) as fetching the stay does."""

from __future__ import annotations

from datetime import timedelta

from haven.conftest import World
from haven.orgs.actions import create_site
from haven.orgs.models import Membership, Site
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry
from haven.shelters import actions
from haven.shelters.models import Facility
from haven.shelters.tests.conftest import Household, admit, api, bed, make_facility_on


def _read_by(member: Membership, stay_id: str) -> int:
    return AuditEntry.objects.filter(action="stay.view", object_id=stay_id, actor=member.user).count()


def test_it_audits_the_stay_returned_by_a_decision_on_an_extension(
    world: World, facility: Facility, household: Household
) -> None:
    stay = admit(household, facility, world.at)
    caseworker, manager = world.members[Role.CASEWORKER], world.members[Role.SHELTER_MANAGER]
    extension = actions.request_extension(
        stay=stay,
        new_planned_end=world.at.date() + timedelta(days=60),
        reason="Her hearing is next month",
        acting_user=caseworker.user,
        at=world.at,
    )
    decided = api(world, manager, "POST", f"/extensions/{extension.pk}/decision", {"approve": True})
    assert decided.status_code == 200, decided.content
    assert decided.json()["id"] == str(stay.pk)
    assert _read_by(manager, str(stay.pk)) == 1


def test_it_audits_the_new_stay_returned_by_a_transfer(
    world: World, facility: Facility, household: Household
) -> None:
    site = create_site(
        org=world.org, name="Second home", kind=Site.Kind.SHELTER, acting_user=None, at=world.at
    )
    home = make_facility_on(site)
    stay = admit(household, facility, world.at)
    manager = world.members[Role.SHELTER_MANAGER]
    body = {"facility_id": str(home.pk), "residents": [{"bed_id": str(bed(home, "1").pk)}]}
    moved = api(world, manager, "POST", f"/stays/{stay.pk}/transfer", body)
    assert moved.status_code == 201, moved.content
    new_stay_id = moved.json()["id"]
    assert new_stay_id != str(stay.pk)
    assert _read_by(manager, new_stay_id) == 1


def test_it_audits_the_stay_returned_by_a_discharge(
    world: World, facility: Facility, household: Household
) -> None:
    stay = admit(household, facility, world.at)
    manager = world.members[Role.SHELTER_MANAGER]
    left = api(world, manager, "POST", f"/stays/{stay.pk}/discharge", {"destination": "FAMILY"})
    assert left.status_code == 200 and left.json()["status"] == "ENDED", left.content
    assert _read_by(manager, str(stay.pk)) == 1
