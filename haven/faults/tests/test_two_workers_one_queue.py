"""Scale-out: two task workers on one queue run every task exactly once, with either task backend.

200 tasks are enqueued; each records its run (task id, worker) in `faults_task_runs`
(haven/faults/tests/tasks.py). Two worker processes then drain the queue in burst mode: every task id must
appear exactly once, and both workers must have taken a share. The database backend is always tested; the
Redis one (django-tasks-rq, the optional extra "redis") when it is installed and `redis-server` exists.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from haven.faults.tests import support
from haven.faults.tests.tasks import RUNS_TABLE, record_run

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

TASKS = 200
PAUSE = 0.03  # seconds of "work" per task: long enough that both workers are busy at once
BURST = 180  # seconds a worker may take to drain the queue


@pytest.fixture
def runs_table() -> Iterator[None]:
    support.sql(RUNS_TABLE)
    yield
    support.sql("DROP TABLE IF EXISTS faults_task_runs")


def _runs() -> list[tuple[str, str]]:
    return [
        (task_id, worker) for task_id, worker in support.sql("SELECT task_id, worker FROM faults_task_runs")
    ]


def _drain(command: list[str], env: dict[str, str]) -> None:
    workers = [
        subprocess.Popen(command, env={**env, "HAVEN_FAULTS_WORKER": name}, cwd=support.ROOT)
        for name in ("w1", "w2")
    ]
    try:
        for worker in workers:
            assert worker.wait(timeout=BURST) == 0
    finally:
        support.stop_all(workers)


def _assert_each_ran_once_by_both(ids: set[str]) -> None:
    runs = _runs()
    assert sorted(task_id for task_id, _worker in runs) == sorted(ids)  # none lost, none twice
    assert {worker for _task_id, worker in runs} == {"w1", "w2"}  # both took a share


@pytest.mark.usefixtures("runs_table")
def test_two_db_workers_on_one_queue_run_each_task_once(tmp_path: Path) -> None:
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        ids = {str(record_run.enqueue(PAUSE).id) for _ in range(TASKS)}
    env = support.haven_env(support.database_url(), tmp_path)
    command = support.haven_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "0")

    _drain(command, env)

    _assert_each_ran_once_by_both(ids)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert all(
        len(worker_ids) == 1 for worker_ids in DBTaskResult.objects.values_list("worker_ids", flat=True)
    )


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A private, memory-only redis-server on a free port, stopped afterwards."""
    pytest.importorskip("django_tasks_rq", reason="the Redis backend is the optional extra haven[redis]")
    redis = pytest.importorskip("redis")
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    port = support.free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    try:
        assert support.wait_until(lambda: _answers(client, redis.ConnectionError), timeout=10)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        support.stop_all([process])


def _answers(client: Any, refused: type[Exception]) -> bool:
    try:
        return bool(client.ping())
    except refused:
        return False


@pytest.mark.usefixtures("runs_table")
def test_two_rq_workers_on_one_redis_queue_run_each_task_once(redis_url: str, tmp_path: Path) -> None:
    env = support.haven_env(
        support.database_url(),
        tmp_path,
        HAVEN_TASKS_BACKEND="django_tasks_rq.RQBackend",
        HAVEN_REDIS_URL=redis_url,
    )
    enqueue = (
        "from haven.faults.tests.tasks import record_run\n"
        f"for _ in range({TASKS}): print(record_run.enqueue({PAUSE}).id)"
    )
    enqueued = subprocess.run(
        support.haven_command("shell", "--verbosity", "0", "-c", enqueue),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert enqueued.returncode == 0, enqueued.stderr
    ids = set(enqueued.stdout.split())
    assert len(ids) == TASKS
    command = support.haven_command("rqworker", "default", "--burst", "--job-class", "django_tasks_rq.Job")

    _drain(command, env)

    _assert_each_ran_once_by_both(ids)
