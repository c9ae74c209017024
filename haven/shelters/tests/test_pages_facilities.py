"""The facility pages: the list (never an address), the facility page and its audited "show address",
and the managers' forms (refusals shown as field errors, nothing written)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from haven.conftest import World
from haven.orgs.actions import create_site
from haven.orgs.models import Site
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry
from haven.shelters.models import Bed, Facility, Room
from haven.shelters.tests.conftest import Household, admit, bed, make_facility_on

ADDRESS = "12 Hidden Lane"


def test_it_lists_facilities_with_free_beds_and_no_address(world: World, facility: Facility) -> None:
    for role in (Role.ORG_ADMIN, Role.HOTLINE_AGENT, Role.DATA_OFFICER, Role.SHELTER_MANAGER):
        response = world.client_for(world.members[role]).get(reverse("shelters:facilities"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Shelter" in html and ADDRESS not in html and "555 0100" not in html
    assert not AuditEntry.objects.filter(action="site.view").exists()


def test_the_list_does_not_show_another_organisations_facilities(world: World, facility: Facility) -> None:
    response = world.client_for(world.outsider).get(reverse("shelters:facilities"))
    assert response.status_code == 200
    assert str(facility.pk) not in response.content.decode()


def test_the_list_costs_the_same_queries_for_3_or_30_facilities(world: World) -> None:
    def sites(n: int) -> None:
        for _i in range(n):
            site = create_site(
                org=world.org, name=f"S {Site.objects.count()}", kind="SHELTER", acting_user=None, at=world.at
            )
            make_facility_on(site, beds=2)

    client = world.client_for(world.members[Role.CASEWORKER])
    sites(3)
    client.get(reverse("shelters:facilities"))
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("shelters:facilities"))
    sites(27)
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(reverse("shelters:facilities"))
    assert response.content.decode().count('href="/shelters/') >= 30
    assert len(thirty) == len(three)


def test_the_facility_page_hides_the_address_until_asked(world: World, facility: Facility) -> None:
    caseworker = world.client_for(world.members[Role.CASEWORKER])
    page = caseworker.get(reverse("shelters:facility", args=[facility.pk])).content.decode()
    assert ADDRESS not in page and "show-address" in page
    assert not AuditEntry.objects.filter(action="site.view").exists()

    shown = caseworker.get(
        reverse("shelters:facility_address", args=[facility.pk]), headers={"HX-Request": "true"}
    )
    assert ADDRESS in shown.content.decode()
    entry = AuditEntry.objects.get(action="site.view")
    assert entry.object_id == str(world.shelter.pk) and entry.actor_id == world.persona(Role.CASEWORKER).pk


def test_roles_without_the_right_never_see_the_address(world: World, facility: Facility) -> None:
    counsellor = world.client_for(world.members[Role.COUNSELLOR])
    page = counsellor.get(reverse("shelters:facility", args=[facility.pk])).content.decode()
    assert "show-address" not in page
    answer = counsellor.get(reverse("shelters:facility_address", args=[facility.pk])).content.decode()
    assert ADDRESS not in answer and "Confidential" in answer
    assert not AuditEntry.objects.filter(action="site.view").exists()


def test_an_admin_describes_a_facility_and_bad_input_writes_nothing(world: World) -> None:
    client = world.client_for(world.members[Role.ORG_ADMIN])
    url = reverse("shelters:facility_create")
    assert client.get(url).status_code == 200
    body = {
        "site": str(world.shelter.pk),
        "facility_type": "ONE_STOP_CENTRE",
        "operator": "STATE",
        "accepts_women": "on",
        "accepts_children": "on",
        "boys_max_age": "8",
        "max_stay_days": "5",
        "hold_minutes": "2",
        "follow_up_days": "7, 30",
    }
    refused = client.post(url, body)
    assert refused.status_code == 422
    assert "Ensure this value is greater than or equal to 5" in refused.content.decode()
    assert not Facility.objects.exists()
    refused = client.post(url, {**body, "hold_minutes": "60", "follow_up_days": "7, soon"})
    assert refused.status_code == 422 and "whole numbers" in refused.content.decode()
    assert not Facility.objects.exists()

    done = client.post(url, {**body, "hold_minutes": "60"})
    facility = Facility.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("shelters:facility", args=[facility.pk])
    assert (facility.boys_max_age, facility.max_stay_days, facility.follow_up_days) == (8, 5, [7, 30])
    assert facility.accepts_pregnant_women is False  # an unticked box is a "no"


def test_a_manager_adds_a_room_with_beds_and_a_clashing_label_is_refused(
    world: World, facility: Facility
) -> None:
    client = world.client_for(world.members[Role.SHELTER_MANAGER])
    url = reverse("shelters:room_create", args=[facility.pk])
    done = client.post(url, {"name": "Room 3", "labels": "A, B, C", "kind": "BED", "is_accessible": "on"})
    assert done.status_code == 302
    room = Room.objects.get(facility=facility, name="Room 3")
    assert sorted(Bed.objects.filter(room=room, is_accessible=True).values_list("label", flat=True)) == [
        "A",
        "B",
        "C",
    ]
    before = Bed.objects.count()
    refused = client.post(reverse("shelters:beds_add", args=[room.pk]), {"labels": "C, D", "kind": "COT"})
    assert refused.status_code == 422 and "already has a bed with this label" in refused.content.decode()
    refused = client.post(url, {"name": "Room 3", "labels": "X", "kind": "BED"})
    assert refused.status_code == 422 and "already has a room with this name" in refused.content.decode()
    assert Bed.objects.count() == before


def test_an_occupied_bed_cannot_be_taken_out_of_use(
    world: World, facility: Facility, household: Household
) -> None:
    admit(household, facility, timezone.now())
    client = world.client_for(world.members[Role.SHELTER_MANAGER])
    taken = bed(facility, "1")
    response = client.post(reverse("shelters:bed_in_use", args=[taken.pk]), {"in_use": "0"}, follow=True)
    assert "is occupied" in response.content.decode()
    taken.refresh_from_db()
    assert taken.is_active
    free = bed(facility, "2")
    client.post(reverse("shelters:bed_in_use", args=[free.pk]), {"in_use": "0"})
    free.refresh_from_db()
    assert not free.is_active


def test_a_caseworker_may_not_change_a_facility(world: World, facility: Facility) -> None:
    client = world.client_for(world.members[Role.CASEWORKER])
    assert client.get(reverse("shelters:facility_edit", args=[facility.pk])).status_code == 403
    page = client.get(reverse("shelters:facility", args=[facility.pk])).content.decode()
    assert "edit-policy" not in page
