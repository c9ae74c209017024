"""A chat on the contact page, through real HTTP: a signed WhatsApp message in Bengali reaches the board, an
agent picks it up, reads the conversation and replies through the sender interface (the recording double)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from haven.channels import intake
from haven.channels.models import Channel, InboundEvent, OutboundMessage
from haven.channels.senders import RecordingSender
from haven.channels.tests import factories
from haven.conftest import World, make_member
from haven.hotline import views
from haven.hotline.models import Contact
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.privacy.models import AuditEntry

BENGALI = "আমাকে সাহায্য করুন, আমি বাড়িতে নিরাপদ নই"
WINDOW_CLOSED = "only allows an approved template now"


@pytest.fixture(autouse=True)
def _offline() -> Iterator[None]:
    RecordingSender.outbox.clear()
    intake._channels.clear()
    yield
    RecordingSender.outbox.clear()
    intake._channels.clear()


def _whatsapp_chat(world: World, capture: Any, text: str = BENGALI) -> tuple[Channel, Contact]:
    channel = factories.channel(world.org, "WHATSAPP", approved_templates=["check_in_v1"])
    with capture(execute=True):
        response = factories.post_meta(Client(), channel, factories.meta_message(text=text))
    assert response.status_code == 200
    return channel, Contact.objects.get(channel=channel)


def _picked_up(world: World, contact: Contact) -> Client:
    agent = world.client_for(world.members[Role.HOTLINE_AGENT])
    assert agent.post(reverse("hotline:pick_up", args=[contact.pk])).status_code == 302
    return agent


def test_an_agent_takes_a_bengali_whatsapp_chat_and_replies(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    channel, contact = _whatsapp_chat(world, django_capture_on_commit_callbacks)
    agent = world.client_for(world.members[Role.HOTLINE_AGENT])

    board = agent.get(reverse("hotline:board")).content.decode()
    assert reverse("hotline:pick_up", args=[contact.pk]) in board and "WhatsApp" in board
    agent = _picked_up(world, contact)
    page = agent.get(reverse("hotline:contact", args=[contact.pk]))
    assert page.status_code == 200
    assert BENGALI in page.content.decode()
    assert 'id="window-closed"' not in page.content.decode()

    sent = agent.post(
        reverse("hotline:reply", args=[contact.pk]), {"text": "আমরা এখানে আছি। আপনি কি এখন নিরাপদ?"}
    )

    assert sent.status_code == 302 and sent["Location"] == reverse("hotline:contact", args=[contact.pk])
    [(used, message)] = RecordingSender.outbox
    assert used.pk == channel.pk and message.to == "15145550123"
    assert message.text == "আমরা এখানে আছি। আপনি কি এখন নিরাপদ?"
    assert OutboundMessage.objects.get().body == message.text
    chat = agent.get(reverse("hotline:chat", args=[contact.pk])).content.decode()
    assert chat.index(BENGALI) < chat.index("আমরা এখানে আছি")  # oldest first
    reads = AuditEntry.objects.filter(action="contact.conversation_view", object_id=str(contact.pk))
    assert reads.exists() and "channel.message_send" in set(
        AuditEntry.objects.values_list("action", flat=True)
    )


def test_a_poll_is_audited_only_when_it_shows_new_messages(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    channel, contact = _whatsapp_chat(world, django_capture_on_commit_callbacks)
    agent = _picked_up(world, contact)
    url = reverse("hotline:chat", args=[contact.pk])
    reads = AuditEntry.objects.filter(action="contact.conversation_view", object_id=str(contact.pk))

    first = agent.get(url)
    seen = InboundEvent.objects.get().received_at.isoformat()
    again = agent.get(url, {"seen": seen})

    assert first.status_code == again.status_code == 200
    assert 'hx-trigger="every 4s"' in again.content.decode()
    assert reads.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        factories.post_meta(Client(), channel, factories.meta_message(wamid="wamid.second", text="আবার"))
    newer = agent.get(url, {"seen": seen}).content.decode()
    assert "আবার" in newer and reads.count() == 2
    assert Contact.objects.filter(channel=channel).count() == 1  # her second message joined her chat


def test_outside_the_24_hour_window_free_text_is_refused_and_templates_are_offered(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _channel, contact = _whatsapp_chat(world, django_capture_on_commit_callbacks)
    long_ago = timezone.now() - timedelta(hours=25)
    InboundEvent.objects.update(received_at=long_ago)
    Contact.objects.filter(pk=contact.pk).update(offered_at=long_ago)
    agent = _picked_up(world, contact)

    page = agent.get(reverse("hotline:contact", args=[contact.pk])).content.decode()
    assert 'id="window-closed"' in page and 'value="check_in_v1"' in page and BENGALI in page
    refused = agent.post(reverse("hotline:reply", args=[contact.pk]), {"text": "Are you safe?"})
    assert refused.status_code == 422 and WINDOW_CLOSED in refused.content.decode()
    assert not RecordingSender.outbox and not OutboundMessage.objects.exists()

    template = agent.post(reverse("hotline:reply", args=[contact.pk]), {"template": "check_in_v1"})
    assert template.status_code == 302
    [(_used, message)] = RecordingSender.outbox
    assert message.template == "check_in_v1" and not message.text


def test_only_the_agent_on_the_chat_replies_and_other_orgs_see_nothing(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _channel, contact = _whatsapp_chat(world, django_capture_on_commit_callbacks)
    _picked_up(world, contact)
    colleague = world.client_for(world.members[Role.COUNSELLOR])
    elsewhere = make_member(world.other_org, Role.HOTLINE_AGENT, username="elsewhere.agent", at=world.at)
    outsider = world.client_for(elsewhere)

    refused = colleague.post(reverse("hotline:reply", args=[contact.pk]), {"text": "Hello"})

    assert refused.status_code == 422 and "Another agent is on this contact" in refused.content.decode()
    assert outsider.get(reverse("hotline:chat", args=[contact.pk])).status_code == 404
    assert not RecordingSender.outbox


def test_the_contact_page_links_to_her_file_and_next_steps_once_she_is_linked(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _channel, contact = _whatsapp_chat(world, django_capture_on_commit_callbacks)
    agent = _picked_up(world, contact)
    url = reverse("hotline:contact", args=[contact.pk])
    before = agent.get(url).content.decode()
    assert 'id="link-person"' in before and 'id="screen-lap"' not in before
    # Finding a bed needs no file: the search carries the contact, never her name.
    assert f'id="find-bed" href="{reverse("shelters:availability")}?contact={contact.pk}"' in before

    person = register_person(org=world.org, name="Synthetic Survivor", acting_user=None, at=timezone.now())
    linked = agent.post(reverse("hotline:link", args=[contact.pk]), {"person": str(person.pk)})
    assert linked.status_code == 302
    after = agent.get(url).content.decode()
    for key, anchor in (("screen_lap", "screen-lap"), ("dispatch", "dispatch-team")):
        name, *args = views.NEXT_STEPS[key]
        try:
            expected = reverse(name, args=[contact.pk, *args])
        except NoReverseMatch:
            assert f'id="{anchor}"' not in after
        else:
            assert f'id="{anchor}" href="{expected}"' in after

    monkeypatch.setattr(views, "NEXT_STEPS", {"screen_lap": ("risk:no_such_page", "lap")})
    without = agent.get(url)
    assert without.status_code == 200 and 'id="screen-lap"' not in without.content.decode()
