"""Fixtures of the dispatch tests: a case, a responder on an available team, and API helpers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from haven.cases import actions as case_actions
from haven.cases.models import Case
from haven.conftest import World, make_member
from haven.dispatch import actions
from haven.dispatch.models import Unit
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.people.actions import register_person

NAME = "Rokeya Begum"
ADDRESS = "House 14, Road 7, Mirpur"


def api(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else ""
    return Client().generic(method, "/api/v1" + path, data, content_type="application/json", headers=headers)


def errors(response: Any) -> str:
    return " ".join(error["message"] for error in response.json()["errors"])


@dataclass
class Crew:
    unit: Unit
    responder: Membership


@pytest.fixture
def case(world: World) -> Case:
    survivor = register_person(
        org=world.org, name=NAME, phone="+1 514 555 0177", acting_user=None, at=world.at
    )
    return case_actions.open_case(
        survivor=survivor, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at
    )


def make_crew(world: World, name: str, username: str) -> Crew:
    unit = actions.create_unit(org=world.org, name=name, area=world.district, acting_user=None, at=world.at)
    responder = make_member(world.org, Role.MOBILE_TEAM, username=username, at=world.at)
    actions.add_unit_member(unit=unit, membership=responder, acting_user=None, at=world.at)
    actions.set_unit_status(unit=unit, status=Unit.Status.AVAILABLE, acting_user=None, at=world.at)
    unit.refresh_from_db()
    return Crew(unit, responder)


@pytest.fixture
def crew(world: World) -> Crew:
    return make_crew(world, "Team North", "home.responder")
