"""R2: kill -9 of a web process and of the task worker during a webhook storm.

Two server processes (bench/webhook_intake.py's threaded server, Haven's WSGI app, production settings)
share a port; a task worker processes what they store. Threads post a few hundred signed Twilio and Meta
webhooks. A third of the way in, one server and the worker are killed
with SIGKILL and a new worker is started. Every webhook answered 200 must be stored and processed exactly
once: the worker counts each completed processing in `faults_processed` (haven/faults/tests/worker.py).

Each webhook comes from its own sender, and none is re-sent, so nothing else of hers can rescue an event
whose processing died with the worker: django-tasks-db leaves the task a killed worker had claimed
RUNNING for ever. The new worker's first task queues every waiting sender again
(`channels.tasks.queue_waiting_senders`; the scheduler also does it every five minutes), so her message
still reaches the hotline.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from haven.channels.models import InboundEvent
from haven.faults.tests import support
from haven.faults.tests.worker import PROCESSED_TABLE

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

EVENTS = 300
CLIENTS = 12


def _storm(port: int, requests: list[Any], at_a_third: threading.Event) -> set[str]:
    """Post every request from CLIENTS threads; the event keys of those answered 200."""
    post = support.bench("webhook_intake")._post(port)
    acknowledged: set[str] = set()
    done = 0
    lock = threading.Lock()

    def send(request: Any) -> None:
        nonlocal done
        try:
            ok = post(None, request)
        except OSError:  # the killed server's connections: not acknowledged, the provider retries
            ok = False
        with lock:
            done += 1
            if ok:
                acknowledged.add(request.event_key)
            if done >= len(requests) // 3:
                at_a_third.set()

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(send, requests))
    return acknowledged


def _kill_in_the_middle_of_a_task(env: dict[str, str], worker: Any, worker_id: str) -> Any:
    """kill -9 the worker while it holds a claimed, unfinished task (retrying with a fresh worker if a
    kill lands between two tasks); then start the worker that carries on. Returns that one."""
    for attempt in range(5):
        busy = DBTaskResult.objects.filter(status="RUNNING", worker_ids__contains=[worker_id])
        support.wait_until(busy.exists, timeout=30, every=0.002)
        support.kill(worker)
        if busy.exists():
            break
        worker_id = f"{worker_id}-{attempt}"
        worker = support.start_worker(env, worker_id)
    else:
        pytest.fail("no kill landed in the middle of a task")
    return support.start_worker(env, "second")


def test_every_acknowledged_webhook_is_processed_once_despite_kill_9(tmp_path: Path) -> None:
    intake = support.bench("webhook_intake")
    channels = intake._set_up_channels()
    support.sql(PROCESSED_TABLE)
    env = support.haven_env(support.database_url(), tmp_path)
    processes = []
    try:
        port, servers = intake._start_servers(2, 8, env)
        processes += servers
        first_worker = support.start_worker(env, "first")
        processes.append(first_worker)
        requests = intake._requests(f"http://127.0.0.1:{port}", channels, EVENTS, 0, 10**7, 9)
        at_a_third = threading.Event()
        storm: list[set[str]] = []
        sender = threading.Thread(target=lambda: storm.append(_storm(port, requests, at_a_third)))
        sender.start()
        assert at_a_third.wait(timeout=120)
        support.kill(servers[0])
        processes.append(_kill_in_the_middle_of_a_task(env, first_worker, "first"))
        sender.join(timeout=300)
        [acknowledged] = storm

        def drained() -> bool:
            waiting = DBTaskResult.objects.filter(status="READY").exists()
            running = DBTaskResult.objects.filter(status="RUNNING", worker_ids__contains=["second"])
            return not waiting and not running.exists()

        assert support.wait_until(drained, timeout=180)
        assert len(acknowledged) > EVENTS // 2, "most requests were answered, before and after the kills"
        assert acknowledged <= support.stored_event_keys(), "an acknowledged webhook was lost"
        stored = InboundEvent.objects.count()
        waiting = InboundEvent.objects.filter(processed_at__isnull=True)
        unprocessed = set(waiting.values_list("channel_id", "sender_index"))
        twice = support.sql(
            "SELECT count(*) FROM (SELECT event_id FROM faults_processed GROUP BY event_id "
            "HAVING count(*) > 1) AS twice"
        )
        processed = support.sql("SELECT count(DISTINCT event_id) FROM faults_processed")
        assert (twice[0][0], processed[0][0]) == (0, stored - waiting.count())  # never twice
        assert not unprocessed, f"{len(unprocessed)} sender(s) left waiting"
    finally:
        support.stop_all(processes)
        support.sql("DROP TABLE IF EXISTS faults_processed")
