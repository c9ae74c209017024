"""Inserts outside `save()`: the rows `insert_new` and `haven.sql.insert` write read back exactly as if each
object had been saved."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.utils import timezone

from haven import sql
from haven.conftest import World
from haven.orgs.bulk import insert_new
from haven.people.models import Person, PersonNameToken
from haven.privacy.keyring import keyring


@pytest.mark.django_db
def test_inserted_rows_are_sealed_defaulted_and_readable(world: World) -> None:
    # Keys not loaded yet: sealing the first value reads them from the database (not during COPY).
    keyring.clear()
    at = timezone.now()
    people = [
        Person(
            id=uuid.uuid4(),
            org=world.org,
            survivor_code=f"BULK-{index}",
            name=f"Nadia Example {index}",
            phone="+8801711000000",
            born_on=date(1990, 1, index + 1),
            created_at=at,
        )
        for index in range(3)
    ]
    insert_new(Person, people)
    insert_new(PersonNameToken, [PersonNameToken(org=world.org, person=p, token="abc") for p in people])
    insert_new(Person, [])

    stored = Person.objects.filter(org=world.org, survivor_code__startswith="BULK-").order_by("survivor_code")
    assert [(p.name, p.phone, p.born_on) for p in stored] == [
        (f"Nadia Example {index}", "+8801711000000", date(1990, 1, index + 1)) for index in range(3)
    ]
    assert stored[0].sex == Person.Sex.UNKNOWN and stored[0].languages == []  # defaults applied
    assert PersonNameToken.objects.filter(person__in=people).count() == 3
    assert not people[0]._state.adding


@pytest.mark.django_db
def test_one_inserted_row_is_sealed_defaulted_and_readable(world: World) -> None:
    keyring.clear()
    person = Person(
        id=uuid.uuid4(),
        org=world.org,
        survivor_code="ONE-1",
        name="Rokeya Example",
        phone="+8801711000001",
        created_at=timezone.now(),
    )

    assert sql.insert(person) is True

    stored = Person.objects.get(pk=person.pk)
    assert (stored.name, stored.phone, stored.sex) == ("Rokeya Example", "+8801711000001", Person.Sex.UNKNOWN)
    assert stored.languages == []  # a default
    assert not person._state.adding


@pytest.mark.django_db
def test_an_insert_reads_back_the_key_the_database_generates(world: World) -> None:
    person = Person.objects.create(
        org=world.org, survivor_code="ONE-2", created_at=timezone.now(), name="Shirin Example"
    )
    token = PersonNameToken(org=world.org, person=person, token="abc")

    sql.insert(token)

    assert token.pk is not None
    assert PersonNameToken.objects.get(pk=token.pk).token == "abc"


@pytest.mark.django_db
def test_an_insert_that_ignores_conflicts_skips_a_duplicate_row(world: World) -> None:
    person = Person.objects.create(
        org=world.org, survivor_code="ONE-3", created_at=timezone.now(), name="Laleh Example"
    )
    sql.insert(PersonNameToken(org=world.org, person=person, token="abc"))

    written = sql.insert(PersonNameToken(org=world.org, person=person, token="abc"), ignore_conflicts=True)

    assert written is False
    assert PersonNameToken.objects.filter(person=person).count() == 1
