"""Webhook intake over real HTTP on PostgreSQL: acknowledged events per second, latency, nothing lost.

Run: .venv/bin/python bench/webhook_intake.py --events 20000 --clients 16
(the server comes from DATABASE_URL, default postgresql://127.0.0.1:5432/test). The script drops and
recreates its own database `haven_bench_webhooks` on that server, migrates it, and sets up one
organisation with three channels through `channels.actions.create_channel`, each with its own random
secrets: Twilio SMS, Twilio WhatsApp and Meta WhatsApp Cloud API.

It then starts `--servers` processes of a threaded stdlib WSGI server (`wsgiref` with a fixed pool of
`--threads` threads, so every thread keeps its database connection, as a gthread server would) sharing
one port with SO_REUSEPORT, running Haven's own WSGI application with the production settings
(`haven.settings`, DEBUG off, the django-tasks database backend). `--clients` threads post
provider-shaped, correctly signed requests — Twilio form-encoded SMS and WhatsApp with
`X-Twilio-Signature`, Meta JSON messages and statuses with `X-Hub-Signature-256` — of which a share are
exact re-sends (a provider's retry), and time each request from connect to the last byte of the answer.
With `--rate` the clients pace themselves to that many requests per second in total, and a request
that starts late is timed from when it should have started (no coordinated omission).

Afterwards it counts the stored events against the distinct events sent (zero lost; re-sends absorbed),
then runs `--workers` `haven db_worker --batch` processes and times how long the processing backlog (one
task per acknowledged request: every event becomes a hotline contact, or joins its sender's) takes to
drain. Same-run baselines: the same HTTP server answering a trivial WSGI app (the HTTP floor), and the
same clients doing the hand-written SQL of an acknowledgement (INSERT the event ON CONFLICT DO NOTHING,
INSERT a task row) over psycopg, without HTTP, encryption or Django.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import random
import resource
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

BENCH_DB = "haven_bench_webhooks"
FLOOR_PATH = "/__bench_floor__"
AT = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
# Synthetic keys for a throw-away benchmark database; a deployment's come from its own environment.
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "haven.settings",
    "HAVEN_SECRET_KEY": "haven-bench-secret-key-not-for-production",
    "HAVEN_MASTER_KEY": "dGVzdC1tYXN0ZXIta2V5LW5vdC1mb3ItcmVhbC11c2U=",
    "HAVEN_ALLOWED_HOSTS": "127.0.0.1",
    "HAVEN_CHANNEL_SENDERS": "recording",
    "HAVEN_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
}
TEXTS = ("I need help", "আমার সাহায্য দরকার", "Can I talk to someone?", "Please call me after 6", "হ্যালো")


# --- The server (run as `webhook_intake.py --serve PORT THREADS` in each server process) -----------------


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log: it would cost time and names nobody."""


class PoolServer(WSGIServer):
    """wsgiref with a fixed thread pool: threads live on, and so do their database connections."""

    request_queue_size = 1024

    def __init__(self, address: tuple[str, int], threads: int) -> None:
        self._pool = ThreadPoolExecutor(threads)
        super().__init__(address, _QuietHandler)

    def server_bind(self) -> None:
        # Several processes accept on one port; the kernel spreads connections between them.
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        super().server_bind()

    def process_request(self, request: Any, client_address: Any) -> None:
        self._pool.submit(self._handle, request, client_address)

    def _handle(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)


def _with_floor(app: Callable[..., Any]) -> Callable[..., Any]:
    """Haven's application, plus one path that answers at once: the HTTP floor of this server."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("PATH_INFO") == FLOOR_PATH:
            environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
            return [b"OK"]
        return app(environ, start_response)

    return wsgi


def serve(port: int, threads: int) -> None:
    from django.core.wsgi import get_wsgi_application

    server = PoolServer(("127.0.0.1", port), threads)
    server.set_app(_with_floor(get_wsgi_application()))
    server.serve_forever()


# --- Setting up the database and the channels ---------------------------------------------------------


def _database_url(server_url: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{BENCH_DB}", parts.query, parts.fragment))


def _fresh_database(server_url: str) -> str:
    """Drop and recreate the benchmark database, so the counts afterwards are this run's alone."""
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    return _database_url(server_url)


