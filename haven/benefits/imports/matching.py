"""Possible duplicates among the women an import just added and the rest of the registry, set-based.

Run inside the import's transaction, after its rows are written, so the new rows and the registry are
compared by the database in a few statements rather than row by row:

- **Same phone** — equal phone blind indexes. A number on more than `MAX_SHARED_IDENTIFIER` records (an
  office phone, "0000…") is a placeholder, not a person, and is left out, as in the people app's scan.
- **Similar name and birth date** — candidate pairs share a birth date (equal, or with day and month
  swapped) and enough blind name tokens (`SHARED_FEW`/`SHARED_MANY`: one word alike in a one-word name,
  two words in longer ones). The join is on (token, date), so "Begum" is no more costly than a rare
  name; a (token, date) group over `CROWDED_BUCKET` is a placeholder date and skipped. Two records
  with two different national IDs are two women and are not paired. Each candidate pair is then
  decrypted and judged by the people app's own rule (`births_near` and `names_alike`).

Only the registry (people with a `Beneficiary`) is compared: a survivor's file is not a registry entry
and an import must not reach it. A duplicate is never merged here; it becomes a `DuplicateFlag` that a
reviewer decides. The women of this import are those registered at its timestamp (`registered_at`).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection

from haven.benefits.models import Beneficiary
from haven.people.duplicates import MAX_SHARED_IDENTIFIER, births_near, names_alike, ordered
from haven.people.models import DuplicateFlag, Person, PersonNameToken

Pair = tuple[uuid.UUID, uuid.UUID]
Reason = DuplicateFlag.Reason

# Each word of a name gives up to three blind tokens (spelling, skeleton, phonetic key). A pair must share
# two of them (one word alike) when a name is short, four (two words alike) when both names have two
# words or more: a shared surname and birthday alone ("Begum", born 1 January) is not a candidate.
SHARED_FEW = 2
SHARED_MANY = 4
LONG_NAME_TOKENS = 5
# A (token, birth date) group larger than this is a placeholder date or a data-entry habit, not people
# to compare one by one; it is skipped (the scan over the registry reports such dates).
CROWDED_BUCKET = 50
VERIFY_BATCH = 1000

# Two records that both carry a national ID, and different ones, are two women: a shared name and birth
# date does not make them a possible duplicate (namesakes born the same day are common in a national
# registry; see docs/performance.md for what this does to precision).
_SAME_WOMAN_POSSIBLE = "(a.n = '' OR b.n = '' OR a.n = b.n)"
# Table names and the birth-date expressions are filled in with str.format; every value is a parameter.
_PHONE_PAIRS = """
    WITH reg AS (
        SELECT p.id, p.phone_index, e.registered_at = %(at)s AS is_new
        FROM {person} p JOIN {entry} e ON e.person_id = p.id
        WHERE p.org_id = %(org)s AND p.phone_index <> '' AND p.merged_into_id IS NULL
    ),
    shared AS (
        SELECT phone_index FROM reg GROUP BY phone_index
        HAVING COUNT(*) BETWEEN 2 AND %(most)s AND MAX(CASE WHEN is_new THEN 1 ELSE 0 END) = 1
    )
    SELECT a.id, b.id FROM reg a JOIN reg b ON b.phone_index = a.phone_index AND a.id < b.id
    WHERE a.phone_index IN (SELECT phone_index FROM shared) AND (a.is_new OR b.is_new)
"""

_NAME_CANDIDATES = """
    WITH reg AS (
        SELECT p.id, {day} AS d, {swapped} AS s, p.id_number_index AS n, e.registered_at = %(at)s AS is_new
        FROM {person} p JOIN {entry} e ON e.person_id = p.id
        WHERE p.org_id = %(org)s AND p.born_on IS NOT NULL AND p.merged_into_id IS NULL
    ),
    tok AS (
        SELECT t.token, r.id, r.d, r.s, r.n, r.is_new, COUNT(*) OVER (PARTITION BY r.id) AS k
        FROM {token} t JOIN reg r ON r.id = t.person_id
        WHERE t.org_id = %(org)s
    ),
    crowded AS (SELECT token, d FROM tok GROUP BY token, d HAVING COUNT(*) > %(crowded)s),
    rt AS (
        SELECT * FROM tok
        WHERE NOT EXISTS (SELECT 1 FROM crowded c WHERE c.token = tok.token AND c.d = tok.d)
    ),
    pairs AS (
        SELECT a.id AS x, b.id AS y, a.k AS ka, b.k AS kb
        FROM rt a JOIN rt b ON b.token = a.token AND b.d = a.d
        WHERE a.is_new AND a.id <> b.id AND (NOT b.is_new OR a.id < b.id) AND {same_woman}
        UNION ALL
        SELECT a.id AS x, b.id AS y, a.k AS ka, b.k AS kb
        FROM rt a JOIN rt b ON b.token = a.token AND b.d = a.s
        WHERE a.is_new AND a.d <> a.s AND a.id <> b.id AND (NOT b.is_new OR a.id < b.id)
          AND {same_woman}
    )
    SELECT x, y FROM pairs GROUP BY x, y
    HAVING COUNT(*) >= CASE WHEN MIN(ka) >= %(long)s AND MIN(kb) >= %(long)s THEN %(many)s ELSE %(few)s END
