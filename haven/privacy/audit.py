"""The audit log: append-only, hash-chained, one chain per organisation plus one for the system.

Entries carry a registered action code, the acting user, organisation, object type and id, and the
*names* of changed fields - never values, so the log itself holds no personal data. `record` must run in
the same transaction as the change it describes; it locks a chain head so writers append in order.

An organisation writes to a few parallel chains ("stripes"), not one: a head stays locked until the
writer's transaction commits, so with a single chain every audited write of the organisation would wait for
the one before it, and a busy hotline would queue behind its own audit log. Each stripe is a complete hash
chain that `verify_chain` proves on its own; together they hold every entry of the organisation once.
"""

from __future__ import annotations

import functools
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, models, transaction

from haven import sql
from haven.privacy.models import AuditChain, AuditEntry

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.orgs.models import Organisation

SYSTEM_CHAIN = "system"
GENESIS_HASH = "0" * 64

_ACTIONS: dict[str, str] = {}
_READS: set[str] = set()


class UnknownAuditAction(ValueError):
    pass


def register_action(code: str, description: str, *, read: bool = False) -> str:
    """Declare an action code once, at import time of the app that owns it; returns the code.

    `read`: its entries record that someone saw a file (opened, downloaded, printed), not a change.
    """
    _ACTIONS[code] = description
    if read:
        _READS.add(code)
    return code


def is_read(code: str) -> bool:
    """Whether entries of this code are read entries (DESIGN.md: every view of a file is one)."""
    return code in _READS


def registered_actions() -> dict[str, str]:
    return dict(_ACTIONS)


def chain_key(org_id: uuid.UUID | None, stripe: int = 0) -> str:
    """The key of one of the organisation's chains; stripe 0 is the organisation's first (and oldest)."""
    base = SYSTEM_CHAIN if org_id is None else f"org:{org_id}"
    return base if stripe == 0 else f"{base}/{stripe}"


def chain_keys(org_id: uuid.UUID | None) -> tuple[str, ...]:
    """Every chain an organisation may write to (one on SQLite, whose writers run one at a time anyway)."""
    stripes = settings.HAVEN_AUDIT_STRIPES if connection.vendor == "postgresql" else 1
    return _stripe_keys(org_id, stripes)


@functools.lru_cache(maxsize=4096)
def _stripe_keys(org_id: uuid.UUID | None, stripes: int) -> tuple[str, ...]:
    # Kept: every audited write asks for them, and there are 32 per organisation by default.
    return tuple(chain_key(org_id, stripe) for stripe in range(stripes))


