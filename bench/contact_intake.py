"""Hotline intake with returning-caller lookup at 50 concurrent clients, on PostgreSQL with a large register.

Run: .venv/bin/python bench/contact_intake.py --people 100000 --operations 3000 --clients 50
The register and its database (`haven_bench_<people>` on the server of DATABASE_URL) are the ones of
bench/person_search.py, loaded by its helpers the first time and reused afterwards.

One operation is what happens when a message reaches the hotline, done by the real code in the client
processes (settings `haven.test_settings`: tasks run at once, as the worker would run them):
`channels.intake.receive` stores a Twilio WhatsApp message (encrypted sender, body, payload; the sender's
phone blind index), the processing task hands it to the hotline's registered handler, which opens a
waiting contact or joins the sender's open one (audited); then the agent's returning-caller look-up,
`people.queries.find_returning_people(phone=…)`, finds her in the register by the phone blind index.
60 % of the numbers belong to someone in the register (written `+880…`, stored `01…`), 40 % are new, and
a quarter of the operations are a further message from a number already seen (joins her contact). The
first message of each number is screened, as the agent does when she picks it up: her file is the one the
look-up found, or a new one is registered (`register_person`) for a number not in the register; the
contact is linked to it (`link_contact`) and the Lethality Assessment Programme screen is recorded on it
(`risk.actions.record_assessment`: scored, audited, the organisation's escalation rules applied).

The clients are threads spread over `--processes` processes started together (a deployment runs several
worker processes; one Python process would run every operation on one core). Two loads: back to back (each
client starts its next operation as soon as the last ended), then paced at one operation per `--pause`
seconds per client. Same-run baseline: `--clients` threads of the benchmark process doing the
hand-written SQL of one operation over psycopg (INSERT the event ON CONFLICT DO NOTHING, find the open
contact, INSERT one, mark the event processed, in one transaction; then SELECT the person by phone index;
for a first message, INSERT a person if none was found, link the contact and INSERT the screen, in one
transaction), with blind indexes computed beforehand and no encryption, audit or ORM.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.test_settings")

import psycopg
from bench_database import bench_url
from cores import machine_busy_seconds, server_cpu_seconds
from person_search import AT, BENCH_DB, _bench_org_and_user, _prepare_register, _setup_django
from webhook_intake import Outcome, peak_rss_mib, percentile, print_table, run_clients

BASELINE_DDL = """
CREATE TABLE IF NOT EXISTS bench_contact_event (
    id uuid PRIMARY KEY, channel_id uuid NOT NULL, sender_index varchar(64) NOT NULL,
    provider_message_id varchar(200) NOT NULL, sender text NOT NULL, body text NOT NULL,
    payload text NOT NULL,
    received_at timestamptz NOT NULL, processed_at timestamptz,
    UNIQUE (channel_id, sender_index, provider_message_id)
);
CREATE TABLE IF NOT EXISTS bench_contact (
    id uuid PRIMARY KEY, org_id uuid NOT NULL, channel_id uuid NOT NULL, sender_index varchar(64) NOT NULL,
    kind varchar(10) NOT NULL, offered_at timestamptz NOT NULL, ended_at timestamptz, person_id uuid
);
CREATE INDEX IF NOT EXISTS bench_contact_sender ON bench_contact (channel_id, sender_index, ended_at);
CREATE TABLE IF NOT EXISTS bench_person (id uuid PRIMARY KEY, org_id uuid NOT NULL, phone_index varchar(64));
CREATE TABLE IF NOT EXISTS bench_assessment (
    id uuid PRIMARY KEY, org_id uuid NOT NULL, person_id uuid NOT NULL, contact_id uuid NOT NULL,
    instrument varchar(20) NOT NULL, answers text NOT NULL, score int NOT NULL, level varchar(20) NOT NULL,
    asked_at timestamptz NOT NULL
);
TRUNCATE bench_contact_event, bench_contact, bench_person, bench_assessment;
"""

SCREEN = {f"q{n}": "yes" if n in (1, 4) else "no" for n in range(1, 12)}
"""The LAP answers of every screen: two yes answers (screened in on question 1)."""


@dataclass(frozen=True)
class Operation:
    number: str  # as she writes from WhatsApp: +8801…
    known: bool  # someone in the register has this number
    message_id: str
    first: bool  # her first message in the run: the agent screens her
    name: str = ""  # the name she gives when she is not in the register (her new file's)


def _channel(org: Any) -> Any:
    """The benchmark's Twilio WhatsApp channel, emptied of the contacts and events of an earlier run."""
    from django.db.models import Q

    from haven.channels.actions import create_channel
    from haven.channels.models import Channel, InboundEvent
    from haven.hotline.models import Contact
    from haven.people.models import DuplicateFlag, Person
    from haven.risk.models import Assessment

    channel = Channel.objects.filter(org=org, name="Bench WhatsApp").first()
    if channel is None:
        channel = create_channel(
            org=org,
            name="Bench WhatsApp",
            kind=Channel.Kind.WHATSAPP,
            provider=Channel.Provider.TWILIO,
            address="+8809612000000",
            provider_account="AC" + secrets.token_hex(16),
            webhook_secret=secrets.token_hex(16),
            always_open=True,
            acting_user=None,
            at=AT,
        )
    # An earlier run's screens, and the callers it registered (the register itself dates from AT).
    callers = Person.objects.filter(org=org, created_at__gt=AT)
    Assessment.objects.filter(Q(contact__channel=channel) | Q(person__in=callers)).delete()
    DuplicateFlag.objects.filter(Q(person_a__in=callers) | Q(person_b__in=callers)).delete()
    Contact.objects.filter(channel=channel).delete()
    InboundEvent.objects.filter(channel=channel).delete()
    callers.delete()
    return channel


