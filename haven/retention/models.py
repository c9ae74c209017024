"""Retention policies (how long each organisation keeps each kind of record) and the scheduler's job rows."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.orgs.models import Organisation

MIN_KEEP_DAYS = 30
"""A policy keeps records at least this long: a slip of the keyboard must not purge last week's files."""


class RetentionPolicy(models.Model):
    """How long an organisation keeps one kind of finished record, and what the purge removes then."""

    class Mode(models.TextChoices):
        WHOLE = "WHOLE", _("Delete the whole record")
        PARTIAL = "PARTIAL", _("Erase identifying details and narratives, keep the statistics")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    record_type = models.CharField(_("kind of record"), max_length=32)
    keep_days = models.PositiveIntegerField(_("keep for (days after closing)"))
    mode = models.CharField(_("what the purge does"), max_length=8, choices=Mode.choices)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["record_type"]
        constraints = [
            models.UniqueConstraint(fields=["org", "record_type"], name="retention_one_policy_per_type"),
            models.CheckConstraint(
                condition=models.Q(keep_days__gte=MIN_KEEP_DAYS), name="retention_keep_days_minimum"
            ),
        ]

    def __str__(self) -> str:
        return f"retention {self.record_type} {self.mode} {self.keep_days}d"


class PartialPurge(models.Model):
    """A record whose content a PARTIAL purge already erased, so the next run does not count it again.

    It names the record (a case or contact id), never the person it was about."""

    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    record_type = models.CharField(max_length=32)
    object_id = models.UUIDField()
    purged_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record_type", "object_id"], name="retention_partial_once"),
        ]

    def __str__(self) -> str:
        return f"partial purge of {self.record_type} {self.object_id}"


class ScheduledJob(models.Model):
    """When a periodic job last ran and is next due. The row is locked while a scheduler enqueues the job,
    so two schedulers running side by side enqueue each due time once."""

    name = models.CharField(max_length=64, unique=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"job {self.name}"
