"""A task for the scale-out tests: each run leaves one row in `faults_task_runs`: its task id, and the
worker that ran it (HAVEN_FAULTS_WORKER, set by the test in each worker's environment)."""

from __future__ import annotations

import os
import time

from django.db import connection
from django_tasks import TaskContext, task

RUNS_TABLE = """
CREATE TABLE IF NOT EXISTS faults_task_runs (
    id bigserial PRIMARY KEY, task_id varchar(64) NOT NULL, worker varchar(64) NOT NULL
)
"""


@task(takes_context=True)
def record_run(context: TaskContext, pause: float) -> None:
    """Record this run; the pause stands for real work, so both workers are busy at once."""
    time.sleep(pause)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO faults_task_runs (task_id, worker) VALUES (%s, %s)",
            [str(context.task_result.id), os.environ.get("HAVEN_FAULTS_WORKER", "")],
        )
