"""Concurrent admissions into a shelter network on PostgreSQL: admissions per second, refusals, and
zero double bookings verified by SQL.

Run: .venv/bin/python bench/concurrent_admissions.py [--facilities 10] [--beds 10] [--households 300]
     [--threads 1 4 8]
The server comes from DATABASE_URL (default postgresql://127.0.0.1:5432/test); the benchmark creates and
uses its own database on it (haven_bench_admissions).

Each run starts from empty beds and fresh households (a woman, and zero to two children of her household,
an infant among them needing a cot), about as many people as beds, so the last ones find the network
nearly full. Each thread takes the next household,
picks a facility at random, reads its free beds, picks beds at random among them and calls
`haven.shelters.actions.admit_household`, the verb the admission page calls. Threads read the same free
beds at the same time, so many pick a bed another thread is taking: the verb must refuse those (it locks
the bed rows, then checks), and the thread tries another facility, up to five times. The one-thread run
is the same-run baseline: the same work with no contention. After each run two SQL statements count beds
with more than one current resident and people with more than one current bed; both must be zero.
"""

from __future__ import annotations

import argparse
import os
import queue
import random
import resource
import statistics
import sys
import threading
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.test_settings")

from bench_database import open_bench_database

BENCH_DB = "haven_bench_admissions"
ORG_SLUG = "bench-admissions"
AT = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
ATTEMPTS = 5


# --- the network and the households --------------------------------------------------------------------


def _org_and_manager() -> tuple[Any, Any]:
    from haven.accounts.actions import create_staff_member
    from haven.orgs.actions import create_organisation
    from haven.orgs.models import Calendar, Membership, Organisation
    from haven.orgs.roles import Role

    org = Organisation.objects.filter(slug=ORG_SLUG).first() or create_organisation(
        name="Bench admissions",
        slug=ORG_SLUG,
        country="CA",
        default_language="en",
        default_calendar=Calendar.GREGORIAN,
        acting_user=None,
        at=AT,
    )
    membership = Membership.objects.filter(org=org, role=Role.SHELTER_MANAGER).first()
    if membership is None:
        membership = create_staff_member(
            org=org,
            username="bench.admissions.manager",
            password="bench-password-not-used",
            first_name="Bench",
            last_name="Manager",
            role=Role.SHELTER_MANAGER,
            site=None,
            language="en",
            acting_user=None,
            at=AT,
            validate=False,
        )
    return org, membership.user


def _network(org: Any, facilities: int, beds: int) -> list[Any]:
    """`facilities` shelters of `beds` beds and two cots each; made once and reused."""
    from haven.orgs.actions import create_site
    from haven.shelters import actions
    from haven.shelters.models import Bed, Facility

    found = list(Facility.objects.filter(org=org).order_by("site__name"))
    if len(found) == facilities and all(Bed.objects.filter(facility=f).count() == beds + 2 for f in found):
        return found
    if found:
        sys.exit(f"{BENCH_DB} holds another network: drop it (dropdb {BENCH_DB}) and run again")
    for n in range(facilities):
        site = create_site(org=org, name=f"Shelter {n:03d}", kind="SHELTER", acting_user=None, at=AT)
        facility = actions.create_facility(
            site=site, facility_type="SHELTER", operator="NGO", acting_user=None, at=AT
        )
        new = [actions.NewBed(str(b)) for b in range(1, beds + 1)]
        new += [actions.NewBed("Cot 1", Bed.Kind.COT), actions.NewBed("Cot 2", Bed.Kind.COT)]
        actions.add_room(facility=facility, name="1", beds=new, acting_user=None, at=AT)
        found.append(facility)
    return found


@dataclass
class Household:
    case: Any
    woman: Any
    children: list[tuple[Any, bool]]  # (person, is an infant: needs a cot)


def _households(org: Any, count: int, run: str, rng: random.Random) -> list[Household]:
    """Fresh households for one run, written in bulk (the admission, not the registration, is timed)."""
    from haven.cases.models import Case
    from haven.people.models import Household as HouseholdRow
    from haven.people.models import HouseholdMember, Person

    women, children, made = [], [], []
    for n in range(count):
        woman = Person(org=org, survivor_code=f"R{run}-{n:05d}", name="Bench", sex="FEMALE", created_at=AT)
        kids = []
        for k in range(rng.choice((0, 0, 1, 2))):
            infant = k == 0 and rng.random() < 0.3
            born = date(2026, 3, 1) if infant else date(2018, 1, 1)
            kids.append(
                (
                    Person(
                        org=org,
                        survivor_code=f"R{run}-{n:05d}-{k}",
                        name="Bench child",
                        sex="FEMALE",
                        born_on=born,
                        created_at=AT,
                    ),
                    infant,
                )
            )
        women.append(woman)
        children += [kid for kid, _infant in kids]
        made.append((woman, kids))
    Person.objects.bulk_create(women + children, batch_size=2000)
    homes = [HouseholdRow(org=org, head=woman, created_at=AT) for woman in women]
    HouseholdRow.objects.bulk_create(homes, batch_size=2000)
    members = [
        HouseholdMember(org=org, household=home, person=kid, relationship="CHILD")
        for home, (_woman, kids) in zip(homes, made, strict=True)
        for kid, _infant in kids
    ]
    HouseholdMember.objects.bulk_create(members, batch_size=2000)
    cases = [Case(org=org, survivor=woman, opened_at=AT) for woman in women]
    Case.objects.bulk_create(cases, batch_size=2000)
    return [Household(case, woman, kids) for case, (woman, kids) in zip(cases, made, strict=True)]


