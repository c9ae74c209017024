"""Cycle generation over 1,500,000 active enrolments on PostgreSQL: Haven's batched generation against the
same work as one hand-written SQL statement, and against the ORM one object at a time; then a rerun.

Run: .venv/bin/python bench/cycle_generation.py [--enrolments 1500000] [--batch-size 20000]
     [--orm-sample 20000] [--rounds 1]
The server comes from DATABASE_URL (default postgresql://127.0.0.1:5432/test); the benchmark creates and
uses its own database on it (haven_bench_cycles), migrates it, and reuses the load when it has the same
number of enrolments (drop it with `dropdb haven_bench_cycles` when done: 1.5M rows take about 2 GB).

The load: one organisation, one union, one programme (VWB: 30 kg of rice a month), and N women, each a
real Person, Beneficiary and Enrolment row, inserted with `INSERT … SELECT … FROM generate_series` (no
Python per row). Encrypted columns hold an empty placeholder: the benchmark never decrypts, and
generation never reads them. Every enrolment is ACTIVE and covers the measured month: the constraint
"one active enrolment per woman and programme" means 1.5M enrolments need 1.5M women.

Scenarios, in this order, on the same database in the same run:
  (a) baseline: the whole cycle as ONE `INSERT … SELECT … ON CONFLICT DO NOTHING`, committed;
      then the entitlements table is emptied (TRUNCATE) and the cycle reset, so (b) inserts the same rows;
  (b) Haven: `haven.benefits.cycles.generate_entitlements` (keyset batches, each committed with its
      cursor and the cycle's counters);
  (d) a rerun of (b) on the complete cycle: it must add 0 rows;
  (c) the ORM one object at a time, in jobs of 2,000 enrolments (each job a transaction, each enrolment
      a check for an existing entitlement and a create, as programme systems built on an ORM do), on a
      sample of enrolments for another month's cycle, extrapolated to N.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.test_settings")

from bench_database import open_bench_database

BENCH_DB = "haven_bench_cycles"
ORG = "bench-cycles"
AT = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
MONTH = date(2026, 6, 1)  # the cycle measured in (a), (b), (d)
ORM_MONTH = date(2026, 7, 1)  # the cycle of the ORM sample (c)
ORM_JOB = 2_000


# --- loading -------------------------------------------------------------------------------------------


def _org() -> Any:
    from haven.orgs.actions import create_area, create_organisation
    from haven.orgs.models import Area, Calendar, Organisation

    org = Organisation.objects.filter(slug=ORG).first()
    if org is None:
        org = create_organisation(
            name="Bench cycles",
            slug=ORG,
            country="BD",
            default_language="en",
            default_calendar=Calendar.GREGORIAN,
            acting_user=None,
            at=AT,
        )
        create_area(org=org, name="Bench union", level=Area.Level.LOCALITY, acting_user=None, at=AT)
    return org


def _programme(org: Any) -> Any:
    from haven.benefits.models import Programme

    return Programme.objects.filter(org=org, code="vwb").first() or Programme.objects.create(
        org=org,
        code="vwb",
        name="Bench VWB",
        benefit_kind=Programme.BenefitKind.IN_KIND,
        target_level=Programme.TargetLevel.PERSON,
        duration_months=24,
        item="rice",
        quantity_per_cycle=Decimal("30"),
        unit="kg",
        created_at=AT,
    )


def _columns(model: Any, values: dict[str, str]) -> tuple[str, str]:
    """The model's columns and one SQL expression each: the given ones, else the field's constant
    default, else NULL — so a field added to the model later does not break the load."""
    from django.db import models
    from django.db.models.fields import NOT_PROVIDED

    names, exprs = [], []
    for field in model._meta.concrete_fields:
        names.append(f'"{field.column}"')
        if field.name in values:
            exprs.append(values[field.name])
        elif field.default is not NOT_PROVIDED and not callable(field.default):
            exprs.append(_literal(field.default))
        elif field.default is list:
            exprs.append("'[]'")
        elif field.null:
            exprs.append("NULL")
        elif isinstance(field, models.CharField | models.TextField):
            exprs.append("''")  # an encrypted column's placeholder, or a blank text
        else:
            sys.exit(f"{model.__name__}.{field.name}: the benchmark does not know what to put there")
    return ", ".join(names), ", ".join(exprs)


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _load(org: Any, programme: Any, count: int) -> None:
    from django.db import connection, transaction

    from haven.benefits.models import Beneficiary, Enrolment
    from haven.orgs.models import Area
    from haven.people.models import Person

    area = Area.objects.get(org=org)
    common = {"org": f"'{org.pk}'", "created_at": f"'{AT.isoformat()}'"}
    person_cols, person_exprs = _columns(
        Person,
        {
            **common,
            "id": "gen_random_uuid()",
            "survivor_code": "'B-' || lpad(n::text, 8, '0')",
            "sex": "'FEMALE'",
            "born_on": "DATE '1980-01-01' + (n %% 10000)",
        },
    )
    beneficiary_cols, beneficiary_exprs = _columns(
        Beneficiary,
        {
            "org": f"'{org.pk}'",
            "id": "gen_random_uuid()",
            "person": "p.id",
            "area": f"'{area.pk}'",
            "registry_number": "p.survivor_code",
            "registered_at": f"'{AT.isoformat()}'",
        },
    )
    enrolment_cols, enrolment_exprs = _columns(
        Enrolment,
        {
            "org": f"'{org.pk}'",
            "id": "gen_random_uuid()",
            "programme": f"'{programme.pk}'",
            "beneficiary": "b.id",
            "area": f"'{area.pk}'",
            "card_number": "'VWB-' || b.registry_number",
            "status": "'ACTIVE'",
            "starts_on": "DATE '2026-01-01'",
            "ends_on": "DATE '2027-12-01'",
            "enrolled_at": f"'{AT.isoformat()}'",
        },
    )
    # The column lists and expressions come from the models and this file, never from input.
    statements = (
        (
            f"INSERT INTO people_person ({person_cols}) SELECT {person_exprs} ",
            "FROM generate_series(1, %s) AS n",
            count,
        ),
        (
            f"INSERT INTO benefits_beneficiary ({beneficiary_cols}) SELECT {beneficiary_exprs} ",
            "FROM people_person p WHERE p.org_id = %s",
            org.pk,
        ),
        (
            f"INSERT INTO benefits_enrolment ({enrolment_cols}) SELECT {enrolment_exprs} ",
            "FROM benefits_beneficiary b WHERE b.org_id = %s",
            org.pk,
        ),
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for head, source, param in statements:
            cursor.execute(head + source, [param])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _prepare(count: int) -> tuple[Any, str]:
    from haven.benefits.models import Enrolment

    org = _org()
    programme = _programme(org)
    loaded = Enrolment.objects.filter(programme=programme).count()
    if loaded == count:
        return programme, f"reused the loaded database ({count:,} active enrolments)"
    if loaded:
        sys.exit(f"{BENCH_DB} holds another size ({loaded:,}): dropdb {BENCH_DB} and run again")
    started = time.perf_counter()
    _load(org, programme, count)
    return (
        programme,
        f"loaded {count:,} women, beneficiaries and enrolments in {time.perf_counter() - started:.0f} s",
    )


# --- scenarios -----------------------------------------------------------------------------------------


BASELINE_SQL = """
INSERT INTO benefits_entitlement (org_id, cycle_id, enrolment_id, item, quantity, status)
SELECT e.org_id, %(cycle)s, e.id, %(item)s, %(quantity)s, 'DUE'
FROM benefits_enrolment e
WHERE e.programme_id = %(programme)s AND e.status = 'ACTIVE'
  AND e.starts_on < %(next_month)s AND e.ends_on >= %(month)s
