"""Fixtures of the groups tests: a woman (34) with her daughter (9) and son (13), a man (67) of the
organisation, and helpers to call the API and count what the app has written."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.utils import timezone

from haven.conftest import World
from haven.groups import actions
from haven.groups.models import (
    Activity,
    ActivitySession,
    AnonymousCount,
    Attendance,
    Certificate,
    Distribution,
    Enrolment,
)
from haven.orgs.models import Membership
from haven.people.actions import add_to_her_household, register_person
from haven.people.models import Person

WRITTEN: tuple[type[Model], ...] = (Attendance, AnonymousCount, Enrolment, Certificate, Distribution)


def api(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else ""
    return Client().generic(method, "/api/v1" + path, data, content_type="application/json", headers=headers)


def errors(response: Any) -> str:
    return " ".join(error["message"] for error in response.json()["errors"])


def counts() -> dict[str, int]:
    """How many rows each table holds: a refusal must leave them all unchanged."""
    return {model.__name__: model._default_manager.count() for model in WRITTEN}


def years_ago(years: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=2)


@dataclass
class Family:
    mother: Person
    daughter: Person
    son: Person
    neighbour: Person


@pytest.fixture
def family(world: World) -> Family:
    at = world.at
    mother = register_person(
        org=world.org, name="Nadia Testwoman", born_on=years_ago(34), sex="FEMALE", acting_user=None, at=at
    )
    daughter = add_to_her_household(
        head=mother,
        relationship="CHILD",
        name="Lina Testchild",
        born_on=years_ago(9),
        sex="FEMALE",
        acting_user=None,
        at=at,
    ).person
    son = add_to_her_household(
        head=mother,
        relationship="CHILD",
        name="Omar Testchild",
        born_on=years_ago(13),
        sex="MALE",
        acting_user=None,
        at=at,
    ).person
    neighbour = register_person(
        org=world.org, name="Arman Testman", born_on=years_ago(67), sex="MALE", acting_user=None, at=at
    )
    return Family(mother, daughter, son, neighbour)


def make_activity(world: World, kind: str = "CHILDRENS_GROUP", **extra: Any) -> Activity:
    fields: dict[str, Any] = {
        "title": "Groupe des enfants",
        "audience": "CHILDREN",
        "language": "fr",
        "starts_on": timezone.localdate() - timedelta(days=60),
        **extra,
    }
    return actions.create_activity(org=world.org, kind=kind, acting_user=None, at=world.at, **fields)


def make_session(activity: Activity, *, days_ago: int = 1, capacity: int | None = None) -> ActivitySession:
    return actions.add_session(
        activity=activity,
        starts_at=timezone.now() - timedelta(days=days_ago),
        place="Salle commune",
        capacity=capacity,
        acting_user=None,
        at=timezone.now(),
    )


def present(session: ActivitySession, *people: Person) -> None:
    for person in people:
        actions.record_attendance(
            session=session, person=person, status="PRESENT", acting_user=None, at=timezone.now()
        )
