"""The cases API through a real client and token."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from haven.accounts.models import User
from haven.cases import actions
from haven.cases.models import Case, Incident
from haven.conftest import World, make_member
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.people.models import Person
from haven.privacy.models import AuditEntry

Status = Case.Status


def _send(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    url = "/api/v1" + path
    if body is None:
        return Client().generic(method, url, headers=headers)
    return Client().generic(method, url, json.dumps(body), content_type="application/json", headers=headers)


def _person(world: World) -> Person:
    return register_person(org=world.org, name="Amina Khatun", acting_user=None, at=world.at)


def _as(world: World, role: Role) -> User:
    member = world.members[role]
    member.user.active_membership = member
    return member.user


def _active(world: World) -> Case:
    case = actions.open_case(
        survivor=_person(world),
        lead=world.members[Role.CASEWORKER],
        acting_user=None,
        at=world.at - timedelta(hours=1),
    )
    return actions.activate_case(case=case, acting_user=_as(world, Role.CASEWORKER), at=world.at)


def _incident(**overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    body: dict[str, Any] = {
        "occurred_on": (today - timedelta(days=10)).isoformat(),
        "reported_on": today.isoformat(),
        "place_type": "HOME",
        "penetration": True,
        "physical_violence": True,
        "perpetrator_is_intimate_partner": True,
    }
    body.update(overrides)
    return body


def test_it_opens_and_lists_cases_by_code(world: World) -> None:
    person = _person(world)
    worker = world.members[Role.CASEWORKER]
    response = _send(world, worker, "POST", "/cases", {"person_id": str(person.pk)})
    assert response.status_code == 201
    body = response.json()
    assert body["survivor_code"] == person.survivor_code
    assert body["status"] == "OPEN"
    assert body["lead"] == worker.user.username
    listed = _send(world, worker, "GET", "/cases")
    assert [row["id"] for row in listed.json()] == [body["id"]]
    assert "Amina" not in listed.content.decode()
    assert _send(world, worker, "GET", "/cases?status=CLOSED").json() == []


def test_it_refuses_to_open_a_case_for_a_missing_person(world: World) -> None:
    worker = world.members[Role.CASEWORKER]
    response = _send(world, worker, "POST", "/cases", {"person_id": "not-a-uuid"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "person_id"
    other = register_person(org=world.other_org, name="Elsewhere", acting_user=None, at=world.at)
    assert _send(world, worker, "POST", "/cases", {"person_id": str(other.pk)}).status_code == 404


def test_it_reads_a_case_with_its_timeline_and_audits_it(world: World) -> None:
    case = _active(world)
    response = _send(world, world.members[Role.CASEWORKER], "GET", f"/cases/{case.pk}")
    assert response.status_code == 200
    body = response.json()
    assert [entry["transition"]["to_status"] for entry in body["timeline"]] == ["ACTIVE", "OPEN"]
    assert AuditEntry.objects.filter(action="case.view", object_id=str(case.pk)).count() == 1


def test_it_records_an_incident_and_returns_its_classification(world: World) -> None:
    case = _active(world)
    worker = world.members[Role.CASEWORKER]
    response = _send(world, worker, "POST", f"/cases/{case.pk}/incidents", _incident())
    assert response.status_code == 201
    body = response.json()
    assert body["violence_type"] == "RAPE"
    assert body["classification_rule"] == "1-rape"
    assert body["contexts"] == ["INTIMATE_PARTNER_VIOLENCE"]
    assert body["delay_bucket"] == "DAYS_6_14"
    assert "rape takes precedence" in body["explanation"]
    detail = _send(world, world.members[Role.CASEWORKER], "GET", f"/cases/{case.pk}").json()
    assert detail["timeline"][0]["incident"]["violence_type"] == "RAPE"


def test_it_answers_422_with_field_errors(world: World) -> None:
    case = _active(world)
    worker = world.members[Role.CASEWORKER]
    missing = _send(world, worker, "POST", f"/cases/{case.pk}/incidents", {"place_type": "HOME"})
    assert missing.status_code == 422
    assert {"field": "occurred_on", "message": "This field is required."} in missing.json()["errors"]
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = _send(world, worker, "POST", f"/cases/{case.pk}/incidents", _incident(occurred_on=future))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "occurred_on"
    bad_verb = _send(world, worker, "POST", f"/cases/{case.pk}/transition", {"verb": "explode"})
    assert bad_verb.status_code == 422
    assert bad_verb.json()["errors"][0]["field"] == "verb"
    no_reason = _send(world, worker, "POST", f"/cases/{case.pk}/transition", {"verb": "request_closure"})
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "reason"
    assert not Incident.objects.exists()


def test_a_closed_case_refuses_an_incident_with_422(world: World) -> None:
    case = _active(world)
    worker, manager = world.members[Role.CASEWORKER], world.members[Role.SHELTER_MANAGER]
    path = f"/cases/{case.pk}/transition"
    asked = _send(world, worker, "POST", path, {"verb": "request_closure", "reason": "NEEDS_MET"})
    assert asked.json()["status"] == "CLOSURE_REQUESTED"
    refused = _send(world, worker, "POST", path, {"verb": "approve_closure"})
    assert refused.status_code == 422
    assert "or a centre or shelter manager can" in refused.json()["errors"][0]["message"]
    approved = _send(world, manager, "POST", path, {"verb": "approve_closure"})
    assert approved.status_code == 200
    assert approved.json()["status"] == "CLOSED"
    response = _send(world, worker, "POST", f"/cases/{case.pk}/incidents", _incident())
    assert response.status_code == 422
    assert "so you cannot change it" in response.json()["errors"][0]["message"]
    assert not Incident.objects.exists()


def test_it_refuses_a_manager_approving_her_own_request(world: World) -> None:
    case = _active(world)
    manager = world.members[Role.SHELTER_MANAGER]
    path = f"/cases/{case.pk}/transition"
    _send(world, manager, "POST", path, {"verb": "request_closure", "reason": "OTHER"})
    response = _send(world, manager, "POST", path, {"verb": "approve_closure"})
    assert response.status_code == 422
    assert "you asked for this closure yourself" in response.json()["errors"][0]["message"]


def test_only_the_people_on_the_case_see_it(world: World) -> None:
    case = _active(world)
    path = f"/cases/{case.pk}"
    assert _send(world, world.members[Role.COUNSELLOR], "GET", path).status_code == 404
    assert _send(world, world.members[Role.DATA_OFFICER], "GET", path).status_code == 403
    outsider = make_member(world.other_org, Role.CASEWORKER, username="elsewhere.cw", at=world.at)
    assert _send(world, outsider, "GET", path).status_code == 404
    assert _send(world, world.members[Role.COUNSELLOR], "GET", "/cases").json() == []
