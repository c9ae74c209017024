"""The organisation API: real HTTP with tokens, field-level 422s, translated errors, nothing half-written."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from haven.conftest import World
from haven.orgs.models import Area, Site
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def _call(
    world: World,
    role: Role,
    method: str,
    path: str,
    body: Any = None,
    raw: str | None = None,
    language: str = "en",
) -> Any:
    token = world.token_for(world.members[role])
    data = raw if raw is not None else (json.dumps(body) if body is not None else "")
    return Client().generic(
        method,
        f"/api/v1{path}",
        data=data,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": language},
    )


def test_it_creates_a_site_and_reads_it_back(world: World) -> None:
    response = _call(
        world,
        Role.ORG_ADMIN,
        "POST",
        "/sites",
        {
            "name": "Walk-in centre",
            "kind": "CRISIS_CENTRE",
            "area_id": str(world.district.pk),
            "address": "3 Synthetic Road",
        },
    )
    assert response.status_code == 201
    site_id = response.json()["id"]
    assert Site.objects.get(pk=site_id).area == world.district
    detail = _call(world, Role.CASEWORKER, "GET", f"/sites/{site_id}").json()
    assert detail["address"] == "3 Synthetic Road"


def test_it_withholds_confidential_addresses_by_role(world: World) -> None:
    path = f"/sites/{world.shelter.pk}"
    assert _call(world, Role.LAWYER, "GET", path).json()["address"] is None
    assert _call(world, Role.MOBILE_TEAM, "GET", path).json()["address"] == "12 Hidden Lane"
    assert AuditEntry.objects.filter(action="site.view", actor=world.persona(Role.MOBILE_TEAM)).count() == 1
    listed = _call(world, Role.MOBILE_TEAM, "GET", "/sites").json()
    assert {row["address"] for row in listed} == {None}


def test_it_answers_422_with_field_details(world: World) -> None:
    response = _call(world, Role.ORG_ADMIN, "POST", "/sites", {"name": "", "kind": "CASTLE"})
    assert response.status_code == 422
    body = response.json()
    fields = {error["field"]: error["message"] for error in body["errors"]}
    assert set(fields) == {"name", "kind"}
    assert fields["name"] == "This field cannot be empty."
    assert fields["kind"].startswith("Choose one of:")
    assert Site.objects.filter(org=world.org).count() == 2


def test_it_reports_a_rule_broken_inside_the_verb_by_field(world: World) -> None:
    response = _call(world, Role.ORG_ADMIN, "POST", "/sites", {"name": "Shelter", "kind": "OFFICE"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "name", "message": "Your organisation already has a site with this name."}
    ]
    response = _call(
        world,
        Role.ORG_ADMIN,
        "POST",
        "/areas",
        {"name": "Too coarse", "level": 1, "parent_id": str(world.district.pk)},
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "level"
    assert not Area.objects.filter(name="Too coarse").exists()


def test_it_refuses_an_area_of_another_organisation(world: World) -> None:
    response = _call(
        world,
        Role.ORG_ADMIN,
        "POST",
        "/sites",
        {"name": "X", "kind": "OFFICE", "area_id": "00000000-0000-0000-0000-000000000000"},
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "area_id"


def test_it_answers_malformed_json_clearly(world: World) -> None:
    response = _call(world, Role.ORG_ADMIN, "POST", "/sites", raw="{not json")
    assert response.status_code in {400, 422}
    assert "JSON" in json.dumps(response.json())
    response = _call(world, Role.ORG_ADMIN, "POST", "/sites", raw="[1, 2]")
    assert response.status_code in {400, 422}


def test_it_translates_errors(world: World) -> None:
    response = _call(world, Role.ORG_ADMIN, "POST", "/sites", {"kind": "OFFICE"}, language="fr")
    assert response.status_code == 422
    field_error = response.json()["errors"][0]
    assert field_error["field"] == "name"
    assert field_error["message"] != "This field is required."  # French, from the catalogue
    anonymous = Client().get("/api/v1/me", headers={"Accept-Language": "fr"})
    assert anonymous.status_code == 401 and "Bearer" in anonymous.json()["detail"]
    assert "Send a valid" not in anonymous.json()["detail"]


def test_it_answers_404_for_a_malformed_id(world: World) -> None:
    response = _call(world, Role.ORG_ADMIN, "GET", "/sites/not-a-uuid")
    assert response.status_code == 422  # a path parameter of the wrong type is a validation error
    response = _call(world, Role.ORG_ADMIN, "GET", "/sites/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_it_publishes_openapi_docs(world: World) -> None:
    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/sites" in paths and "/api/v1/me" in paths
    assert Client().get("/api/v1/docs").status_code == 200


def test_a_change_that_answers_with_a_confidential_address_is_an_audited_reading(world: World) -> None:
    # An empty change answers with the site as it stands, address included: the same reading as a GET.
    answer = _call(world, Role.SHELTER_MANAGER, "PATCH", f"/sites/{world.shelter.pk}", {})
    assert answer.status_code == 200 and answer.json()["address"] == "12 Hidden Lane"
    reader = world.persona(Role.SHELTER_MANAGER)
    assert AuditEntry.objects.filter(action="site.view", actor=reader).count() == 1
