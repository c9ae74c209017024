"""The audit log: append-only, hash-chained, one chain per organisation plus one for the system.

Entries carry a registered action code, the acting user, organisation, object type and id, and the
*names* of changed fields - never values, so the log itself holds no personal data. `record` must run in
the same transaction as the change it describes; it locks the chain head so writers queue in order.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from haven.privacy.models import AuditChain, AuditEntry

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.orgs.models import Organisation

SYSTEM_CHAIN = "system"
GENESIS_HASH = "0" * 64

_ACTIONS: dict[str, str] = {}


class UnknownAuditAction(ValueError):
    pass


def register_action(code: str, description: str) -> str:
    """Declare an action code once, at import time of the app that owns it; returns the code."""
    _ACTIONS[code] = description
    return code


def registered_actions() -> dict[str, str]:
    return dict(_ACTIONS)


def chain_key(org_id: uuid.UUID | None) -> str:
    return SYSTEM_CHAIN if org_id is None else f"org:{org_id}"


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


def _locked_head(key: str) -> AuditChain:
    head = AuditChain.objects.select_for_update().filter(key=key).first()
    if head is None:
        AuditChain.objects.get_or_create(key=key)
        head = AuditChain.objects.select_for_update().get(key=key)
    return head


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
    with transaction.atomic():
        head = _locked_head(chain_key(org_id))
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
        entry.save()
        AuditChain.objects.filter(pk=head.pk).update(last_seq=entry.seq, last_hash=entry.entry_hash)
    return entry


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
    return AuditEntry.objects.count(), problems


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Names of the keys whose values differ; the values themselves go nowhere."""
    return sorted(name for name in after if before.get(name) != after[name])