ON CONFLICT (cycle_id, enrolment_id, item) DO NOTHING
"""


def _cycle(programme: Any, month: date) -> Any:
    from haven.benefits.models import Cycle

    return Cycle.objects.filter(programme=programme, month=month).first() or Cycle.objects.create(
        org_id=programme.org_id, programme=programme, month=month, created_at=AT
    )


def _reset() -> None:
    """Empty the entitlements and put every cycle back to OPEN, as before any generation."""
    from django.db import connection

    from haven.benefits.models import Cycle

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE benefits_entitlement CASCADE")
    Cycle.objects.update(
        status=Cycle.Status.OPEN,
        entitlement_count=0,
        generation_total=0,
        generation_done=0,
        generation_cursor=None,
        generation_started_at=None,
        generation_finished_at=None,
    )
    # Start each timed run with no dirty pages of the last one; needs superuser, else runs are noisier.
    with connection.cursor() as cursor, contextlib.suppress(Exception):
        cursor.execute("CHECKPOINT")


def _measure(run: Callable[[], int]) -> tuple[float, int, float]:
    """Seconds, rows the run reports, and the Python heap's peak (MiB) while it ran."""
    tracemalloc.start()
    started = time.perf_counter()
    rows = run()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    return seconds, rows, peak


def _baseline(programme: Any, cycle: Any) -> int:
    from django.db import connection, transaction

    from haven.benefits.cycles import add_months

    params = {
        "cycle": cycle.pk,
        "item": programme.item,
        "quantity": programme.quantity_per_cycle,
        "programme": programme.pk,
        "month": cycle.month,
        "next_month": add_months(cycle.month, 1),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL, params)
        inserted: int = cursor.rowcount
    return inserted


