"""Fixtures of the counselling tests: a case led by the caseworker with the counsellor on its team, and
helpers to call the API and record a session."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from haven.cases.actions import assign_worker, open_case
from haven.cases.models import Case, CaseAssignment
from haven.conftest import World
from haven.counselling import actions
from haven.counselling.models import CounsellingSession
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.people.actions import register_person

NOTES = "She spoke about the night she left and the fear of being found"


def api(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else ""
    return Client().generic(method, "/api/v1" + path, data, content_type="application/json", headers=headers)


def messages(response: Any) -> str:
    return " ".join(error["message"] for error in response.json()["errors"])


def make_case(world: World, *, with_counsellor: bool = True) -> Case:
    survivor = register_person(
        org=world.org, name="Maryam Testcase", languages=["fa"], acting_user=None, at=world.at
    )
    case = open_case(survivor=survivor, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at)
    if with_counsellor:
        assign_worker(
            case=case,
            membership=world.members[Role.COUNSELLOR],
            role_in_case=CaseAssignment.RoleInCase.SUPPORT,
            acting_user=None,
            at=world.at,
        )
    return case


def record(world: World, case: Case, *, at: datetime | None = None, **fields: Any) -> CounsellingSession:
    """A trauma session by the counsellor an hour ago, with notes, recorded by the system."""
    at = at or timezone.now()
    values: dict[str, Any] = {
        "kind": "TRAUMA",
        "counsellor": world.members[Role.COUNSELLOR],
        "modality": "IN_PERSON",
        "language": "fa",
        "starts_at": at - timedelta(hours=1),
        "duration_minutes": 50,
        "notes": NOTES,
        **fields,
    }
    return actions.record_session(case=case, acting_user=None, at=at, **values)


def body(world: World, **fields: Any) -> dict[str, Any]:
    """A valid API body for a session held an hour ago, with fields replaced."""
    return {
        "kind": "PSYCHOLOGICAL",
        "counsellor_id": world.members[Role.COUNSELLOR].pk,
        "modality": "ONLINE",
        "language": "fa",
        "starts_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "duration_minutes": 50,
        **fields,
    }


@pytest.fixture
def case(world: World) -> Case:
    return make_case(world)
