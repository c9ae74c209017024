"""The two passes of a registry import: check every row, then write them all in one transaction.

Both passes stream the file in chunks of `CHUNK` rows and ask the database one question per chunk (are
these registry numbers or national IDs already in the registry?), never one per row. The second pass
repeats the checks under a per-organisation lock, so two imports running side by side cannot both add
the same woman: the later one is refused, and its transaction leaves nothing behind.

Writing is one bulk insert per chunk and table (COPY on PostgreSQL, `haven.orgs.bulk`): people
(encrypted per value in Python, which cannot be avoided), their blind name tokens, registry entries,
household members; households at the end, when every head is known. Then possible duplicates are
found with set-based SQL (`matching.py`) and flagged for review.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.db import connection, transaction
from django.utils.translation import gettext as _

from haven.benefits.imports import matching
from haven.benefits.imports.reading import Sheet
from haven.benefits.imports.rows import NID_KIND, ParsedRow, Problem, RowContext, RowParser
from haven.benefits.models import Beneficiary
from haven.orgs.bulk import insert_new
from haven.people.actions import new_survivor_code
from haven.people.models import Household, HouseholdMember, Person, PersonNameToken
from haven.people.names import blind_name_tokens

T = TypeVar("T")

CHUNK = 2000
# The errors file lists this many problems; the count goes on. A file with a wrong column layout can
# produce millions of problems, and the first ten thousand already show what to fix.
MAX_LISTED_ERRORS = 10_000

ErrorLine = tuple[int, str, str]


@dataclass
class Tally:
    """What a pass found; becomes the job's counts."""

    rows: int = 0
    error_count: int = 0
    refused_rows: int = 0
    already_registered: int = 0
    repeated_in_file: int = 0
    households: int = 0
    imported: int = 0
    flagged_same_phone: int = 0
    flagged_similar_name: int = 0
    errors: list[ErrorLine] = field(default_factory=list)

    def refuse(self, row: int, problems: list[Problem]) -> None:
        self.refused_rows += 1
        self.error_count += len(problems)
        room = MAX_LISTED_ERRORS - len(self.errors)
        self.errors.extend((row, column, message) for column, message in problems[: max(room, 0)])


class Refused(Exception):
    """Rows were refused during the write pass (another import added them meanwhile): roll back."""

    def __init__(self, tally: Tally) -> None:
        super().__init__("rows refused")
        self.tally = tally


Report = Callable[[Tally], None]


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


class Checks:
    """What rows must agree on across the file and with the registry; one instance per pass."""

    def __init__(self, context: RowContext, tally: Tally) -> None:
        self.context = context
        self.tally = tally
        self.parser = RowParser(context)
        self.registry_numbers: dict[str, int] = {}
        self.nids: dict[str, int] = {}
        # household key → (row of its head, whether that row says `head`)
        self.heads: dict[str, tuple[int, bool]] = {}

    def chunk(self, raw: list[tuple[int, dict[str, Any]]]) -> list[ParsedRow]:
        """The chunk's rows that pass every check; the others are counted and listed in the tally."""
        parsed: list[ParsedRow] = []
        for number, cells in raw:
            result = self.parser.parse(number, cells)
            if isinstance(result, list):
                self.tally.refuse(number, result)
            else:
                parsed.append(result)
        known_numbers, known_nids = self._in_registry(parsed)
        good = []
        for row in parsed:
            problems = self._across_file(row, known_numbers, known_nids)
            if problems:
                self.tally.refuse(row.row, problems)
            else:
                good.append(row)
        self.tally.rows += len(raw)
        return good

    def _in_registry(self, rows: list[ParsedRow]) -> tuple[set[str], set[str]]:
        """Registry numbers and national-ID indexes of this chunk already in the registry: two queries."""
        org_id = self.context.org_id
        numbers = {row.registry_number for row in rows}
        nids = {row.nid_index for row in rows if row.nid_index}
        known_numbers = set(
            Beneficiary.objects.filter(org_id=org_id, registry_number__in=numbers).values_list(
                "registry_number", flat=True
            )
        )
        known_nids: set[str] = set()
        if nids:
            known_nids = set(
                Person.objects.filter(
                    org_id=org_id, id_number_index__in=nids, beneficiary__isnull=False
                ).values_list("id_number_index", flat=True)
            )
        return known_numbers, known_nids

    def _across_file(self, row: ParsedRow, known_numbers: set[str], known_nids: set[str]) -> list[Problem]:
        problems: list[Problem] = []
        if row.registry_number in known_numbers:
            problems.append(("registry_number", _("This registry number is already in the registry.")))
        elif (first := self.registry_numbers.setdefault(row.registry_number, row.row)) != row.row:
            problems.append(
                ("registry_number", _("The same registry number is on row %(row)s.") % {"row": first})
            )
        if row.nid_index in known_nids:
            self.tally.already_registered += 1
            problems.append(
                ("nid", _("Already registered: a woman with this national ID is in the registry."))
            )
        elif row.nid_index and (first := self.nids.setdefault(row.nid_index, row.row)) != row.row:
            self.tally.repeated_in_file += 1
            problems.append(("nid", _("The same national ID is on row %(row)s.") % {"row": first}))
        problems.extend(self._household(row))
        return problems

    def _household(self, row: ParsedRow) -> list[Problem]:
        if not row.household_key:
            return []
        head = self.heads.get(row.household_key)
        if head is None:
            self.heads[row.household_key] = (row.row, row.is_head)
            self.tally.households += 1
        elif row.is_head and head[1]:
            return [("head", _("Row %(row)s already heads this household.") % {"row": head[0]})]
        elif row.is_head:
            self.heads[row.household_key] = (row.row, True)
        return []


