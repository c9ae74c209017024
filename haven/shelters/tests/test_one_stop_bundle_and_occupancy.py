"""A one-stop centre admission opens the standard services; occupancy figures on a hand-made example."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from haven.conftest import World
from haven.shelters import actions, queries
from haven.shelters.models import Facility
from haven.shelters.tests.conftest import Household, admit, make_facility, make_household


def test_a_one_stop_centre_opens_its_standard_services(world: World, household: Household) -> None:
    centre = make_facility(world, facility_type="ONE_STOP_CENTRE", max_stay_days=5)
    admit(household, centre, world.at, services_started=["CRISIS_COUNSELLING"])
    services = dict(household.case.services.values_list("kind", "status"))
    assert services == {
        "INJURY_CARE": "PROVIDED",
        "MEDICO_LEGAL": "PROVIDED",
        "CRISIS_COUNSELLING": "PROVIDED",
        "POLICE_REPORT": "PROVIDED",
        "LEGAL_INFORMATION": "PROVIDED",
    }


def test_a_bangladesh_crisis_centre_adds_a_dna_test_referral(world: World, household: Household) -> None:
    world.org.country = "BD"
    world.org.save(update_fields=["country"])
    household.case.org.refresh_from_db()
    centre = make_facility(world, facility_type="CRISIS_CENTRE")
    admit(household, centre, world.at)
    assert household.case.services.get(kind="DNA_TEST").status == "REFERRED"


def test_a_shelter_opens_no_bundle(world: World, facility: Facility, household: Household) -> None:
    admit(household, facility, world.at)
    assert not household.case.services.exists()


def _at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def test_occupancy_figures_on_a_small_example(world: World) -> None:
    """Five beds (3 beds, a cot, an accessible bed), ten days from 1 March.

    - A woman and her daughter arrive on 1 March and leave on 5 March: 2 people times 4 nights = 8.
    - A woman alone arrives on 8 March and is still there: 3 nights in the period (8, 9, 10 March).
    - Another woman arrived on 25 February and left on 3 March: 2 nights in the period (1, 2 March);
      her stay (6 days) ended in the period, but she was admitted before it.
    Bed-nights 13 of 50; two admissions in the period (1 and 8 March), one with children.
    Stays ended in the period: 4 days and 6 days, 5 on average. One turn-away, full.
    """
    facility = make_facility(world)
    start = date(2026, 3, 1)
    end = start + timedelta(days=10)
    first = make_household(world, "First")
    stay = admit(first, facility, _at(start), (first.woman, "1"), (first.daughter, "2"))
    actions.discharge_stay(stay=stay, destination="FAMILY", acting_user=None, at=_at(date(2026, 3, 5)))
    earlier = make_household(world, "Earlier")
    stay = admit(earlier, facility, _at(date(2026, 2, 25)), (earlier.woman, "3"))
    actions.discharge_stay(stay=stay, destination="OWN_HOME", acting_user=None, at=_at(date(2026, 3, 3)))
    later = make_household(world, "Later")
    admit(later, facility, _at(date(2026, 3, 8)), (later.woman, "1"))
    actions.record_turn_away(
        facility=facility, reason="FULL", adults=1, children=2, acting_user=None, at=_at(date(2026, 3, 9))
    )

    figures = queries.occupancy(Facility.objects.filter(pk=facility.pk), start, end)

    assert figures.bed_nights == 8 + 3 + 2
    assert figures.capacity_nights == 5 * 10
    assert figures.occupancy_rate == 0.26
    assert figures.admissions == 2 and figures.admissions_with_children == 1
    assert figures.stays_ended == 2 and figures.average_stay_days == 5.0
    assert figures.turn_aways == {"FULL": 1, "NOT_ACCEPTED": 0, "OTHER": 0}
