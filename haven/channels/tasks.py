"""Background jobs of the channels (run by `haven db_worker`, or at once in tests)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django_tasks import task

from haven.channels.intake import process_sender, replay_spool
from haven.channels.models import InboundEvent


@task()
def process_inbound(channel_id: str, sender_index: str) -> int:
    """Process one sender's waiting events in order; any number of these may run at once."""
    return process_sender(uuid.UUID(channel_id), sender_index, at=timezone.now())


@task()
def replay_spooled_events() -> dict[str, int]:
    outcome = replay_spool()
    return {"stored": outcome.stored, "unreadable": outcome.unreadable, "left": outcome.left}


_replayed_at_start = False


def replay_when_worker_starts(**_kwargs: Any) -> None:
    """The first task a worker process runs proves the database is back: empty the spool then, once,
    and pick up the senders a dead worker left waiting."""
    global _replayed_at_start
    if not _replayed_at_start:
        _replayed_at_start = True
        replay_spool()
        queue_waiting_senders()


def queue_waiting_senders(received_before: datetime | None = None) -> int:
    """Queue processing again for every sender whose events wait; returns how many senders.

    A worker killed in the middle of a task (kill -9, out of memory, a lost machine) leaves that task
    claimed for ever, and nothing else would queue her events again. A sender queued twice costs nothing:
    `process_sender` takes her lock and finds her events done. `received_before` leaves alone the events
    that live tasks are about to take.
    """
    waiting = InboundEvent.objects.filter(processed_at__isnull=True)
    if received_before is not None:
        waiting = waiting.filter(received_at__lt=received_before)
    senders = list(waiting.values_list("channel_id", "sender_index").distinct().order_by())
    for channel_id, sender_index in senders:
        process_inbound.enqueue(str(channel_id), sender_index)
    return len(senders)


STALLED_AFTER = timedelta(minutes=2)


@task()
def resume_waiting_senders() -> int:
    """Every few minutes (the scheduler): senders whose events have waited too long are queued again."""
    return queue_waiting_senders(received_before=timezone.now() - STALLED_AFTER)
