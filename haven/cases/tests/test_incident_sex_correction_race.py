"""A correction of her sex saved while an incident is being recorded still reaches that incident.

Her incidents keep her sex for the GBVIMS statistics, and ``update_person`` corrects them. An incident being
recorded at that moment is not yet visible to the correction, so ``record_incident`` locks her row first:
it waits for the correction and reads the corrected sex. Only PostgreSQL runs transactions side by side.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from haven.cases.models import Case, Incident
from haven.cases.tests.incident_helpers import survivor_case, yesterdays_incident
from haven.conftest import World
from haven.orgs.roles import Role
from haven.people.actions import update_person
from haven.people.models import Person

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")


def _correct_her_sex(case: Case, world: World, saved: threading.Event, commit: threading.Event) -> None:
    try:
        with transaction.atomic():
            survivor = Person.objects.get(pk=case.survivor_id)
            officer = world.members[Role.CASEWORKER].user
            update_person(
                person=survivor, changes={"sex": Person.Sex.FEMALE}, acting_user=officer, at=world.at
            )
            saved.set()
            assert commit.wait(timeout=10)
    finally:
        connections.close_all()


def _record(case: Case, world: World, recorded: list[Incident]) -> None:
    try:
        recorded.append(yesterdays_incident(world, case))
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_an_incident_recorded_during_a_correction_of_her_sex_gets_the_corrected_sex(world: World) -> None:
    case = survivor_case(world)
    saved, commit = threading.Event(), threading.Event()
    correction = threading.Thread(target=_correct_her_sex, args=(case, world, saved, commit))
    recorded: list[Incident] = []
    recording = threading.Thread(target=_record, args=(case, world, recorded))
    correction.start()
    try:
        assert saved.wait(timeout=10)
        recording.start()
        recording.join(timeout=1)
        assert recording.is_alive()  # waiting for the correction to commit
    finally:
        commit.set()
        correction.join()
        recording.join()
    assert Incident.objects.get(pk=recorded[0].pk).survivor_sex == Person.Sex.FEMALE
