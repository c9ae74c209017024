"""Tampered or extreme values typed into the shelter pages get a page or a 404, never a server error,
and write nothing."""

from __future__ import annotations

from django.urls import reverse

from haven.conftest import World
from haven.orgs.roles import Role
from haven.shelters.models import Facility, Stay
from haven.shelters.tests.conftest import Household, admit, counts


def test_a_malformed_transfer_target_is_ignored(
    world: World, facility: Facility, household: Household
) -> None:
    stay = admit(household, facility, world.at)
    client = world.client_for(world.members[Role.SHELTER_MANAGER])
    url = reverse("shelters:transfer", args=[stay.pk])
    assert client.get(url + "?to=not-a-uuid").status_code == 200
    before = counts()
    response = client.post(url, {"to_facility": "not-a-uuid"})
    assert response.status_code == 422
    assert counts() == before and Stay.objects.get().status == Stay.Status.ACTIVE


def test_a_leaving_date_at_the_end_of_the_calendar_previews_nothing(
    world: World, facility: Facility, household: Household
) -> None:
    stay = admit(household, facility, world.at)
    client = world.client_for(world.members[Role.SHELTER_MANAGER])
    url = reverse("shelters:discharge", args=[stay.pk])
    preview = client.get(url + "?left_at=9999-12-31T10:00", headers={"HX-Request": "true"})
    assert preview.status_code == 200
    before = counts()
    refused = client.post(url, {"destination": "FAMILY", "left_at": "9999-12-31T10:00"})
    assert refused.status_code == 422 and "once she has left" in refused.content.decode()
    assert counts() == before and Stay.objects.get().status == Stay.Status.ACTIVE


def test_an_occupancy_period_before_the_calendar_is_a_form_error(world: World, facility: Facility) -> None:
    client = world.client_for(world.members[Role.SHELTER_MANAGER])
    url = reverse("shelters:occupancy", args=[facility.pk])
    response = client.get(url + "?end=0001-01-01")
    assert response.status_code == 200
    assert "outside the years the calendar can show" in response.content.decode()
