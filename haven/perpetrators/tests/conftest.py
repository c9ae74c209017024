"""Fixtures of the programme's tests: the programme worker, and a participant in the programme."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from haven.conftest import World
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.perpetrators.models import Participant
from haven.perpetrators.tests.walk import active_participant


def api(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else ""
    return Client().generic(method, "/api/v1" + path, data, content_type="application/json", headers=headers)


@pytest.fixture
def worker(world: World) -> Membership:
    return world.members[Role.PERPETRATOR_WORKER]


@pytest.fixture
def participant(world: World, worker: Membership) -> Participant:
    """A man in the programme (ACTIVE) who came to one group session."""
    return active_participant(world.org, worker)
