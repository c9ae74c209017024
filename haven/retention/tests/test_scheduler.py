"""The scheduler enqueues a job when it is due, once per due time, even with two schedulers racing."""

from __future__ import annotations

import threading
import time as time_module
from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone
from django_tasks import task

from haven.retention.models import ScheduledJob
from haven.retention.scheduler import Job, run_due

RUNS: list[str] = []


@task()
def count_run() -> None:
    """The job the tests schedule: it counts that it ran (test tasks run at once, inside the scheduler's
    transaction) and takes a moment, so a second scheduler reads the job's row meanwhile."""
    RUNS.append("ran")
    time_module.sleep(0.2)


EVERY_FIVE = Job("test_every_five", lambda: count_run, interval=timedelta(minutes=5))
NIGHTLY = Job("test_nightly", lambda: count_run, daily_at=time(2, 0))


@pytest.fixture(autouse=True)
def _no_runs_yet() -> None:
    RUNS.clear()


def _local(hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(2026, 3, 10, hour, minute))


@pytest.mark.django_db
def test_an_interval_job_runs_at_once_then_waits_its_interval() -> None:
    start = _local(10)
    assert run_due(start, [EVERY_FIVE]) == ["test_every_five"]
    assert run_due(start + timedelta(minutes=4), [EVERY_FIVE]) == []
    assert run_due(start + timedelta(minutes=5), [EVERY_FIVE]) == ["test_every_five"]
    assert len(RUNS) == 2


@pytest.mark.django_db
def test_a_daily_job_waits_for_its_time_of_day() -> None:
    assert run_due(_local(1, 59), [NIGHTLY]) == []
    assert run_due(_local(2, 0), [NIGHTLY]) == ["test_nightly"]
    assert run_due(_local(23, 0), [NIGHTLY]) == []
    assert ScheduledJob.objects.get(name="test_nightly").next_run_at == _local(2) + timedelta(days=1)
    assert len(RUNS) == 1


@pytest.mark.django_db
def test_the_command_once_enqueues_what_is_due_and_exits() -> None:
    first, second = StringIO(), StringIO()
    call_command("run_scheduler", "--once", stdout=first)
    call_command("run_scheduler", "--once", stdout=second)
    assert "enqueued expire_holds" in first.getvalue()
    assert second.getvalue() == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rounds", [3])
def test_two_schedulers_racing_enqueue_each_due_time_once(rounds: int) -> None:
    start = _local(10)
    for round_number in range(rounds):
        at = start + timedelta(minutes=5 * round_number)
        enqueued = _race(lambda at=at: run_due(at, [EVERY_FIVE]), lambda at=at: run_due(at, [EVERY_FIVE]))
        assert sorted(len(names) for names in enqueued) == [0, 1]
    assert len(RUNS) == rounds


def _race(*calls: object) -> list[list[str]]:
    """Run the calls at the same moment, each in its own thread and database connection."""
    barrier = threading.Barrier(len(calls))
    results: list[list[str]] = []
    failures: list[BaseException] = []

    def run(call: object) -> None:
        try:
            barrier.wait()
            results.append(call())  # type: ignore[operator]
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    return results
