"""A time sent without a UTC offset is read in the organisation's time zone, never a server error."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from haven.conftest import World
from haven.orgs.roles import Role
from haven.shelters.models import Facility, Stay
from haven.shelters.tests.conftest import Household, admit, api, counts


def test_a_leaving_time_without_offset_is_read_in_local_time(
    world: World, facility: Facility, household: Household
) -> None:
    stay = admit(household, facility, timezone.now() - timedelta(days=2))
    manager = world.members[Role.SHELTER_MANAGER]
    left = timezone.localtime() - timedelta(hours=3)
    naive = left.replace(tzinfo=None, microsecond=0).isoformat()
    response = api(
        world, manager, "POST", f"/stays/{stay.pk}/discharge", {"destination": "FAMILY", "left_at": naive}
    )
    assert response.status_code == 200, response.content
    stay.refresh_from_db()
    assert stay.status == Stay.Status.ENDED and stay.ended_at == left.replace(microsecond=0)


def test_a_naive_leaving_time_before_her_arrival_is_a_field_error(
    world: World, facility: Facility, household: Household
) -> None:
    stay = admit(household, facility, timezone.now() - timedelta(days=2))
    before = counts()
    naive = "2001-01-01T10:00:00"
    manager = world.members[Role.SHELTER_MANAGER]
    response = api(
        world, manager, "POST", f"/stays/{stay.pk}/discharge", {"destination": "FAMILY", "left_at": naive}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "left_at"
    assert counts() == before
