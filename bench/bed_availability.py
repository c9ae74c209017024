"""Network bed availability over 1,000 facilities / 20,000 beds on PostgreSQL: p50/p95/p99 latency and
memory of `haven.shelters.queries.availability`, against one hand-written SQL statement.

Run: .venv/bin/python bench/bed_availability.py [--facilities 1000] [--beds-per-facility 20] [--queries 300]
The server comes from DATABASE_URL (default postgresql://127.0.0.1:5432/test); the benchmark creates and
uses its own database on it (haven_bench_beds), migrates it, and reuses the load when it is the same size.

The network: two organisations in one shelter network, half the facilities each, the partner's sharing
their availability; each facility has two rooms of beds and two cots, one bed in ten accessible. Half the
beds are occupied (one woman per bed, each with her own case and stay, and a finished residency on
another bed as history), one in twenty is held by a live hold, one in twenty carries an expired hold
(status still HELD: the query must count it free). The agent asking is a hotline agent of the first
organisation. Each scenario is a filter a hotline agent would set. Two baselines, the same counts as one
hand-written SQL statement (facilities of the network, beds grouped by kind), without the ORM, the filters
on what a facility accepts, or building the rows: over the state each bed keeps (`Bed.is_occupied`,
`Bed.held_until`, what the query reads), and over the residencies and holds themselves (NOT EXISTS for
occupants and live holds, what it read before). Before timing, the query's free places are checked
against the second: a difference stops the run.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.test_settings")

from bench_database import open_bench_database

BENCH_DB = "haven_bench_beds"
HOME, PARTNER = "bench-beds-home", "bench-beds-partner"
AT = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


# --- loading -------------------------------------------------------------------------------------------


def _org(slug: str) -> Any:
    from haven.orgs.actions import create_organisation
    from haven.orgs.models import Calendar, Organisation

    return Organisation.objects.filter(slug=slug).first() or create_organisation(
        name=f"Bench {slug}",
        slug=slug,
        country="CA",
        default_language="en",
        default_calendar=Calendar.GREGORIAN,
        acting_user=None,
        at=AT,
    )


def _agent(org: Any) -> Any:
    from haven.accounts.actions import create_staff_member
    from haven.orgs.models import Membership
    from haven.orgs.roles import Role

    membership = Membership.objects.filter(org=org, role=Role.HOTLINE_AGENT).first()
    if membership is None:
        membership = create_staff_member(
            org=org,
            username="bench.beds.agent",
            password="bench-password-not-used",
            first_name="Bench",
            last_name="Agent",
            role=Role.HOTLINE_AGENT,
            site=None,
            language="en",
            acting_user=None,
            at=AT,
            validate=False,
        )
    user = membership.user
    user.active_membership = membership
    return user


def _facilities(orgs: Sequence[Any], count: int) -> list[Any]:
    from haven.orgs.models import Site
    from haven.shelters.models import Facility

    sites = [
        Site(org=orgs[n % 2], name=f"Bench shelter {n:05d}", kind=Site.Kind.SHELTER, is_confidential=True)
        for n in range(count)
    ]
    Site.objects.bulk_create(sites, batch_size=1000)
    facilities = [
        Facility(
            org_id=site.org_id,
            site=site,
            facility_type=Facility.Type.ONE_STOP_CENTRE if n % 5 == 0 else Facility.Type.SHELTER,
            operator=Facility.Operator.STATE if n % 3 == 0 else Facility.Operator.NGO,
            boys_max_age=8 if n % 5 == 0 else (12 if n % 4 == 0 else None),
            max_stay_days=5 if n % 5 == 0 else None,
            accepts_pregnant_women=n % 7 != 0,
            shares_availability=True,
            created_at=AT,
        )
        for n, site in enumerate(sites)
    ]
    return Facility.objects.bulk_create(facilities, batch_size=1000)


def _beds(facilities: Sequence[Any], per_facility: int) -> list[Any]:
    from haven.shelters.models import Bed, Room

    rooms = [Room(org_id=f.org_id, facility=f, name=str(n)) for f in facilities for n in (1, 2)]
    Room.objects.bulk_create(rooms, batch_size=2000)
    beds = []
    for index, room in enumerate(rooms):
        half = per_facility // 2
        for n in range(half):
            is_cot = index % 2 == 1 and n >= half - 2
            beds.append(
                Bed(
                    org_id=room.org_id,
                    facility_id=room.facility_id,
                    room=room,
                    label=f"{n + 1}",
                    kind=Bed.Kind.COT if is_cot else Bed.Kind.BED,
                    is_accessible=not is_cot and n % 5 == 1,
                )
            )
    return Bed.objects.bulk_create(beds, batch_size=5000)


def _occupy(beds: Sequence[Any]) -> None:
    """One woman per occupied bed (every other bed), with her case, her stay, and a finished residency
    on the next bed as history."""
    from haven.cases.models import Case
    from haven.people.models import Person
    from haven.shelters.models import Stay, StayResident

    occupied = beds[::2]
    people = [
        Person(org_id=bed.org_id, survivor_code=f"B-{n:08d}", name="Bench", created_at=AT)
        for n, bed in enumerate(occupied)
    ]
    Person.objects.bulk_create(people, batch_size=2000)
    cases = [Case(org_id=p.org_id, survivor=p, opened_at=AT) for p in people]
    Case.objects.bulk_create(cases, batch_size=5000)
    stays = [
        Stay(
            org_id=bed.org_id,
            facility_id=bed.facility_id,
            case=case,
            arrival_kind=Stay.Arrival.HOTLINE,
            arrived_at=AT - timedelta(days=10),
        )
        for bed, case in zip(occupied, cases, strict=True)
    ]
    Stay.objects.bulk_create(stays, batch_size=5000)
    residents = []
    for n, (bed, stay, person) in enumerate(zip(occupied, stays, people, strict=True)):
        common = {"org_id": bed.org_id, "stay": stay, "person": person, "role": StayResident.Role.WOMAN}
        residents.append(StayResident(bed=bed, started_at=AT - timedelta(days=3), **common))
        earlier = beds[min(2 * n + 1, len(beds) - 1)]
        residents.append(
            StayResident(
                bed=earlier, started_at=AT - timedelta(days=10), ended_at=AT - timedelta(days=3), **common
            )
        )
    StayResident.objects.bulk_create(residents, batch_size=5000)


def _holds(beds: Sequence[Any], home: Any) -> None:
    """A live hold on one bed in twenty, an expired (still HELD) one on another one in twenty."""
    from haven.shelters.models import BedHold

    free = beds[1::2]
    holds = []
    for n, bed in enumerate(free):
        if n % 10 not in (0, 5):
            continue
        expired = n % 10 == 5
        placed = AT - timedelta(hours=5 if expired else 0, minutes=10)
        holds.append(
            BedHold(
                org_id=bed.org_id,
                facility_id=bed.facility_id,
                bed=bed,
                group=uuid.uuid4(),
                held_by=home,
                placed_at=placed,
                expires_at=placed + timedelta(minutes=90),
            )
        )
    BedHold.objects.bulk_create(holds, batch_size=5000)


def _prepare(facilities: int, per_facility: int) -> tuple[Any, str]:
    """Load the network unless one of the same size is there; the agent, and what happened."""
    from django.db import connection, transaction

    from haven.shelters.actions import keep_bed_state
    from haven.shelters.models import Bed, ShelterNetwork

    home, partner = _org(HOME), _org(PARTNER)
    network, _created = ShelterNetwork.objects.get_or_create(name="Bench network")
    network.members.add(home, partner)
    agent = _agent(home)
    wanted = facilities * (per_facility // 2) * 2
    if Bed.objects.count() == wanted:
        return agent, f"reused the loaded database ({facilities:,} facilities, {wanted:,} beds)"
    if Bed.objects.exists():
        sys.exit(f"{BENCH_DB} holds another size: drop it (dropdb {BENCH_DB}) and run again")
    started = time.perf_counter()
    with transaction.atomic():
        found = _facilities([home, partner], facilities)
        beds = _beds(found, per_facility)
        _occupy(beds)
        _holds(beds, home)
        keep_bed_state(bed.pk for bed in beds)  # rows were bulk-loaded past the verbs
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # the bed state written after loading left dead rows
    return (
        agent,
        f"loaded {facilities:,} facilities, {len(beds):,} beds in {time.perf_counter() - started:.0f} s",
    )


# --- scenarios -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    label: str
    wanted: Any


def _scenarios() -> list[Scenario]:
    from haven.shelters.queries import AvailabilityFilter

    boy = {"age": 10, "sex": "MALE"}
    return [
        Scenario("no filter (all facilities)", AvailabilityFilter()),
        Scenario("mother + boy of 10, 2 beds", AvailabilityFilter(adults=1, children=(boy,), min_free=2)),
        Scenario("accessible bed", AvailabilityFilter(adults=1, needs_accessible=True)),
        Scenario("one-stop centres, 4 beds", AvailabilityFilter(facility_type="ONE_STOP_CENTRE", min_free=4)),
    ]


# The free beds of the agent's network, grouped as the page groups them; `{free}` says which beds are free.
_FREE_BEDS_SQL = """
SELECT b.facility_id, b.kind, b.is_accessible, count(*)
FROM shelters_bed b
JOIN shelters_facility f ON f.id = b.facility_id
JOIN orgs_site s ON s.id = f.site_id
WHERE b.is_active AND s.is_active
  AND (f.org_id = %(org)s OR (f.shares_availability AND f.org_id IN (
        SELECT m.organisation_id FROM shelters_shelternetwork_members m
        WHERE m.shelternetwork_id IN (
          SELECT shelternetwork_id FROM shelters_shelternetwork_members WHERE organisation_id = %(org)s))))
  AND {free}
