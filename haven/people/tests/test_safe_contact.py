"""Safe-contact instructions: recorded, encrypted where they could identify, and consistent."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from haven.conftest import World
from haven.orgs.roles import Role
from haven.people import actions
from haven.people.models import SafeContact


def test_it_records_instructions_and_keeps_the_code_word_encrypted(world: World) -> None:
    person = actions.register_person(org=world.org, name="Leila", acting_user=None, at=world.at)
    contact = actions.set_safe_contact(
        person=person,
        instructions={
            "safe_to_call": True,
            "safe_channel": "SMS",
            "safe_hours": "10:00-12:00 weekdays",
            "code_word": "mango-tree",
            "abuser_knows_of_contact": False,
        },
        acting_user=world.persona(Role.HOTLINE_AGENT),
        at=world.at,
    )
    assert SafeContact.objects.get(pk=contact.pk).code_word == "mango-tree"
    assert contact.do_not_name_organisation  # on unless someone decides otherwise
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_safecontact")
        assert "mango" not in repr(cursor.fetchall())


def test_it_refuses_a_call_channel_of_in_person_only(world: World) -> None:
    person = actions.register_person(org=world.org, name="Leila", acting_user=None, at=world.at)
    with pytest.raises(ValidationError) as error:
        actions.set_safe_contact(
            person=person,
            instructions={"safe_to_call": True, "safe_channel": "IN_PERSON"},
            acting_user=world.persona(Role.HOTLINE_AGENT),
            at=world.at,
        )
    assert "safe_channel" in error.value.message_dict
    assert not SafeContact.objects.exists()