def _vacuum(database_url: str) -> None:
    """Clear the dead rows that the cleanup and the previous load left in the tables the loads write
    (Haven's and the baseline's).

    A production server's autovacuum keeps these small; a server running without it (`SHOW autovacuum`,
    printed by `main`) lets them grow from run to run. The audit chains' head rows, updated by every
    audited write, spread over hundreds of pages that way, and reading a head became a 3 ms scan.
    """
    from haven.channels.models import InboundEvent
    from haven.hotline.models import Contact
    from haven.people.models import DuplicateFlag, Person, PersonNameToken
    from haven.privacy.models import AuditChain
    from haven.risk.models import Assessment

    models = (AuditChain, InboundEvent, Contact, Assessment, Person, PersonNameToken, DuplicateFlag)
    names = [model._meta.db_table for model in models] + ["bench_contact_event", "bench_contact"]
    tables = ", ".join(f'"{name}"' for name in names)
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"VACUUM ANALYZE {tables}")


def _operations(seed: int, people: int, count: int) -> list[Operation]:
    from synthetic_register import person

    rng = random.Random(seed)  # noqa: S311 (synthetic data)
    seen: list[tuple[str, bool]] = []
    operations: list[Operation] = []
    for _ in range(count):
        first = True
        if seen and rng.random() < 0.25:
            number, known = rng.choice(seen)
            first = False
        elif rng.random() < 0.6:
            spec = person(seed, rng.randrange(people))
            while not spec.phone:
                spec = person(seed, rng.randrange(people))
            number, known = "+880" + spec.phone[1:], True
            seen.append((number, known))
        else:
            number, known = f"+88019{rng.randrange(10**8):08d}", False
            seen.append((number, known))
        name = person(seed, people + len(operations)).name if first and not known else ""
        operations.append(Operation(number, known, "SM" + rng.randbytes(16).hex(), first, name))
    return operations


def _raw(channel: Any, operation: Operation) -> Any:
    from haven.channels.providers import RawRequest

    params = {
        "MessageSid": operation.message_id,
        "SmsMessageSid": operation.message_id,
        "AccountSid": channel.provider_account,
        "From": f"whatsapp:{operation.number}",
        "To": "whatsapp:+8809612000000",
        "Body": "আমার সাহায্য দরকার",
        "NumMedia": "0",
        "WaId": operation.number[1:],
        "ProfileName": "Bench",
    }
    url = f"https://haven.example/channels/hooks/{channel.pk}/"
    return RawRequest(url, urlencode(params).encode(), "application/x-www-form-urlencoded")


@dataclass
class Phases:
    intake: list[float]
    lookup: list[float]
    screen: list[float]
    found: list[bool]
    cpu_seconds: float = 0.0  # the client processes' CPU while they ran the load
    machine_busy: float = 0.0  # the share of the machine's cores busy meanwhile (the processes' mean)


