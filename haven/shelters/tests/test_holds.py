"""Holds: a bed promised to a household on its way, for the facility's hold time, then free by itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from haven.conftest import World, make_member, make_org
from haven.orgs.roles import Role
from haven.shelters import actions, queries, tasks
from haven.shelters.models import BedHold, Facility, ShelterNetwork
from haven.shelters.tests.conftest import Household, admit, bed, counts, make_household
from haven.shelters.tests.walk import home_facility


def _hold(world: World, facility: Facility, *labels: str, at=None) -> list[BedHold]:  # type: ignore[no-untyped-def]
    beds = [bed(facility, label) for label in labels or ("1",)]
    return actions.place_hold(
        facility=facility, beds=beds, held_by=world.org, acting_user=None, at=at or world.at
    )


def _free(world: World, at) -> int:  # type: ignore[no-untyped-def]
    user = world.persona(Role.HOTLINE_AGENT)
    user.active_membership = world.members[Role.HOTLINE_AGENT]
    (row,) = queries.availability(user, at)
    return row.free_beds


def test_it_holds_beds_for_the_facility_s_hold_time(world: World, facility: Facility) -> None:
    holds = _hold(world, facility, "1", "2")
    assert len({hold.group for hold in holds}) == 1
    assert all(hold.expires_at == world.at + timedelta(minutes=90) for hold in holds)
    assert _free(world, world.at) == 2  # 3 beds and the accessible one, less the two held


def test_a_hold_expires_by_itself(world: World, facility: Facility, household: Household) -> None:
    _hold(world, facility, "1")
    later = world.at + timedelta(minutes=91)
    assert _free(world, world.at + timedelta(minutes=89)) == 3
    assert _free(world, later) == 4  # no job has run: the query treats it as free
    # Another household may now have the bed, and a new hold may take it too.
    stay = admit(household, facility, later)
    assert stay.residents.get().bed.label == "1"


def test_expire_holds_tidies_the_status(world: World, facility: Facility) -> None:
    _hold(world, facility, "1")
    _hold(world, facility, "2", at=world.at + timedelta(minutes=60))
    assert actions.expire_holds(at=world.at + timedelta(minutes=100)) == 1
    statuses = dict(BedHold.objects.values_list("bed__label", "status"))
    assert statuses == {"1": "EXPIRED", "2": "HELD"}


def test_the_task_and_the_command_expire_holds(world: World, facility: Facility) -> None:
    _hold(world, facility, "1", at=world.at - timedelta(hours=3))
    tasks.expire_bed_holds.enqueue()
    assert BedHold.objects.get().status == "EXPIRED"
    _hold(world, facility, "2", at=world.at - timedelta(hours=3))
    call_command("expire_holds")
    assert set(BedHold.objects.values_list("status", flat=True)) == {"EXPIRED"}


def test_it_refuses_a_bed_already_held_or_occupied(
    world: World, facility: Facility, household: Household
) -> None:
    _hold(world, facility, "1")
    admit(household, facility, world.at, (household.woman, "2"))
    before = counts()
    with pytest.raises(ValidationError, match="held for another household"):
        _hold(world, facility, "1", "3")
    with pytest.raises(ValidationError, match="Bed 2 is occupied"):
        _hold(world, facility, "2")
    assert counts() == before


def test_it_refuses_a_household_the_facility_does_not_take(world: World, facility: Facility) -> None:
    actions.update_facility(facility=facility, changes={"boys_max_age": 8}, acting_user=None, at=world.at)
    with pytest.raises(ValidationError, match="Boys older than 8"):
        actions.place_hold(
            facility=facility,
            beds=[bed(facility, "1"), bed(facility, "2")],
            held_by=world.org,
            children=[{"age": 11, "sex": "MALE"}],
            acting_user=None,
            at=world.at,
        )
    assert BedHold.objects.count() == 0


def test_release_gives_back_every_bed_of_the_hold(world: World, facility: Facility) -> None:
    holds = _hold(world, facility, "1", "2")
    assert actions.release_hold(hold=holds[0], acting_user=None, at=world.at) == 2
    assert _free(world, world.at) == 4
    with pytest.raises(ValidationError, match="already ended"):
        actions.release_hold(hold=holds[1], acting_user=None, at=world.at)


def test_another_organisation_of_the_network_may_hold_but_not_keep_a_reference(world: World) -> None:
    facility = home_facility()
    actions.add_room(facility=facility, name="R", beds=[actions.NewBed("1")], acting_user=None, at=world.at)
    partner = make_org("partner", at=world.at)
    agent = make_member(partner, Role.HOTLINE_AGENT, username="partner.agent", at=world.at)
    user = agent.user
    user.active_membership = agent
    assert queries.availability(user, world.at) == []  # no network yet

    network = ShelterNetwork.objects.create(name="Province network")
    network.members.add(world.org, partner)
    assert queries.availability(user, world.at) == []  # the facility does not share yet
    actions.update_facility(
        facility=facility, changes={"shares_availability": True}, acting_user=None, at=world.at
    )
    (row,) = queries.availability(user, world.at)
    assert row.free_beds == 1 and not row.is_own

    with pytest.raises(ValidationError, match="Only the organisation running the facility"):
        actions.place_hold(
            facility=facility,
            beds=[bed(facility, "1")],
            held_by=partner,
            reference="D-1",
            acting_user=user,
            at=world.at,
        )
    (hold,) = actions.place_hold(
        facility=facility, beds=[bed(facility, "1")], held_by=partner, acting_user=user, at=world.at
    )
    assert hold.org_id == world.org.pk and hold.held_by_id == partner.pk
    assert BedHold.objects.visible_to(user).get() == hold
    assert queries.availability(user, world.at)[0].held == 1


def test_an_offer_hold_is_replaced_by_a_new_offer(world: World, facility: Facility) -> None:
    other = make_household(world, "Chadia")
    entry = actions.add_to_waitlist(case=other.case, facility=facility, acting_user=None, at=world.at)
    actions.offer_bed(
        entry=entry, facility=facility, beds=[bed(facility, "1")], acting_user=None, at=world.at
    )
    actions.offer_bed(
        entry=entry, facility=facility, beds=[bed(facility, "2")], acting_user=None, at=world.at
    )
    assert dict(BedHold.objects.values_list("bed__label", "status")) == {"1": "RELEASED", "2": "HELD"}
