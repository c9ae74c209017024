"""Many households admitted at the same moment into few beds: no bed is ever given twice.

Only PostgreSQL runs the transactions truly side by side; SQLite serialises writers anyway."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from haven.conftest import World
from haven.shelters import actions
from haven.shelters.models import Bed, BedHold, StayResident
from haven.shelters.tests.conftest import Household, admit, bed, make_facility, make_household

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")

LABELS = ("1", "2", "3")


def _race(calls: list[Any]) -> list[str]:
    """Run the calls at once, each in its own thread and connection; what each one got."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call: Any) -> None:
        try:
            barrier.wait()
            call()
            outcomes.append("won")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _double_bookings() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT bed_id FROM shelters_stayresident WHERE ended_at IS NULL "
            "GROUP BY bed_id HAVING COUNT(*) > 1) AS doubled"
        )
        row = cursor.fetchone()
    return int(row[0])


@pytest.mark.django_db(transaction=True)
def test_twenty_households_three_beds(world: World) -> None:
    facility = make_facility(world, beds=3)
    households = [make_household(world, f"Woman {n}") for n in range(20)]

    def attempt(n: int, household: Household) -> Any:
        return lambda: admit(household, facility, timezone.now(), (household.woman, LABELS[n % 3]))

    outcomes = _race([attempt(n, h) for n, h in enumerate(households)])

    assert outcomes.count("won") == 3, outcomes
    assert all("is occupied" in outcome for outcome in outcomes if outcome != "won"), outcomes
    assert _double_bookings() == 0
    taken = StayResident.objects.filter(ended_at__isnull=True).values_list("bed__label", flat=True)
    assert sorted(taken) == sorted(LABELS)


@pytest.mark.django_db(transaction=True)
def test_a_hold_and_an_admission_race_for_the_same_beds(world: World) -> None:
    facility = make_facility(world, beds=3)
    beds = [bed(facility, label) for label in LABELS]
    households = [make_household(world, f"Woman {n}") for n in range(6)]

    def hold(order: list[Bed]) -> Any:
        return lambda: actions.place_hold(
            facility=facility, beds=order, held_by=world.org, acting_user=None, at=timezone.now()
        )

    def admission(household: Household) -> Any:
        return lambda: admit(household, facility, timezone.now(), (household.woman, "2"))

    # Holds asking for the beds in opposite orders must not deadlock, and never overlap an admission.
    calls = [hold(beds), hold(list(reversed(beds)))] + [admission(h) for h in households]
    outcomes = _race(calls)

    assert outcomes.count("won") == 1, outcomes
    live = BedHold.objects.filter(status="HELD").count()
    occupied = StayResident.objects.filter(ended_at__isnull=True).count()
    assert (live, occupied) in {(3, 0), (0, 1)}
    assert _double_bookings() == 0
