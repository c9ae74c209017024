"""Retention verbs: setting a policy, and purging what a policy says is due."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from haven.accounts.models import User
from haven.orgs.models import Organisation
from haven.privacy import audit
from haven.retention.models import MIN_KEEP_DAYS, PartialPurge, RetentionPolicy
from haven.retention.record_types import RECORD_TYPES

POLICY_SET = audit.register_action("retention.policy_set", "A retention policy was set or changed")
PURGE = audit.register_action(
    "retention.purge", "Records were purged under a retention policy (kind, mode and count only)"
)

BATCH_SIZE = 200

logger = logging.getLogger(__name__)


def check_policy(*, record_type: str, keep_days: int, mode: str) -> None:
    """The policy's rules, with field errors the form and the API show as they are."""
    errors: dict[str, str] = {}
    if record_type not in RECORD_TYPES:
        errors["record_type"] = _("Choose a kind of record from the list.")
    if keep_days < MIN_KEEP_DAYS:
        errors["keep_days"] = _("Keep records at least %(limit_value)s days.") % {
            "limit_value": MIN_KEEP_DAYS
        }
    if mode not in RetentionPolicy.Mode.values:
        errors["mode"] = _("Choose what the purge does.")
    if errors:
        raise ValidationError(errors)


def set_retention_policy(
    *,
    org: Organisation,
    record_type: str,
    keep_days: int,
    mode: str,
    active: bool,
    acting_user: User | None,
    at: datetime,
) -> RetentionPolicy:
    """Create or change the organisation's policy for one kind of record."""
    check_policy(record_type=record_type, keep_days=keep_days, mode=mode)
    with transaction.atomic():
        policy, created = RetentionPolicy.objects.select_for_update().get_or_create(
            org=org,
            record_type=record_type,
            defaults={"keep_days": keep_days, "mode": mode, "active": active, "updated_at": at},
        )
        before = {"keep_days": policy.keep_days, "mode": policy.mode, "active": policy.active}
        after = {"keep_days": keep_days, "mode": mode, "active": active}
        if not created:
            for name, value in after.items():
                setattr(policy, name, value)
            policy.updated_at = at
            policy.save()
        changed = list(after) if created else audit.changed_fields(before, after)
        audit.record(action=POLICY_SET, actor=acting_user, org=org, at=at, obj=policy, fields=changed)
    return policy


@dataclass(frozen=True)
class PurgeOutcome:
    policy: RetentionPolicy
    purged: int


def purge_policy(*, policy: RetentionPolicy, at: datetime, batch_size: int = BATCH_SIZE) -> PurgeOutcome:
    """Purge every record the policy makes due, one transaction per batch, each batch audited with its
    count. A batch that fails rolls back alone; the batches before it stay purged."""
    total = 0
    while True:
        purged = _purge_batch(policy, at, batch_size)
        total += purged
        if purged < batch_size:
            return PurgeOutcome(policy, total)


def _purge_batch(policy: RetentionPolicy, at: datetime, batch_size: int) -> int:
    kind = RECORD_TYPES[policy.record_type]
    whole = policy.mode == RetentionPolicy.Mode.WHOLE
    cutoff = at - timedelta(days=policy.keep_days)
    with transaction.atomic():
        due: Any = kind.due(policy.org_id, cutoff, whole).order_by("pk")
        batch = list(due.select_for_update()[:batch_size])
        if not batch:
            return 0
        if whole:
            kind.delete(batch)
        else:
            kind.erase(batch)
            _mark_erased(policy, batch, at)
        _audit_purge(policy, len(batch), at)
    return len(batch)


def _mark_erased(policy: RetentionPolicy, batch: list[Any], at: datetime) -> None:
    """Note the erasure, replacing an earlier one (a case erased, reopened and closed again)."""
    ids = [row.pk for row in batch]
    PartialPurge.objects.filter(record_type=policy.record_type, object_id__in=ids).delete()
    PartialPurge.objects.bulk_create(
        PartialPurge(org_id=policy.org_id, record_type=policy.record_type, object_id=row.pk, purged_at=at)
        for row in batch
    )


def _audit_purge(policy: RetentionPolicy, count: int, at: datetime) -> None:
    """The fact of the purge: which policy (its kind and mode) and how many. No record ids, no content."""
    audit.record(
        action=PURGE,
        actor=None,
        org=policy.org,
        at=at,
        obj=policy,
        reason_code=f"{policy.record_type}/{policy.mode}/{count}",
    )


def purge_all(*, at: datetime, batch_size: int = BATCH_SIZE) -> list[PurgeOutcome]:
    """Run every active policy of every organisation.

    A policy that fails (a record another app still protects, say) is logged, by kind and organisation
    id only, and skipped: the others still run tonight, and its finished batches stay purged.
    """
    policies = RetentionPolicy.objects.filter(active=True).select_related("org").order_by("org_id", "pk")
    outcomes = []
    for policy in policies:
        try:
            outcomes.append(purge_policy(policy=policy, at=at, batch_size=batch_size))
        except DatabaseError as error:
            # The error's class only: its message can name the records it concerns.
            failure = type(error).__name__
            logger.error(
                "Retention purge of %s failed for organisation %s: %s",
                policy.record_type,
                policy.org_id,
                failure,
            )
    return outcomes
