"""Disability, marital and displacement status: through the register and edit pages, the file, the API."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse

from haven.conftest import World
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.people import actions
from haven.people.models import Person
from haven.privacy.fields import Sealed
from haven.privacy.models import AuditEntry


def _api(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else ""
    return Client().generic(method, "/api/v1" + path, data, content_type="application/json", headers=headers)


def test_it_registers_her_details_on_the_page_and_shows_them_on_her_file(world: World) -> None:
    client = world.client_for(world.members[Role.CASEWORKER])
    response = client.post(
        reverse("people:register"),
        {
            "name": "Shapla Khatun",
            "sex": "FEMALE",
            "disabilities": ["HEARING", "PHYSICAL"],
            "disability_details": "Uses a hearing aid; needs ground-floor rooms",
            "marital_status": "ABANDONED",
            "displacement_status": "INTERNALLY_DISPLACED",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.disabilities == ["HEARING", "PHYSICAL"]
    assert person.marital_status == Person.MaritalStatus.ABANDONED
    assert person.displacement_status == Person.Displacement.INTERNALLY_DISPLACED
    html = client.get(response["Location"]).content.decode()
    for text in (
        "Hearing",
        "Physical or mobility",
        "ground-floor",
        "Abandoned by her husband",
        "Internally displaced",
    ):
        assert text in html


def test_it_keeps_the_details_about_her_disability_encrypted(world: World) -> None:
    person = actions.register_person(
        org=world.org, name="Salma", disability_details="Epilepsy", acting_user=None, at=world.at
    )
    sealed = Person.objects.filter(pk=person.pk).values_list("disability_details", flat=True).get()
    assert isinstance(sealed, Sealed)
    assert sealed.token.startswith("h1$")
    assert "Epilepsy" not in sealed.token
    assert Person.objects.get(pk=person.pk).disability_details == "Epilepsy"


def test_it_defaults_to_not_known_when_nobody_asked(world: World) -> None:
    person = actions.register_person(org=world.org, name="Rahima", acting_user=None, at=world.at)
    assert person.disabilities == []
    assert person.marital_status == Person.MaritalStatus.NOT_KNOWN
    assert person.displacement_status == Person.Displacement.NOT_KNOWN


def test_it_refuses_none_known_together_with_a_disability_and_saves_nothing(world: World) -> None:
    client = world.client_for(world.members[Role.CASEWORKER])
    response = client.post(
        reverse("people:register"),
        {"name": "Rahima", "sex": "FEMALE", "disabilities": ["NONE_KNOWN", "VISUAL"]},
    )
    assert response.status_code == 422
    assert "cannot go with a disability" in response.content.decode()
    assert not Person.objects.exists()


def test_it_changes_her_details_on_the_edit_page_and_audits_field_names(world: World) -> None:
    person = actions.register_person(org=world.org, name="Rahima", acting_user=None, at=world.at)
    client = world.client_for(world.members[Role.CASEWORKER])
    url = reverse("people:edit", args=[person.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert "Rahima" in form.content.decode()
    response = client.post(
        url, {"name": "Rahima", "sex": "FEMALE", "marital_status": "WIDOWED", "disabilities": ["NONE_KNOWN"]}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.marital_status == Person.MaritalStatus.WIDOWED
    assert person.disabilities == ["NONE_KNOWN"]
    entry = AuditEntry.objects.filter(action="person.update").get()
    assert {"marital_status", "disabilities", "sex"} <= set(entry.fields)
    assert "Rahima" not in json.dumps(entry.fields)


def test_the_api_takes_and_gives_the_details(world: World) -> None:
    caseworker = world.members[Role.CASEWORKER]
    created = _api(
        world,
        caseworker,
        "POST",
        "/people",
        {
            "name": "Leila",
            "disabilities": ["PSYCHOSOCIAL"],
            "disability_details": "Anxiety in crowds",
            "marital_status": "SEPARATED",
            "displacement_status": "REFUGEE",
        },
    )
    assert created.status_code == 201
    body = _api(world, caseworker, "GET", f"/people/{created.json()['id']}").json()
    assert body["disabilities"] == ["PSYCHOSOCIAL"]
    assert body["disability_details"] == "Anxiety in crowds"
    assert body["marital_status"] == "SEPARATED"
    assert body["displacement_status"] == "REFUGEE"


def test_the_api_refuses_unknown_or_contradictory_values(world: World) -> None:
    caseworker = world.members[Role.CASEWORKER]
    unknown = _api(world, caseworker, "POST", "/people", {"name": "Leila", "marital_status": "COMPLICATED"})
    assert unknown.status_code == 422
    both = _api(
        world, caseworker, "POST", "/people", {"name": "Leila", "disabilities": ["NONE_KNOWN", "OTHER"]}
    )
    assert both.status_code == 422
    assert both.json()["errors"][0]["field"] == "disabilities"
    assert not Person.objects.exists()
