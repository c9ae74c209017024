"""Today's board (survivor codes, children, flags, holds; a fixed number of queries) and network
availability (counts only, never an occupant or an address) with its "hold" button."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from haven.conftest import World, make_member
from haven.dispatch.actions import create_dispatch
from haven.dispatch.models import Dispatch
from haven.hotline.models import Contact
from haven.orgs.actions import create_site
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry
from haven.shelters import actions
from haven.shelters.models import BedHold, Facility, ShelterNetwork, Stay
from haven.shelters.tests.conftest import (
    Household,
    admit,
    bed,
    make_facility,
    make_facility_on,
    make_household,
)

ADDRESS = "12 Hidden Lane"


def _board(world: World, facility: Facility, role: Role = Role.SHELTER_MANAGER) -> str:
    response = world.client_for(world.members[role]).get(reverse("shelters:board", args=[facility.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_board_shows_codes_children_and_flags_never_names(
    world: World, facility: Facility, household: Household
) -> None:
    now = timezone.now()
    stay = admit(household, facility, now, (household.woman, "1"), (household.daughter, "2"))
    Stay.objects.filter(pk=stay.pk).update(planned_end=timezone.localdate(now))
    html = _board(world, facility)
    assert household.woman.survivor_code in html and household.daughter.survivor_code in html
    assert "Amina" not in html and "Daughter" not in html and ADDRESS not in html
    assert "Due to leave" in html and "Overstay" not in html


def test_the_board_flags_an_overstay(world: World, household: Household) -> None:
    facility = make_facility(world, max_stay_days=5)
    stay = admit(household, facility, timezone.now())
    Stay.objects.filter(pk=stay.pk).update(arrived_at=timezone.now() - timedelta(days=8))
    assert "Overstay" in _board(world, facility)


def test_the_board_shows_holds_of_other_organisations_without_their_household(
    world: World, facility: Facility
) -> None:
    actions.place_hold(
        facility=facility,
        beds=[bed(facility, "3")],
        held_by=world.other_org,
        adults=1,
        children=[{"age": 9, "sex": "MALE"}],
        acting_user=None,
        at=timezone.now(),
    )
    html = _board(world, facility)
    assert world.other_org.name in html and "Another organisation's household" in html
    assert "a boy of 9" not in html


def test_the_board_costs_the_same_queries_for_3_or_30_residents(world: World) -> None:
    facility = make_facility(world, beds=30)
    client = world.client_for(world.members[Role.SHELTER_MANAGER])
    url = reverse("shelters:board", args=[facility.pk])

    def admit_many(first: int, last: int) -> None:
        for n in range(first, last + 1):
            household = make_household(world, f"Woman {n}")
            admit(household, facility, timezone.now(), (household.woman, str(n)))

    admit_many(1, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    admit_many(4, 30)
    with CaptureQueriesContext(connection) as thirty:
        html = client.get(url).content.decode()
    assert html.count("/shelters/stays/") == 30
    assert len(thirty) == len(three)


def test_the_board_is_not_for_roles_away_from_survivors(world: World, facility: Facility) -> None:
    response = world.client_for(world.members[Role.DATA_OFFICER]).get(
        reverse("shelters:board", args=[facility.pk])
    )
    assert response.status_code == 403


# --- availability --------------------------------------------------------------------------------------


def _search(world: World, role: Role = Role.HOTLINE_AGENT, **params: str) -> str:
    response = world.client_for(world.members[role]).get(reverse("shelters:availability"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_availability_counts_free_beds_and_says_nothing_of_occupants(
    world: World, facility: Facility, household: Household
) -> None:
    admit(household, facility, timezone.now(), (household.woman, "1"))
    html = _search(world)
    assert str(facility.pk) in html
    assert household.woman.survivor_code not in html and ADDRESS not in html
    assert not AuditEntry.objects.filter(action="site.view").exists()


def test_availability_filters_by_the_household(world: World) -> None:
    centre_site = create_site(
        org=world.org, name="Centre", kind="ONE_STOP_CENTRE", acting_user=None, at=world.at
    )
    centre = make_facility_on(centre_site, beds=2, boys_max_age=8, accepts_pregnant_women=False)
    shelter = make_facility(world, beds=2)
    boy_of_ten = _search(world, adults="1", boys_ages="10")
    assert str(shelter.pk) in boy_of_ten and str(centre.pk) not in boy_of_ten
    pregnant = _search(world, adults="1", pregnant="on")
    assert str(shelter.pk) in pregnant and str(centre.pk) not in pregnant
    assert str(centre.pk) in _search(world, adults="1", boys_ages="6", needs_cot="on")
    assert "Give ages in whole years" in _search(world, boys_ages="ten")


def test_a_partner_organisation_sees_shared_counts_and_holds_without_a_reference(
    world: World, facility: Facility
) -> None:
    Facility.objects.filter(pk=facility.pk).update(shares_availability=True)
    network = ShelterNetwork.objects.create(name="Network")
    network.members.add(world.org, world.other_org)
    client = world.client_for(world.outsider)
    # The outsider administers its organisation: it reads availability, but only survivor roles hold.
    html = client.get(reverse("shelters:availability")).content.decode()
    assert str(facility.pk) in html and ADDRESS not in html and "hold-button" not in html
    agent = make_member(world.other_org, Role.HOTLINE_AGENT, username="elsewhere.agent", at=world.at)
    response = world.client_for(agent).post(
        reverse("shelters:hold_place"),
        {"facility": str(facility.pk), "beds": "1", "cots": "0", "adults": "1"},
    )
    hold = BedHold.objects.get()
    assert response["Location"] == reverse("shelters:hold", args=[hold.pk])
    assert hold.held_by == world.other_org and hold.reference == ""
    page = world.client_for(agent).get(response["Location"]).content.decode()
    assert "admit-from-hold" not in page and "release-hold" in page


def test_a_hold_from_a_dispatch_keeps_the_dispatch_and_shows_its_expiry(
    world: World, facility: Facility, household: Household
) -> None:
    dispatch = create_dispatch(
        case=household.case,
        priority=Dispatch.Priority.IMMEDIATE,
        location_address="Somewhere",
        acting_user=None,
        at=timezone.now(),
    )
    agent = world.client_for(world.members[Role.CASEWORKER])
    html = agent.get(reverse("shelters:availability"), {"dispatch": str(dispatch.pk)}).content.decode()
    assert "Back to the dispatch" in html
    response = agent.post(
        reverse("shelters:hold_place"),
        {"facility": str(facility.pk), "dispatch": str(dispatch.pk), "beds": "2", "cots": "1", "adults": "1"},
    )
    holds = BedHold.objects.filter(status="HELD")
    assert holds.count() == 3 and {h.reference for h in holds} == {str(dispatch.pk)}
    assert {h.bed.kind for h in holds} == {"BED", "COT"}
    page = agent.get(response["Location"]).content.decode()
    assert "hold-expiry" in page and "admit-from-hold" in page  # the dispatch names her case


def test_a_hold_asking_for_more_beds_than_are_free_writes_nothing(world: World, facility: Facility) -> None:
    agent = world.client_for(world.members[Role.HOTLINE_AGENT])
    response = agent.post(
        reverse("shelters:hold_place"),
        {"facility": str(facility.pk), "beds": "9", "cots": "0", "adults": "1"},
        follow=True,
    )
    assert "Not enough free beds" in response.content.decode()
    refused = agent.post(
        reverse("shelters:hold_place"),
        {"facility": str(facility.pk), "beds": "1", "cots": "0", "adults": "1", "boys_ages": "99"},
        follow=True,
    )
    assert "Give ages in whole years" in refused.content.decode()
    assert not BedHold.objects.exists()


def test_a_boy_over_the_limit_is_refused_by_the_hold_verb(world: World) -> None:
    centre = make_facility(world, boys_max_age=8)
    agent = world.client_for(world.members[Role.HOTLINE_AGENT])
    response = agent.post(
        reverse("shelters:hold_place"),
        {"facility": str(centre.pk), "beds": "2", "cots": "0", "adults": "1", "boys_ages": "11"},
        follow=True,
    )
    assert "Boys older than 8" in response.content.decode()
    assert not BedHold.objects.exists()


def test_releasing_a_hold_frees_its_beds(world: World, facility: Facility) -> None:
    (hold,) = actions.place_hold(
        facility=facility, beds=[bed(facility, "1")], held_by=world.org, acting_user=None, at=timezone.now()
    )
    client = world.client_for(world.members[Role.HOTLINE_AGENT])
    client.post(reverse("shelters:hold_release", args=[hold.pk]))
    hold.refresh_from_db()
    assert hold.status == "RELEASED"
    again = client.post(reverse("shelters:hold_release", args=[hold.pk]), follow=True)
    assert "already ended" in again.content.decode()


def test_a_hold_from_a_hotline_contact_keeps_her_case(
    world: World, facility: Facility, household: Household
) -> None:
    contact = Contact.objects.create(org=world.org, offered_at=timezone.now(), case=household.case)
    agent = world.client_for(world.members[Role.HOTLINE_AGENT])
    html = agent.get(reverse("shelters:availability"), {"contact": str(contact.pk)}).content.decode()
    assert "Back to the contact" in html
    agent.post(
        reverse("shelters:hold_place"),
        {"facility": str(facility.pk), "contact": str(contact.pk), "beds": "1", "cots": "0", "adults": "1"},
    )
    assert BedHold.objects.get().reference == str(household.case.pk)  # what a team's arrival looks for


def test_a_full_facility_is_not_offered_and_long_results_are_cut(world: World, facility: Facility) -> None:
    for label in ("1", "2", "3", "Cot", "Wide"):
        someone = make_household(world, f"Woman {label}")
        admit(someone, facility, timezone.now(), (someone.woman, label))
    assert str(facility.pk) not in _search(world)
    for n in range(55):
        site = create_site(
            org=world.org, name=f"Place {n:02d}", kind="SHELTER", acting_user=None, at=world.at
        )
        make_facility_on(site, beds=1)
    html = _search(world)
    assert html.count("hold-button") == 50 and 'id="more-results"' in html
    assert "5 more facilities have room" in html
