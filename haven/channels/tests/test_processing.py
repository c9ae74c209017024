"""The task hands each sender's events to the registered handlers, in the order they arrived."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from haven.channels import handlers, tasks
from haven.channels.intake import process_sender
from haven.channels.models import InboundEvent, OutboundMessage
from haven.channels.senders import RecordingSender, SendFailed
from haven.channels.tests import factories
from haven.conftest import World
from haven.hotline.models import Contact

Capture = Callable[..., Any]


@pytest.fixture
def seen() -> Iterator[list[InboundEvent]]:
    received: list[InboundEvent] = []
    handlers.register_inbound_handler(received.append)
    yield received
    handlers.unregister_inbound_handler(received.append)


def test_handlers_get_each_message_once_in_arrival_order(
    world: World, seen: list[InboundEvent], django_capture_on_commit_callbacks: Capture
) -> None:
    channel = factories.channel(world.org, "SMS")
    with django_capture_on_commit_callbacks(execute=True):
        for number, text in enumerate(["first", "second", "third"]):
            fields = factories.twilio_sms(sid=f"SM{number:032d}", Body=text)
            factories.post_twilio(Client(), channel, fields)
        factories.post_twilio(Client(), channel, factories.twilio_sms(sid=f"SM{1:032d}", Body="second"))
    assert [event.body for event in seen] == ["first", "second", "third"]
    assert not InboundEvent.objects.filter(processed_at__isnull=True).exists()


def test_a_failing_handler_leaves_her_messages_waiting_in_order(
    world: World, seen: list[InboundEvent]
) -> None:
    channel = factories.channel(world.org, "SMS")
    for number in range(2):
        factories.post_twilio(
            Client(), channel, factories.twilio_sms(sid=f"SM{number:032d}", Body=f"m{number}")
        )

    def broken(event: InboundEvent) -> None:
        raise RuntimeError("hotline down")

    handlers.register_inbound_handler(broken)
    try:
        with pytest.raises(RuntimeError):
            process_sender(channel.pk, InboundEvent.objects.first().sender_index, at=timezone.now())  # type: ignore[union-attr]
    finally:
        handlers.unregister_inbound_handler(broken)
    assert InboundEvent.objects.filter(processed_at__isnull=True).count() == 2
    assert process_sender(channel.pk, InboundEvent.objects.first().sender_index, at=timezone.now()) == 2  # type: ignore[union-attr]
    assert [event.body for event in seen][-2:] == ["m0", "m1"]


def test_handlers_get_the_channel_and_organisation_of_each_message(
    world: World, seen: list[InboundEvent], django_capture_on_commit_callbacks: Capture
) -> None:
    channel = factories.channel(world.org, "SMS")
    with django_capture_on_commit_callbacks(execute=True):
        factories.post_twilio(Client(), channel, factories.twilio_sms(Body="help"))
    assert [(event.channel.pk, event.channel.org.pk, event.body) for event in seen] == [
        (channel.pk, world.org.pk, "help")
    ]


def test_a_message_whose_channel_was_switched_off_since_is_handled_without_a_contact(
    world: World, seen: list[InboundEvent]
) -> None:
    channel = factories.channel(world.org, "SMS")
    factories.post_twilio(Client(), channel, factories.twilio_sms(Body="help"))  # its task not run yet
    channel.is_active = False
    channel.save()
    event = InboundEvent.objects.get()
    assert process_sender(channel.pk, event.sender_index, at=timezone.now()) == 1
    assert [message.channel.is_active for message in seen] == [False]
    assert not Contact.objects.exists()
    assert InboundEvent.objects.filter(processed_at__isnull=False).count() == 1


def test_whatsapp_outside_hours_is_answered_by_the_task(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    channel = factories.channel(
        world.org,
        "WHATSAPP",
        always_open=False,
        weekly_hours={"6": [["00:00", "00:01"]]},
        closed_messages={"en": "We are closed; we answer from 9:00."},
    )
    with django_capture_on_commit_callbacks(execute=True):
        factories.post_meta(Client(), channel, factories.meta_message())
    [(sent_on, message)] = RecordingSender.outbox
    assert sent_on.pk == channel.pk and message.to == "15145550123"
    assert message.text == "We are closed; we answer from 9:00."


def _night_channel(world: World) -> Any:
    return factories.channel(
        world.org,
        "WHATSAPP",
        always_open=False,
        weekly_hours={"6": [["00:00", "00:01"]]},
        closed_messages={"en": "We are closed; we answer from 9:00."},
    )


def test_she_is_told_the_line_is_closed_once_a_night_not_for_every_message(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    channel = _night_channel(world)
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            factories.post_meta(Client(), channel, factories.meta_message(wamid=f"wamid.night{number}"))
    assert len(RecordingSender.outbox) == 1
    notice = OutboundMessage.objects.get(channel=channel)
    assert notice.is_closed_notice
    # Thirteen hours on (the next night), a new message is told again.
    OutboundMessage.objects.filter(pk=notice.pk).update(sent_at=timezone.now() - timedelta(hours=13))
    with django_capture_on_commit_callbacks(execute=True):
        factories.post_meta(Client(), channel, factories.meta_message(wamid="wamid.nextnight"))
    assert len(RecordingSender.outbox) == 2
    assert OutboundMessage.objects.filter(channel=channel, is_closed_notice=True).count() == 2


def test_a_provider_refusing_the_notice_does_not_stop_her_message(
    world: World, seen: list[InboundEvent], django_capture_on_commit_callbacks: Capture
) -> None:
    channel = _night_channel(world)

    def refuse(self: Any, channel: Any, message: Any) -> str:
        raise SendFailed("provider down")

    with (
        mock.patch.object(RecordingSender, "send", refuse),
        django_capture_on_commit_callbacks(execute=True),
    ):
        factories.post_meta(Client(), channel, factories.meta_message(wamid="wamid.refused"))
    assert [event.provider_message_id for event in seen] == ["wamid.refused"]
    assert not InboundEvent.objects.filter(processed_at__isnull=True).exists()
    assert not OutboundMessage.objects.exists()


def test_senders_left_waiting_by_a_dead_worker_are_queued_again(
    world: World, seen: list[InboundEvent]
) -> None:
    """Stored but never processed (the worker holding her task was killed): queued again, in order."""
    channel = factories.channel(world.org, "SMS")
    for number, sender in enumerate(["+15145550101", "+15145550102"]):
        fields = factories.twilio_sms(sid=f"SM{number:032d}", From=sender, Body=f"help {number}")
        factories.post_twilio(Client(), channel, fields)  # no commit in the test: no task ran
    stalled = InboundEvent.objects.order_by("received_at").first()
    assert stalled is not None and InboundEvent.objects.count() == 2
    InboundEvent.objects.filter(pk=stalled.pk).update(received_at=timezone.now() - timedelta(minutes=10))

    assert tasks.resume_waiting_senders.call() == 1  # the scheduler's round: only what waited too long
    assert [event.body for event in seen] == ["help 0"]
    assert tasks.queue_waiting_senders() == 1  # a worker starting: everything still waiting
    assert [event.body for event in seen] == ["help 0", "help 1"]
    assert not InboundEvent.objects.filter(processed_at__isnull=True).exists()


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_sender_whose_task_waits_in_the_queue_is_not_queued_again(world: World) -> None:
    """With tasks in the database, a starting worker queues only the senders no waiting task will take:
    those whose task a dead worker had claimed."""
    channel = factories.channel(world.org, "SMS")
    for number, sender in enumerate(["+15145550101", "+15145550102"]):
        fields = factories.twilio_sms(sid=f"SM{number:032d}", From=sender, Body=f"help {number}")
        assert factories.post_twilio(Client(), channel, fields).status_code == 200
    processing = DBTaskResult.objects.filter(task_path=tasks.process_inbound.module_path)
    assert processing.ready().count() == 2  # one per sender, written with her event

    assert tasks.queue_waiting_senders() == 0  # both tasks still wait: nothing to add
    claimed = processing.order_by("enqueued_at").first()
    assert claimed is not None
    claimed.claim("a-worker-that-died")
    assert tasks.queue_waiting_senders() == 1  # her task was taken and never finished: queued again
    assert processing.ready().count() == 2
    assert processing.ready().filter(args_kwargs=claimed.args_kwargs).exists()