def _screen(channel: Any, user: Any, operation: Operation, matches: list[Any]) -> None:
    """What the agent does on her first message: her file (found, or registered now), then the screen."""
    from django.utils import timezone

    from haven.hotline.actions import link_contact
    from haven.hotline.models import Contact
    from haven.people.actions import register_person
    from haven.privacy.blind import phone_index
    from haven.risk.actions import record_assessment

    at = timezone.now()
    index = phone_index(channel.org_id, operation.number, channel.org.country)
    contact = Contact.objects.get(channel=channel, sender_index=index, ended_at__isnull=True)
    person = (
        matches[0].person
        if matches
        else register_person(
            org=channel.org, name=operation.name, phone=operation.number, acting_user=user, at=at
        )
    )
    link_contact(contact=contact, person=person, acting_user=user, at=at)
    record_assessment(
        person=person, contact=contact, instrument_id="lap", answers=SCREEN, acting_user=user, at=at
    )


def _haven_operation(channel: Any, user: Any, phases: Phases) -> Callable[[Any, Operation], bool]:
    from django.utils import timezone

    from haven.channels import intake
    from haven.people.queries import find_returning_people

    def call(_state: Any, operation: Operation) -> bool:
        began = time.perf_counter()
        stored = intake.receive(channel, _raw(channel, operation), at=timezone.now())
        middle = time.perf_counter()
        matches = find_returning_people(user=user, phone=operation.number)
        looked_up = time.perf_counter()
        if operation.first:
            _screen(channel, user, operation, matches)
            phases.screen.append(time.perf_counter() - looked_up)
        phases.intake.append(middle - began)
        phases.lookup.append(looked_up - middle)
        if operation.first:  # later messages of a new number find the file her screen registered
            phases.found.append(bool(matches) == operation.known)
        return stored

    return call


def _thread_setup() -> Any:
    """Each client thread has its own Django connection (thread-local); run_clients closes it at the end."""
    from django.db import connection

    return connection


def _sql_operation(
    database_url: str, org: Any, channel: Any, indexes: dict[str, str]
) -> tuple[Callable[[], Any], Callable[[Any, Operation], bool]]:
    def setup() -> Any:
        return psycopg.connect(database_url, autocommit=True)

    def call(conn: Any, operation: Operation) -> bool:
        index = indexes[operation.number]
        with conn.transaction():
            conn.execute(
                "INSERT INTO bench_contact_event VALUES (%s, %s, %s, %s, %s, %s, %s, now(), NULL) "
                "ON CONFLICT DO NOTHING",
                [uuid.uuid4(), channel.pk, index, operation.message_id, operation.number, "text", "{}"],
            )
            open_contact = conn.execute(
                "SELECT id FROM bench_contact WHERE channel_id = %s AND sender_index = %s "
                "AND ended_at IS NULL LIMIT 1",
                [channel.pk, index],
            ).fetchone()
            if open_contact is None:
                conn.execute(
                    "INSERT INTO bench_contact VALUES (%s, %s, %s, %s, 'WHATSAPP', now(), NULL)",
                    [uuid.uuid4(), org.pk, channel.pk, index],
                )
            conn.execute(
                "UPDATE bench_contact_event SET processed_at = now() WHERE channel_id = %s "
                "AND sender_index = %s AND provider_message_id = %s",
                [channel.pk, index, operation.message_id],
            )
        found = conn.execute(
            "SELECT id, name, survivor_code FROM people_person WHERE org_id = %s AND phone_index = %s",
            [org.pk, index],
        ).fetchall()
        if operation.first:
            _sql_screen(conn, org, channel, index, found[0][0] if found else None)
        return True

    return setup, call


def _sql_screen(conn: Any, org: Any, channel: Any, index: str, person: Any) -> None:
    with conn.transaction():
        if person is None:
            person = uuid.uuid4()
            conn.execute("INSERT INTO bench_person VALUES (%s, %s, %s)", [person, org.pk, index])
        contact = conn.execute(
            "UPDATE bench_contact SET person_id = %s WHERE channel_id = %s AND sender_index = %s "
            "AND ended_at IS NULL RETURNING id",
            [person, channel.pk, index],
        ).fetchone()
        conn.execute(
            "INSERT INTO bench_assessment VALUES (%s, %s, %s, %s, 'lap', %s, 2, 'SCREENED_IN', now())",
            [uuid.uuid4(), org.pk, person, contact[0], json.dumps(SCREEN)],
        )