"""

_ANALYZE = "ANALYZE {person}, {entry}, {token}"


@dataclass(frozen=True)
class Flagged:
    same_phone: int
    similar_name: int


def _tables() -> dict[str, str]:
    return {
        "person": Person._meta.db_table,
        "entry": Beneficiary._meta.db_table,
        "token": PersonNameToken._meta.db_table,
    }


def _date_keys() -> tuple[str, str]:
    """SQL for a birth date as YYYY-MM-DD text, and as the same text with day and month swapped."""
    if connection.vendor == "postgresql":
        return "to_char(p.born_on, 'YYYY-MM-DD')", "to_char(p.born_on, 'YYYY-DD-MM')"
    return "p.born_on", "substr(p.born_on, 1, 5) || substr(p.born_on, 9, 2) || '-' || substr(p.born_on, 6, 2)"


def _rows(sql: str, params: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(5000):
            yield from batch


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _params(org_id: uuid.UUID, registered_at: datetime) -> dict[str, Any]:
    return {
        "org": org_id if connection.vendor == "postgresql" else org_id.hex,
        "at": connection.ops.adapt_datetimefield_value(registered_at),
    }


def same_phone_pairs(org_id: uuid.UUID, registered_at: datetime) -> set[Pair]:
    """Pairs of registry entries sharing a phone, at least one of them added at `registered_at`."""

    params = {**_params(org_id, registered_at), "most": MAX_SHARED_IDENTIFIER}
    rows = _rows(_PHONE_PAIRS.format(**_tables()), params)
    return {ordered(_uuid(a), _uuid(b)) for a, b in rows}


def name_candidates(org_id: uuid.UUID, registered_at: datetime) -> set[Pair]:
    """Pairs sharing enough name tokens and a birth date (or its day/month swap)."""
    day, swapped = _date_keys()

    params = {
        **_params(org_id, registered_at),
        "crowded": CROWDED_BUCKET,
        "long": LONG_NAME_TOKENS,
        "many": SHARED_MANY,
        "few": SHARED_FEW,
    }
    rows = _rows(
        _NAME_CANDIDATES.format(day=day, swapped=swapped, same_woman=_SAME_WOMAN_POSSIBLE, **_tables()),
        params,
    )
    return {ordered(_uuid(a), _uuid(b)) for a, b in rows}


def similar_name_pairs(org_id: uuid.UUID, registered_at: datetime) -> set[Pair]:
    """The candidates that the people app's rule confirms, decrypting a batch of people at a time."""
    candidates = sorted(name_candidates(org_id, registered_at))
    confirmed: set[Pair] = set()
    fields = ("id", "org_id", "name", "latin_name", "born_on", "born_on_is_estimate")
    for start in range(0, len(candidates), VERIFY_BATCH):
        batch = candidates[start : start + VERIFY_BATCH]
        people = Person.objects.only(*fields).in_bulk({pk for pair in batch for pk in pair})
        for a, b in batch:
            if births_near(people[a], people[b]) and names_alike(people[a], people[b]):
                confirmed.add((a, b))
    return confirmed


def refresh_statistics() -> None:
    """Let PostgreSQL's planner see the rows just written before it plans the joins.

    Until autovacuum passes, a first big import into an empty registry leaves statistics that say the
    tables are empty, and the planner then picks nested loops: minutes instead of seconds. ANALYZE in
    the import's transaction counts the transaction's own rows.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(_ANALYZE.format(**_tables()))


def flag_new_duplicates(*, org_id: uuid.UUID, registered_at: datetime, at: datetime) -> Flagged:
    """Flag, for review, each pair found by phone or by name and birth date; returns the counts."""
    refresh_statistics()
    reasons: dict[Pair, set[str]] = defaultdict(set)
    phone_pairs = same_phone_pairs(org_id, registered_at)
    name_pairs = similar_name_pairs(org_id, registered_at)
    for pair in phone_pairs:
        reasons[pair].add(Reason.SAME_PHONE.value)
    for pair in name_pairs:
        reasons[pair].add(Reason.SIMILAR_NAME_AND_BIRTH.value)
    DuplicateFlag.objects.bulk_create(
        (
            DuplicateFlag(org_id=org_id, person_a_id=a, person_b_id=b, reasons=sorted(codes), created_at=at)
            for (a, b), codes in reasons.items()
        ),
        batch_size=2000,
        ignore_conflicts=True,
    )
    return Flagged(same_phone=len(phone_pairs), similar_name=len(name_pairs))
