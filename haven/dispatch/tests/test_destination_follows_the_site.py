"""On arrival at one of the organisation's sites, the site decides the kind of destination: a shelter is a
shelter, a one-stop or crisis centre a centre, any other site (an office) somewhere else. A kind sent that
disagrees with the site is refused on its field and nothing is recorded, so a handover is never expected
at an office, nor skipped at a shelter recorded as a hospital."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from haven.cases.models import Case
from haven.conftest import World
from haven.dispatch.models import Dispatch, DispatchEvent, Handover
from haven.dispatch.tests.conftest import Crew, api, errors
from haven.orgs.roles import Role


def _transporting(world: World, case: Case, crew: Crew) -> str:
    body = {"case_id": str(case.pk), "priority": 1, "location_address": "House 3, Lane 2"}
    created = api(world, world.members[Role.CASEWORKER], "POST", "/dispatches", body)
    dispatch_id: str = created.json()["id"]
    desk = world.members[Role.HOTLINE_AGENT]
    api(world, desk, "POST", f"/dispatches/{dispatch_id}/assign", {"unit_id": str(crew.unit.pk)})
    for step in ("ACKNOWLEDGED", "EN_ROUTE", "ON_SCENE", "TRANSPORTING"):
        _step(world, dispatch_id, step)
    return dispatch_id


def _step(world: World, dispatch_id: str, step: str, **extra: Any) -> Any:
    member = world.members[Role.HOTLINE_AGENT]
    return api(world, member, "POST", f"/dispatches/{dispatch_id}/steps", {"step": step, **extra})


def _assert_still_transporting(dispatch_id: str) -> None:
    assert Dispatch.objects.get(pk=dispatch_id).status == Dispatch.Status.TRANSPORTING
    assert not DispatchEvent.objects.filter(dispatch_id=dispatch_id, step="ARRIVED").exists()
    assert not Handover.objects.exists()


def test_it_refuses_a_shelter_that_is_an_office(world: World, case: Case, crew: Crew) -> None:
    dispatch_id = _transporting(world, case, crew)
    refused = _step(
        world, dispatch_id, "ARRIVED", destination_kind="SHELTER", destination_site_id=str(world.office.pk)
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "destination_kind"
    assert "counts as “Somewhere else”" in errors(refused)
    _assert_still_transporting(dispatch_id)


def test_it_refuses_a_hospital_that_is_a_shelter(world: World, case: Case, crew: Crew) -> None:
    dispatch_id = _transporting(world, case, crew)
    refused = _step(
        world, dispatch_id, "ARRIVED", destination_kind="HOSPITAL", destination_site_id=str(world.shelter.pk)
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "destination_kind"
    assert "counts as “Shelter or safe house”" in errors(refused)
    _assert_still_transporting(dispatch_id)


def test_it_takes_the_kind_from_an_office_site(world: World, case: Case, crew: Crew) -> None:
    dispatch_id = _transporting(world, case, crew)
    arrived = _step(world, dispatch_id, "ARRIVED", destination_site_id=str(world.office.pk))
    assert arrived.status_code == 200, arrived.content
    dispatch = Dispatch.objects.get(pk=dispatch_id)
    assert (dispatch.destination_kind, dispatch.destination_site) == ("OTHER", world.office)
    assert not Handover.objects.exists()


def test_it_accepts_a_kind_that_agrees_with_the_site(world: World, case: Case, crew: Crew) -> None:
    dispatch_id = _transporting(world, case, crew)
    arrived = _step(
        world, dispatch_id, "ARRIVED", destination_kind="OTHER", destination_site_id=str(world.office.pk)
    )
    assert arrived.status_code == 200, arrived.content
    assert Dispatch.objects.get(pk=dispatch_id).destination_kind == "OTHER"


def test_the_team_page_says_why_it_refuses_and_records_nothing(world: World, case: Case, crew: Crew) -> None:
    dispatch_id = _transporting(world, case, crew)
    team = world.client_for(crew.responder)
    body = {
        "step": "ARRIVED",
        "from": "team",
        "destination_kind": "SHELTER",
        "destination_site": world.office.pk,
    }
    refused = team.post(reverse("dispatch:step", args=[dispatch_id]), body, follow=True)
    assert refused.status_code == 200
    assert "counts as “Somewhere else”" in refused.content.decode()
    _assert_still_transporting(dispatch_id)