def _row(label: str, outcome: Outcome, phases: Phases | None, work: list[Operation]) -> tuple[str, ...]:
    """One load's line; its contacts per second count the first messages (each opens her contact)."""
    ms = [v * 1000 for v in outcome.latencies]
    split = "–"
    if phases is not None:
        intake = [v * 1000 for v in phases.intake]
        lookup = [v * 1000 for v in phases.lookup]
        screen = [v * 1000 for v in phases.screen]
        split = " / ".join(f"{percentile(ms, 0.95):.1f}" for ms in (intake, lookup, screen))
    return (
        label,
        f"{len(ms):,}",
        f"{len(ms) / outcome.seconds:,.0f}",
        f"{sum(op.first for op in work) / outcome.seconds:,.0f}",
        f"{percentile(ms, 0.50):.1f}",
        f"{percentile(ms, 0.95):.1f}",
        f"{percentile(ms, 0.99):.1f}",
        f"{max(ms):.1f}",
        split,
        ", ".join(f"{k} {v}" for k, v in sorted(outcome.errors.items())) or "0",
    )


def _loads(args: argparse.Namespace) -> dict[str, tuple[list[Operation], float | None]]:
    """Each load's operations and total rate (None: back to back); the same in every process."""
    operations = _operations(args.seed, args.people, args.operations * 2 + args.clients)
    back_to_back = operations[: args.operations]
    paced = operations[args.operations : args.operations * 2]
    rate = args.clients / args.pause
    return {
        # Operations of their own: a screen in the warm-up registers the new callers it meets.
        "warm-up": (operations[args.operations * 2 :], None),
        "back to back": (back_to_back, None),
        "paced": (paced, rate),
    }