@dataclass(frozen=True)
class BenchChannel:
    id: uuid.UUID
    provider: str
    kind: str
    secret: str
    account: str


def _set_up_channels() -> list[BenchChannel]:
    from haven.channels.actions import create_channel
    from haven.channels.models import Channel
    from haven.orgs.actions import create_organisation
    from haven.orgs.models import Calendar

    org = create_organisation(
        name="Webhook benchmark",
        slug="bench-webhooks",
        country="BD",
        default_language="bn",
        default_calendar=Calendar.GREGORIAN,
        acting_user=None,
        at=AT,
    )
    shapes = [
        (Channel.Kind.SMS, Channel.Provider.TWILIO, "AC" + secrets.token_hex(16)),
        (Channel.Kind.WHATSAPP, Channel.Provider.TWILIO, "AC" + secrets.token_hex(16)),
        (Channel.Kind.WHATSAPP, Channel.Provider.META, str(random.randrange(10**14, 10**15))),  # noqa: S311
    ]
    channels = []
    for kind, provider, account in shapes:
        secret = secrets.token_hex(16)
        channel = create_channel(
            org=org,
            name=f"{provider} {kind}",
            kind=kind,
            provider=provider,
            address="+8809612000000",
            provider_account=account,
            webhook_secret=secret,
            verify_token=secrets.token_urlsafe(16) if provider == Channel.Provider.META else "",
            time_zone="Asia/Dhaka",
            always_open=True,
            acting_user=None,
            at=AT,
        )
        channels.append(BenchChannel(channel.pk, provider, kind, secret, account))
    return channels


# --- Provider-shaped, signed requests (signed here by the providers' documented schemes) ----------------


@dataclass(frozen=True)
class Request:
    path: str
    body: bytes
    headers: dict[str, str]
    event_key: str  # what identifies the stored event: channel and provider message id


def _number(rng: random.Random, senders: int) -> str:
    return f"+88017{rng.randrange(senders):08d}"


def _twilio_request(base: str, channel: BenchChannel, rng: random.Random, senders: int) -> Request:
    sender, sid = _number(rng, senders), "SM" + rng.randbytes(16).hex()
    whatsapp = channel.kind == "WHATSAPP"
    params = {
        "ToCountry": "BD",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "SmsSid": sid,
        "SmsStatus": "received",
        "Body": rng.choice(TEXTS),
        "FromCountry": "BD",
        "To": ("whatsapp:" if whatsapp else "") + "+8809612000000",
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": channel.account,
        "From": ("whatsapp:" if whatsapp else "") + sender,
        "ApiVersion": "2010-04-01",
    }
    if whatsapp:
        params |= {"ProfileName": "Bench", "WaId": sender[1:], "MessageType": "text"}
    path = f"/channels/hooks/{channel.id}/"
    signed = base + path + "".join(name + params[name] for name in sorted(params))
    digest = hmac.new(channel.secret.encode(), signed.encode(), hashlib.sha1).digest()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": base64.b64encode(digest).decode(),
        "User-Agent": "TwilioProxy/1.1",
    }
    return Request(path, urlencode(params).encode(), headers, f"{channel.id}:{sid}")


