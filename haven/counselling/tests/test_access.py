"""Who reaches counselling pages and endpoints: outsiders get 404, roles without survivor work are
refused, and only organisation administrators set who reads notes."""

from __future__ import annotations

from django.urls import reverse

from haven.cases.models import Case
from haven.conftest import World, make_member
from haven.counselling.models import NotesAccess
from haven.counselling.tests.conftest import api, body, record
from haven.orgs.roles import Role


def test_it_hides_sessions_and_cases_from_another_organisation(world: World, case: Case) -> None:
    session = record(world, case)
    elsewhere = make_member(world.other_org, Role.COUNSELLOR, username="elsewhere.counsellor", at=world.at)
    client = world.client_for(elsewhere)
    assert client.get(reverse("counselling:session", args=[session.pk])).status_code == 404
    assert client.get(reverse("counselling:record", args=[case.pk])).status_code == 404
    assert api(world, elsewhere, "GET", f"/counselling/sessions/{session.pk}").status_code == 404
    created = api(world, elsewhere, "POST", f"/counselling/cases/{case.pk}/sessions", body(world))
    assert created.status_code == 404


def test_it_refuses_roles_that_do_not_work_with_survivors(world: World, case: Case) -> None:
    session = record(world, case)
    for role in (Role.DATA_OFFICER, Role.FUNDRAISER, Role.PERPETRATOR_WORKER, Role.ORG_ADMIN):
        member = world.members[role]
        page = world.client_for(member).get(reverse("counselling:session", args=[session.pk]))
        assert page.status_code == 403, role
        assert api(world, member, "GET", f"/counselling/sessions/{session.pk}").status_code == 403, role


def test_it_hides_sessions_from_a_worker_who_is_not_on_the_case(world: World, case: Case) -> None:
    session = record(world, case)
    lawyer = world.members[Role.LAWYER]
    assert world.client_for(lawyer).get(reverse("counselling:session", args=[session.pk])).status_code == 404
    assert api(world, lawyer, "GET", f"/counselling/cases/{case.pk}/sessions").status_code == 404


def test_it_lets_only_the_org_admin_grant_and_only_survivor_roles(world: World) -> None:
    admin = world.members[Role.ORG_ADMIN]
    refused = api(world, admin, "PUT", "/counselling/notes-access", {"roles": ["CASEWORKER", "DATA_OFFICER"]})
    assert refused.status_code == 422 and "Data officer" in refused.json()["errors"][0]["message"]
    assert not NotesAccess.objects.exists()
    page = world.client_for(admin).post(reverse("counselling:notes_access"), {"roles": ["CENTRE_MANAGER"]})
    assert page.status_code == 302
    assert NotesAccess.objects.get(org=world.org).roles == ["CENTRE_MANAGER"]
    assert api(world, admin, "GET", "/counselling/notes-access").json()["roles"] == ["CENTRE_MANAGER"]
    manager = world.members[Role.CENTRE_MANAGER]
    assert world.client_for(manager).get(reverse("counselling:notes_access")).status_code == 403
    assert api(world, manager, "PUT", "/counselling/notes-access", {"roles": []}).status_code == 403