def entry_digest(entry: AuditEntry) -> str:
    body = {
        "chain": entry.chain,
        "seq": entry.seq,
        "prev": entry.prev_hash,
        "at": entry.at.astimezone(UTC).isoformat(),
        "action": entry.action,
        "actor": entry.actor_id,
        "org": str(entry.org_id) if entry.org_id else None,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "fields": list(entry.fields),
        "reason": entry.reason_code,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _locked_head(org_id: uuid.UUID | None) -> AuditChain:
    """Lock a head of one of the organisation's chains: one no other transaction holds, if there is one.

    A head this transaction already holds is never skipped, and it comes first in the order, so a verb that
    writes several entries keeps to one chain. Only when every stripe is busy does the writer wait, and
    then it holds none, so two writers can never wait for each other's heads.
    """
    keys = chain_keys(org_id)
    free = _first_free_head(keys)
    if free is None:
        AuditChain.objects.bulk_create([AuditChain(key=key) for key in keys], ignore_conflicts=True)
        free = _first_free_head(keys)
    if free is None:  # all busy: queue behind one of them
        free = AuditChain.objects.select_for_update().get(key=keys[_home_stripe(len(keys))])
    return free


def _first_free_head(keys: tuple[str, ...]) -> AuditChain | None:
    if len(keys) == 1:
        return AuditChain.objects.select_for_update().filter(key=keys[0]).first()
    home = keys[_home_stripe(len(keys))]
    with connection.cursor() as cursor:
        # Stripes exist on PostgreSQL only (`chain_keys`), so its SQL: the connection's own stripe first.
        cursor.execute(
            f"SELECT id, key, last_seq, last_hash FROM {sql.table(AuditChain)} WHERE key = ANY(%s::text[]) "  # noqa: S608 (a table name)
            "ORDER BY key <> %s, key LIMIT 1 FOR UPDATE SKIP LOCKED",
            [_array_literal(keys), home],
        )
        row = cursor.fetchone()
    return None if row is None else AuditChain(id=row[0], key=row[1], last_seq=row[2], last_hash=row[3])


@functools.lru_cache(maxsize=4096)
def _array_literal(keys: tuple[str, ...]) -> str:
    """The keys as one PostgreSQL array literal, written once per organisation.

    Passed as a list, psycopg dumped the 32 keys again for every audited write: 60 µs of the writer's CPU,
    half of what the statement cost the database. The keys are Haven's own (`chain_key`), without quotes or
    backslashes, so each can be written between double quotes as it is.
    """
    return "{" + ",".join(f'"{key}"' for key in keys) + "}"


def _home_stripe(stripes: int) -> int:
    """Each database session prefers its own stripe, so sessions seldom meet at one head.

    The stripe follows the session's server process id, which the server hands out in turn. (It followed
    the address of the connection object before; CPython aligns objects to 16 bytes, so with 8 stripes
    every session preferred the first.)
    """
    if stripes == 1:
        return 0
    connection.ensure_connection()
    return int(connection.connection.info.backend_pid) % stripes


def record(
    *,
    action: str,
    actor: User | None,
    org: Organisation | None,
    at: datetime,
    obj: models.Model | None = None,
    fields: Iterable[str] = (),
    reason_code: str = "",
) -> AuditEntry:
    """Append one entry. Joins the caller's transaction, so a rolled-back change leaves no entry."""
    if action not in _ACTIONS:
        raise UnknownAuditAction(action)
    org_id = org.pk if org is not None else None
    with transaction.atomic(savepoint=False):
        head = _locked_head(org_id)
        entry = AuditEntry(
            chain=head.key,
            seq=head.last_seq + 1,
            prev_hash=head.last_hash or GENESIS_HASH,
            at=at,
            action=action,
            actor_id=actor.pk if actor is not None else None,
            org_id=org_id,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            fields=sorted(fields),
            reason_code=reason_code,
        )
        entry.entry_hash = entry_digest(entry)
        _append(entry, head)
    return entry


def _append(entry: AuditEntry, head: AuditChain) -> None:
    """Insert the entry and move its chain's head, in one hand-written statement on PostgreSQL.

    Every audited write of Haven runs this, and the ORM's building of these queries cost more than the
    database's work on them (bench/contact_intake.py, docs/performance.md). PostgreSQL runs the head's
    UPDATE as part of the INSERT (a data-modifying WITH), which saves a round trip per entry; SQLite has no
    such WITH and runs the two one after the other.
    """
    move_head = f"UPDATE {sql.table(AuditChain)} SET last_seq = %s, last_hash = %s WHERE id = %s"  # noqa: S608 (a table name)
    head_values: list[Any] = [entry.seq, entry.entry_hash, head.pk]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(move_head, head_values)
        sql.insert(entry)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH moved AS ({move_head}) {sql.insert_statement(AuditEntry)}",
            head_values + sql.insert_values(entry),
        )
        entry.pk = cursor.fetchone()[0]
    entry._state.adding = False


@dataclass(frozen=True)
class ChainProblem:
    chain: str
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"{self.chain} #{self.seq}: {self.problem}"


def _entries(chain: str, batch: int = 2000) -> Iterator[AuditEntry]:
    last = 0
    while True:
        rows = list(AuditEntry.objects.filter(chain=chain, seq__gt=last).order_by("seq")[:batch])
        yield from rows
        if len(rows) < batch:
            return
        last = rows[-1].seq


def verify_chain(head: AuditChain) -> list[ChainProblem]:
    """Walk one chain: a gap means a deleted entry, a broken link a reordering, a bad hash an edit."""
    problems: list[ChainProblem] = []
    expected_seq, prev = 1, GENESIS_HASH
    for entry in _entries(head.key):
        if entry.seq != expected_seq:
            problems.append(ChainProblem(head.key, expected_seq, "missing entries before this one"))
        if entry.prev_hash != prev:
            problems.append(ChainProblem(head.key, entry.seq, "does not link to the entry before it"))
        if entry_digest(entry) != entry.entry_hash:
            problems.append(ChainProblem(head.key, entry.seq, "contents changed after it was written"))
        expected_seq, prev = entry.seq + 1, entry.entry_hash
    if expected_seq - 1 != head.last_seq or (head.last_seq and prev != head.last_hash):
        problems.append(ChainProblem(head.key, head.last_seq, "the newest entries are missing or replaced"))
    return problems


def verify_all() -> tuple[int, list[ChainProblem]]:
    """Verify every chain; returns how many entries were checked and the problems found."""
    problems: list[ChainProblem] = []
    for head in AuditChain.objects.order_by("key"):
        problems.extend(verify_chain(head))
    # Entries of a chain whose head is gone would otherwise never be walked, so could be edited unseen.
    headless = (
        AuditEntry.objects.exclude(chain__in=AuditChain.objects.values("key"))
        .values_list("chain", flat=True)
        .distinct()
        .order_by("chain")
    )
    problems.extend(ChainProblem(chain, 0, "the chain's head is missing") for chain in headless)
    return AuditEntry.objects.count(), problems


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Names of the keys whose values differ; the values themselves go nowhere."""
    return sorted(name for name in after if before.get(name) != after[name])
