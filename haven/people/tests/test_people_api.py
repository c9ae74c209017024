"""The people API through a real client and token."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from haven.conftest import World, make_member
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.people import actions
from haven.people.models import Person, SafeContact
from haven.privacy.models import AuditEntry


def _send(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    url = "/api/v1" + path
    if body is None:
        return Client().generic(method, url, headers=headers)
    return Client().generic(method, url, json.dumps(body), content_type="application/json", headers=headers)


def _nasrin(world: World) -> Person:
    return actions.register_person(
        org=world.org, name="Nasrin Akter", phone="01711-000111", acting_user=None, at=world.at
    )


def test_it_searches_without_returning_names(world: World) -> None:
    person = _nasrin(world)
    agent = world.members[Role.HOTLINE_AGENT]
    response = _send(world, agent, "POST", "/people/search", {"name": "Nasrin", "phone": "+8801711000111"})
    assert response.status_code == 200
    body = response.json()
    assert [row["survivor_code"] for row in body] == [person.survivor_code]
    assert set(body[0]) == {"id", "survivor_code", "score", "reasons"}
    assert "Nasrin" not in response.content.decode()


def test_it_registers_a_person(world: World) -> None:
    caseworker = world.members[Role.CASEWORKER]
    response = _send(
        world,
        caseworker,
        "POST",
        "/people",
        {"name": "Leila", "phone": "01711-000333", "id_kind": "NATIONAL_ID", "id_number": "1990 123 456"},
    )
    assert response.status_code == 201
    person = Person.objects.get()
    assert response.json() == {"id": str(person.pk), "survivor_code": person.survivor_code}
    assert person.id_kind == "NATIONAL_ID"


def test_it_reads_her_file_with_safe_contact_and_records_the_read(world: World) -> None:
    person = _nasrin(world)
    agent = world.members[Role.HOTLINE_AGENT]
    first = _send(world, agent, "GET", f"/people/{person.pk}").json()
    assert first["name"] == "Nasrin Akter"
    assert first["phone"] == "01711-000111"
    assert first["safe_contact"] is None
    put = _send(
        world,
        agent,
        "PUT",
        f"/people/{person.pk}/safe-contact",
        {"safe_to_call": True, "safe_channel": "SMS", "safe_hours": "mornings", "code_word": "mango"},
    )
    assert put.status_code == 200
    assert put.json()["code_word"] == "mango"
    assert SafeContact.objects.get(person=person).safe_channel == "SMS"
    second = _send(world, agent, "GET", f"/people/{person.pk}").json()
    assert second["safe_contact"]["safe_hours"] == "mornings"
    assert AuditEntry.objects.filter(action="person.view", object_id=str(person.pk)).count() == 2


def test_it_answers_422_with_field_errors(world: World) -> None:
    caseworker = world.members[Role.CASEWORKER]
    missing = _send(world, caseworker, "POST", "/people", {"phone": "01711-000333"})
    assert missing.status_code == 422
    assert {"field": "name", "message": "This field is required."} in missing.json()["errors"]
    bad_phone = _send(world, caseworker, "POST", "/people", {"name": "Leila", "phone": "not a phone"})
    assert bad_phone.status_code == 422
    assert bad_phone.json()["errors"][0]["field"] == "phone"
    assert not Person.objects.exists()
    person = _nasrin(world)
    contradictory = _send(
        world, caseworker, "PUT", f"/people/{person.pk}/safe-contact", {"safe_to_call": True}
    )
    assert contradictory.status_code == 422
    assert contradictory.json()["errors"][0]["field"] == "safe_channel"


def test_it_refuses_other_roles_and_other_organisations(world: World) -> None:
    person = _nasrin(world)
    assert _send(world, world.members[Role.DATA_OFFICER], "GET", f"/people/{person.pk}").status_code == 403
    outsider = make_member(world.other_org, Role.CASEWORKER, username="elsewhere.cw", at=world.at)
    assert _send(world, outsider, "GET", f"/people/{person.pk}").status_code == 404
    assert _send(world, outsider, "POST", "/people/search", {"phone": "01711-000111"}).json() == []


def test_it_audits_her_file_returned_by_a_change_of_details(world: World) -> None:
    """The answer to a PATCH is her whole file (address, phone, ID number...), a reading like the GET's."""
    person = _nasrin(world)
    caseworker = world.members[Role.CASEWORKER]
    response = _send(world, caseworker, "PATCH", f"/people/{person.pk}", {"address": "Road 4, Mirpur"})
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "01711-000111"
    reads = AuditEntry.objects.filter(action="person.view", object_id=str(person.pk), actor=caseworker.user)
    assert reads.count() == 1
