"""The edit and safe-contact pages show her identity and how to reach her: opening them is an audited read,
like opening her file. Sending the form back is the write's own audit entry, not another read."""

from __future__ import annotations

from django.urls import reverse

from haven.conftest import World
from haven.orgs.roles import Role
from haven.people import actions
from haven.privacy.models import AuditEntry


def _reads(person_id: object) -> int:
    return AuditEntry.objects.filter(action="person.view", object_id=str(person_id)).count()


def test_opening_the_edit_page_is_an_audited_read(world: World) -> None:
    person = actions.register_person(
        org=world.org, name="Rahima Sultana", phone="01711000111", acting_user=None, at=world.at
    )
    client = world.client_for(world.members[Role.CASEWORKER])

    response = client.get(reverse("people:edit", args=[person.pk]))

    assert response.status_code == 200 and "Rahima Sultana" in response.content.decode()
    entry = AuditEntry.objects.get(action="person.view", object_id=str(person.pk))
    assert entry.actor == world.persona(Role.CASEWORKER)
    assert entry.fields == []


def test_opening_the_safe_contact_page_is_an_audited_read(world: World) -> None:
    person = actions.register_person(org=world.org, name="Rahima Sultana", acting_user=None, at=world.at)
    actions.set_safe_contact(
        person=person,
        instructions={"safe_to_call": True, "safe_channel": "SMS", "code_word": "Mango"},
        acting_user=None,
        at=world.at,
    )
    client = world.client_for(world.members[Role.CASEWORKER])

    response = client.get(reverse("people:safe_contact", args=[person.pk]))

    assert response.status_code == 200 and "Mango" in response.content.decode()
    assert _reads(person.pk) == 1
    client.post(reverse("people:safe_contact", args=[person.pk]), {"safe_channel": "IN_PERSON"})
    assert _reads(person.pk) == 1