def _meta_request(channel: BenchChannel, rng: random.Random, senders: int) -> Request:
    wa_id, wamid = _number(rng, senders)[1:], "wamid.HBgN" + base64.b64encode(rng.randbytes(24)).decode()
    metadata = {"display_phone_number": "8809612000000", "phone_number_id": channel.account}
    if rng.random() < 0.15:  # a delivery status of one of our messages
        status = rng.choice(("sent", "delivered", "read"))
        value: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "metadata": metadata,
            "statuses": [{"id": wamid, "status": status, "timestamp": "1795338000", "recipient_id": wa_id}],
        }
        key = f"{channel.id}:{wamid}:{status}"
    else:
        value = {
            "messaging_product": "whatsapp",
            "metadata": metadata,
            "contacts": [{"profile": {"name": "Bench"}, "wa_id": wa_id}],
            "messages": [
                {
                    "from": wa_id,
                    "id": wamid,
                    "timestamp": "1795338000",
                    "text": {"body": rng.choice(TEXTS)},
                    "type": "text",
                }
            ],
        }
        key = f"{channel.id}:{wamid}"
    document = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}],
    }
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    signature = "sha256=" + hmac.new(channel.secret.encode(), body, hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": signature}
    return Request(f"/channels/hooks/{channel.id}/", body, headers, key)


def _requests(
    base: str, channels: Sequence[BenchChannel], count: int, duplicates: float, senders: int, seed: int
) -> list[Request]:
    """``count`` distinct events (40 % Twilio SMS, 20 % Twilio WhatsApp, 40 % Meta), plus re-sends."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data)
    sms, twilio_whatsapp, meta = channels
    unique = []
    for _ in range(count):
        roll = rng.random()
        channel = sms if roll < 0.4 else twilio_whatsapp if roll < 0.6 else meta
        if channel is meta:
            unique.append(_meta_request(channel, rng, senders))
        else:
            unique.append(_twilio_request(base, channel, rng, senders))
    resent = rng.sample(unique, int(count * duplicates))
    everything = unique + resent
    rng.shuffle(everything)
    return everything


# --- Clients ------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def run_clients(
    work: Sequence[Any], clients: int, rate: float | None, call: Callable[[Any, Any], bool], setup: Any
) -> Outcome:
    """Run ``work`` over ``clients`` threads, each one item at a time; ``rate`` paces them in total."""
    outcome = Outcome()
    lock = threading.Lock()
    shares = [work[i::clients] for i in range(clients)]
    start = time.perf_counter() + 0.2

    def client(share: Sequence[Any]) -> None:
        state = setup()
        latencies: list[float] = []
        errors: dict[str, int] = {}
        interval = clients / rate if rate else 0.0
        offset = random.random() * interval  # noqa: S311 (spread the paced clients' starts)
        while time.perf_counter() < start:
            time.sleep(0.001)
        for position, item in enumerate(share):
            planned = start + offset + position * interval
            if rate:
                time.sleep(max(0.0, planned - time.perf_counter()))
            began = max(planned, start) if rate else time.perf_counter()
            try:
                ok = call(state, item)
            except Exception as exc:  # a refused connection counts, it does not stop the run
                ok, exc_name = False, type(exc).__name__
                errors[exc_name] = errors.get(exc_name, 0) + 1
            else:
                if not ok:
                    errors["bad status"] = errors.get("bad status", 0) + 1
            latencies.append(time.perf_counter() - began)
        if hasattr(state, "close"):
            state.close()  # a thread's database connection ends with the thread
        with lock:
            outcome.latencies += latencies
            for name, n in errors.items():
                outcome.errors[name] = outcome.errors.get(name, 0) + n

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, shares))
    outcome.seconds = time.perf_counter() - start
    return outcome


def _post(port: int) -> Callable[[Any, Request], bool]:
    def call(_state: Any, request: Request) -> bool:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("POST", request.path, body=request.body, headers=request.headers)
            response = connection.getresponse()
            response.read()
            return response.status == 200
        finally:
            connection.close()

    return call


def _floor(port: int) -> Callable[[Any, Request], bool]:
    post = _post(port)
    return lambda state, request: post(state, Request(FLOOR_PATH, request.body, request.headers, ""))


# --- The SQL baseline ---------------------------------------------------------------------------------

BASELINE_DDL = """
CREATE TABLE bench_event (
    id uuid PRIMARY KEY, channel_id uuid NOT NULL, sender_index varchar(64) NOT NULL,
    provider_message_id varchar(200) NOT NULL, sender text NOT NULL, body text NOT NULL,
    payload text NOT NULL, received_at timestamptz NOT NULL, processed_at timestamptz,
    UNIQUE (channel_id, sender_index, provider_message_id)
);
CREATE TABLE bench_task (id uuid PRIMARY KEY, args jsonb NOT NULL, enqueued_at timestamptz NOT NULL);
"""


def _sql_ack(database_url: str) -> tuple[Callable[[], Any], Callable[[Any, Request], bool]]:
    """What an acknowledgement must do at least: store the event, then one task row, each committed."""

    def setup() -> Any:
        return psycopg.connect(database_url, autocommit=True)

    def call(conn: Any, request: Request) -> bool:
        channel_id, message_id = request.event_key.split(":", 1)
        sender_index = hashlib.sha256(request.body[:40]).hexdigest()
        body = request.body.decode()
        conn.execute(
            "INSERT INTO bench_event VALUES (%s, %s, %s, %s, %s, %s, %s, now(), NULL) ON CONFLICT DO NOTHING",
            [uuid.uuid4(), channel_id, sender_index, message_id, "+8801700000000", body[:40], body],
        )
        conn.execute(
            "INSERT INTO bench_task VALUES (%s, %s, now())",
            [uuid.uuid4(), json.dumps([channel_id, sender_index])],
        )
        return True

    return setup, call


# --- Measuring ----------------------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def _row(label: str, outcome: Outcome) -> tuple[str, ...]:
    ms = [v * 1000 for v in outcome.latencies]
    errors = ", ".join(f"{k} {v}" for k, v in sorted(outcome.errors.items())) or "0"
    return (
        label,
        f"{len(ms):,}",
        f"{len(ms) / outcome.seconds:,.0f}",
        f"{percentile(ms, 0.50):.1f}",
        f"{percentile(ms, 0.95):.1f}",
        f"{percentile(ms, 0.99):.1f}",
        f"{max(ms):.1f}",
        errors,
    )


def print_table(header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> None:
    rows = list(rows)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |")


def peak_rss_mib(pid: int) -> float:
    """The process's high-water resident memory (VmHWM), read while it still runs."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _start_servers(
    count: int, threads: int, env: dict[str, str]
) -> tuple[int, list[subprocess.Popen[bytes]]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    script = str(Path(__file__).resolve())
    servers = [
        subprocess.Popen([sys.executable, script, "--serve", str(port), str(threads)], env=env)  # noqa: S603
        for _ in range(count)
    ]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _floor(port)(None, Request(FLOOR_PATH, b"", {}, "")):
                time.sleep(2)  # every process has bound by now, not only the first
                return port, servers
        except OSError:
            time.sleep(0.2)
    sys.exit("The benchmark server did not start.")


def _stop(processes: Sequence[subprocess.Popen[bytes]]) -> float:
    peak = max((peak_rss_mib(p.pid) for p in processes), default=0.0)
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)
    return peak


