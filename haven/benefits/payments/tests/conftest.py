"""Fixtures of the payments tests: the approved March cycle of the Mother & child benefit, and the people
who pay it — a computer operator who makes batches and two programme officers who approve them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from haven.accounts.models import User
from haven.benefits.models import Cycle
from haven.benefits.payments.tests import factories
from haven.conftest import World, make_member
from haven.orgs.models import Membership
from haven.orgs.roles import Role


@pytest.fixture
def cycle(world: World) -> Cycle:
    return factories.cycle(world.org)


@pytest.fixture
def operator(world: World) -> User:
    return world.persona(Role.COMPUTER_OPERATOR)


@pytest.fixture
def officer(world: World) -> User:
    return world.persona(Role.PROGRAMME_OFFICER)


@pytest.fixture
def second_officer(world: World) -> Membership:
    return make_member(world.org, Role.PROGRAMME_OFFICER, username="home.officer-2", at=world.at)


def api(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else ""
    return Client().generic(method, "/api/v1" + path, data, content_type="application/json", headers=headers)


def errors(response: Any) -> str:
    return " ".join(error["message"] for error in response.json()["errors"])
