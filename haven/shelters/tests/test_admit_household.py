"""Admitting a woman and her children as one household stay, and every refusal (nothing written)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from haven.conftest import World
from haven.people.actions import register_person
from haven.privacy.models import AuditEntry
from haven.shelters import actions
from haven.shelters.models import BedHold, Facility, Stay, StayResident
from haven.shelters.tests.conftest import Household, admit, bed, counts, make_facility, make_household


def test_it_admits_her_with_her_children_into_their_beds(
    world: World, facility: Facility, household: Household
) -> None:
    stay = admit(
        household, facility, world.at, (household.woman, "1"), (household.daughter, "2"), (household.son, "3")
    )

    assert stay.status == Stay.Status.ACTIVE and stay.planned_end is None  # a shelter without a limit
    residents = {r.person_id: (r.role, r.bed.label) for r in stay.residents.select_related("bed")}
    assert residents == {
        household.woman.pk: ("WOMAN", "1"),
        household.daughter.pk: ("CHILD", "2"),
        household.son.pk: ("CHILD", "3"),
    }
    entry = AuditEntry.objects.get(action="stay.admit")
    assert entry.object_id == str(stay.pk) and "residents" in entry.fields


def _refused(call: object, field: str, words: str) -> None:
    before = counts()
    with pytest.raises(ValidationError) as refusal:
        call()  # type: ignore[operator]
    assert words in " ".join(refusal.value.message_dict[field])
    assert counts() == before


def test_it_refuses_an_occupied_bed(world: World, facility: Facility, household: Household) -> None:
    admit(household, facility, world.at)
    other = make_household(world, "Binta")
    _refused(lambda: admit(other, facility, world.at, (other.woman, "1")), "beds", "Bed 1 is occupied")


def test_it_refuses_a_bed_held_for_someone_else(
    world: World, facility: Facility, household: Household
) -> None:
    actions.place_hold(
        facility=facility, beds=[bed(facility, "1")], held_by=world.org, acting_user=None, at=world.at
    )
    _refused(lambda: admit(household, facility, world.at), "beds", "held for another household")


def test_it_refuses_a_boy_over_the_age_limit(world: World, household: Household) -> None:
    facility = make_facility(
        world, facility_type=Facility.Type.ONE_STOP_CENTRE, boys_max_age=8, max_stay_days=5
    )
    # Her son was born in 2016: he is over 8 at any date this test runs.
    _refused(
        lambda: admit(household, facility, world.at, (household.woman, "1"), (household.son, "2")),
        "residents",
        "Boys older than 8 cannot stay",
    )
    # Her daughter, of any age, may stay with her.
    stay = admit(household, facility, world.at, (household.woman, "1"), (household.daughter, "2"))
    assert stay.residents.count() == 2


def test_it_takes_a_young_boy_where_older_boys_are_refused(world: World) -> None:
    facility = make_facility(world, boys_max_age=8)
    young = make_household(world, son_born=world.at.date() - timedelta(days=365 * 3))
    stay = admit(young, facility, world.at, (young.woman, "1"), (young.son, "2"))
    assert stay.residents.count() == 2


def test_it_refuses_children_where_the_facility_takes_none(world: World, household: Household) -> None:
    facility = make_facility(world, accepts_children=False)
    _refused(
        lambda: admit(household, facility, world.at, (household.woman, "1"), (household.daughter, "2")),
        "residents",
        "does not take children",
    )


def test_it_refuses_a_child_who_is_not_of_her_household(
    world: World, facility: Facility, household: Household
) -> None:
    stranger = register_person(org=world.org, name="Other child", acting_user=None, at=world.at)
    _refused(
        lambda: admit(household, facility, world.at, (household.woman, "1"), (stranger, "2")),
        "residents",
        "is not a child of her household",
    )


def test_it_refuses_a_second_stay_for_the_same_person(
    world: World, facility: Facility, household: Household
) -> None:
    admit(household, facility, world.at, (household.woman, "1"), (household.daughter, "2"))
    # Another case of another woman names the same girl (registered in her household too).
    aunt = make_household(world, "Aunt")
    aunt_household_child = StayResident.objects.get(person=household.daughter).person
    from haven.people.actions import add_household_member, start_household

    add_household_member(
        household=start_household(head=aunt.woman, acting_user=None, at=world.at),
        person=aunt_household_child,
        relationship="CHILD",
        acting_user=None,
        at=world.at,
    )
    _refused(
        lambda: admit(aunt, facility, world.at, (aunt.woman, "3"), (aunt_household_child, "Wide")),
        "residents",
        "is already staying at a facility",
    )


def test_it_refuses_a_planned_end_beyond_the_longest_stay(world: World, household: Household) -> None:
    facility = make_facility(world, max_stay_days=5)
    too_late = world.at.date() + timedelta(days=6)
    _refused(
        lambda: admit(household, facility, world.at, planned_end=too_late), "planned_end", "at most 5 days"
    )
    stay = admit(household, facility, world.at)
    assert stay.planned_end == world.at.date() + timedelta(days=5)


def test_it_refuses_her_household_without_her(world: World, facility: Facility, household: Household) -> None:
    _refused(
        lambda: admit(household, facility, world.at, (household.daughter, "2")),
        "residents",
        "a bed for her too",
    )


def test_it_refuses_a_bed_out_of_use(world: World, facility: Facility, household: Household) -> None:
    actions.set_bed_in_use(bed=bed(facility, "1"), in_use=False, acting_user=None, at=world.at)
    _refused(lambda: admit(household, facility, world.at), "beds", "not in use")


def test_it_uses_up_her_own_hold(world: World, facility: Facility, household: Household) -> None:
    holds = actions.place_hold(
        facility=facility,
        beds=[bed(facility, "1"), bed(facility, "2")],
        held_by=world.org,
        adults=1,
        children=[{"age": 3, "sex": "FEMALE"}],
        acting_user=None,
        at=world.at,
    )
    admit(household, facility, world.at, (household.woman, "1"), (household.daughter, "2"), hold=holds[0])
    assert set(BedHold.objects.values_list("status", flat=True)) == {BedHold.Status.USED}


def test_it_records_the_services_started_on_arrival(
    world: World, facility: Facility, household: Household
) -> None:
    admit(household, facility, world.at, services_started=["CRISIS_COUNSELLING", "MATERIAL_AID"])
    kinds = set(household.case.services.values_list("kind", "status"))
    assert kinds == {("CRISIS_COUNSELLING", "PROVIDED"), ("MATERIAL_AID", "PROVIDED")}


def test_it_refuses_an_unknown_service(world: World, facility: Facility, household: Household) -> None:
    _refused(
        lambda: admit(household, facility, world.at, services_started=["SPA_DAY"]),
        "services_started",
        "catalogue",
    )


def test_it_refuses_capacity_below_occupancy(world: World, facility: Facility, household: Household) -> None:
    admit(household, facility, world.at, (household.woman, "1"))
    room = bed(facility, "1").room
    with pytest.raises(ValidationError, match="Bed 1 is occupied"):
        actions.set_bed_in_use(bed=bed(facility, "1"), in_use=False, acting_user=None, at=world.at)
    with pytest.raises(ValidationError, match="Bed 1 is occupied"):
        actions.set_room_in_use(room=room, in_use=False, acting_user=None, at=world.at)
    assert bed(facility, "1").is_active and bed(facility, "2").is_active
    # A free bed of the same room may go.
    actions.set_bed_in_use(bed=bed(facility, "2"), in_use=False, acting_user=None, at=world.at)
    assert not bed(facility, "2").is_active


def test_it_refuses_to_take_a_held_bed_out_of_use(world: World, facility: Facility) -> None:
    actions.place_hold(
        facility=facility, beds=[bed(facility, "1")], held_by=world.org, acting_user=None, at=world.at
    )
    with pytest.raises(ValidationError, match="held for a household"):
        actions.set_bed_in_use(bed=bed(facility, "1"), in_use=False, acting_user=None, at=world.at)


def test_it_needs_a_date_of_birth_for_a_boy_where_there_is_an_age_limit(
    world: World, household: Household
) -> None:
    facility = make_facility(world, boys_max_age=8)
    household.son.born_on = None
    household.son.save(update_fields=["born_on"])
    with pytest.raises(ValidationError, match="record her son's date of birth"):
        admit(household, facility, world.at, (household.woman, "1"), (household.son, "2"))


def test_it_refuses_a_woman_the_facility_cannot_take(world: World, household: Household) -> None:
    facility = make_facility(world, accepts_women_with_disabilities=False)
    household.woman.disabilities = ["PHYSICAL"]
    household.woman.save(update_fields=["disabilities"])
    _refused(
        lambda: admit(household, facility, world.at), "residents", "cannot take a woman with a disability"
    )


def test_it_describes_only_shelter_and_centre_sites(world: World) -> None:
    with pytest.raises(ValidationError, match="shelter, a one-stop centre or a crisis centre"):
        actions.create_facility(
            site=world.office, facility_type="SHELTER", operator="NGO", acting_user=None, at=world.at
        )
    with pytest.raises(ValidationError, match="between 5 minutes and 24 hours"):
        actions.create_facility(
            site=world.shelter,
            facility_type="SHELTER",
            operator="NGO",
            hold_minutes=1,
            acting_user=None,
            at=world.at,
        )
    make_facility(world)
    with pytest.raises(ValidationError, match="already described"):
        make_facility(world)
    assert Facility.objects.count() == 1
