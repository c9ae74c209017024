"""R1: many admissions at the same moment into a facility with two free beds, on PostgreSQL.

24 threads, each with its own database connection, admit 24 different households through the admission
verb (`shelters.actions.admit_household`, which the admission page and the API call), released together
by a barrier. Exactly two may win; every other one must get the verb's refusal, and the database must
hold no bed twice and no person twice. (haven/shelters/tests/test_concurrent_admissions.py runs a smaller
race in the default suite; this is the issue's fault-group check.)
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

from haven.conftest import World
from haven.faults.tests import support
from haven.shelters import actions
from haven.shelters.models import Bed, Facility, Stay, StayResident
from haven.shelters.tests.conftest import Household, make_household

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

HOUSEHOLDS = 24


def _two_bed_facility(world: World) -> Facility:
    at = timezone.now()
    facility = actions.create_facility(
        site=world.shelter, facility_type="SHELTER", operator="NGO", acting_user=None, at=at
    )
    actions.add_room(
        facility=facility, name="1", beds=[actions.NewBed("A"), actions.NewBed("B")], acting_user=None, at=at
    )
    return facility


def _race(facility: Facility, households: list[Household], beds: list[Bed]) -> list[str]:
    barrier = threading.Barrier(len(households))
    outcomes: list[str] = []

    def admit(position: int, household: Household) -> None:
        try:
            barrier.wait()
            actions.admit_household(
                case=household.case,
                facility=facility,
                residents=[(household.woman, beds[position % 2])],
                arrival_kind=Stay.Arrival.WALK_IN,
                acting_user=None,
                at=timezone.now(),
            )
            outcomes.append("admitted")
        except ValidationError as refusal:
            outcomes.append(" ".join(refusal.messages))
        except Exception as error:  # a server error is a finding: it fails the test below
            outcomes.append(f"error {type(error).__name__}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=admit, args=pair) for pair in enumerate(households)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_two_free_beds_and_twenty_four_households_admitted_at_once(world: World) -> None:
    facility = _two_bed_facility(world)
    beds = list(Bed.objects.filter(facility=facility).order_by("label"))
    households = [make_household(world, f"Woman {n}") for n in range(HOUSEHOLDS)]

    outcomes = _race(facility, households, beds)

    assert len(outcomes) == HOUSEHOLDS
    assert outcomes.count("admitted") == 2, outcomes
    refusals = [outcome for outcome in outcomes if outcome != "admitted"]
    assert all("is occupied" in refusal for refusal in refusals), refusals
    assert support.bench("concurrent_admissions")._double_bookings() == (0, 0)  # beds, people
    taken = StayResident.objects.filter(ended_at__isnull=True).values_list("bed__label", flat=True)
    assert sorted(taken) == ["A", "B"]
    assert Stay.objects.filter(facility=facility).count() == 2  # a refusal writes nothing