def check(sheet: Sheet, context: RowContext, report: Report) -> tuple[Tally, dict[str, int]]:
    """Pass 1: every row checked, nothing written. Returns the tally and each household's head row."""
    tally = Tally()
    checks = Checks(context, tally)
    for raw in chunks(sheet.rows()):
        checks.chunk(raw)
        report(tally)
    return tally, {key: head for key, (head, _explicit) in checks.heads.items()}


class Writer:
    """Builds and bulk-inserts the rows of pass 2, chunk by chunk, inside the caller's transaction."""

    def __init__(self, context: RowContext, heads: dict[str, int], at: datetime) -> None:
        self.context = context
        self.heads = heads
        self.at = at
        self.household_ids: dict[str, uuid.UUID] = {}
        self.household_heads: dict[str, uuid.UUID] = {}
        self.used_codes: set[str] = set()

    def write(self, rows: list[ParsedRow]) -> None:
        people = [self._person(row, code) for row, code in zip(rows, self._codes(len(rows)), strict=True)]
        insert_new(Person, people)
        tokens = [
            PersonNameToken(org_id=self.context.org_id, person_id=person.pk, token=token)
            for person in people
            for token in blind_name_tokens(self.context.org_id, f"{person.name} {person.latin_name}")
        ]
        insert_new(PersonNameToken, tokens)
        members: list[HouseholdMember] = []
        entries = []
        for row, person in zip(rows, people, strict=True):
            household_id = self._household(row, person, members)
            entries.append(self._entry(row, person, household_id))
        insert_new(Beneficiary, entries)
        insert_new(HouseholdMember, members)

    def finish(self) -> int:
        """Create the households (their heads are all written by now); returns how many."""
        households = [
            Household(
                id=self.household_ids[key], org_id=self.context.org_id, head_id=head, created_at=self.at
            )
            for key, head in self.household_heads.items()
        ]
        insert_new(Household, households)
        return len(households)

    def _codes(self, count: int) -> list[str]:
        """Fresh survivor codes: not used in this import nor in the organisation (one query per chunk)."""
        codes: list[str] = []
        while len(codes) < count:
            drawn = {new_survivor_code() for _i in range(count - len(codes))} - self.used_codes
            taken = set(
                Person.objects.filter(org_id=self.context.org_id, survivor_code__in=drawn).values_list(
                    "survivor_code", flat=True
                )
            )
            fresh = drawn - taken
            self.used_codes |= fresh
            codes.extend(fresh)
        return codes

    def _person(self, row: ParsedRow, code: str) -> Person:
        return Person(
            id=uuid.uuid4(),
            org_id=self.context.org_id,
            survivor_code=code,
            name=row.name,
            latin_name=row.latin_name,
            phone=row.phone,
            id_kind=NID_KIND if row.nid else "",
            id_number=row.nid,
            born_on=row.born_on,
            sex=row.sex,
            marital_status=row.marital_status,
            phone_index=row.phone_index,
            id_number_index=row.nid_index,
            created_at=self.at,
        )

    def _household(self, row: ParsedRow, person: Person, members: list[HouseholdMember]) -> uuid.UUID | None:
        key = row.household_key
        if not key:
            return None
        household_id = self.household_ids.setdefault(key, uuid.uuid4())
        if self.heads[key] == row.row:
            self.household_heads[key] = person.pk
        else:
            members.append(
                HouseholdMember(
                    org_id=self.context.org_id,
                    household_id=household_id,
                    person_id=person.pk,
                    relationship=row.relationship,
                )
            )
        return household_id

    def _entry(self, row: ParsedRow, person: Person, household_id: uuid.UUID | None) -> Beneficiary:
        return Beneficiary(
            id=uuid.uuid4(),
            org_id=self.context.org_id,
            person_id=person.pk,
            household_id=household_id,
            area_id=row.area_id,
            registry_number=row.registry_number,
            mobile_is_own=row.mobile_is_own,
            land_decimals=row.land_decimals,
            monthly_income=row.monthly_income,
            household_has_disabled_member=row.disabled_member,
            wallet_provider=row.wallet_provider,
            wallet_number=row.wallet_number,
            registered_at=self.at,
        )


def lock_registry(org_id: uuid.UUID) -> None:
    """One import writes to an organisation's registry at a time (until the transaction ends).

    PostgreSQL: a transaction-scoped advisory lock keyed on the organisation. SQLite runs one writer at
    a time anyway.
    """
    if connection.vendor == "postgresql":
        key = int.from_bytes(org_id.bytes[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def apply(sheet: Sheet, context: RowContext, heads: dict[str, int], at: datetime, report: Report) -> Tally:
    """Pass 2, inside the caller's transaction: check again under the lock, write, flag duplicates.

    Raises `Refused` (the caller rolls back) if a row no longer passes: another import got there first.
    """
    assert transaction.get_connection().in_atomic_block, "apply() must run inside one transaction"
    lock_registry(context.org_id)
    tally = Tally()
    checks = Checks(context, tally)
    writer = Writer(context, heads, at)
    for raw in chunks(sheet.rows()):
        good = checks.chunk(raw)
        if tally.refused_rows:
            raise Refused(tally)
        writer.write(good)
        tally.imported += len(good)
        report(tally)
    tally.households = writer.finish()
    flags = matching.flag_new_duplicates(org_id=context.org_id, registered_at=at, at=at)
    tally.flagged_same_phone, tally.flagged_similar_name = flags.same_phone, flags.similar_name
    return tally
