"""The waitlist page (risk, then waiting time; the head marked when a bed is free), offering and
withdrawing, the occupancy figures and the turn-away form."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from haven.conftest import World
from haven.orgs.roles import Role
from haven.shelters import actions
from haven.shelters.models import BedHold, Facility, TurnAway, WaitlistEntry
from haven.shelters.tests.conftest import Household, admit, bed, make_facility, make_household


def _waitlist(world: World, facility: Facility) -> str:
    client = world.client_for(world.members[Role.SHELTER_MANAGER])
    response = client.get(reverse("shelters:waitlist", args=[facility.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_waitlist_is_ordered_by_risk_then_time_and_marks_the_head(world: World) -> None:
    facility = make_facility(world, beds=1)
    now = timezone.now()
    early = make_household(world, "Early")
    urgent = make_household(world, "Urgent")
    actions.add_to_waitlist(case=early.case, facility=facility, risk_level="MEDIUM", acting_user=None, at=now)
    actions.add_to_waitlist(
        case=urgent.case, risk_level="HIGH", acting_user=None, at=now + timedelta(minutes=5)
    )
    html = _waitlist(world, facility)
    assert html.index(urgent.woman.survivor_code) < html.index(early.woman.survivor_code)
    head = html[html.index('id="waitlist-head"') :]
    assert head.index(urgent.woman.survivor_code) < head.index(early.woman.survivor_code)

    for label in ("1", "Cot", "Wide"):  # no bed free any more: nobody is marked
        occupant = make_household(world, f"Occupant {label}")
        admit(occupant, facility, now, (occupant.woman, label))
    assert 'id="waitlist-head"' not in _waitlist(world, facility)


def test_offering_a_bed_holds_it_and_withdrawing_releases_it(
    world: World, facility: Facility, household: Household
) -> None:
    entry = actions.add_to_waitlist(case=household.case, acting_user=None, at=timezone.now())
    client = world.client_for(world.members[Role.SHELTER_MANAGER])
    url = reverse("shelters:waitlist_offer", args=[entry.pk])
    assert "?facility=" in client.get(url).content.decode()  # she waits for any facility: choose one
    offer = url + f"?facility={facility.pk}"
    refused = client.post(offer, {})
    assert refused.status_code == 422 and not BedHold.objects.exists()
    assert client.post(offer, {"beds": [str(bed(facility, "1").pk)]}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == "OFFERED" and BedHold.objects.get().status == "HELD"

    client.post(reverse("shelters:waitlist_withdraw", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.status == "WITHDRAWN" and BedHold.objects.get().status == "RELEASED"


def test_a_caseworker_puts_her_on_the_waitlist_from_her_case(
    world: World, facility: Facility, household: Household
) -> None:
    client = world.client_for(world.members[Role.CASEWORKER])
    url = reverse("shelters:waitlist_add", args=[household.case.pk])
    refused = client.post(url, {"adults": "0", "boys_ages": "10"})
    assert refused.status_code == 422 and not WaitlistEntry.objects.exists()
    done = client.post(
        url, {"facility": str(facility.pk), "adults": "1", "boys_ages": "10", "risk_level": "HIGH"}
    )
    assert done.status_code == 302
    entry = WaitlistEntry.objects.get()
    assert entry.children == [{"age": 10, "sex": "MALE"}] and entry.risk_level == "HIGH"
    again = client.post(url, {"adults": "1"})
    assert again.status_code == 422 and "already on the waitlist" in again.content.decode()


def test_the_occupancy_page_shows_the_figures_for_a_period(
    world: World, facility: Facility, household: Household
) -> None:
    start = timezone.localdate() - timedelta(days=10)
    admit(
        household, facility, timezone.now() - timedelta(days=4), (household.woman, "1"), (household.son, "2")
    )
    client = world.client_for(world.members[Role.DATA_OFFICER])
    url = reverse("shelters:occupancy", args=[facility.pk])
    end = timezone.localdate() + timedelta(days=1)
    html = client.get(url, {"start": start.isoformat(), "end": end.isoformat()}).content.decode()
    # 2 people, 5 nights each (4 past, and tonight: the period ends tomorrow), of 5 beds for 11 days
    assert '<dd id="bed-nights">10 / 55</dd>' in html and '<dd id="admissions-with-children">1</dd>' in html
    assert "record-turn-away" not in html  # a data officer reads figures, survivor roles record
    bad = client.get(url, {"start": end.isoformat(), "end": start.isoformat()}).content.decode()
    assert "must start before it ends" in bad


def test_a_turn_away_is_recorded_and_bad_input_writes_nothing(world: World, facility: Facility) -> None:
    client = world.client_for(world.members[Role.HOTLINE_AGENT])
    url = reverse("shelters:turn_away", args=[facility.pk])
    refused = client.post(url, {"reason": "FULL", "adults": "0", "children": "0"})
    assert refused.status_code == 422 and not TurnAway.objects.exists()
    assert client.post(url, {"reason": "FULL", "adults": "1", "children": "2"}).status_code == 302
    assert TurnAway.objects.get().children == 2
    html = client.get(reverse("shelters:occupancy", args=[facility.pk])).content.decode()
    assert "No free bed: 1" in html
