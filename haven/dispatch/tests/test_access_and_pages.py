"""Who sees a dispatch (the desk, the assigned team, nobody elsewhere), the team's phone page, the
dispatcher's pages and the team pages, through real HTTP."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from haven.cases.models import Case
from haven.conftest import World, make_member
from haven.dispatch import actions
from haven.dispatch.models import Dispatch, DispatchEvent, Unit, UnitMember
from haven.dispatch.tests.conftest import ADDRESS, NAME, Crew, api, make_crew
from haven.orgs.roles import Role


def _dispatch(case: Case, crew: Crew | None = None) -> Dispatch:
    dispatch = actions.create_dispatch(
        case=case,
        priority=Dispatch.Priority.URGENT,
        location_address=ADDRESS,
        danger_notes="He has a knife",
        acting_user=None,
        at=timezone.now(),
    )
    if crew is not None:
        dispatch = actions.assign_unit(dispatch=dispatch, unit=crew.unit, acting_user=None, at=timezone.now())
    return dispatch


def test_it_hides_dispatches_from_other_organisations(world: World, case: Case) -> None:
    dispatch = _dispatch(case)
    stranger = make_member(world.other_org, Role.HOTLINE_AGENT, username="elsewhere.agent", at=world.at)
    assert api(world, stranger, "GET", f"/dispatches/{dispatch.pk}").status_code == 404
    body = {"step": "CANCELLED", "cancel_reason": "DUPLICATE"}
    assert api(world, stranger, "POST", f"/dispatches/{dispatch.pk}/steps", body).status_code == 404
    assert api(world, stranger, "GET", "/dispatches").json() == []
    client = world.client_for(stranger)
    assert client.get(reverse("dispatch:detail", args=[dispatch.pk])).status_code == 404
    assert client.get(reverse("dispatch:team", args=[dispatch.pk])).status_code == 404
    assert client.post(reverse("dispatch:step", args=[dispatch.pk]), body).status_code == 404
    assert Dispatch.objects.get().status == "CREATED"


def test_it_shows_a_responder_her_team_s_dispatches_only(world: World, case: Case, crew: Crew) -> None:
    ours = _dispatch(case, crew)
    other_crew = make_crew(world, "Team South", "home.responder-south")
    theirs, unassigned = _dispatch(case, other_crew), _dispatch(case)
    client = world.client_for(crew.responder)
    page = client.get(reverse("dispatch:team", args=[ours.pk]))
    assert page.status_code == 200 and ADDRESS in page.content.decode()
    for hidden in (theirs, unassigned):
        assert client.get(reverse("dispatch:team", args=[hidden.pk])).status_code == 404
        assert api(world, crew.responder, "GET", f"/dispatches/{hidden.pk}").status_code == 404
    assert [row["id"] for row in api(world, crew.responder, "GET", "/dispatches").json()] == [str(ours.pk)]
    mine = client.get(reverse("dispatch:mine")).content.decode()
    assert reverse("dispatch:team", args=[ours.pk]) in mine and str(theirs.pk) not in mine

    # The desk (a hotline agent, on no team) sees all three; a data officer's role sees none.
    agent_rows = api(world, world.members[Role.HOTLINE_AGENT], "GET", "/dispatches").json()
    assert len(agent_rows) == 3
    officer = world.members[Role.DATA_OFFICER]
    assert api(world, officer, "GET", f"/dispatches/{ours.pk}").status_code == 403
    assert world.client_for(officer).get(reverse("dispatch:board")).status_code == 403


def test_the_team_page_moves_the_chain_with_big_buttons(world: World, case: Case, crew: Crew) -> None:
    dispatch = _dispatch(case, crew)
    client = world.client_for(crew.responder)
    url = reverse("dispatch:team", args=[dispatch.pk])
    page = client.get(url).content.decode()
    assert 'id="step-acknowledged"' in page and 'id="step-cancelled"' in page
    assert "knife" in page and NAME not in page and case.survivor.survivor_code not in page

    step_url = reverse("dispatch:step", args=[dispatch.pk])
    moved = client.post(step_url, {"step": "ACKNOWLEDGED", "from": "team"})
    assert moved.status_code == 302 and moved["Location"] == url
    refused = client.post(step_url, {"step": "ARRIVED", "from": "team"}, follow=True).content.decode()
    assert "it cannot be marked “Arrived at destination”" in refused
    assert 'id="step-en_route"' in refused
    steps = DispatchEvent.objects.filter(dispatch=dispatch).values_list("step", flat=True)
    assert list(steps) == ["CREATED", "ACTIVATED", "ACKNOWLEDGED"]


def test_a_dispatcher_creates_and_assigns_from_the_case(world: World, case: Case, crew: Crew) -> None:
    client = world.client_for(world.members[Role.CASEWORKER])
    url = reverse("dispatch:create", args=[case.pk])
    assert client.get(url).status_code == 200
    missing = client.post(url, {"priority": 1, "weapons": "NO", "children_present": "UNKNOWN"})
    assert missing.status_code == 422 and not Dispatch.objects.exists()
    fields = {"priority": 1, "weapons": "NO", "children_present": "YES", "location_address": ADDRESS}
    created = client.post(url, fields)
    dispatch = Dispatch.objects.get()
    assert created.status_code == 302 and created["Location"] == reverse(
        "dispatch:detail", args=[dispatch.pk]
    )
    detail = client.get(created["Location"]).content.decode()
    assert ADDRESS in detail and 'id="assign"' in detail
    client.post(reverse("dispatch:assign", args=[dispatch.pk]), {"unit": crew.unit.pk})
    dispatch.refresh_from_db()
    assert dispatch.status == "ACTIVATED" and dispatch.unit_id == crew.unit.pk
    timeline = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Dispatch: Team activated (team: Team North)" in timeline and ADDRESS not in timeline


def test_managers_make_teams_and_teams_go_on_duty(world: World) -> None:
    admin = world.client_for(world.members[Role.ORG_ADMIN])
    created = admin.post(reverse("dispatch:unit_create"), {"name": "Team East", "area": world.district.pk})
    unit = Unit.objects.get()
    assert created.status_code == 302 and unit.status == Unit.Status.OFF_DUTY and unit.area == world.district
    responder = world.members[Role.MOBILE_TEAM]
    admin.post(reverse("dispatch:unit_member_add", args=[unit.pk]), {"membership": responder.pk})
    assert UnitMember.objects.filter(unit=unit, membership=responder, left_at__isnull=True).exists()
    twice = admin.post(
        reverse("dispatch:unit_member_add", args=[unit.pk]), {"membership": responder.pk}, follow=True
    )
    assert "already on the team" in twice.content.decode()

    on_duty = world.client_for(responder).post(
        reverse("dispatch:unit_status", args=[unit.pk]), {"status": "AVAILABLE"}
    )
    unit.refresh_from_db()
    assert on_duty.status_code == 302 and unit.status == Unit.Status.AVAILABLE
    refused = world.client_for(responder).post(
        reverse("dispatch:unit_status", args=[unit.pk]), {"status": "ON_SCENE"}
    )
    unit.refresh_from_db()
    assert refused.status_code == 302 and unit.status == Unit.Status.AVAILABLE
    assert (
        world.client_for(responder).post(reverse("dispatch:unit_member_add", args=[unit.pk]), {}).status_code
        == 403
    )
    admin.post(reverse("dispatch:unit_member_remove", args=[unit.pk]), {"membership": responder.pk})
    assert not UnitMember.objects.filter(unit=unit, left_at__isnull=True).exists()
