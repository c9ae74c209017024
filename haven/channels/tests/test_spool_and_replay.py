"""With the database stopped, a verified webhook is spooled to disk (encrypted) and replayed later."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

from django.conf import settings
from django.core.management import call_command
from django.db import DataError, OperationalError
from django.db.models import QuerySet
from django.test import Client

from haven import sql
from haven.channels import intake, tasks
from haven.channels.models import InboundEvent
from haven.channels.tests import factories
from haven.conftest import World

Capture = Callable[..., Any]


def _database_stopped() -> Any:
    """The events' INSERT fails as it does when the server is down."""
    return mock.patch.object(sql, "insert", side_effect=OperationalError("connection refused"))


def _spooled() -> list[Path]:
    return sorted((Path(settings.VAR_DIR) / "spool" / "channels").glob("*.spool"))


def test_a_webhook_is_acknowledged_and_spooled_while_the_database_is_down(world: World) -> None:
    channel = factories.channel(world.org, "SMS")
    with _database_stopped():
        response = factories.post_twilio(Client(), channel, factories.twilio_sms())
    assert response.status_code == 200
    assert not InboundEvent.objects.exists()
    [path] = _spooled()
    content = path.read_bytes()
    assert b"I need help" not in content and b"+15145550123" not in content  # encrypted at rest


def test_a_forged_webhook_is_not_spooled(world: World) -> None:
    channel = factories.channel(world.org, "SMS")
    with _database_stopped():
        response = factories.post_twilio(Client(), channel, factories.twilio_sms(), token="forged")
    assert response.status_code == 403
    assert not _spooled()


def test_replay_spool_stores_the_events_in_order_and_a_second_replay_changes_nothing(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    channel = factories.channel(world.org, "SMS")
    with _database_stopped():
        for number, text in enumerate(["first", "second"]):
            factories.post_twilio(Client(), channel, factories.twilio_sms(sid=f"SM{number:032d}", Body=text))
        factories.post_twilio(Client(), channel, factories.twilio_sms(sid=f"SM{0:032d}", Body="first"))
    assert len(_spooled()) == 3
    with django_capture_on_commit_callbacks(execute=True):
        call_command("replay_spool", stdout=mock.Mock())
    assert not _spooled()
    assert [event.body for event in InboundEvent.objects.order_by("received_at")] == ["first", "second"]
    assert not InboundEvent.objects.filter(processed_at__isnull=True).exists()
    with _database_stopped():  # the same request spooled again, e.g. a provider retry during an outage
        factories.post_twilio(Client(), channel, factories.twilio_sms(sid=f"SM{1:032d}", Body="second"))
    assert intake.replay_spool().stored == 1
    assert InboundEvent.objects.count() == 2


def test_replay_stops_and_keeps_the_files_while_the_database_is_still_down(world: World) -> None:
    channel = factories.channel(world.org, "SMS")
    with _database_stopped():
        factories.post_twilio(Client(), channel, factories.twilio_sms())
        outcome = intake.replay_spool()
    assert (outcome.stored, outcome.left) == (0, 1)
    assert len(_spooled()) == 1


def test_the_worker_empties_the_spool_when_it_starts(world: World, monkeypatch: Any) -> None:
    channel = factories.channel(world.org, "SMS")
    with _database_stopped():
        factories.post_twilio(Client(), channel, factories.twilio_sms())
    monkeypatch.setattr(tasks, "_replayed_at_start", False)
    tasks.replay_spooled_events.enqueue()  # any task start triggers the replay, once per worker process
    assert not _spooled()
    assert InboundEvent.objects.count() == 1


def test_the_next_good_webhook_enqueues_a_replay(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    channel = factories.channel(world.org, "SMS")
    with _database_stopped():
        factories.post_twilio(Client(), channel, factories.twilio_sms(sid="SM" + "1" * 32))
    with django_capture_on_commit_callbacks(execute=True):
        factories.post_twilio(Client(), channel, factories.twilio_sms(sid="SM" + "2" * 32))
    assert not _spooled()
    assert InboundEvent.objects.count() == 2


def test_a_channel_seen_recently_is_still_verified_when_the_lookup_fails(world: World) -> None:
    channel = factories.channel(world.org, "SMS")
    factories.post_twilio(Client(), channel, factories.twilio_sms(sid="SM" + "1" * 32))  # caches the channel
    with (
        mock.patch.object(QuerySet, "first", side_effect=OperationalError("down")),
        _database_stopped(),
    ):
        accepted = factories.post_twilio(Client(), channel, factories.twilio_sms(sid="SM" + "2" * 32))
        forged = factories.post_twilio(Client(), channel, factories.twilio_sms(), token="forged")
    assert (accepted.status_code, forged.status_code) == (200, 403)
    assert len(_spooled()) == 1
    intake._channels.clear()
    with mock.patch.object(QuerySet, "first", side_effect=OperationalError("down")):
        assert factories.post_twilio(Client(), channel, factories.twilio_sms()).status_code == 503


def test_a_spooled_request_the_database_refuses_is_set_aside_and_the_rest_replayed(world: World) -> None:
    channel = factories.channel(world.org, "SMS")
    with _database_stopped():
        for number, text in enumerate(["refused", "after it"]):
            factories.post_twilio(Client(), channel, factories.twilio_sms(sid=f"SM{number:032d}", Body=text))
    real_insert = sql.insert

    def refuse_the_first(obj: Any, **kwargs: Any) -> Any:
        if isinstance(obj, InboundEvent) and obj.body == "refused":
            raise DataError("invalid byte sequence for encoding UTF8: 0x00")  # PostgreSQL's word on a NUL
        return real_insert(obj, **kwargs)

    with mock.patch.object(sql, "insert", side_effect=refuse_the_first):
        outcome = intake.replay_spool()
    assert (outcome.stored, outcome.unreadable, outcome.left) == (1, 1, 0)
    assert [event.body for event in InboundEvent.objects.all()] == ["after it"]
    assert not _spooled()
    assert len(list((Path(settings.VAR_DIR) / "spool" / "channels").glob("*.failed"))) == 1
