"""A time sent without a UTC offset is read in the organisation's time zone, never a server error."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from haven.cases.models import Case
from haven.conftest import World
from haven.dispatch.models import Dispatch
from haven.dispatch.tests.conftest import ADDRESS, api, errors
from haven.orgs.roles import Role


def _create(world: World, case: Case, received_at: str) -> object:
    body = {"case_id": str(case.pk), "priority": 1, "location_address": ADDRESS, "received_at": received_at}
    return api(world, world.members[Role.CASEWORKER], "POST", "/dispatches", body)


def test_a_call_time_without_offset_is_read_in_local_time(world: World, case: Case) -> None:
    answered = timezone.localtime().replace(microsecond=0) - timedelta(minutes=10)
    response = _create(world, case, answered.replace(tzinfo=None).isoformat())
    assert response.status_code == 201, response.content  # type: ignore[attr-defined]
    assert Dispatch.objects.get().received_at == answered


def test_a_naive_call_time_in_the_future_is_a_field_error(world: World, case: Case) -> None:
    future = (timezone.localtime() + timedelta(days=1)).replace(tzinfo=None).isoformat()
    response = _create(world, case, future)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "in the future" in errors(response)
    assert not Dispatch.objects.exists()
