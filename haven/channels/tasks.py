"""Background jobs of the channels (run by `haven db_worker`, or at once in tests)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

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
    """Queue processing again for every sender whose events wait and whose task is not waiting in the
    queue already; returns how many senders.

    A worker killed in the middle of a task (kill -9, out of memory, a lost machine) leaves that task
    claimed for ever, and nothing else would queue her events again. A sender queued twice is handled
    right (`process_sender` takes her lock and finds her events done) but not for free: during a backlog
    every worker that started queued each waiting sender once more, and the workers spent their time on
    those empty rounds. `received_before` leaves alone the events that live tasks are about to take.
    """
    waiting = InboundEvent.objects.filter(processed_at__isnull=True)
    if received_before is not None:
        waiting = waiting.filter(received_at__lt=received_before)
    found = waiting.values_list("channel_id", "sender_index").distinct().order_by()
    queued = _senders_with_a_task_waiting()
    senders = [
        (str(channel_id), index) for channel_id, index in found if (str(channel_id), index) not in queued
    ]
    for channel_id, index in senders:
        process_inbound.enqueue(channel_id, index)
    return len(senders)


def _senders_with_a_task_waiting() -> set[tuple[str, str]]:
    """The senders whose processing task waits in the queue, not yet taken by a worker. Only a queue in the
    database can be read; with any other backend none is known, and every waiting sender is queued."""
    if not isinstance(process_inbound.get_backend(), DatabaseBackend):
        return set()
    waiting = DBTaskResult.objects.ready().filter(task_path=process_inbound.module_path)
    arguments = waiting.values_list("args_kwargs", flat=True)  # {"args": [channel id, sender index], …}
    return {(row["args"][0], row["args"][1]) for row in arguments}


STALLED_AFTER = timedelta(minutes=2)


@task()
def resume_waiting_senders() -> int:
    """Every few minutes (the scheduler): senders whose events have waited too long are queued again."""
    return queue_waiting_senders(received_before=timezone.now() - STALLED_AFTER)
