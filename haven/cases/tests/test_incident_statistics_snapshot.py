"""What an incident keeps for the GBVIMS statistics: her sex and its perpetrators' relationships.

The statistics read these columns instead of joining her record and the perpetrators, so every way they
change is tested here: recording the incident, describing perpetrators, correcting her record, and the
migration that fills them for incidents recorded before they existed.
"""

from __future__ import annotations

import importlib

from django.apps import apps

from haven.cases.models import AllegedPerpetrator, Incident
from haven.cases.tests.incident_helpers import survivor_case, yesterdays_incident
from haven.conftest import World
from haven.orgs.roles import Role
from haven.people.actions import update_person
from haven.people.models import Person

Relationship = AllegedPerpetrator.Relationship
migration = importlib.import_module("haven.cases.migrations.0006_incident_statistics_snapshot")


def _stored(incident: Incident) -> tuple[str, list[str]]:
    stored = Incident.objects.get(pk=incident.pk)
    return stored.survivor_sex, stored.perpetrator_relationships


def test_an_incident_keeps_her_sex_and_each_relationship_once_in_order(world: World) -> None:
    case = survivor_case(world, Person.Sex.OTHER)
    alone = yesterdays_incident(world, case)
    several = yesterdays_incident(
        world, case, Relationship.INTIMATE_PARTNER, Relationship.IN_LAW, Relationship.INTIMATE_PARTNER
    )

    assert _stored(alone) == (Person.Sex.OTHER, [])
    assert _stored(several) == (Person.Sex.OTHER, [Relationship.INTIMATE_PARTNER, Relationship.IN_LAW])
    assert several.perpetrator_relationships == [Relationship.INTIMATE_PARTNER, Relationship.IN_LAW]


def test_correcting_her_sex_corrects_her_incidents_and_no_one_elses(world: World) -> None:
    case = survivor_case(world, Person.Sex.UNKNOWN)
    hers = [yesterdays_incident(world, case), yesterdays_incident(world, case)]
    someone_elses = yesterdays_incident(world, survivor_case(world, Person.Sex.UNKNOWN))

    update_person(
        person=case.survivor,
        changes={"sex": Person.Sex.FEMALE},
        acting_user=world.members[Role.CASEWORKER].user,
        at=world.at,
    )

    assert [_stored(incident)[0] for incident in hers] == [Person.Sex.FEMALE, Person.Sex.FEMALE]
    assert _stored(someone_elses)[0] == Person.Sex.UNKNOWN


def test_the_migration_fills_incidents_recorded_before_the_columns(world: World) -> None:
    woman, other = survivor_case(world, Person.Sex.FEMALE), survivor_case(world, Person.Sex.OTHER)
    two = yesterdays_incident(world, woman, Relationship.STRANGER, Relationship.FAMILY, Relationship.STRANGER)
    none = yesterdays_incident(world, other)
    Incident.objects.update(survivor_sex=Person.Sex.UNKNOWN, perpetrator_relationships=[])

    migration.fill_from_the_records(apps, None)

    assert _stored(two) == (Person.Sex.FEMALE, [Relationship.FAMILY, Relationship.STRANGER])
    assert _stored(none) == (Person.Sex.OTHER, [])
