"""A site's answer that carries its address or phone (encrypted) is an audited read (`site.view`),
whether it answers a read or a change, and whether or not the site is confidential."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from haven.conftest import World
from haven.orgs.actions import SITE_VIEW
from haven.orgs.models import Membership, Site
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def _api(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else ""
    return Client().generic(method, "/api/v1" + path, data, content_type="application/json", headers=headers)


def _reads(member: Membership, site: Site) -> int:
    return AuditEntry.objects.filter(
        action=SITE_VIEW, actor=member.user, object_type="orgs.site", object_id=str(site.pk)
    ).count()


def _with_address(site: Site) -> Site:
    site.address = "7 Example Street"
    site.save(update_fields=["address"])
    return site


def test_reading_an_offices_address_is_an_audited_read(world: World) -> None:
    office = _with_address(world.office)
    assert not office.is_confidential
    member = world.members[Role.CASEWORKER]
    answer = _api(world, member, "GET", f"/sites/{office.pk}")
    assert answer.status_code == 200 and answer.json()["address"] == "7 Example Street"
    assert _reads(member, office) == 1


def test_a_change_answering_with_an_offices_address_is_an_audited_read(world: World) -> None:
    office = _with_address(world.office)
    member = world.members[Role.ORG_ADMIN]
    answer = _api(world, member, "PATCH", f"/sites/{office.pk}", {"name": "Front office"})
    assert answer.status_code == 200 and answer.json()["address"] == "7 Example Street"
    assert _reads(member, office) == 1


def test_an_answer_without_the_address_is_no_read(world: World) -> None:
    member = world.members[Role.LAWYER]
    answer = _api(world, member, "GET", f"/sites/{world.shelter.pk}")
    assert answer.status_code == 200 and answer.json()["address"] is None
    assert _reads(member, world.shelter) == 0