def _haven(cycle: Any, batch_size: int) -> int:
    from haven.benefits.cycles import generate_entitlements

    cycle.refresh_from_db()
    outcome = generate_entitlements(cycle=cycle, acting_user=None, at=AT, batch_size=batch_size)
    assert outcome.finished
    return outcome.inserted


def _orm_one_at_a_time(programme: Any, cycle: Any, sample: int) -> int:
    """The naive way: jobs of 2,000 enrolments, each enrolment checked and created on its own."""
    from django.db import transaction

    from haven.benefits.cycles import covered_enrolments
    from haven.benefits.models import Entitlement

    created, after = 0, None
    while created < sample:
        job = covered_enrolments(cycle).order_by("id")
        if after is not None:
            job = job.filter(id__gt=after)
        enrolments = list(job[: min(ORM_JOB, sample - created)])
        if not enrolments:
            break
        with transaction.atomic():
            for enrolment in enrolments:
                exists = Entitlement.objects.filter(
                    cycle=cycle, enrolment=enrolment, item=programme.item
                ).exists()
                if not exists:
                    Entitlement.objects.create(
                        org_id=enrolment.org_id,
                        cycle=cycle,
                        enrolment=enrolment,
                        item=programme.item,
                        quantity=programme.quantity_per_cycle,
                    )
                    created += 1
        after = enrolments[-1].pk
    return created


def _print_table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |")


def _row(label: str, seconds: float, rows: int, peak: float, note: str = "") -> tuple[str, ...]:
    return (label, f"{seconds:.1f}", f"{rows:,}", f"{peak:.1f}", note)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--enrolments", type=int, default=1_500_000)
    parser.add_argument("--batch-size", type=int, default=20_000, help="Haven's batch size (enrolments)")
    parser.add_argument("--orm-sample", type=int, default=20_000, help="enrolments done one at a time in (c)")
    parser.add_argument(
        "--rounds", type=int, default=1, help="repeat (a) and (b) alternately, resetting between"
    )
    args = parser.parse_args(argv)
    open_bench_database(os.environ.get("DATABASE_URL", "postgresql://127.0.0.1:5432/test"), BENCH_DB)

    from haven.benefits.models import Entitlement

    programme, loaded = _prepare(args.enrolments)
    print(loaded)
    cycle = _cycle(programme, MONTH)
    results: list[tuple[str, ...]] = []
    baseline_times, haven_times = [], []
    for round_number in range(1, args.rounds + 1):
        _reset()
        seconds, rows, peak = _measure(lambda: _baseline(programme, cycle))
        baseline_times.append(seconds)
        results.append(_row(f"(a) one INSERT … SELECT, round {round_number}", seconds, rows, peak))
        _reset()
        seconds, rows, peak = _measure(lambda: _haven(cycle, args.batch_size))
        haven_times.append(seconds)
        ratio = seconds / baseline_times[-1]
        results.append(
            _row(
                f"(b) Haven, batches of {args.batch_size:,}, round {round_number}",
                seconds,
                rows,
                peak,
                f"{ratio:.2f}× (a)",
            )
        )
    assert Entitlement.objects.filter(cycle=cycle).count() == args.enrolments
    seconds, rows, peak = _measure(lambda: _haven(cycle, args.batch_size))
    results.append(_row("(d) Haven rerun on the complete cycle", seconds, rows, peak, "must add 0"))
    orm_cycle = _cycle(programme, ORM_MONTH)
    sample = min(args.orm_sample, args.enrolments)
    seconds, rows, peak = _measure(lambda: _orm_one_at_a_time(programme, orm_cycle, sample))
    extrapolated = seconds * args.enrolments / rows
    speedup = extrapolated / min(haven_times)
    results.append(_row(f"(c) ORM one at a time, {ORM_JOB:,}-row jobs, sample", seconds, rows, peak))
    results.append(
        _row(
            f"(c) extrapolated to {args.enrolments:,}",
            extrapolated,
            args.enrolments,
            peak,
            f"Haven {speedup:.0f}× faster",
        )
    )
    _print_table(("scenario", "seconds", "rows", "Python peak MiB", "compared"), results)
    best = min(haven_times) / min(baseline_times)
    print(
        f"\nHaven / one statement (best of {args.rounds}): {best:.2f}× (target ≤ 1.5×); "
        f"ORM / Haven: {speedup:.0f}× (target ≥ 20×)"
    )
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS (includes loading if this run loaded): {maxrss:.0f} MiB")
    print(f"run on {date.today().isoformat()}, load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
