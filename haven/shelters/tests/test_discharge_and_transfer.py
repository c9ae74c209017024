"""Leaving: discharge with a destination and a follow-up plan in her case; transfer to another facility."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.cases.models import Appointment, FollowUp
from haven.conftest import World
from haven.orgs.actions import create_site
from haven.orgs.models import Site
from haven.orgs.roles import Role
from haven.people.actions import set_safe_contact
from haven.shelters import actions
from haven.shelters.models import Facility, Stay, StayResident
from haven.shelters.tests.conftest import Household, admit, bed, counts, make_household


def test_discharge_frees_the_beds_and_plans_follow_ups(
    world: World, facility: Facility, household: Household
) -> None:
    stay = admit(household, facility, world.at, (household.woman, "1"), (household.daughter, "2"))
    later = world.at + timedelta(days=5)
    actions.discharge_stay(stay=stay, destination=Stay.Destination.NEW_HOUSING, acting_user=None, at=later)

    stay.refresh_from_db()
    assert stay.status == Stay.Status.ENDED and stay.ended_at == later and stay.destination == "NEW_HOUSING"
    assert not StayResident.objects.filter(ended_at__isnull=True).exists()
    # Her safe-contact instructions do not allow calls: follow-ups for the lead worker, at +7, +30, +90.
    due = sorted(FollowUp.objects.filter(case=household.case).values_list("due_on", flat=True))
    left_on = timezone.localdate(later)
    assert due == [left_on + timedelta(days=d) for d in (7, 30, 90)]
    assert not Appointment.objects.exists()
    # The beds are free at once for the next household.
    other = make_household(world, "Binta")
    admit(other, facility, later, (other.woman, "1"))


def test_discharge_plans_phone_meetings_when_she_is_safe_to_call(
    world: World, facility: Facility, household: Household
) -> None:
    set_safe_contact(
        person=household.woman,
        instructions={"safe_to_call": True, "safe_channel": "PHONE"},
        acting_user=None,
        at=world.at,
    )
    actions.update_facility(
        facility=facility, changes={"follow_up_days": [7, 30]}, acting_user=None, at=world.at
    )
    stay = admit(household, facility, world.at)
    actions.discharge_stay(
        stay=stay, destination="FAMILY", acting_user=None, at=world.at + timedelta(hours=2)
    )
    meetings = Appointment.objects.filter(case=household.case).order_by("starts_at")
    assert [m.mode for m in meetings] == ["PHONE", "PHONE"]
    assert {m.worker_id for m in meetings} == {world.members[Role.CASEWORKER].pk}
    assert not FollowUp.objects.exists()


def test_it_refuses_a_discharge_before_her_arrival(
    world: World, facility: Facility, household: Household
) -> None:
    stay = admit(household, facility, world.at)
    before = counts()
    with pytest.raises(ValidationError, match="cannot leave before she arrived"):
        actions.discharge_stay(
            stay=stay,
            destination="FAMILY",
            left_at=world.at - timedelta(hours=1),
            acting_user=None,
            at=world.at,
        )
    assert counts() == before and Stay.objects.get().status == Stay.Status.ACTIVE
    assert not FollowUp.objects.exists()


def test_it_refuses_a_discharge_without_destination_or_twice(
    world: World, facility: Facility, household: Household
) -> None:
    stay = admit(household, facility, world.at)
    with pytest.raises(ValidationError, match="Say where she went"):
        actions.discharge_stay(stay=stay, destination="", acting_user=None, at=world.at)
    actions.discharge_stay(stay=stay, destination="UNKNOWN", acting_user=None, at=world.at)
    with pytest.raises(ValidationError, match="has ended"):
        actions.discharge_stay(stay=stay, destination="UNKNOWN", acting_user=None, at=world.at)


def _long_stay_home(world: World) -> Facility:
    site = create_site(
        org=world.org, name="Long-stay home", kind=Site.Kind.SHELTER, acting_user=None, at=world.at
    )
    facility = actions.create_facility(
        site=site, facility_type="SHELTER", operator="STATE", acting_user=None, at=world.at
    )
    actions.add_room(
        facility=facility,
        name="A",
        beds=[actions.NewBed("L1"), actions.NewBed("L2")],
        acting_user=None,
        at=world.at,
    )
    return facility


def test_transfer_ends_one_stay_and_starts_the_next(world: World, household: Household) -> None:
    from haven.shelters.tests.conftest import make_facility

    centre = make_facility(world, facility_type="ONE_STOP_CENTRE", max_stay_days=5)
    home = _long_stay_home(world)
    stay = admit(household, centre, world.at, (household.woman, "1"), (household.daughter, "2"))
    moved_at = world.at + timedelta(days=4)
    new_stay = actions.transfer_stay(
        stay=stay,
        to_facility=home,
        residents=[(household.woman, bed(home, "L1")), (household.daughter, bed(home, "L2"))],
        acting_user=None,
        at=moved_at,
    )
    stay.refresh_from_db()
    assert stay.status == "ENDED" and stay.destination == "OTHER_SHELTER" and stay.ended_at == moved_at
    assert new_stay.transferred_from == stay and new_stay.arrival_kind == "TRANSFER"
    current = StayResident.objects.filter(ended_at__isnull=True).select_related("bed")
    assert {r.bed.label for r in current} == {"L1", "L2"}
    assert not FollowUp.objects.exists()  # she is still in our care: no follow-up plan yet


def test_a_refused_transfer_leaves_her_where_she_is(
    world: World, facility: Facility, household: Household
) -> None:
    home = _long_stay_home(world)
    other = make_household(world, "Binta")
    admit(other, home, world.at, (other.woman, "L1"))
    stay = admit(household, facility, world.at)
    before = counts()
    with pytest.raises(ValidationError, match="Bed L1 is occupied"):
        actions.transfer_stay(
            stay=stay,
            to_facility=home,
            residents=[(household.woman, bed(home, "L1"))],
            acting_user=None,
            at=world.at,
        )
    assert counts() == before
    stay.refresh_from_db()
    assert stay.status == "ACTIVE" and stay.residents.get().ended_at is None
    with pytest.raises(ValidationError, match="Choose another facility"):
        actions.transfer_stay(
            stay=stay,
            to_facility=facility,
            residents=[(household.woman, bed(facility, "2"))],
            acting_user=None,
            at=world.at,
        )
