"""Registry import of a synthetic CSV on PostgreSQL: time, rows/s, peak memory, duplicate precision/recall.

Run: .venv/bin/python bench/registry_import.py --rows 750000   (default 50,000 for a quick try)
The server comes from DATABASE_URL (default postgresql://127.0.0.1:5432/test); the benchmark uses its own
database on it (haven_bench_imports), created if missing, and empties the registry tables before each run.

The file: invented Bangladeshi women (names from haven/people/synthetic.py plus a long tail of invented
names, written in Bengali script or Latin letters), unique NIDs and phones, households of 1-5 rows, 50
unions. Planted duplicates, each a second record of an earlier woman, in known kinds:
- `nid`: the same NID retyped with spaces and another spelling of her name (the import must REFUSE it);
- `phone`: the same mobile, no NID, her name in the other script and another birth date;
- `name`: another spelling of her name (or the other script), same birth date, no NID, a new phone;
- `swap`: like `name`, with day and month of the birth date swapped.

Scenarios, one per line of the table, all in the same run:
1. baseline: reading and splitting the CSV with the csv module only (the floor no import can beat);
2. baseline: the naive path, `register_person` + `Beneficiary.objects.create` one row at a time, on a sample
   of `--sample` rows, extrapolated to the file's size;
3. Haven, trial run on the file WITH the `nid` duplicates: the check pass refuses them (precision/recall
   of the refusals against the planted truth);
4. Haven, the real import of the file without them: both passes, one transaction; precision/recall of the
   duplicate flags (same phone; similar name and birth date) against the planted truth.
Peak memory is the process's peak resident size (ru_maxrss) after each scenario, and its growth.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.test_settings")

from bench_database import open_bench_database

BENCH_DB = "haven_bench_imports"
ORG_SLUG = "bench-imports"
AT = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
UNIONS = 50
PLANT_SHARE = {"nid": 0.01, "phone": 0.01, "name": 0.01, "swap": 0.005}
_SYLLABLES = ("ra", "mi", "sha", "na", "ta", "ri", "ju", "li", "ka", "ya", "bi", "ne", "so", "fa", "ru", "po")
_PHONE_MULTIPLIER = 7_919_111
_NID_MULTIPLIER = 104_729_003


@dataclass(frozen=True)
class Woman:
    index: int
    latin: tuple[str, ...]  # every Latin spelling of her name
    native: str  # in Bengali script, "" if one part has none
    born_on: date
    nid: str
    phone: str


def _parts() -> tuple[list[Any], list[Any]]:
    from haven.people.synthetic import BANGLADESH_FAMILY, BANGLADESH_GIVEN

    invented = [
        ((a.capitalize() + b,), "") for a in _SYLLABLES for b in _SYLLABLES for _c in range(1) if a != b
    ]
    return [*BANGLADESH_GIVEN, *invented], list(BANGLADESH_FAMILY)


def _zipf(rng: random.Random, parts: Sequence[Any]) -> Any:
    return rng.choices(parts, cum_weights=_CUMULATIVE[len(parts)])[0]


_CUMULATIVE: dict[int, list[float]] = {}


def _cumulative(n: int) -> None:
    total, weights = 0.0, []
    for i in range(n):
        total += 1 / (i + 1) ** 0.7
        weights.append(total)
    _CUMULATIVE[n] = weights


def woman(seed: int, index: int, given: Sequence[Any], family: Sequence[Any]) -> Woman:
    """The index-th woman: a pure function of (seed, index), so a duplicate can rebuild its original."""
    rng = random.Random(seed * 1_000_003 + index)  # noqa: S311 (synthetic data, not secrets)
    parts = [_zipf(rng, given), _zipf(rng, family)]
    latin = tuple(" ".join(combo) for combo in _product([p[0] for p in parts]))
    native = " ".join(p[1] for p in parts) if all(p[1] for p in parts) else ""
    born = date(1965, 1, 1) + timedelta(days=rng.randrange(40 * 365))
    nid = f"{1_000_000_000_000 + (index * _NID_MULTIPLIER) % 10**12:013d}" if rng.random() < 0.9 else ""
    phone = f"01{3 + index % 7}{(index * _PHONE_MULTIPLIER) % 10**8:08d}" if rng.random() < 0.85 else ""
    return Woman(index, latin, native, born, nid, phone)


def _product(lists: list[tuple[str, ...]]) -> Iterator[tuple[str, ...]]:
    import itertools

    return itertools.product(*lists)


@dataclass
class Planted:
    kind: str
    original: int  # row (0-based, data rows) of her first record
    copy: int  # row of the second one


def _row(number: int, w: Woman, rng: random.Random, household: str, head: bool, **override: Any) -> list[Any]:
    written_native = bool(w.native) and rng.random() < 0.5
    name = w.native if written_native else w.latin[0]
    fields = {
        "registry_number": f"RG-{number:07d}",
        "name": name,
        "latin_name": w.latin[0] if written_native and rng.random() < 0.5 else "",
        "sex": "female",
        "born_on": w.born_on.isoformat(),
        "nid": w.nid,
        "mobile": w.phone,
        "mobile_is_own": "yes" if rng.random() < 0.7 else "no",
        "union": f"U{number % UNIONS + 1:03d}",
        "household_key": household,
        "head": "yes" if head else "",
        "marital_status": rng.choice(("married", "widowed", "abandoned", "divorced")),
        "land_decimals": str(rng.randrange(0, 60)),
        "monthly_income": str(rng.randrange(1000, 9000)),
        "disabled_member": "yes" if rng.random() < 0.08 else "no",
        **override,
    }
    return [fields[key] for key in COLUMNS]


COLUMNS = (
    "registry_number",
    "name",
    "latin_name",
    "sex",
    "born_on",
    "nid",
    "mobile",
    "mobile_is_own",
    "union",
    "household_key",
    "head",
    "marital_status",
    "land_decimals",
    "monthly_income",
    "disabled_member",
)


def _other_spelling(w: Woman, rng: random.Random) -> str:
    """Another way her name is written: a Latin variant, else the other script, else a "Mst." prefix."""
    if len(w.latin) > 1:
        return rng.choice(w.latin[1:])
    if w.native:
        return w.native
    return f"Mst. {w.latin[0]}"


def _swapped(born: date) -> date | None:
    if born.day > 12 or born.day == born.month:
        return None
    return date(born.year, born.day, born.month)


def _duplicate(kind: str, number: int, w: Woman, rng: random.Random) -> tuple[str, list[Any]] | None:
    household = f"D{number}"
    if (kind == "nid" and not w.nid) or (kind == "phone" and not w.phone):
        kind = "name"  # her first record has no NID (or phone) to repeat
    if kind == "nid":
        spaced = f"{w.nid[:4]} {w.nid[4:8]} {w.nid[8:]}"
        override = {"name": _other_spelling(w, rng), "nid": spaced, "mobile": ""}
    elif kind == "phone":
        other = w.native if w.native else f"Mst. {w.latin[0]}"
        born = w.born_on + timedelta(days=rng.randrange(200, 900))
        override = {
            "name": other,
            "latin_name": "",
            "nid": "",
            "mobile": w.phone,
            "born_on": born.isoformat(),
        }
    else:
        born_on = w.born_on if kind == "name" else _swapped(w.born_on)
        if born_on is None:
            return None
        override = {
            "name": _other_spelling(w, rng),
            "latin_name": "",
            "nid": "",
            "mobile": f"019{number:08d}",
            "born_on": born_on.isoformat(),
        }
    return kind, _row(number, w, rng, household, True, **override)


def generate(rows: int, seed: int, with_nid_duplicates: bool) -> tuple[bytes, list[Planted]]:
    """The CSV and its planted duplicates. Originals are the `index`-th woman; copies follow later."""
    given, family = _parts()
    _cumulative(len(given))
    _cumulative(len(family))
    rng = random.Random(seed)  # noqa: S311
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    planted: list[Planted] = []
    women = 0
    original_rows: list[int] = []  # the row of each woman's first record
    household_left, household = 0, ""
    for number in range(rows):
        kind = _plant_kind(rng, number)
        if kind and (kind != "nid" or with_nid_duplicates):
            original = rng.randrange(max(women - 1, 1))
            made = _duplicate(kind, number, woman(seed, original, given, family), rng)
            if made is not None:
                writer.writerow(made[1])
                planted.append(Planted(made[0], original_rows[original], number))
                continue
        if household_left == 0:
            household_left, household = rng.randrange(1, 6), f"H{number}"
            head = True
        else:
            head = False
        household_left -= 1
        w = woman(seed, women, given, family)
        writer.writerow(_row(number, w, random.Random(seed + number), household, head))  # noqa: S311
        original_rows.append(number)
        women += 1
    return out.getvalue().encode("utf-8"), planted


def _plant_kind(rng: random.Random, number: int) -> str:
    if number < 100:
        return ""
    draw, edge = rng.random(), 0.0
    for kind, share in PLANT_SHARE.items():
        edge += share
        if draw < edge:
            return kind
    return ""


# --- Django side ------------------------------------------------------------------------------------


def _org() -> Any:
    from haven.orgs.actions import create_area, create_organisation
    from haven.orgs.models import Area, Calendar, Organisation

    org = Organisation.objects.filter(slug=ORG_SLUG).first()
    if org is None:
        org = create_organisation(
            name="Benchmark imports",
            slug=ORG_SLUG,
            country="BD",
            default_language="en",
            default_calendar=Calendar.GREGORIAN,
            acting_user=None,
            at=AT,
        )
        for n in range(1, UNIONS + 1):
            create_area(
                org=org,
                name=f"Union {n}",
                code=f"U{n:03d}",
                level=Area.Level.LOCALITY,
                acting_user=None,
                at=AT,
            )
    return org


def _empty_registry() -> None:
    from django.db import connection

    from haven.benefits.imports.models import ImportJob, ImportJobTransition
    from haven.benefits.models import Beneficiary
    from haven.people.models import DuplicateFlag, Household, HouseholdMember, Person, PersonNameToken

    tables = [
        m._meta.db_table
        for m in (
            ImportJobTransition,
            ImportJob,
            DuplicateFlag,
            HouseholdMember,
            Beneficiary,
            Household,
            PersonNameToken,
            Person,
        )
    ]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
        cursor.execute("VACUUM ANALYZE")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Line:
    scenario: str
    rows: int
    seconds: float
    peak_mb: float
    grown_mb: float
    note: str = ""

    def cells(self) -> tuple[str, ...]:
        rate = self.rows / self.seconds if self.seconds else 0
        return (
            self.scenario,
            f"{self.rows:,}",
            f"{self.seconds:,.1f}",
            f"{rate:,.0f}",
            f"{self.peak_mb:,.0f}",
            f"{self.grown_mb:,.0f}",
            self.note,
        )


def _measure(scenario: str, rows: int, run: Any) -> tuple[Line, Any]:
    before = _peak_mb()
    started = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - started
    return Line(scenario, rows, seconds, _peak_mb(), _peak_mb() - before), result


def _csv_floor(content: bytes) -> int:
    return sum(1 for _row in csv.reader(io.StringIO(content.decode("utf-8"))))


def _naive(org: Any, content: bytes, sample: int) -> int:
    """The row-at-a-time path on the first `sample` rows, then rolled back."""
    from django.db import transaction

    from haven.benefits.imports.rows import AreaLookup
    from haven.benefits.models import Beneficiary
    from haven.people.actions import register_person

    areas = AreaLookup(org)
    reader = csv.DictReader(io.StringIO(content.decode("utf-8")))
    with transaction.atomic():
        for count, cells in enumerate(reader):
            if count >= sample:
                break
            person = register_person(
                org=org,
                name=cells["name"],
                latin_name=cells["latin_name"],
                phone=cells["mobile"],
                id_kind="NATIONAL_ID" if cells["nid"] else "",
                id_number=cells["nid"],
                born_on=date.fromisoformat(cells["born_on"]),
                sex="FEMALE",
                acting_user=None,
                at=AT,
            )
            area = areas.find(cells["union"])
            assert not isinstance(area, tuple), "the bench's unions all exist"
            Beneficiary.objects.create(
                org=org,
                person=person,
                area_id=area,
                registry_number=cells["registry_number"],
                registered_at=AT,
            )
        transaction.set_rollback(True)
    return sample


def _import(org: Any, content: bytes, dry_run: bool) -> Any:
    from django.utils import timezone

    from haven.benefits.imports.actions import run_import, upload_import

    job = upload_import(
        org=org,
        file_name="bench.csv",
        content=content,
        dry_run=dry_run,
        acting_user=None,
        at=timezone.now(),
        keep_upload=False,
    )
    return run_import(job=job, clock=timezone.now, content=content)


def _score(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> str:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    return f"found {len(found):,}, planted {len(truth):,}: precision {precision:.3f}, recall {recall:.3f}"


def _truth(planted: list[Planted], kinds: set[str]) -> set[tuple[int, int]]:
    return {(p.original, p.copy) for p in planted if p.kind in kinds}


def _refused_nid_rows(job: Any) -> set[tuple[int, int]]:
    """(first row, repeated row) for every "same national ID" refusal, as 0-based data rows."""
    import re

    pairs = set()
    for row, column, message in csv.reader(io.StringIO(job.errors_csv)):
        match = re.search(r"row (\d+)", message)
        if column == "nid" and match:
            pairs.add((int(match[1]) - 2, int(row) - 2))
    return pairs


def _flagged(org: Any) -> dict[str, set[tuple[int, int]]]:
    """Flagged pairs as (earlier row, later row) by reason, through the registry numbers."""
    from haven.benefits.models import Beneficiary
    from haven.people.models import DuplicateFlag

    row_of = {
        person: int(number.split("-")[1])
        for person, number in Beneficiary.objects.filter(org=org).values_list("person_id", "registry_number")
    }
    found: dict[str, set[tuple[int, int]]] = {"SAME_PHONE": set(), "SIMILAR_NAME_AND_BIRTH": set()}
    for a, b, reasons in DuplicateFlag.objects.filter(org=org).values_list("person_a", "person_b", "reasons"):
        pair = tuple(sorted((row_of[a], row_of[b])))
        for reason in reasons:
            found.setdefault(reason, set()).add(pair)  # type: ignore[arg-type]
    return found


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=50_000, help="rows in the file (default 50,000)")
    parser.add_argument("--sample", type=int, default=500, help="rows for the naive baseline")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    open_bench_database(os.environ.get("DATABASE_URL", "postgresql://127.0.0.1:5432/test"), BENCH_DB)
    org = _org()
    _empty_registry()
    print(f"Generating {args.rows:,} rows…", flush=True)
    with_nid, planted_nid = generate(args.rows, args.seed, with_nid_duplicates=True)
    content, planted = generate(args.rows, args.seed, with_nid_duplicates=False)
    rows = content.count(b"\n") - 1
    lines = []
    line, _n = _measure("baseline: csv module only", rows, lambda: _csv_floor(content))
    lines.append(line)
    line, _n = _measure(
        "baseline: naive ORM (sample)", args.sample, lambda: _naive(org, content, args.sample)
    )
    line.note = f"extrapolated to {rows:,} rows: {line.seconds * rows / args.sample / 60:,.1f} min"
    lines.append(line)
    print("Trial run with NID duplicates…", flush=True)
    line, job = _measure(
        "Haven trial run (check only)", with_nid.count(b"\n") - 1, lambda: _import(org, with_nid, True)
    )
    line.note = f"{job.status}; NID refusals {_score(_refused_nid_rows(job), _truth(planted_nid, {'nid'}))}"
    lines.append(line)
    print("Import…", flush=True)
    line, job = _measure("Haven import (check + write)", rows, lambda: _import(org, content, False))
    line.note = f"{job.status}: {job.rows_imported:,} imported, {job.households:,} households"
    lines.append(line)
    flagged = _flagged(org)
    scores = [
        ("same phone", _score(flagged["SAME_PHONE"], _truth(planted, {"phone"}))),
        (
            "similar name + birth",
            _score(flagged["SIMILAR_NAME_AND_BIRTH"], _truth(planted, {"name", "swap"})),
        ),
        (
            "  of which day/month swapped",
            _score(flagged["SIMILAR_NAME_AND_BIRTH"] & _truth(planted, {"swap"}), _truth(planted, {"swap"})),
        ),
    ]
    header = ("scenario", "rows", "seconds", "rows/s", "peak MB", "+MB", "note")
    _print_table(header, [line.cells() for line in lines])
    print()
    for label, text in scores:
        print(f"{label}: {text}")


def _print_table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(len(header))]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
