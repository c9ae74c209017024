"""R1: many admissions at the same moment into a facility with two free beds, on PostgreSQL; and staff
holding, releasing, admitting and discharging on the same beds at once.

24 threads, each with its own database connection, admit 24 different households through the admission
verb (`shelters.actions.admit_household`, which the admission page and the API call), released together
by a barrier. Exactly two may win; every other one must get the verb's refusal, and the database must
hold no bed twice and no person twice. (haven/shelters/tests/test_concurrent_admissions.py runs a smaller
race in the default suite; this is the issue's fault-group check.)
"""

from __future__ import annotations

import random
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

from haven.conftest import World
from haven.faults.tests import support
from haven.shelters import actions
from haven.shelters.models import Bed, BedHold, Facility, Stay, StayResident, sleeps_in_bed
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


def _mixed_verbs(facility: Facility, household: Household, beds: list[Bed], seed: int) -> list[str]:
    """One member of staff doing, in a random order, what the shelter's verbs do to beds: hold and release,
    admit her household and discharge it. Refusals are expected; anything else is a finding."""
    rng = random.Random(seed)
    found: list[str] = []
    for _step in range(12):
        now = timezone.now()
        try:
            roll = rng.random()
            if roll < 0.3:
                chosen = rng.sample(beds, rng.randint(1, 2))
                actions.place_hold(
                    facility=facility, beds=chosen, held_by=facility.org, acting_user=None, at=now
                )
            elif roll < 0.45:
                hold = BedHold.objects.filter(facility=facility, status=BedHold.Status.HELD).first()
                if hold is not None:
                    actions.release_hold(hold=hold, acting_user=None, at=now)
            elif roll < 0.8:
                hold = BedHold.objects.filter(facility=facility, status=BedHold.Status.HELD).first()
                actions.admit_household(
                    case=household.case,
                    facility=facility,
                    residents=[(household.woman, rng.choice(beds))],
                    arrival_kind=Stay.Arrival.WALK_IN,
                    hold=hold if rng.random() < 0.5 else None,
                    acting_user=None,
                    at=now,
                )
            else:
                stay = Stay.objects.filter(case=household.case, status=Stay.Status.ACTIVE).first()
                if stay is not None:
                    actions.discharge_stay(
                        stay=stay, destination=Stay.Destination.FAMILY, acting_user=None, at=now
                    )
        except ValidationError:
            pass
        except Exception as error:  # a deadlock or any server error
            found.append(f"{type(error).__name__}: {error}")
    connections.close_all()
    return found


def test_beds_keep_their_true_state_when_staff_act_at_once(world: World) -> None:
    """Eight members of staff hold, release, admit and discharge on four beds at the same time: no
    deadlock, no server error, and each bed's kept state (what the network's availability counts) ends
    equal to its residencies and holds."""
    facility = _two_bed_facility(world)
    at = timezone.now()
    room = facility.rooms.get()
    actions.add_beds(room=room, beds=[actions.NewBed("C"), actions.NewBed("D")], acting_user=None, at=at)
    beds = list(Bed.objects.filter(facility=facility).order_by("label"))
    households = [make_household(world, f"Woman {n}") for n in range(8)]
    errors: list[str] = []

    def work(seed: int, household: Household) -> None:
        errors.extend(_mixed_verbs(facility, household, beds, seed))

    threads = [threading.Thread(target=work, args=pair) for pair in enumerate(households)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)

    assert errors == []
    held = dict(
        BedHold.objects.filter(facility=facility, status=BedHold.Status.HELD).values_list(
            "bed_id", "expires_at"
        )
    )
    for bed in Bed.objects.filter(facility=facility).annotate(truly_occupied=sleeps_in_bed()):
        assert (bed.is_occupied, bed.held_until) == (bed.truly_occupied, held.get(bed.pk)), bed.label
    assert StayResident.objects.filter(ended_at__isnull=True).count() <= len(beds)
