"""Two workers never handle the same sender at once, even when an earlier message commits late
(PostgreSQL: a transaction advisory lock per sender). Without it, each opened a contact for her
(found by bench/contact_intake.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytest
from django.db import connection, connections
from django.utils import timezone

from haven.channels import handlers, intake
from haven.channels.intake import process_sender, store
from haven.channels.models import Channel, InboundEvent
from haven.channels.providers import RawRequest
from haven.channels.tests import factories
from haven.conftest import World
from haven.hotline.models import Contact

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one write transaction at a time anyway"
)


class Overlap:
    def __init__(self) -> None:
        self.active = 0
        self.most = 0
        self.lock = threading.Lock()

    def __call__(self, event: InboundEvent) -> None:
        with self.lock:
            self.active += 1
            self.most = max(self.most, self.active)
        # Holds this worker's transaction open (her contact created, not yet committed) long enough for
        # the other worker to start, if nothing stops it.
        time.sleep(0.3)
        with self.lock:
            self.active -= 1


@pytest.fixture
def overlap() -> Iterator[Overlap]:
    watcher = Overlap()
    handlers.register_inbound_handler(watcher)
    yield watcher
    handlers.unregister_inbound_handler(watcher)


def _stored(channel: Channel, sid: str, at: datetime) -> InboundEvent:
    body = urlencode(factories.twilio_sms(sid=sid)).encode()
    raw = RawRequest(
        url="http://testserver/hook/", body=body, content_type="application/x-www-form-urlencoded"
    )
    return store(channel, raw, at=at)[0]


@pytest.mark.django_db(transaction=True)
def test_a_late_earlier_message_waits_for_the_worker_on_her_later_one(
    world: World, overlap: Overlap, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The workers are started by hand below, not by the webhook's task.
    monkeypatch.setattr(intake, "_enqueue_processing", lambda *args: None)
    channel = factories.channel(world.org, "SMS")
    now = timezone.now()
    index = _stored(channel, "SM" + "2" * 32, now).sender_index

    def work() -> None:
        try:
            process_sender(channel.pk, index, at=timezone.now())
        finally:
            connections.close_all()

    first = threading.Thread(target=work)
    first.start()
    time.sleep(0.1)  # the first worker is inside the handler of the later message
    _stored(channel, "SM" + "1" * 32, now - timedelta(seconds=5))
    second = threading.Thread(target=work)
    second.start()
    first.join()
    second.join()

    assert not InboundEvent.objects.filter(processed_at__isnull=True).exists()
    # The hotline's handler (registered first) opened one contact for her, and the second message joined it.
    assert Contact.objects.filter(channel=channel).count() == 1
    assert overlap.most == 1
