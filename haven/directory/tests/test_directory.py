"""The directory: managers keep it (audited), survivor workers read and filter it, other organisations
see nothing of it."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse

from haven.conftest import World
from haven.directory.models import Provider
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def _api(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else ""
    return Client().generic(method, "/api/v1" + path, data, content_type="application/json", headers=headers)


def _create(world: World, **extra: Any) -> Any:
    body = {
        "name": "Clinique juridique",
        "kind": "LEGAL_AID",
        "services": ["LEGAL_INFORMATION", "PROTECTION_ORDER"],
        "languages": ["FR", "en"],
        "area_ids": [str(world.district.pk)],
        "phone": "+1 514 555 0111",
        **extra,
    }
    return _api(world, world.members[Role.CENTRE_MANAGER], "POST", "/providers", body)


def test_a_manager_adds_and_changes_a_provider_with_audit(world: World) -> None:
    created = _create(world)
    assert created.status_code == 201, created.content
    assert created.json()["languages"] == ["fr", "en"]
    provider_id = created.json()["id"]
    manager = world.members[Role.CENTRE_MANAGER]
    patched = _api(
        world, manager, "PATCH", f"/providers/{provider_id}", {"services": ["LEGAL_REPRESENTATION"]}
    )
    assert patched.json()["services"] == ["LEGAL_REPRESENTATION"]
    entry = AuditEntry.objects.get(action="provider.update")
    assert entry.fields == ["services"]
    assert AuditEntry.objects.filter(action="provider.create", object_id=provider_id).exists()


def test_it_refuses_bad_entries(world: World) -> None:
    assert _create(world, services=[]).status_code == 422
    unknown = _create(world, haven_org="no-such-org")
    assert unknown.status_code == 422 and "short name" in unknown.content.decode()
    itself = _create(world, haven_org="home")
    assert itself.status_code == 422 and "another organisation" in itself.content.decode()
    assert not Provider.objects.exists()


def test_workers_filter_the_directory_and_cannot_change_it(world: World) -> None:
    _create(world)
    _create(world, name="Clinic", kind="HEALTH", services=["INJURY_CARE"], languages=["bn"], area_ids=[])
    nurse = world.members[Role.NURSE]
    names = [p["name"] for p in _api(world, nurse, "GET", "/providers?service=INJURY_CARE").json()]
    assert names == ["Clinic"]
    names = [p["name"] for p in _api(world, nurse, "GET", "/providers?language=fr").json()]
    assert names == ["Clinique juridique"]
    page = world.client_for(nurse).get(reverse("directory:list"), {"area": str(world.district.pk)})
    assert "Clinique juridique" in page.content.decode() and ">Clinic</a>" not in page.content.decode()
    taken = _create(world)
    assert taken.status_code == 422 and "already has a provider" in taken.content.decode()
    refused = _api(world, nurse, "POST", "/providers", {"name": "X", "kind": "NGO", "services": ["HELPLINE"]})
    assert refused.status_code == 403


def test_other_organisations_do_not_see_the_directory(world: World) -> None:
    provider_id = _create(world).json()["id"]
    assert _api(world, world.outsider, "GET", f"/providers/{provider_id}").status_code == 404
    assert _api(world, world.outsider, "GET", "/providers").json() == []
    client = world.client_for(world.outsider)
    assert client.get(reverse("directory:detail", args=[provider_id])).status_code == 404
