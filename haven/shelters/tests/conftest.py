"""Fixtures of the shelter tests: a shelter with two rooms (beds, a cot, an accessible bed), and a woman
with a daughter and a son in her household, under a case led by the caseworker."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.utils import timezone

from haven.cases.actions import open_case
from haven.cases.models import Case
from haven.conftest import World
from haven.orgs.models import Membership, Site
from haven.orgs.roles import Role
from haven.people.actions import add_to_her_household, register_person
from haven.people.models import Person
from haven.shelters import actions
from haven.shelters.models import (
    Bed,
    BedHold,
    Facility,
    Stay,
    StayExtension,
    StayResident,
    WaitlistEntry,
)

SHELTER_ROWS: tuple[type[Model], ...] = (Stay, StayResident, BedHold, WaitlistEntry, StayExtension)


def api(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else ""
    return Client().generic(method, "/api/v1" + path, data, content_type="application/json", headers=headers)


def errors(response: Any) -> str:
    return " ".join(error["message"] for error in response.json()["errors"])


def counts() -> dict[str, int]:
    """How many rows each shelter table holds: a refusal must leave them all unchanged."""
    return {model.__name__: model._default_manager.count() for model in SHELTER_ROWS}


def make_facility(world: World, *, beds: int = 3, **policy: Any) -> Facility:
    return make_facility_on(world.shelter, beds=beds, **policy)


def make_facility_on(site: Site, *, beds: int = 3, **policy: Any) -> Facility:
    """A facility on `site`: room 1 with `beds` beds labelled 1, 2…; room 2 with a cot and a wide,
    accessible bed."""
    at = timezone.now()
    facility = actions.create_facility(
        site=site,
        facility_type=policy.pop("facility_type", Facility.Type.SHELTER),
        operator=Facility.Operator.NGO,
        acting_user=None,
        at=at,
        **policy,
    )
    actions.add_room(
        facility=facility,
        name="Room 1",
        beds=[actions.NewBed(str(n)) for n in range(1, beds + 1)],
        acting_user=None,
        at=at,
    )
    actions.add_room(
        facility=facility,
        name="Room 2",
        beds=[actions.NewBed("Cot", Bed.Kind.COT), actions.NewBed("Wide", is_accessible=True)],
        acting_user=None,
        at=at,
    )
    return facility


def bed(facility: Facility, label: str) -> Bed:
    return Bed.objects.get(facility=facility, label=label)


@dataclass
class Household:
    case: Case
    woman: Person
    daughter: Person
    son: Person


def make_household(world: World, name: str = "Amina", *, son_born: date = date(2016, 3, 1)) -> Household:
    woman = register_person(org=world.org, name=name, sex="FEMALE", acting_user=None, at=world.at)
    daughter = add_to_her_household(
        head=woman,
        relationship="CHILD",
        name="Daughter",
        sex="FEMALE",
        born_on=date(2021, 5, 1),
        acting_user=None,
        at=world.at,
    ).person
    son = add_to_her_household(
        head=woman,
        relationship="CHILD",
        name="Son",
        sex="MALE",
        born_on=son_born,
        acting_user=None,
        at=world.at,
    ).person
    case = open_case(survivor=woman, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at)
    return Household(case, woman, daughter, son)


@pytest.fixture
def facility(world: World) -> Facility:
    return make_facility(world)


@pytest.fixture
def household(world: World) -> Household:
    return make_household(world)


def admit(
    household: Household, facility: Facility, at: datetime, *pairs: tuple[Person, str], **extra: Any
) -> Stay:
    residents = [(person, bed(facility, label)) for person, label in pairs] or [
        (household.woman, bed(facility, "1"))
    ]
    return actions.admit_household(
        case=household.case,
        facility=facility,
        residents=residents,
        arrival_kind=extra.pop("arrival_kind", Stay.Arrival.WALK_IN),
        acting_user=extra.pop("acting_user", None),
        at=at,
        **extra,
    )
