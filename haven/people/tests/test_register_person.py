"""Registering a person: encrypted identity, a non-identifying code, indexes kept in step, audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from haven.conftest import World
from haven.orgs.roles import Role
from haven.people import actions
from haven.people.models import Person, PersonNameToken
from haven.privacy.models import AuditEntry


def _register(world: World, **details: object) -> Person:
    return actions.register_person(
        org=world.org, name="ফাতেমা বেগম", acting_user=world.persona(Role.CASEWORKER), at=world.at, **details
    )


def test_it_gives_a_code_that_identifies_nobody(world: World) -> None:
    person = _register(world, latin_name="Fatema Begum", phone="01711-000111")
    assert person.survivor_code.startswith("S-") and len(person.survivor_code) == 11
    assert "Fatema" not in person.survivor_code and str(person) == person.survivor_code
    assert _register(world).survivor_code != person.survivor_code


def test_it_stores_no_identifying_value_in_plain_text(world: World) -> None:
    person = _register(
        world,
        latin_name="Fatema Begum",
        phone="01711-000111",
        id_kind="NATIONAL_ID",
        id_number="1990 1234 5678",
        address="Synthetic Para, Savar",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person")
        rows = repr(cursor.fetchall())
        cursor.execute("SELECT token FROM people_personnametoken")
        tokens = repr(cursor.fetchall())
    # Whole values only: a short run of digits such as "5678" turns up by chance in hex digests and
    # ciphertext, which would make this test fail one run in a few hundred without any leak.
    identifying = (
        "ফাতেমা",
        "Fatema",
        "01711-000111",
        "1711000111",
        "1990 1234 5678",
        "199012345678",
        "Synthetic Para",
    )
    for secret in identifying:
        assert secret not in rows and secret not in tokens
    assert Person.objects.get(pk=person.pk).name == "ফাতেমা বেগম"


def test_it_indexes_phone_id_and_name_tokens(world: World) -> None:
    person = _register(
        world, latin_name="Fatema Begum", phone="+8801711000111", id_kind="NATIONAL_ID", id_number="19901234"
    )
    assert len(person.phone_index) == 64 and len(person.id_number_index) == 64
    assert PersonNameToken.objects.filter(person=person).count() >= 4


def test_it_refreshes_indexes_when_details_change(world: World) -> None:
    person = _register(world, phone="01711000111")
    old_index, old_tokens = person.phone_index, set(person.name_tokens.values_list("token", flat=True))
    actions.update_person(
        person=person,
        changes={"phone": "01811000222", "name": "Rokeya Sultana"},
        acting_user=world.persona(Role.CASEWORKER),
        at=world.at,
    )
    assert person.phone_index != old_index
    assert set(person.name_tokens.values_list("token", flat=True)).isdisjoint(old_tokens)
    entry = AuditEntry.objects.filter(action="person.update").get()
    assert entry.fields == ["name", "phone"]


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"phone": "not a phone"}, "phone"),
        ({"id_number": " - "}, "id_number"),
        ({"born_on": date.today() + timedelta(days=1)}, "born_on"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
    ],
)
def test_it_refuses_bad_details_and_saves_nothing(
    world: World, details: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        _register(world, **details)
    assert field in error.value.message_dict
    assert not Person.objects.exists() and not AuditEntry.objects.filter(action="person.create").exists()


def test_it_refuses_an_empty_name(world: World) -> None:
    with pytest.raises(ValidationError):
        actions.register_person(org=world.org, name="  ", acting_user=None, at=world.at)


def test_it_shows_people_only_to_roles_that_work_with_survivors(world: World) -> None:
    _register(world)
    for role, member in world.members.items():
        member.user.active_membership = member
        visible = Person.objects.visible_to(member.user).exists()
        assert visible == role.traits.works_with_survivors, role
    world.outsider.user.active_membership = world.outsider
    assert not Person.objects.visible_to(world.outsider.user).exists()


def test_it_refuses_to_change_an_unknown_field(world: World) -> None:
    person = _register(world)
    with pytest.raises(ValidationError) as error:
        actions.update_person(
            person=person,
            changes={"survivor_code": "S-FAKE-CODE"},
            acting_user=world.persona(Role.CASEWORKER),
            at=world.at,
        )
    assert "survivor_code" in error.value.message_dict
