"""The state each bed keeps for the availability count (`Bed.is_occupied`, `Bed.held_until`) never
disagrees with its residencies and holds.

A hypothesis state machine drives the verbs in any order (holds placed, released, used by an admission,
left to expire, tidied by the job; admissions, discharges, transfers between two facilities; beds taken
out of use and back; the clock moving on) and, after every step, compares each bed's kept state with the
truth read from the residencies and holds, and the network's availability counts with the facility page's
counts, which read the truth. Each generated run works in a savepoint rolled back at its end.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from haven.conftest import World
from haven.orgs.actions import create_site
from haven.orgs.models import Site
from haven.orgs.roles import Role
from haven.shelters import actions
from haven.shelters.models import Bed, BedHold, Facility, Stay, StayResident, sleeps_in_bed
from haven.shelters.page_queries import bed_counts
from haven.shelters.queries import availability
from haven.shelters.tests.conftest import Household, make_facility, make_facility_on, make_household

pytestmark = pytest.mark.django_db

BED_CHOICES = st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=3, unique=True)


class BedStateMachine(RuleBasedStateMachine):
    world: World
    facilities: list[Facility]
    households: list[Household]

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        self.now: datetime = self.world.at
        self.agent = self.world.persona(Role.HOTLINE_AGENT)
        self.agent.active_membership = self.world.members[Role.HOTLINE_AGENT]

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    # --- helpers ---------------------------------------------------------------------------------------

    def _beds(self, facility_index: int, picks: list[int]) -> list[Bed]:
        beds = list(Bed.objects.filter(facility=self.facilities[facility_index]).order_by("label"))
        return [beds[pick % len(beds)] for pick in picks]

    def _household_people(self, household: Household, count: int) -> list[Any]:
        return [household.woman, household.daughter, household.son][:count]

    def _try(self, verb: Any, **arguments: Any) -> Any:
        """Run a verb; a refusal is a normal outcome of a random step (nothing is written)."""
        try:
            return verb(**arguments, acting_user=None, at=self.now)
        except ValidationError:
            return None

    # --- holds -----------------------------------------------------------------------------------------

    @rule(facility=st.integers(0, 1), picks=BED_CHOICES)
    def place_hold(self, facility: int, picks: list[int]) -> None:
        self._try(
            actions.place_hold,
            facility=self.facilities[facility],
            beds=self._beds(facility, picks),
            held_by=self.world.org,
            adults=1,
        )

    @rule(data=st.data())
    def release_hold(self, data: st.DataObject) -> None:
        holds = list(BedHold.objects.filter(status=BedHold.Status.HELD).order_by("placed_at", "pk"))
        if holds:
            self._try(actions.release_hold, hold=data.draw(st.sampled_from(holds)))

    @rule(minutes=st.sampled_from([1, 30, 89, 91, 24 * 60]))
    def time_passes(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)

    @rule()
    def tidy_expired_holds(self) -> None:
        actions.expire_holds(at=self.now)

    # --- stays -----------------------------------------------------------------------------------------

    @rule(
        household=st.integers(0, 2),
        facility=st.integers(0, 1),
        people=st.integers(1, 3),
        picks=st.lists(st.integers(0, 4), min_size=3, max_size=3, unique=True),
        with_hold=st.booleans(),
    )
    def admit(self, household: int, facility: int, people: int, picks: list[int], with_hold: bool) -> None:
        chosen = self.households[household]
        beds = self._beds(facility, picks)
        hold = BedHold.objects.filter(facility=self.facilities[facility], status=BedHold.Status.HELD).first()
        self._try(
            actions.admit_household,
            case=chosen.case,
            facility=self.facilities[facility],
            residents=list(zip(self._household_people(chosen, people), beds, strict=False)),
            arrival_kind=Stay.Arrival.WALK_IN,
            hold=hold if with_hold else None,
        )

    @rule(data=st.data())
    def discharge(self, data: st.DataObject) -> None:
        stays = list(Stay.objects.filter(status=Stay.Status.ACTIVE).order_by("arrived_at", "pk"))
        if stays:
            stay = data.draw(st.sampled_from(stays))
            self._try(actions.discharge_stay, stay=stay, destination=Stay.Destination.OWN_HOME)

    @rule(data=st.data(), picks=st.lists(st.integers(0, 4), min_size=3, max_size=3, unique=True))
    def transfer(self, data: st.DataObject, picks: list[int]) -> None:
        stays = list(Stay.objects.filter(status=Stay.Status.ACTIVE).order_by("arrived_at", "pk"))
        if not stays:
            return
        stay = data.draw(st.sampled_from(stays))
        other = 1 - self.facilities.index(stay.facility)
        people = [r.person for r in StayResident.objects.filter(stay=stay, ended_at__isnull=True)]
        beds = self._beds(other, picks)
        self._try(
            actions.transfer_stay,
            stay=stay,
            to_facility=self.facilities[other],
            residents=list(zip(people, beds, strict=False)),
        )

    @rule(facility=st.integers(0, 1), pick=st.integers(0, 4), in_use=st.booleans())
    def bed_in_use(self, facility: int, pick: int, in_use: bool) -> None:
        (bed,) = self._beds(facility, [pick])
        self._try(actions.set_bed_in_use, bed=bed, in_use=in_use)

    # --- what must always hold -------------------------------------------------------------------------

    @invariant()
    def each_bed_keeps_its_true_state(self) -> None:
        live = set(BedHold.objects.live(self.now).values_list("bed_id", flat=True))
        for bed in Bed.objects.annotate(truly_occupied=sleeps_in_bed()):
            kept_held = bed.held_until is not None and bed.held_until > self.now
            assert bed.is_occupied == bed.truly_occupied, bed.label
            assert kept_held == (bed.pk in live), bed.label

    @invariant()
    def availability_counts_the_truth(self) -> None:
        truth = bed_counts([f.pk for f in self.facilities], self.now)
        shown = {row.facility_id: row for row in availability(self.agent, self.now)}
        for facility in self.facilities:
            counted, row = truth[facility.pk], shown[facility.pk]
            assert (row.free_beds, row.free_cots, row.held) == (
                counted.free_beds,
                counted.free_cots,
                counted.held,
            )


def test_kept_bed_state_matches_residencies_and_holds(world: World) -> None:
    second_site = create_site(
        org=world.org, name="Second house", kind=Site.Kind.SHELTER, acting_user=None, at=world.at
    )
    BedStateMachine.world = world
    BedStateMachine.facilities = [make_facility(world), make_facility_on(second_site)]
    BedStateMachine.households = [make_household(world, name) for name in ("Amina", "Lena", "Rokeya")]
    run_state_machine_as_test(
        BedStateMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


def test_the_migration_fills_the_state_of_existing_beds(world: World) -> None:
    """Beds created before the state existed take it from their residencies and holds."""
    from importlib import import_module

    from django.apps import apps

    facility = make_facility(world)
    household = make_household(world)
    beds = list(Bed.objects.filter(facility=facility).order_by("label"))
    actions.admit_household(
        case=household.case,
        facility=facility,
        residents=[(household.woman, beds[0])],
        arrival_kind=Stay.Arrival.WALK_IN,
        acting_user=None,
        at=world.at,
    )
    actions.place_hold(facility=facility, beds=[beds[1]], held_by=world.org, acting_user=None, at=world.at)
    Bed.objects.update(is_occupied=False, held_until=None)  # as the columns were when added

    import_module("haven.shelters.migrations.0002_bed_state").fill_bed_state(apps, None)

    kept = {bed.label: (bed.is_occupied, bed.held_until) for bed in Bed.objects.filter(facility=facility)}
    hold = BedHold.objects.get(bed=beds[1])
    assert kept[beds[0].label] == (True, None)
    assert kept[beds[1].label] == (False, hold.expires_at)
    assert all(state == (False, None) for label, state in kept.items() if label not in {"1", "2"})
