"""An event whose handling keeps failing is tried MAX_ATTEMPTS times, then set aside: her later messages
reach the hotline, supervisors see the count, and `haven retry_set_aside` tries it again once fixed."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from haven.channels import handlers, tasks
from haven.channels.intake import MAX_ATTEMPTS, process_sender
from haven.channels.models import InboundEvent
from haven.channels.tests import factories
from haven.conftest import World
from haven.orgs.roles import Role

POISON = "poison"
POISON_SID = f"SM{0:032d}"


class Handler:
    """Records the bodies handed on; a message reading POISON fails while `broken`, as a handler's bug."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.broken = True

    def __call__(self, event: InboundEvent) -> None:
        if event.body == POISON and self.broken:
            raise RuntimeError("a handler's bug")
        self.seen.append(event.body)


@pytest.fixture
def handler() -> Iterator[Handler]:
    registered = Handler()
    handlers.register_inbound_handler(registered)
    yield registered
    handlers.unregister_inbound_handler(registered)


def _two_messages(world: World) -> uuid.UUID:
    channel = factories.channel(world.org, "SMS")
    for number, text in enumerate([POISON, "the message after it"]):
        factories.post_twilio(Client(), channel, factories.twilio_sms(sid=f"SM{number:032d}", Body=text))
    return channel.pk


def _poison() -> InboundEvent:
    return InboundEvent.objects.get(provider_message_id=POISON_SID)


def _try(channel_id: uuid.UUID) -> None:
    with pytest.raises(RuntimeError):
        process_sender(channel_id, _poison().sender_index, at=timezone.now())


def test_a_failing_event_is_set_aside_after_its_tries_and_stops_blocking_her(
    world: World, handler: Handler
) -> None:
    channel_id = _two_messages(world)
    for _try_number in range(MAX_ATTEMPTS - 1):
        _try(channel_id)
    poison = _poison()
    assert (poison.attempts, poison.gave_up, poison.processed_at) == (MAX_ATTEMPTS - 1, False, None)
    assert handler.seen == [], "her later message waits behind it while it may still succeed"

    _try(channel_id)
    poison = _poison()
    assert poison.gave_up and poison.processed_at is not None
    assert tasks.queue_waiting_senders() == 1  # the message after it is still waiting: queued, handled
    assert handler.seen == ["the message after it"]


def test_supervisors_see_the_count_and_the_command_tries_again(world: World, handler: Handler) -> None:
    channel_id = _two_messages(world)
    for _try_number in range(MAX_ATTEMPTS):
        _try(channel_id)
    supervisor = world.client_for(world.members[Role.CENTRE_MANAGER])
    agent = world.client_for(world.members[Role.HOTLINE_AGENT])
    assert "Messages Haven could not hand on (1)" in supervisor.get(reverse("hotline:board")).content.decode()
    assert "could not hand on" not in agent.get(reverse("hotline:board")).content.decode()

    handler.broken = False  # the bug is fixed
    out = StringIO()
    call_command("retry_set_aside", stdout=out)

    assert out.getvalue().strip() == "queued again: 1 event(s) of 1 sender(s)"
    assert handler.seen == [POISON, "the message after it"]  # nothing queued the later one meanwhile
    assert not InboundEvent.objects.filter(gave_up=True).exists()
    assert "could not hand on" not in supervisor.get(reverse("hotline:board")).content.decode()