GROUP BY b.facility_id, b.kind, b.is_accessible
"""

# From the state each bed keeps (what `queries.availability` reads).
KEPT_STATE_SQL = _FREE_BEDS_SQL.format(
    free="NOT b.is_occupied AND (b.held_until IS NULL OR b.held_until <= %(at)s)"
)

# From the residencies and holds themselves (what the page computed before beds kept their state).
BASELINE_SQL = _FREE_BEDS_SQL.format(
    free="""NOT EXISTS (SELECT 1 FROM shelters_stayresident r WHERE r.bed_id = b.id AND r.ended_at IS NULL)
  AND NOT EXISTS (SELECT 1 FROM shelters_bedhold h
                  WHERE h.bed_id = b.id AND h.status = 'HELD' AND h.expires_at > %(at)s)"""
)


def _percentiles(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cuts[94], cuts[98]


def _time(run: Callable[[], object], count: int) -> tuple[float, float, float]:
    for _i in range(max(10, count // 10)):
        run()
    samples = []
    for _i in range(count):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return _percentiles(samples)


def _peak_mib(run: Callable[[], object]) -> float:
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1024 / 1024


def _run(agent: Any, count: int) -> list[tuple[str, ...]]:
    from django.db import connection

    from haven.shelters.queries import availability

    at = AT
    org_id = agent.active_membership.org_id

    def sql(statement: str) -> Callable[[], object]:
        def run() -> object:
            with connection.cursor() as cursor:
                cursor.execute(statement, {"org": org_id, "at": at})
                return cursor.fetchall()

        return run

    kept, base = _time(sql(KEPT_STATE_SQL), count), _time(sql(BASELINE_SQL), count)
    rows: list[tuple[str, ...]] = []
    for scenario in _scenarios():

        def query(wanted: Any = scenario.wanted) -> object:
            return availability(agent, at, wanted)

        found = len(availability(agent, at, scenario.wanted))
        p50, p95, p99 = _time(query, count)
        rows.append(
            (
                scenario.label,
                f"{found:,}",
                f"{p50:.1f}",
                f"{p95:.1f}",
                f"{p99:.1f}",
                f"{kept[0]:.1f} / {kept[1]:.1f} / {kept[2]:.1f}",
                f"{base[0]:.1f} / {base[1]:.1f} / {base[2]:.1f}",
                f"{_peak_mib(query):.1f}",
            )
        )
    return rows


def _check_counts(agent: Any) -> str:
    """The query's totals against the truth (the residencies and holds, in hand-written SQL); a
    difference stops the run, since the timings of a wrong answer mean nothing."""
    from django.db import connection

    from haven.shelters.queries import availability

    rows = availability(agent, AT)
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL, {"org": agent.active_membership.org_id, "at": AT})
        truth = sum(count for _facility, _kind, _accessible, count in cursor.fetchall())
    shown = sum(r.free for r in rows)
    if shown != truth:
        sys.exit(f"availability shows {shown:,} free places, the residencies and holds say {truth:,}")
    return (
        f"facilities shown: {len(rows):,}; free beds {sum(r.free_beds for r in rows):,}, "
        f"free cots {sum(r.free_cots for r in rows):,}, held {sum(r.held for r in rows):,} "
        f"(free places equal to the residencies and holds: {truth:,})"
    )


def _print_table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--facilities", type=int, default=1000)
    parser.add_argument("--beds-per-facility", type=int, default=20)
    parser.add_argument("--queries", type=int, default=300, help="timed queries per scenario")
    args = parser.parse_args(argv)
    open_bench_database(os.environ.get("DATABASE_URL", "postgresql://127.0.0.1:5432/test"), BENCH_DB)
    agent, loaded = _prepare(args.facilities, args.beds_per_facility)
    print(loaded)
    print(_check_counts(agent))
    header = (
        "scenario",
        "facilities found",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "SQL, kept state p50/p95/p99 ms",
        "SQL, residencies and holds p50/p95/p99 ms",
        "peak MiB",
    )
    _print_table(header, _run(agent, args.queries))
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess peak RSS (includes loading if this run loaded): {maxrss:.0f} MiB")
    print(f"run on {date.today().isoformat()}")


if __name__ == "__main__":
    main()