def _run_part(args: argparse.Namespace, load: str, part: int, start_at: float) -> None:
    """One client process of a load: its share of the clients and operations; results as JSON."""
    from haven.channels.models import Channel

    org, user = _bench_org_and_user(AT)
    channel = Channel.objects.get(org=org, name="Bench WhatsApp")
    work, rate = _loads(args)[load]
    share = work[part :: args.processes]
    clients = max(1, args.clients // args.processes)
    phases = Phases([], [], [], [])
    from django.conf import settings
    from django.db import connection

    # The test settings commit without waiting for the disk; production, and the SQL baseline, wait.
    settings.DATABASES["default"]["OPTIONS"].pop("options", None)
    connection.close()
    time.sleep(max(0.0, start_at - time.time()))
    cpu_before, machine_before = time.process_time(), machine_busy_seconds()
    outcome = run_clients(
        share,
        clients,
        rate / args.processes if rate else None,
        _haven_operation(channel, user, phases),
        _thread_setup,
    )
    # Not ru_maxrss: Linux carries it over from the parent through fork and exec, so a client started
    # by a run that had just loaded the register reported the loader's peak as its own.
    rss = peak_rss_mib(os.getpid())
    phases.cpu_seconds = time.process_time() - cpu_before
    busy, total = (
        after - before for after, before in zip(machine_busy_seconds(), machine_before, strict=True)
    )
    phases.machine_busy = busy / total if total else 0.0
    print(json.dumps({"outcome": vars(outcome), "phases": vars(phases), "rss": rss}))


def _run_load(args: argparse.Namespace, load: str) -> tuple[Outcome, Phases, float]:
    """Run a load over `--processes` client processes started together; merged latencies, peak RSS."""
    start_at = time.time() + 8  # time for every process to import Django and connect
    command = [sys.executable, __file__, "--people", str(args.people), "--operations", str(args.operations)]
    command += ["--clients", str(args.clients), "--pause", str(args.pause), "--seed", str(args.seed)]
    command += ["--processes", str(args.processes)]
    parts = [
        subprocess.Popen([*command, "--part", load, str(part), str(start_at)], stdout=subprocess.PIPE)  # noqa: S603
        for part in range(args.processes)
    ]
    outcome, phases, rss = Outcome(), Phases([], [], [], []), 0.0
    for process in parts:
        stdout, _ = process.communicate()
        if process.returncode != 0:
            sys.exit(f"a client process of the {load} load failed")
        result = json.loads(stdout.decode().strip().splitlines()[-1])
        outcome.latencies += result["outcome"]["latencies"]
        for name, count in result["outcome"]["errors"].items():
            outcome.errors[name] = outcome.errors.get(name, 0) + count
        outcome.seconds = max(outcome.seconds, result["outcome"]["seconds"])
        for phase in ("intake", "lookup", "screen", "found"):
            getattr(phases, phase).extend(result["phases"][phase])
        phases.cpu_seconds += result["phases"]["cpu_seconds"]
        phases.machine_busy += result["phases"]["machine_busy"] / len(parts)
        rss = max(rss, result["rss"])
    return outcome, phases, rss


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=100_000, help="register size (default 100,000)")
    parser.add_argument("--operations", type=int, default=3_000, help="operations per load")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients in all")
    parser.add_argument(
        "--processes", type=int, default=2, help="client processes sharing the clients (default 2)"
    )
    parser.add_argument(
        "--pause", type=float, default=1.0, help="seconds between a paced client's operations"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--part", nargs=3, metavar=("LOAD", "PART", "START"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    server_url = os.environ.get("DATABASE_URL", "postgresql://127.0.0.1:5432/test")
    _setup_django(server_url, args.people)
    if args.part:
        _run_part(args, args.part[0], int(args.part[1]), float(args.part[2]))
        return
    from django.db import connection

    from haven.hotline.models import Contact
    from haven.privacy.blind import phone_index
    from haven.risk.models import Assessment

    org, _user = _bench_org_and_user(AT)
    channel = _channel(org)  # first: an earlier run's callers would make the register look changed
    print(_prepare_register(org, args.people, args.seed))
    database_url = bench_url(server_url, BENCH_DB.format(people=args.people))
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(BASELINE_DDL)  # fixed text, no parameters
    loads = _loads(args)
    back_to_back, paced = loads["back to back"][0], loads["paced"][0]
    operations = back_to_back + paced
    indexes = {op.number: phone_index(org.pk, op.number, org.country) for op in operations}
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        print(f"autovacuum on this server: {cursor.fetchone()[0]} (the bench vacuums before each load)")
    connection.close()
    _vacuum(database_url)
    _run_load(args, "warm-up")
    _vacuum(database_url)
    server_before = server_cpu_seconds()
    full, full_phases, full_rss = _run_load(args, "back to back")
    server_cpu = server_cpu_seconds() - server_before
    _vacuum(database_url)
    paced_outcome, paced_phases, paced_rss = _run_load(args, "paced")
    setup, call = _sql_operation(database_url, org, channel, indexes)
    _vacuum(database_url)
    sql_full = run_clients(back_to_back, args.clients, None, call, setup)
    _vacuum(database_url)
    sql_paced = run_clients(paced, args.clients, loads["paced"][1], call, setup)
    print()
    header = (
        "load",
        "operations",
        "per s",
        "contacts per s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "p95 intake / lookup / screen ms",
        "errors",
    )
    clients = f"{args.clients} clients in {args.processes} processes"
    pace = f"one op per {args.pause:g} s each"
    print_table(
        header,
        [
            _row(f"Haven, {clients}, back to back", full, full_phases, back_to_back),
            _row(f"SQL only, {args.clients} clients, back to back", sql_full, None, back_to_back),
            _row(f"Haven, {clients}, {pace}", paced_outcome, paced_phases, paced),
            _row(f"SQL only, {args.clients} clients, {pace}", sql_paced, None, paced),
        ],
    )
    contacts = Contact.objects.filter(channel=channel).count()
    screens = Assessment.objects.filter(contact__channel=channel).count()
    first_messages = sum(op.first for op in loads["warm-up"][0] + operations)
    senders = len({op.number for op in loads["warm-up"][0] + operations})
    checked = full_phases.found + paced_phases.found
    print()
    print_table(
        ("measure", "value"),
        [
            ("distinct numbers writing / contacts opened", f"{senders:,} / {contacts:,}"),
            (
                "first messages' look-ups right (found iff in the register)",
                f"{sum(checked):,} of {len(checked):,}",
            ),
            ("first messages run (warm-up included) / screens recorded", f"{first_messages:,} / {screens:,}"),
            (
                "CPU per operation back to back: Haven's processes / PostgreSQL",
                f"{full_phases.cpu_seconds / len(back_to_back) * 1000:.2f} / "
                f"{server_cpu / len(back_to_back) * 1000:.2f} ms",
            ),
            ("the machine's cores busy during it", f"{full_phases.machine_busy:.0%}"),
            ("peak RSS of a client process (back to back / paced)", f"{full_rss:.0f} / {paced_rss:.0f} MiB"),
            ("whole run", f"{time.perf_counter() - started:.0f} s"),
        ],
    )


if __name__ == "__main__":
    main()