def _empty_the_beds() -> None:
    """Every current stay ends: each run starts with all beds free."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE shelters_stayresident SET ended_at = now() WHERE ended_at IS NULL")
        cursor.execute(
            "UPDATE shelters_stay SET status = 'ENDED', ended_at = now(), destination = 'UNKNOWN' "
            "WHERE status = 'ACTIVE'"
        )


# --- the run -------------------------------------------------------------------------------------------


@dataclass
class Tally:
    admitted: int = 0
    refused: int = 0  # a verb refusal: the bed was taken meanwhile (the thread then tries elsewhere)
    gave_up: int = 0  # households with no place after ATTEMPTS tries (the network was full)
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _pick(free: Sequence[Any], household: Household, rng: random.Random) -> list[tuple[Any, Any]] | None:
    beds = [b for b in free if b.kind == "BED"]
    cots = [b for b in free if b.kind == "COT"]
    rng.shuffle(beds)
    rng.shuffle(cots)
    wanted_cots = sum(1 for _kid, infant in household.children if infant)
    wanted_beds = 1 + len(household.children) - wanted_cots
    if len(beds) < wanted_beds or len(cots) < wanted_cots:
        return None
    pairs = [(household.woman, beds.pop())]
    for kid, infant in household.children:
        pairs.append((kid, cots.pop() if infant else beds.pop()))
    return pairs


def _admit_one(
    household: Household, facilities: Sequence[Any], user: Any, tally: Tally, rng: random.Random
) -> None:
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from haven.shelters import actions
    from haven.shelters.page_queries import free_beds

    for _attempt in range(ATTEMPTS):
        facility = rng.choice(facilities)
        pairs = _pick(free_beds(facility, timezone.now()), household, rng)
        if pairs is None:
            continue
        started = time.perf_counter()
        try:
            actions.admit_household(
                case=household.case,
                facility=facility,
                residents=pairs,
                arrival_kind="HOTLINE",
                acting_user=user,
                at=timezone.now(),
            )
        except ValidationError:
            with tally.lock:
                tally.refused += 1
            continue
        except Exception as exc:  # a server error is a finding: count it and report it
            with tally.lock:
                tally.errors.append(f"{type(exc).__name__}: {exc}")
            return
        with tally.lock:
            tally.admitted += 1
            tally.latencies.append((time.perf_counter() - started) * 1000)
        return
    with tally.lock:
        tally.gave_up += 1


def _worker(
    work: queue.Queue[Household], facilities: Sequence[Any], user: Any, tally: Tally, seed: int
) -> None:
    from django.db import connection

    rng = random.Random(seed)  # noqa: S311 - synthetic choices, not secrets
    try:
        while True:
            try:
                household = work.get_nowait()
            except queue.Empty:
                return
            _admit_one(household, facilities, user, tally, rng)
    finally:
        connection.close()


def _double_bookings() -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT bed_id FROM shelters_stayresident WHERE ended_at IS NULL "
            "GROUP BY bed_id HAVING count(*) > 1) twice"
        )
        beds = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM (SELECT person_id FROM shelters_stayresident WHERE ended_at IS NULL "
            "GROUP BY person_id HAVING count(*) > 1) twice"
        )
        people = cursor.fetchone()
    return (beds[0] if beds else -1), (people[0] if people else -1)


def _occupied() -> int:
    from haven.shelters.models import StayResident

    return StayResident.objects.filter(ended_at__isnull=True).count()


def _run(threads: int, households: list[Household], facilities: Sequence[Any], user: Any) -> tuple[str, ...]:
    work: queue.Queue[Household] = queue.Queue()
    for household in households:
        work.put(household)
    tally = Tally()
    workers = [
        threading.Thread(target=_worker, args=(work, facilities, user, tally, n)) for n in range(threads)
    ]
    tracemalloc.start()
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    twice_beds, twice_people = _double_bookings()
    cuts = (
        statistics.quantiles(tally.latencies, n=100, method="inclusive")
        if len(tally.latencies) > 1
        else [0.0] * 99
    )
    return (
        str(threads),
        str(len(households)),
        str(tally.admitted),
        f"{tally.admitted / elapsed:.1f}",
        str(tally.refused),
        str(tally.gave_up),
        str(len(tally.errors)),
        f"{statistics.median(tally.latencies) if tally.latencies else 0:.1f} / {cuts[94]:.1f}",
        str(_occupied()),
        f"{twice_beds} / {twice_people}",
        f"{peak:.1f}",
    )


def _print_table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--facilities", type=int, default=20)
    parser.add_argument("--beds", type=int, default=10, help="beds per facility (plus two cots)")
    parser.add_argument("--households", type=int, default=130)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    open_bench_database(os.environ.get("DATABASE_URL", "postgresql://127.0.0.1:5432/test"), BENCH_DB)
    org, user = _org_and_manager()
    facilities = _network(org, args.facilities, args.beds)
    print(
        f"{len(facilities)} facilities, {len(facilities) * (args.beds + 2)} beds and cots; "
        f"{args.households} households per run"
    )
    rng = random.Random(args.seed)  # noqa: S311
    rows = []
    for run, threads in enumerate(args.threads):
        _empty_the_beds()
        households = _households(org, args.households, f"{int(time.time()) % 100000:05d}{run}", rng)
        rows.append(_run(threads, households, facilities, user))
    header = (
        "threads",
        "households",
        "admitted",
        "admissions/s",
        "refused (taken meanwhile)",
        "no place",
        "server errors",
        "admit p50 / p95 ms",
        "beds in use",
        "double bookings (beds / people)",
        "peak MiB",
    )
    _print_table(header, rows)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess peak RSS: {maxrss:.0f} MiB")


if __name__ == "__main__":
    main()
