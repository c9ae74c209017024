"""The case pages through a real client: open from her file, the audited file and timeline, incidents,
status moves and who may see a case."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import User
from haven.cases import actions
from haven.cases.models import Case, Incident
from haven.conftest import World, make_member
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.people.models import Person
from haven.privacy.models import AuditEntry

Status = Case.Status


def _person(world: World) -> Person:
    return register_person(org=world.org, name="Amina Khatun", acting_user=None, at=world.at)


def _as(world: World, role: Role) -> User:
    member = world.members[role]
    member.user.active_membership = member
    return member.user


def _case(world: World) -> Case:
    return actions.open_case(
        survivor=_person(world),
        lead=world.members[Role.CASEWORKER],
        acting_user=None,
        at=world.at - timedelta(hours=1),
    )


def _active(world: World) -> Case:
    return actions.activate_case(case=_case(world), acting_user=_as(world, Role.CASEWORKER), at=world.at)


def _incident_form(**overrides: str) -> dict[str, str]:
    today = timezone.localdate()
    data = {
        "occurred_on": (today - timedelta(days=2)).isoformat(),
        "reported_on": today.isoformat(),
        "time_of_day": "EVENING_NIGHT",
        "place_type": "HOME",
        "narrative": "He came back at night.",
        "was_gbv": "on",
    }
    data.update(overrides)
    return data


def test_it_opens_a_case_from_her_file(world: World) -> None:
    person = _person(world)
    client = world.client_for(world.members[Role.CASEWORKER])
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert reverse("cases:open", args=[person.pk]) in page
    response = client.post(reverse("cases:open", args=[person.pk]))
    case = Case.objects.get(survivor=person)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.status == Status.OPEN
    assert case.assignments.get().membership == world.members[Role.CASEWORKER]


def test_it_refuses_to_open_a_case_by_get(world: World) -> None:
    person = _person(world)
    response = world.client_for(world.members[Role.CASEWORKER]).get(reverse("cases:open", args=[person.pk]))
    assert response.status_code == 405
    assert not Case.objects.exists()


def test_it_lists_my_cases_by_code_and_filters_by_status(world: World) -> None:
    opened = _case(world)
    active = _active(world)
    client = world.client_for(world.members[Role.CASEWORKER])
    html = client.get(reverse("cases:list")).content.decode()
    assert opened.survivor.survivor_code in html
    assert active.survivor.survivor_code in html
    assert "Amina" not in html
    assert world.members[Role.CASEWORKER].user.username in html
    filtered = client.get(reverse("cases:list"), {"status": "ACTIVE"}).content.decode()
    assert active.survivor.survivor_code in filtered
    assert opened.survivor.survivor_code not in filtered


def test_the_file_shows_the_timeline_and_is_audited(world: World) -> None:
    case = _active(world)
    client = world.client_for(world.members[Role.CASEWORKER])
    response = client.get(reverse("cases:detail", args=[case.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="timeline"' in html
    assert "Case opened" in html
    assert "From “Open” to “Active”" in html
    assert reverse("people:detail", args=[case.survivor.pk]) in html
    assert 'value="request_closure"' in html
    entry = AuditEntry.objects.get(action="case.view")
    assert entry.object_id == str(case.pk)
    assert entry.actor == world.persona(Role.CASEWORKER)


def test_it_records_a_rape_and_explains_the_rule(world: World) -> None:
    case = _active(world)
    client = world.client_for(world.members[Role.CASEWORKER])
    url = reverse("cases:record_incident", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _incident_form(penetration="on", physical_violence="on"))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    incident = Incident.objects.get()
    assert incident.violence_type == "RAPE"
    assert incident.classification_rule == "1-rape"
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Rape" in html
    assert "1-rape" in html
    assert "rape takes precedence" in html
    assert "0–3 days" in html


def test_a_closed_case_refuses_a_new_incident(world: World) -> None:
    case = _active(world)
    actions.request_closure(
        case=case, reason="NEEDS_MET", acting_user=_as(world, Role.CASEWORKER), at=world.at
    )
    actions.approve_closure(case=case, acting_user=_as(world, Role.SHELTER_MANAGER), at=world.at)
    client = world.client_for(world.members[Role.CASEWORKER])
    response = client.post(reverse("cases:record_incident", args=[case.pk]), _incident_form(penetration="on"))
    assert response.status_code == 422
    assert "so you cannot change it" in response.content.decode()
    assert not Incident.objects.exists()


def test_closure_is_asked_by_the_worker_and_decided_by_a_manager(world: World) -> None:
    case = _active(world)
    worker = world.client_for(world.members[Role.CASEWORKER])
    url = reverse("cases:transition", args=[case.pk])
    response = worker.post(url, {"verb": "request_closure", "reason": "NEEDS_MET"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSURE_REQUESTED
    # The worker who asked cannot approve it herself.
    refused = worker.post(url, {"verb": "approve_closure"}, follow=True)
    assert "or a centre or shelter manager can" in refused.content.decode()
    case.refresh_from_db()
    assert case.status == Status.CLOSURE_REQUESTED
    manager = world.client_for(world.members[Role.SHELTER_MANAGER])
    assert 'value="approve_closure"' in manager.get(reverse("cases:detail", args=[case.pk])).content.decode()
    response = manager.post(url, {"verb": "approve_closure"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED


def test_a_manager_cannot_approve_a_closure_she_asked_for(world: World) -> None:
    case = _active(world)
    manager = world.client_for(world.members[Role.SHELTER_MANAGER])
    url = reverse("cases:transition", args=[case.pk])
    manager.post(url, {"verb": "request_closure", "reason": "MOVED_AWAY"})
    response = manager.post(url, {"verb": "approve_closure"}, follow=True)
    assert response.status_code == 200
    assert "you asked for this closure yourself" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.CLOSURE_REQUESTED


def test_a_wrong_move_is_a_message_not_an_error(world: World) -> None:
    case = _case(world)
    client = world.client_for(world.members[Role.CASEWORKER])
    response = client.post(reverse("cases:transition", args=[case.pk]), {"verb": "reopen"}, follow=True)
    assert response.status_code == 200
    assert "so you cannot reopen it" in response.content.decode()
    response = client.post(reverse("cases:transition", args=[case.pk]), {"verb": "explode"}, follow=True)
    assert "Choose one of the actions offered." in response.content.decode()


def test_only_the_people_on_the_case_see_it(world: World) -> None:
    case = _case(world)
    url = reverse("cases:detail", args=[case.pk])
    assert world.client_for(world.members[Role.COUNSELLOR]).get(url).status_code == 404
    outsider = make_member(world.other_org, Role.CASEWORKER, username="elsewhere.cw", at=world.at)
    assert world.client_for(outsider).get(url).status_code == 404
    assert world.client_for(world.members[Role.DATA_OFFICER]).get(url).status_code == 403
    assert case.survivor.survivor_code not in (
        world.client_for(world.members[Role.COUNSELLOR]).get(reverse("cases:list")).content.decode()
    )
