"""A mobile team arriving at a shelter offers her the stay there: she heads its waitlist, with the bed
held for her dispatch."""

from __future__ import annotations

from django.utils import timezone

from haven.conftest import World
from haven.dispatch import actions as dispatch_actions
from haven.dispatch.models import Dispatch, Handover
from haven.dispatch.tests.conftest import make_crew
from haven.orgs.actions import create_site
from haven.orgs.models import Site
from haven.shelters import actions, queries
from haven.shelters.models import Bed, BedHold, Facility, RiskLevel, WaitlistEntry
from haven.shelters.tests.conftest import Household, admit, bed, make_facility_on


def _arrive(world: World, household: Household, *, hold_first: bool) -> Dispatch:
    crew = make_crew(world, "Team North", "home.responder")
    now = timezone.now()
    dispatch = dispatch_actions.create_dispatch(
        case=household.case, priority=1, location_address="Somewhere", acting_user=None, at=now
    )
    dispatch = dispatch_actions.assign_unit(dispatch=dispatch, unit=crew.unit, acting_user=None, at=now)
    if hold_first:
        facility = Facility.objects.get(site=world.shelter)
        actions.place_hold(
            facility=facility,
            beds=[bed(facility, "1")],
            held_by=world.org,
            reference=str(dispatch.pk),
            acting_user=None,
            at=now,
        )
    for step in ("ACKNOWLEDGED", "EN_ROUTE", "ON_SCENE", "TRANSPORTING"):
        dispatch = dispatch_actions.record_step(dispatch=dispatch, step=step, acting_user=None, at=now)
    return dispatch_actions.record_step(
        dispatch=dispatch, step="ARRIVED", destination_site=world.shelter, acting_user=None, at=now
    )


def test_arrival_puts_her_at_the_head_of_the_waitlist_with_her_held_bed(
    world: World, facility: Facility, household: Household
) -> None:
    dispatch = _arrive(world, household, hold_first=True)

    assert Handover.objects.get().dispatch == dispatch
    entry = WaitlistEntry.objects.get()
    assert (entry.facility, entry.case, entry.source) == (facility, household.case, "ARRIVAL")
    assert entry.risk_level == RiskLevel.IMMINENT and entry.status == "OFFERED"
    hold = BedHold.objects.get()
    assert entry.offer_group == hold.group
    # Staff admit her into the held bed; the entry is placed and the hold used.
    admit(household, facility, timezone.now(), hold=hold)
    entry.refresh_from_db()
    hold.refresh_from_db()
    assert entry.status == "PLACED" and hold.status == "USED"


def test_arrival_without_a_hold_still_expects_her(
    world: World, facility: Facility, household: Household
) -> None:
    _arrive(world, household, hold_first=False)
    entry = WaitlistEntry.objects.get()
    assert entry.status == "WAITING" and entry.source == "ARRIVAL"


def test_arrival_at_a_site_without_a_facility_only_records_the_handover(
    world: World, household: Household
) -> None:
    _arrive(world, household, hold_first=False)
    assert Handover.objects.count() == 1 and not WaitlistEntry.objects.exists()


def test_arrival_of_a_woman_already_staying_does_not_stop_the_dispatch(
    world: World, facility: Facility, household: Household
) -> None:
    admit(household, facility, timezone.now(), (household.woman, "2"))
    dispatch = _arrive(world, household, hold_first=False)
    assert dispatch.status == "ARRIVED" and not WaitlistEntry.objects.exists()


def test_arrival_elsewhere_gives_back_the_beds_offered_at_another_shelter(
    world: World, facility: Facility, household: Household
) -> None:
    """Beds offered to her at another shelter are released when a team brings her here instead: she
    waits here, at the head of the list, and the other shelter's beds are free again."""
    other_site = create_site(
        org=world.org, name="Second house", kind=Site.Kind.SHELTER, acting_user=None, at=world.at
    )
    elsewhere = make_facility_on(other_site)
    now = timezone.now()
    entry = actions.add_to_waitlist(case=household.case, facility=elsewhere, acting_user=None, at=now)
    (offered,) = actions.offer_bed(
        entry=entry, facility=elsewhere, beds=[bed(elsewhere, "1")], acting_user=None, at=now
    )

    _arrive(world, household, hold_first=False)

    entry.refresh_from_db()
    offered.refresh_from_db()
    assert entry.facility == facility and entry.status == WaitlistEntry.Status.WAITING
    assert entry.offer_group is None and offered.status == BedHold.Status.RELEASED
    assert queries.next_for(facility) == entry
    assert not Bed.objects.get(pk=offered.bed_id).held_until
