"""Attendance reveals that she is in a programme: names only on the session page, to roles that work
with survivors, audited; counts for everyone in the organisation; nothing for another organisation."""

from __future__ import annotations

from django.urls import reverse

from haven.cases.actions import open_case
from haven.conftest import World
from haven.groups.tests.conftest import Family, api, errors, make_activity, make_session, present
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.privacy.models import AuditEntry


def test_names_are_shown_to_survivor_roles_only_and_audited(world: World, family: Family) -> None:
    session = make_session(make_activity(world, "MOTHERS_GROUP", audience="MOTHERS"))
    present(session, family.mother)
    url = reverse("groups:session", args=[session.pk])
    for role in (Role.DATA_OFFICER, Role.PROGRAMME_OFFICER, Role.ORG_ADMIN):
        page = world.client_for(world.members[role]).get(url).content.decode()
        assert "Nadia" not in page and family.mother.survivor_code not in page and "1 present" in page
    assert not AuditEntry.objects.filter(action="group_attendance.view").exists()

    page = world.client_for(world.members[Role.COUNSELLOR]).get(url).content.decode()
    assert "Nadia Testwoman" in page
    assert AuditEntry.objects.filter(action="group_attendance.view", object_id=str(session.pk)).count() == 1

    # Lists and the API show survivor codes, never names.
    listed = api(world, world.members[Role.CASEWORKER], "GET", f"/groups/sessions/{session.pk}/attendance")
    assert (
        listed.json()[0]["survivor_code"] == family.mother.survivor_code
        and "Nadia" not in listed.content.decode()
    )
    assert (
        api(
            world, world.members[Role.DATA_OFFICER], "GET", f"/groups/sessions/{session.pk}/attendance"
        ).status_code
        == 403
    )
    activity_page = world.client_for(world.members[Role.CASEWORKER]).get(reverse("groups:activities"))
    assert "Nadia" not in activity_page.content.decode()


def test_another_organisation_sees_nothing_and_cannot_mark_its_people(world: World, family: Family) -> None:
    session = make_session(make_activity(world))
    outsider = world.outsider
    assert world.client_for(outsider).get(reverse("groups:session", args=[session.pk])).status_code == 404
    assert api(world, outsider, "GET", f"/groups/sessions/{session.pk}").status_code == 404
    assert api(world, outsider, "GET", "/groups/activities").json() == []

    stranger = register_person(org=world.other_org, name="Other Org Woman", acting_user=None, at=world.at)
    response = api(
        world,
        world.members[Role.CASEWORKER],
        "POST",
        f"/groups/sessions/{session.pk}/attendance",
        {"person_id": str(stranger.pk)},
    )
    assert response.status_code == 422 and "registered in your organisation" in errors(response)


def test_the_case_page_lists_the_groups_she_came_to(world: World, family: Family) -> None:
    case = open_case(
        survivor=family.mother, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at
    )
    present(
        make_session(make_activity(world, "MOTHERS_GROUP", title="Groupe des mères", audience="MOTHERS")),
        family.mother,
    )
    page = world.client_for(world.members[Role.CASEWORKER]).get(reverse("cases:detail", args=[case.pk]))
    assert "Groupe des mères" in page.content.decode() and "present at 1 session" in page.content.decode()
