from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.privacy import keyring as keyring_module


class DataKey(models.Model):
    """One wrapped key of one organisation. The plaintext key exists only in process memory."""

    class Purpose(models.TextChoices):
        ENCRYPTION = "ENCRYPTION", _("Encryption")
        BLIND_INDEX = "BLIND_INDEX", _("Blind index")

    org = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="data_keys")
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    version = models.PositiveIntegerField()
    wrapped_key = models.BinaryField()
    master_key_id = models.CharField(max_length=16)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "purpose", "version"], name="datakey_one_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} v{self.version} of organisation {self.org_id}"

    def unwrap(self, master_key: bytes) -> bytes:
        return keyring_module.unwrap_key(
            master_key,
            bytes(self.wrapped_key),
            org_id=self.org_id,
            purpose=self.purpose,
            version=self.version,
        )

    @classmethod
    def create_wrapped(cls, master_key: bytes, *, org_id: uuid.UUID, purpose: str, version: int) -> DataKey:
        key = secrets.token_bytes(keyring_module.KEY_BYTES)
        wrapped = keyring_module.wrap_key(master_key, key, org_id=org_id, purpose=purpose, version=version)
        return cls.objects.create(
            org_id=org_id,
            purpose=purpose,
            version=version,
            wrapped_key=wrapped,
            master_key_id=keyring_module.master_key_id(master_key),
        )


class AuditChain(models.Model):
    """The head of one hash chain: one per organisation plus one for system events.

    Appending locks this row, so concurrent writers queue instead of forking the chain.
    """

    key = models.CharField(max_length=64, unique=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    def __str__(self) -> str:
        return f"audit chain {self.key}"


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit log is append-only.")


class AuditEntry(models.Model):
    """One hash-chained audit record. It names fields that changed, never their values."""

    chain = models.CharField(max_length=64)
    seq = models.PositiveBigIntegerField()
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)
    at = models.DateTimeField()
    action = models.CharField(max_length=64)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Null only for system-wide events (e.g. a master key change) that belong to no organisation.
    org = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    fields = models.JSONField(default=list)
    reason_code = models.CharField(max_length=64, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_one_entry_per_seq")]
        indexes = [models.Index(fields=["org", "object_type", "object_id"], name="audit_by_object")]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.action} #{self.seq} ({self.chain})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit log is append-only.")
