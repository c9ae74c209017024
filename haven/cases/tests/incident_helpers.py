"""A survivor's case and yesterday's incident on it, recorded through the verbs (synthetic data)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from haven.cases import actions
from haven.cases.models import Case, Incident
from haven.conftest import World
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.people.models import Person


def survivor_case(world: World, sex: str = Person.Sex.UNKNOWN) -> Case:
    survivor = register_person(
        org=world.org, name="Synthetic Survivor", sex=sex, acting_user=None, at=world.at
    )
    return actions.open_case(
        survivor=survivor, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at
    )


def yesterdays_incident(world: World, case: Case, *relationships: str) -> Incident:
    """An incident of yesterday reported today, with an alleged perpetrator of each relationship."""
    today = timezone.localdate(world.at)
    incident = actions.record_incident(
        case=case,
        acting_user=None,
        at=world.at,
        occurred_on=today - timedelta(days=1),
        reported_on=today,
        place_type=Incident.PlaceType.HOME,
    )
    for relationship in relationships:
        actions.add_alleged_perpetrator(
            incident=incident, acting_user=None, at=world.at, relationship=relationship
        )
    return incident
