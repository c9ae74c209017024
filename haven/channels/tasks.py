"""Background jobs of the channels (run by `haven db_worker`, or at once in tests)."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone
from django_tasks import task

from haven.channels.intake import process_sender, replay_spool


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
    """The first task a worker process runs proves the database is back: empty the spool then, once."""
    global _replayed_at_start
    if not _replayed_at_start:
        _replayed_at_start = True
        replay_spool()
