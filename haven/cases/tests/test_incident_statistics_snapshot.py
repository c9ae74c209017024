"""What an incident keeps for the GBVIMS statistics: her sex and its perpetrators' relationships.

The statistics read these columns instead of joining her record and the perpetrators, so every way they
change is tested here: recording the incident, describing perpetrators, correcting her record, and the
migration that fills them for incidents recorded before they existed.
"""

from __future__ import annotations

import importlib
from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from haven.cases import actions
from haven.cases.models import AllegedPerpetrator, Case, Incident
from haven.conftest import World
from haven.orgs.roles import Role
from haven.people.actions import register_person, update_person
from haven.people.models import Person

Relationship = AllegedPerpetrator.Relationship
migration = importlib.import_module("haven.cases.migrations.0006_incident_statistics_snapshot")


def _case(world: World, sex: str) -> Case:
    survivor = register_person(
        org=world.org, name="Synthetic Survivor", sex=sex, acting_user=None, at=world.at
    )
    return actions.open_case(
        survivor=survivor, lead=world.members[Role.CASEWORKER], acting_user=None, at=world.at
    )


def _incident(world: World, case: Case, *relationships: str) -> Incident:
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


def _stored(incident: Incident) -> tuple[str, list[str]]:
    stored = Incident.objects.get(pk=incident.pk)
    return stored.survivor_sex, stored.perpetrator_relationships


def test_an_incident_keeps_her_sex_and_each_relationship_once_in_order(world: World) -> None:
    case = _case(world, Person.Sex.OTHER)
    alone = _incident(world, case)
    several = _incident(
        world, case, Relationship.INTIMATE_PARTNER, Relationship.IN_LAW, Relationship.INTIMATE_PARTNER
    )

    assert _stored(alone) == (Person.Sex.OTHER, [])
    assert _stored(several) == (Person.Sex.OTHER, [Relationship.INTIMATE_PARTNER, Relationship.IN_LAW])
    assert several.perpetrator_relationships == [Relationship.INTIMATE_PARTNER, Relationship.IN_LAW]


def test_correcting_her_sex_corrects_her_incidents_and_no_one_elses(world: World) -> None:
    case = _case(world, Person.Sex.UNKNOWN)
    hers = [_incident(world, case), _incident(world, case)]
    someone_elses = _incident(world, _case(world, Person.Sex.UNKNOWN))

    update_person(
        person=case.survivor,
        changes={"sex": Person.Sex.FEMALE},
        acting_user=world.members[Role.CASEWORKER].user,
        at=world.at,
    )

    assert [_stored(incident)[0] for incident in hers] == [Person.Sex.FEMALE, Person.Sex.FEMALE]
    assert _stored(someone_elses)[0] == Person.Sex.UNKNOWN


def test_the_migration_fills_incidents_recorded_before_the_columns(world: World) -> None:
    woman, other = _case(world, Person.Sex.FEMALE), _case(world, Person.Sex.OTHER)
    two = _incident(world, woman, Relationship.STRANGER, Relationship.FAMILY, Relationship.STRANGER)
    none = _incident(world, other)
    Incident.objects.update(survivor_sex=Person.Sex.UNKNOWN, perpetrator_relationships=[])

    migration.fill_from_the_records(apps, None)

    assert _stored(two) == (Person.Sex.FEMALE, [Relationship.FAMILY, Relationship.STRANGER])
    assert _stored(none) == (Person.Sex.OTHER, [])
