"""What the fault tests share: the benchmark helpers, server and worker processes, databases, a TCP proxy.

The servers and the signed provider requests come from bench/webhook_intake.py (imported, not copied):
the fault tests break what the benchmark measures.
"""

from __future__ import annotations

import importlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

import psycopg
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
# A synthetic master key shared by the test process and the processes it starts (haven/test_settings.py).
TEST_MASTER_KEY = "dGVzdC1tYXN0ZXIta2V5LW5vdC1mb3ItcmVhbC11c2U="


def bench(name: str) -> ModuleType:
    """A benchmark script as a module (bench/ is a folder of scripts, not a package)."""
    folder = str(ROOT / "bench")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(name)


# --- Databases ---------------------------------------------------------------------------------------


def database_url(name: str | None = None, *, port: int | None = None) -> str:
    """The address of the test database (or of `name` on the same server), optionally via another port."""
    settings = connection.settings_dict
    user = quote(settings.get("USER") or "")
    password = quote(settings.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings.get("HOST") or "127.0.0.1"
    return (
        f"postgresql://{credentials}{host}:{port or settings.get('PORT') or 5432}/{name or settings['NAME']}"
    )


def database_address() -> tuple[str, int]:
    settings = connection.settings_dict
    return settings.get("HOST") or "127.0.0.1", int(settings.get("PORT") or 5432)


def create_database(name: str) -> None:
    assert name.startswith("flt_"), "extra databases of the fault tests are named flt_*"
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    assert name.startswith("flt_")
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def stored_event_keys() -> set[str]:
    """The stored inbound events, named as bench/webhook_intake.py names what it sends: channel:message id."""
    from haven.channels.models import InboundEvent

    rows = InboundEvent.objects.values_list("channel_id", "provider_message_id")
    return {f"{channel}:{message}" for channel, message in rows}


def sql(statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return list(cursor.fetchall()) if cursor.description else []


# --- Processes ---------------------------------------------------------------------------------------


def haven_env(database: str, var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a production-like Haven process: real settings, tasks in the database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "haven.settings",
        "DATABASE_URL": database,
        "HAVEN_VAR_DIR": str(var_dir),
        "HAVEN_SECRET_KEY": "haven-faults-secret-key-not-for-production",
        "HAVEN_MASTER_KEY": os.environ.get("HAVEN_MASTER_KEY", TEST_MASTER_KEY),
        "HAVEN_ALLOWED_HOSTS": "127.0.0.1",
        "HAVEN_CHANNEL_SENDERS": "recording",
        "HAVEN_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "HAVEN_LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }
    env.update(extra)
    return env


def haven_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "haven", *args]


def start_worker(
    env: dict[str, str], worker_id: str, *, batch: bool = False, counting: bool = True
) -> subprocess.Popen[bytes]:
    """`haven db_worker`; `counting`: one that also counts what it hands to the inbound handlers
    (haven/faults/tests/worker.py, which needs its table)."""
    if counting:
        command = [sys.executable, "-m", "haven.faults.tests.worker"]
    else:
        command = haven_command("db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1")
    command += ["--verbosity", "0", "--worker-id", worker_id, *(["--batch"] if batch else [])]
    return subprocess.Popen(command, env=env, cwd=ROOT)


def kill(process: subprocess.Popen[bytes]) -> None:
    """kill -9: no clean-up handler runs, as when the machine loses the process."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def stop_all(processes: Sequence[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            kill(process)


def wait_until(done: Callable[[], bool], *, timeout: float, every: float = 0.3) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if done():
            return True
        time.sleep(every)
    return done()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- A TCP proxy that can cut the database off ------------------------------------------------------------


class TcpProxy:
    """Forwards 127.0.0.1:port to the database; `cut()` drops every connection and refuses new ones.

    This is an outage as the web server sees it (connections reset, connects refused) without stopping the
    PostgreSQL server that others share.
    """

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._open = threading.Event()

    def start(self) -> None:
        listener = socket.create_server(("127.0.0.1", self.port))
        listener.settimeout(0.2)
        self._open.set()
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        self._open.clear()
        with self._lock:
            doomed, self._sockets = self._sockets, set()
        for sock in doomed:
            self._close(sock)
        time.sleep(0.5)  # the accept loop notices and closes the listener: connects are refused

    def _accept(self, listener: socket.socket) -> None:
        with listener:
            while self._open.is_set():
                try:
                    client, _address = listener.accept()
                except TimeoutError:
                    continue
                try:
                    upstream = socket.create_connection(self.target)
                except OSError:
                    client.close()
                    continue
                with self._lock:
                    self._sockets |= {client, upstream}
                if not self._open.is_set():  # cut while this one was being accepted
                    self._close(client)
                    self._close(upstream)
                    continue
                for source, sink in ((client, upstream), (upstream, client)):
                    threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            self._close(source)
            self._close(sink)

    @staticmethod
    def _close(sock: socket.socket) -> None:
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()


@contextmanager
def proxy_to_database() -> Iterator[TcpProxy]:
    proxy = TcpProxy(database_address())
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.cut()
