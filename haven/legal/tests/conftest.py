"""Fixtures of the legal tests: a woman's case led by the caseworker with the lawyer on its team, the
lawyer on the panel (in-house), and an external advocate empanelled by a legal services authority."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from haven.cases.actions import assign_worker, open_case
from haven.cases.models import Case, CaseAssignment
from haven.conftest import World
from haven.legal import actions
from haven.legal.models import Advocate, Hearing, Matter
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.people.actions import register_person

SURVIVOR_NAME = "Amina Testwoman"
OPPONENT_NAME = "Karim Opponent"


def api(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else ""
    return Client().generic(method, "/api/v1" + path, data, content_type="application/json", headers=headers)


def errors(response: Any) -> str:
    return " ".join(error["message"] for error in response.json()["errors"])


def new_case(world: World, *, lawyer_on_team: bool = True) -> Case:
    survivor = register_person(org=world.org, name=SURVIVOR_NAME, acting_user=None, at=world.at)
    case = open_case(survivor=survivor, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at)
    if lawyer_on_team:
        assign_worker(
            case=case,
            membership=world.members[Role.LAWYER],
            role_in_case=CaseAssignment.RoleInCase.SUPPORT,
            acting_user=None,
            at=world.at,
        )
    return case


def open_matter(case: Case, at: datetime, **fields: Any) -> Matter:
    values: dict[str, Any] = {
        "kind": Matter.Kind.PROTECTION_ORDER,
        "opened_on": timezone.localdate(at) - timedelta(days=20),
        "court": "Family Court, Dhaka",
        "opposing_party_name": OPPONENT_NAME,
        "opposing_party_relationship": Matter.Relationship.HUSBAND,
    }
    values.update(fields)
    return actions.open_matter(case=case, acting_user=None, at=at, **values)


def hearing_on(matter: Matter, starts_at: datetime, at: datetime) -> Hearing:
    return actions.schedule_hearing(
        matter=matter, starts_at=starts_at, purpose="FIRST_HEARING", acting_user=None, at=at
    )


@dataclass
class Legal:
    world: World
    case: Case
    lawyer: Membership
    in_house: Advocate
    external: Advocate

    @property
    def at(self) -> datetime:
        return self.world.at


@pytest.fixture
def legal(world: World) -> Legal:
    lawyer = world.members[Role.LAWYER]
    in_house = actions.add_advocate(
        org=world.org,
        kind=Advocate.Kind.IN_HOUSE,
        membership=lawyer,
        languages=["bn", "en"],
        acting_user=None,
        at=world.at,
    )
    external = actions.add_advocate(
        org=world.org,
        kind=Advocate.Kind.EXTERNAL,
        name="Advocate Rahman",
        registration_number="BAR-1234",
        empanelled_by="District Legal Services Authority",
        areas=[Matter.Kind.PROTECTION_ORDER, Matter.Kind.DIVORCE],
        max_active_matters=2,
        acting_user=None,
        at=world.at,
    )
    return Legal(world, new_case(world), lawyer, in_house, external)
