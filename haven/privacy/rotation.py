"""Key rotation: a new data-key version per organisation, then every encrypted value re-sealed with it.

The work is resumable by construction: each batch selects rows whose ciphertext still names an old key
version (a prefix scan), in primary-key order, so an interrupted run simply continues where rows remain.
Old versions are retired only when no row uses them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_
from typing import Any

from django.apps import apps
from django.db import models, transaction

from haven.privacy import audit
from haven.privacy.actions import KEYS_REWRAP, KEYS_ROTATION_FINISH, KEYS_ROTATION_START
from haven.privacy.fields import PREFIX, Ciphertext, EncryptedTextField
from haven.privacy.keyring import keyring, master_key_id, unwrap_key, wrap_key
from haven.privacy.models import DataKey


@dataclass(frozen=True)
class EncryptedModel:
    model: type[models.Model]
    fields: tuple[EncryptedTextField, ...]

    @property
    def org_column(self) -> str:
        return f"{self.fields[0].org_field}_id"


def encrypted_models() -> list[EncryptedModel]:
    found = []
    for model in apps.get_models():
        fields = tuple(f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField))
        if fields:
            found.append(EncryptedModel(model, fields))
    return found


def _org(org_id: uuid.UUID) -> Any:
    return apps.get_model("orgs", "Organisation")._default_manager.get(pk=org_id)


def pending_versions(org_id: uuid.UUID) -> list[int]:
    """Encryption key versions still usable but no longer the newest: rows may still use them."""
    versions = sorted(
        DataKey.objects.filter(org_id=org_id, purpose=DataKey.Purpose.ENCRYPTION, is_active=True).values_list(
            "version", flat=True
        )
    )
    return versions[:-1]


def start_rotation(org_id: uuid.UUID, *, at: datetime) -> int:
    """Create the next encryption key version and make it the one new values are sealed with."""
    master = keyring.master_key()
    with transaction.atomic():
        keys = DataKey.objects.select_for_update().filter(org_id=org_id, purpose=DataKey.Purpose.ENCRYPTION)
        version = max(k.version for k in keys) + 1
        DataKey.create_wrapped(master, org_id=org_id, purpose=DataKey.Purpose.ENCRYPTION, version=version)
        audit.record(
            action=KEYS_ROTATION_START, actor=None, org=_org(org_id), at=at, reason_code=f"v{version}"
        )
    keyring.for_org(org_id, fresh=True)
    return version


def _old_version_filter(target: EncryptedModel, versions: list[int]) -> models.Q:
    prefixes = [Ciphertext(f"{PREFIX}${v}$") for v in versions]
    return reduce(or_, (models.Q(**{f"{f.attname}__startswith": p}) for f in target.fields for p in prefixes))


def reseal_batch(
    target: EncryptedModel, org_id: uuid.UUID, versions: list[int], *, after: object, size: int
) -> tuple[int, object]:
    """Re-seal one batch of rows still on `versions`; returns how many and the last primary key seen."""
    query = target.model._default_manager.filter(**{target.org_column: org_id})
    if after is not None:
        query = query.filter(pk__gt=after)
    query = query.filter(_old_version_filter(target, versions)).order_by("pk")
    with transaction.atomic():
        rows = list(query.select_for_update()[:size])
        for row in rows:
            for field in target.fields:
                getattr(row, field.attname)  # decrypt with the old key while it is still usable
            row.save(update_fields=[f.attname for f in target.fields])
    return len(rows), (rows[-1].pk if rows else after)


def reseal_all(
    org_id: uuid.UUID,
    *,
    batch_size: int = 500,
    max_batches: int | None = None,
    progress: Callable[[str, int], None] = lambda label, n: None,
) -> bool:
    """Re-seal every row on an old version. Returns True when none remain (the rotation can finish)."""
    versions = pending_versions(org_id)
    if not versions:
        return True
    keyring.for_org(org_id, fresh=True)
    batches = 0
    for target in encrypted_models():
        after: object = None
        while max_batches is None or batches < max_batches:
            count, after = reseal_batch(target, org_id, versions, after=after, size=batch_size)
            batches += 1
            progress(target.model._meta.label, count)
            if count < batch_size:
                break
    return not any(_rows_remaining(org_id, versions))


def _rows_remaining(org_id: uuid.UUID, versions: list[int]) -> Iterator[bool]:
    for target in encrypted_models():
        yield (
            target.model._default_manager.filter(**{target.org_column: org_id})
            .filter(_old_version_filter(target, versions))
            .exists()
        )


def finish_rotation(org_id: uuid.UUID, *, at: datetime) -> list[int]:
    """Retire old versions once no row uses them; refuses while any remain."""
    versions = pending_versions(org_id)
    if any(_rows_remaining(org_id, versions)):
        raise RuntimeError("Rows still use an old key version; run the re-sealing again.")
    with transaction.atomic():
        DataKey.objects.filter(
            org_id=org_id, purpose=DataKey.Purpose.ENCRYPTION, version__in=versions
        ).update(is_active=False, retired_at=at)
        audit.record(
            action=KEYS_ROTATION_FINISH,
            actor=None,
            org=_org(org_id),
            at=at,
            reason_code=f"retired:{len(versions)}",
        )
    keyring.for_org(org_id, fresh=True)
    return versions


def rewrap_all(new_master: bytes, *, at: datetime) -> int:
    """Re-wrap every data key under a new master key, in one transaction (there are few rows)."""
    old_master = keyring.master_key()
    new_id = master_key_id(new_master)
    with transaction.atomic():
        rows = list(DataKey.objects.select_for_update().exclude(master_key_id=new_id))
        for row in rows:
            plain = unwrap_key(
                old_master,
                bytes(row.wrapped_key),
                org_id=row.org_id,
                purpose=row.purpose,
                version=row.version,
            )
            row.wrapped_key = wrap_key(
                new_master, plain, org_id=row.org_id, purpose=row.purpose, version=row.version
            )
            row.master_key_id = new_id
            row.save(update_fields=["wrapped_key", "master_key_id"])
        audit.record(action=KEYS_REWRAP, actor=None, org=None, at=at, reason_code=f"rows:{len(rows)}")
    return len(rows)


@dataclass(frozen=True)
class RotationOutcome:
    new_version: int | None  # None when an unfinished rotation was continued
    finished: bool
    retired: list[int]


def rotate_organisation(
    org_id: uuid.UUID,
    *,
    batch_size: int = 500,
    max_batches: int | None = None,
    progress: Callable[[str, int], None] = lambda label, n: None,
) -> RotationOutcome:
    """Start (or continue) a rotation, re-seal what it can, and retire old keys when nothing uses them."""
    from django.utils import timezone

    new_version = None if pending_versions(org_id) else start_rotation(org_id, at=timezone.now())
    if not reseal_all(org_id, batch_size=batch_size, max_batches=max_batches, progress=progress):
        return RotationOutcome(new_version, finished=False, retired=[])
    return RotationOutcome(new_version, finished=True, retired=finish_rotation(org_id, at=timezone.now()))
