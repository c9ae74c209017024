"""Helpers shared by the care tests: an active case, a closed one, and calls to the API as a persona."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.db import connection
from django.test import Client

from haven.accounts.models import User
from haven.cases import actions
from haven.cases.models import Case
from haven.conftest import World
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.people.actions import register_person


def acting(world: World, role: Role) -> User:
    member = world.members[role]
    member.user.active_membership = member
    return member.user


def active_case(world: World, name: str = "Amina Khatun") -> Case:
    survivor = register_person(org=world.org, name=name, acting_user=None, at=world.at)
    case = actions.open_case(
        survivor=survivor,
        lead=world.members[Role.CASEWORKER],
        acting_user=None,
        at=world.at - timedelta(days=10),
    )
    return actions.activate_case(case=case, acting_user=acting(world, Role.CASEWORKER), at=world.at)


def closed_case(world: World) -> Case:
    case = active_case(world, name="Rehana Begum")
    actions.request_closure(
        case=case, reason="NEEDS_MET", acting_user=acting(world, Role.CASEWORKER), at=world.at
    )
    return actions.approve_closure(case=case, acting_user=acting(world, Role.SHELTER_MANAGER), at=world.at)


def api(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    url = "/api/v1" + path
    if body is None:
        return Client().generic(method, url, headers=headers)
    return Client().generic(method, url, json.dumps(body), content_type="application/json", headers=headers)


def raw_column(table: str, column: str, pk: Any) -> str:
    """The stored value, read past the ORM: what someone with the database but no key would see."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {table} WHERE id = %s", [pk.hex if connection.vendor == "sqlite" else pk]
        )
        return str(cursor.fetchone()[0])
