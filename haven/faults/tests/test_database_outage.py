"""R3: the database is unreachable for a while during intake; nothing acknowledged is lost.

The web server reaches PostgreSQL through a TCP proxy of the test's own (support.TcpProxy), which is cut
for HAVEN_FAULTS_OUTAGE_SECONDS (10 by default; the issue's 30 with HAVEN_FAULTS_OUTAGE_SECONDS=30): open
connections are reset and new ones refused, as when the database host goes away, while the shared
PostgreSQL server runs on. Webhooks keep coming in before, during and after. During the outage the server
must still acknowledge them, spooling each to disk; once the proxy is back, a worker replays the spool.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from haven.channels.models import InboundEvent
from haven.faults.tests import support

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

OUTAGE_SECONDS = float(os.environ.get("HAVEN_FAULTS_OUTAGE_SECONDS", "10"))
BEFORE, DURING, AFTER = 30, 60, 30


def _post_all(port: int, requests: list[Any], seconds: float = 0.0) -> set[str]:
    """Post the requests from 6 threads, spread over `seconds`; the event keys answered 200."""
    post = support.bench("webhook_intake")._post(port)
    started = time.monotonic()

    def send(position_and_request: tuple[int, Any]) -> str | None:
        position, request = position_and_request
        time.sleep(max(0.0, started + seconds * position / len(requests) - time.monotonic()))
        try:
            return str(request.event_key) if post(None, request) else None
        except OSError:
            return None

    with ThreadPoolExecutor(6) as pool:
        answered = pool.map(send, enumerate(requests))
        return {key for key in answered if key is not None}


def _spooled(var_dir: Path, pattern: str = "*.spool") -> list[Path]:
    return list((var_dir / "spool" / "channels").glob(pattern))


def test_webhooks_during_an_outage_are_spooled_and_replayed(tmp_path: Path) -> None:
    intake = support.bench("webhook_intake")
    channels = intake._set_up_channels()
    var_dir = tmp_path
    processes = []
    with support.proxy_to_database() as proxy:
        env = support.haven_env(support.database_url(port=proxy.port), var_dir)
        try:
            port, servers = intake._start_servers(1, 6, env)
            processes += servers
            requests = intake._requests(
                f"http://127.0.0.1:{port}", channels, BEFORE + DURING + AFTER, 0, 500, 3
            )
            before, during, after = requests[:BEFORE], requests[BEFORE:-AFTER], requests[-AFTER:]

            assert _post_all(port, before) == {r.event_key for r in before}
            proxy.cut()
            acknowledged_during = _post_all(port, during, seconds=OUTAGE_SECONDS)
            spooled = len(_spooled(var_dir))
            proxy.start()
            acknowledged_after = _post_all(port, after)
            worker = support.start_worker(env, "after-outage", batch=True, counting=False)
            processes.append(worker)
            assert worker.wait(timeout=120) == 0
        finally:
            support.stop_all(processes)

    assert acknowledged_during == {r.event_key for r in during}, "the server stopped acknowledging"
    assert spooled == len(during)
    assert acknowledged_after == {r.event_key for r in after}
    assert support.stored_event_keys() == {r.event_key for r in requests}, "an acknowledged webhook was lost"
    assert not _spooled(var_dir) and not _spooled(var_dir, "*.failed")
    assert not InboundEvent.objects.filter(processed_at__isnull=True).exists()
