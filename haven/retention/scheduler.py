"""A small scheduler: periodic jobs enqueued as django-tasks when they fall due.

Each job has a `ScheduledJob` row. A scheduler locks the row (`select_for_update`), enqueues the task
only if the row says it is due, and moves `next_run_at` on in the same transaction. A second scheduler
waits for that lock and then finds the job no longer due, so running two (for availability) never
enqueues a due time twice. With the database task backend the task row commits with the schedule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from haven.retention.models import ScheduledJob


@dataclass(frozen=True)
class Job:
    """A periodic job: every `interval`, or daily at `daily_at` (local time); `task` is a django-task
    taking no arguments, given as a callable returning it so the registry imports no app at load time."""

    name: str
    task: Callable[[], Any]
    interval: timedelta | None = None
    daily_at: time | None = None

    def first_due(self, now: datetime) -> datetime:
        """An interval job is due at once; a daily job at its next time of day."""
        return now if self.interval is not None else self._next_daily(now)

    def due_after(self, now: datetime) -> datetime:
        if self.interval is not None:
            return now + self.interval
        return self._next_daily(now + timedelta(seconds=1))

    def _next_daily(self, after: datetime) -> datetime:
        assert self.daily_at is not None
        local = timezone.localtime(after)
        candidate = local.replace(
            hour=self.daily_at.hour, minute=self.daily_at.minute, second=0, microsecond=0
        )
        return candidate if candidate >= local else candidate + timedelta(days=1)


def _shelters_task() -> Any:
    from haven.shelters.tasks import expire_bed_holds

    return expire_bed_holds


def _channels_task() -> Any:
    from haven.channels.tasks import resume_waiting_senders

    return resume_waiting_senders


def _task(name: str) -> Callable[[], Any]:
    def load() -> Any:
        from haven.retention import tasks

        return getattr(tasks, name)

    return load


JOBS: list[Job] = [
    Job("expire_holds", _shelters_task, interval=timedelta(minutes=5)),
    Job("resume_waiting_senders", _channels_task, interval=timedelta(minutes=5)),
    Job("exit_completed_enrolments", _task("exit_completed_enrolments"), daily_at=time(1, 0)),
    Job("lapse_associations", _task("lapse_associations"), daily_at=time(1, 30)),
    Job("retention_purge", _task("purge_expired_records"), daily_at=time(2, 0)),
]
"""Every periodic job. The time of day is in TIME_ZONE (HAVEN_TIME_ZONE); night hours, when few work."""


def run_due(now: datetime, jobs: list[Job] | None = None) -> list[str]:
    """Enqueue every job due at `now`, once per due time; returns the names enqueued."""
    return [job.name for job in (JOBS if jobs is None else jobs) if _enqueue_if_due(job, now)]


def _enqueue_if_due(job: Job, now: datetime) -> bool:
    _ensure_row(job, now)
    with transaction.atomic():
        row = ScheduledJob.objects.select_for_update().get(name=job.name)
        if row.next_run_at > now:
            return False
        job.task().enqueue()
        row.last_run_at = now
        row.next_run_at = job.due_after(now)
        row.save(update_fields=["last_run_at", "next_run_at"])
    return True


def _ensure_row(job: Job, now: datetime) -> None:
    """Create the job's row on first sight; of two schedulers starting together, one insert wins."""
    if ScheduledJob.objects.filter(name=job.name).exists():
        return
    try:
        with transaction.atomic():
            ScheduledJob.objects.create(name=job.name, next_run_at=job.first_due(now))
    except IntegrityError:
        pass