def _counts(requests: Sequence[Request]) -> list[tuple[str, str]]:
    from django.db import connection

    from haven.channels.models import InboundEvent

    connection.close()  # a fresh connection: the server processes wrote these rows
    distinct = len({r.event_key for r in requests})
    stored = InboundEvent.objects.count()
    return [
        ("requests sent", f"{len(requests):,}"),
        ("distinct events sent", f"{distinct:,}"),
        ("re-sends of an event already sent (absorbed)", f"{len(requests) - distinct:,}"),
        ("events stored", f"{stored:,}"),
        ("lost (distinct sent − stored)", f"{distinct - stored:,}"),
    ]


def _drain(workers: int, env: dict[str, str]) -> list[tuple[str, str]]:
    """Run db_worker processes until no task is left; time it and count what was processed."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from haven.channels.models import InboundEvent
    from haven.hotline.models import Contact

    connection.close()
    tasks = DBTaskResult.objects.count()
    haven = str(Path(sys.executable).parent / "haven")
    started = time.perf_counter()
    command = [haven, "db_worker", "--batch", "--no-startup-delay", "--no-reload"]
    processes = [
        subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        for _ in range(workers)
    ]
    peak = 0.0
    while any(p.poll() is None for p in processes):
        peak = max([peak, *(peak_rss_mib(p.pid) for p in processes if p.poll() is None)])
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    left = InboundEvent.objects.filter(processed_at__isnull=True).count()
    failed = DBTaskResult.objects.exclude(status="SUCCESSFUL").count()
    return [
        ("tasks enqueued by the webhooks", f"{tasks:,}"),
        (
            f"backlog drained by {workers} db_worker processes in",
            f"{seconds:.1f} s ({tasks / seconds:,.0f} tasks/s)",
        ),
        ("tasks not successful", f"{failed:,}"),
        ("events left unprocessed", f"{left:,}"),
        ("hotline contacts opened (a sender's later messages join hers)", f"{Contact.objects.count():,}"),
        ("largest db_worker peak RSS", f"{peak:.0f} MiB"),
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=10_000, help="distinct events to send")
    parser.add_argument("--duplicates", type=float, default=0.05, help="share of events sent twice")
    parser.add_argument("--senders", type=int, default=2_000, help="distinct phone numbers writing")
    parser.add_argument("--clients", type=int, default=16, help="concurrent client threads")
    parser.add_argument("--rate", type=float, default=None, help="pace clients to N requests/s in total")
    parser.add_argument("--servers", type=int, default=2, help="server processes")
    parser.add_argument("--threads", type=int, default=16, help="threads per server process")
    parser.add_argument("--workers", type=int, default=2, help="db_worker processes for the backlog")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--serve", nargs=2, type=int, metavar=("PORT", "THREADS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for name, value in BENCH_ENV.items():
        os.environ.setdefault(name, value)
    if args.serve:
        import django

        django.setup()
        serve(*args.serve)
        return
    server_url = os.environ.get("DATABASE_URL", "postgresql://127.0.0.1:5432/test")
    if not server_url.startswith(("postgres://", "postgresql://")):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgresql://HOST:5432/NAME")
    started = time.perf_counter()
    tracemalloc.start()
    database_url = _fresh_database(server_url)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "HAVEN_VAR_DIR": tempfile.mkdtemp(prefix="haven-bench-"),
    }
    os.environ.update(env)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    channels = _set_up_channels()
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(BASELINE_DDL)  # fixed text, no parameters
    port, servers = _start_servers(args.servers, args.threads, env)
    requests = _requests(
        f"http://127.0.0.1:{port}", channels, args.events, args.duplicates, args.senders, args.seed
    )
    mode = f"paced at {args.rate:,.0f} requests/s" if args.rate else "as fast as answered"
    print(
        f"{len(requests):,} requests, {args.clients} clients ({mode}), "
        f"{args.servers}×{args.threads} server threads"
    )
    # Warm-up: every server thread opens its database connection and the key ring loads.
    run_clients(requests[: args.servers * args.threads * 4], args.clients, None, _floor(port), lambda: None)
    webhook = run_clients(requests, args.clients, args.rate, _post(port), lambda: None)
    floor = run_clients(requests, args.clients, args.rate, _floor(port), lambda: None)
    server_peak = _stop(servers)
    setup, call = _sql_ack(database_url)
    sql = run_clients(requests, args.clients, args.rate, call, setup)
    print()
    header = ("path", "requests", "acknowledged/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors")
    print_table(
        header,
        [
            _row("Haven webhook (HTTP + Django + PostgreSQL)", webhook),
            _row("HTTP floor (same server, trivial app)", floor),
            _row("SQL floor (INSERT event + task, psycopg)", sql),
        ],
    )
    print()
    counts = _counts(requests)
    drain = _drain(args.workers, env) if args.workers else [("backlog", "not drained (--workers 0)")]
    _, client_peak = tracemalloc.get_traced_memory()
    memory = [
        ("largest server process peak RSS", f"{server_peak:.0f} MiB"),
        (
            "benchmark process peak RSS / tracemalloc peak",
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} / {client_peak / 2**20:.0f} MiB",  # noqa: E501
        ),
        ("whole run", f"{time.perf_counter() - started:.0f} s"),
    ]
    print_table(("measure", "value"), [*counts, *drain, *memory])


if __name__ == "__main__":
    main()
