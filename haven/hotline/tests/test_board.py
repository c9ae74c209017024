"""The queue board, agents' status, linking a contact to her file and case, and inbound intake."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.cases.models import Case
from haven.channels.models import Channel
from haven.conftest import World
from haven.hotline import actions
from haven.hotline.intake import contact_for_message, on_inbound_message
from haven.hotline.models import AgentStatus, Contact
from haven.hotline.tests.walk import acting
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.privacy.models import AuditEntry


def test_it_shows_waiting_contacts_per_queue_with_the_longest_wait(world: World) -> None:
    now = timezone.now()
    for minutes in (3, 1):
        actions.offer_contact(
            org=world.org,
            kind="WHATSAPP",
            language="bn",
            acting_user=None,
            at=now - timedelta(minutes=minutes),
        )
    actions.offer_contact(org=world.org, kind="VOICE", acting_user=None, at=now)
    client = world.client_for(world.members[Role.HOTLINE_AGENT])

    partial = client.get(reverse("hotline:board"), headers={"HX-Request": "true"})
    board = client.get(
        "/api/v1/hotline/board",
        headers={"Authorization": f"Bearer {world.token_for(world.members[Role.HOTLINE_AGENT])}"},
    )

    html = partial.content.decode()
    assert "<html" not in html
    assert html.count('action="/hotline/contacts/') == 3
    chats = next(q for q in board.json()["queues"] if q["media"] == "CHAT")
    assert chats["language"] == "bn" and chats["waiting"] == 2 and chats["longest_wait_seconds"] >= 180


def test_it_flags_a_contact_waiting_past_the_target_to_supervisors(world: World) -> None:
    actions.offer_contact(
        org=world.org, kind="VOICE", acting_user=None, at=timezone.now() - timedelta(seconds=40)
    )
    page = world.client_for(world.members[Role.CENTRE_MANAGER]).get(reverse("hotline:board"))

    assert "Contacts are waiting longer than the answer target now." in page.content.decode()


def test_it_saves_an_agents_availability_and_capacity(world: World) -> None:
    member = world.members[Role.HOTLINE_AGENT]
    response = world.client_for(member).post(
        reverse("hotline:availability"), {"is_available": "on", "max_chats": 5}
    )

    status = AgentStatus.objects.get(membership=member)
    assert response.status_code == 302 and status.is_available and status.max_chats == 5


def test_it_sets_the_service_level_for_supervisors_only(world: World) -> None:
    body = {"answer_seconds": 20, "answer_percent": 80, "abandon_percent": 3}
    manager = world.client_for(world.members[Role.CENTRE_MANAGER])

    saved = manager.post(reverse("hotline:service_level"), body)
    refused = world.client_for(world.members[Role.HOTLINE_AGENT]).post(reverse("hotline:service_level"), body)
    bad = manager.post(reverse("hotline:service_level"), {**body, "answer_percent": 150})

    assert saved.status_code == 302 and refused.status_code == 403 and bad.status_code == 422
    assert actions.hotline_settings(world.org).answer_seconds == 20


def test_it_links_a_contact_to_a_returning_person_and_opens_her_case(world: World) -> None:
    agent = world.members[Role.HOTLINE_AGENT]
    contact = actions.offer_contact(org=world.org, kind="VOICE", acting_user=None, at=timezone.now())
    actions.pick_up(contact=contact, acting_user=acting(agent), at=timezone.now())
    person = register_person(
        org=world.org, name="Synthetic Rahima", phone="+1 514 555 0142", acting_user=None, at=world.at
    )
    client = world.client_for(agent)

    found = client.post(reverse("hotline:link", args=[contact.pk]), {"phone": "+1 514 555 0142"})
    opened = client.post(reverse("hotline:link", args=[contact.pk]), {"person": person.pk, "open_case": "1"})

    assert person.survivor_code in found.content.decode() and "Synthetic Rahima" not in found.content.decode()
    assert opened.status_code == 302
    contact.refresh_from_db()
    case = Case.objects.get(survivor=person)
    assert contact.person_id == person.pk and contact.case_id == case.pk
    assert case.assignments.get().membership_id == agent.pk

    closed = client.post(
        reverse("hotline:wrap_up", args=[contact.pk]), {"caller_type": "SURVIVOR", "outcome": "CASE_OPENED"}
    )
    assert closed.status_code == 302


def test_it_refuses_linking_a_case_that_is_not_hers(world: World) -> None:
    contact = actions.offer_contact(org=world.org, kind="VOICE", acting_user=None, at=timezone.now())
    her = register_person(org=world.org, name="Synthetic One", acting_user=None, at=world.at)
    other = register_person(org=world.org, name="Synthetic Two", acting_user=None, at=world.at)
    token = world.token_for(world.members[Role.CASEWORKER])
    headers = {"Authorization": f"Bearer {token}"}
    client = world.client_for(None)
    opened = client.post(
        f"/api/v1/contacts/{contact.pk}/open-case",
        data=json.dumps({"person_id": str(other.pk)}),
        content_type="application/json",
        headers=headers,
    )
    case_id = opened.json()["case_id"]

    refused = client.post(
        f"/api/v1/contacts/{contact.pk}/link",
        data=json.dumps({"person_id": str(her.pk), "case_id": case_id}),
        content_type="application/json",
        headers=headers,
    )

    assert opened.status_code == 201
    assert refused.status_code == 422 and "not hers" in refused.json()["errors"][0]["message"]
    contact.refresh_from_db()
    assert contact.person_id == other.pk


@dataclass
class _Event:
    """What the channels' processing task hands to handlers (read by attribute only)."""

    channel: Channel
    kind: str
    sender_index: str
    received_at: datetime


def test_it_queues_one_contact_per_sender_from_inbound_messages(world: World) -> None:
    channel = Channel.objects.create(org=world.org, name="WhatsApp", kind="WHATSAPP", created_at=world.at)
    first: Any = _Event(channel, "MESSAGE", "sender-a", timezone.now())

    on_inbound_message(first)
    again = contact_for_message(_Event(channel, "MESSAGE", "sender-a", timezone.now()))
    status = contact_for_message(_Event(channel, "STATUS", "sender-b", timezone.now()))

    contact = Contact.objects.get(channel=channel)
    assert again == contact and status is None
    assert contact.kind == "WHATSAPP" and contact.state == Contact.State.WAITING


def test_linking_writes_her_file_on_the_contact_once_and_audits_it(world: World) -> None:
    agent = acting(world.members[Role.HOTLINE_AGENT])
    contact = actions.offer_contact(org=world.org, kind="VOICE", acting_user=None, at=timezone.now())
    person = register_person(org=world.org, name="Synthetic Nargis", acting_user=None, at=world.at)
    gone = actions.offer_contact(org=world.org, kind="VOICE", acting_user=None, at=timezone.now())
    Contact.objects.filter(pk=gone.pk).delete()

    actions.link_contact(contact=contact, person=person, acting_user=agent, at=world.at)
    with pytest.raises(Contact.DoesNotExist):
        actions.link_contact(contact=gone, person=person, acting_user=agent, at=world.at)

    assert Contact.objects.get(pk=contact.pk).person_id == person.pk
    links = AuditEntry.objects.filter(action=actions.CONTACT_LINK)
    assert [entry.object_id for entry in links] == [str(contact.pk)]
