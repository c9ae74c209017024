"""Record-level exports: a job that builds an encrypted archive of one record set in the background.

The password the person chose travels to the worker sealed with the organisation's data key (never in
clear) and is wiped as soon as the archive is built or the job fails. The archive itself is kept sealed
too, and deleted when it is downloaded (once) or when it expires, whichever comes first.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haven.orgs.models import Organisation, OrgScopedQuerySet, membership_of
from haven.reports.exports.records import RECORD_SETS, Kind

RECORD_EXPORT_ACTIONS = frozenset({"view", "download"})


class RecordExportQuerySet(OrgScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> RecordExportQuerySet:
        """A person's own exports of her organisation, while her role may still export that record set;
        nobody else's (not even an administrator's), and nothing for an unknown action (fail closed)."""
        membership = membership_of(user)
        if membership is None or action not in RECORD_EXPORT_ACTIONS:
            return self.none()
        kinds = [code for code, item in RECORD_SETS.items() if membership.role_enum in item.roles]
        return self.filter(org_id=membership.org_id, requested_by=user, record_set__in=kinds)


class RecordExport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "QUEUED", _("Waiting to start")
        RUNNING = "RUNNING", _("Being prepared")
        READY = "READY", _("Ready to download")
        DOWNLOADED = "DOWNLOADED", _("Downloaded and deleted")
        EXPIRED = "EXPIRED", _("Expired and deleted")
        FAILED = "FAILED", _("Failed")

    FINISHED = frozenset({Status.READY, Status.DOWNLOADED, Status.EXPIRED, Status.FAILED})

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    record_set = models.CharField(_("records"), max_length=16, choices=Kind.choices)
    period_code = models.CharField(_("period"), max_length=40)
    language = models.CharField(max_length=8, default="en")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    sealed_password = models.BinaryField(null=True, blank=True, editable=False)
    archive = models.BinaryField(null=True, blank=True, editable=False)
    file_name = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField()
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RecordExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"], name="record_export_expiry")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(archive__isnull=True) | models.Q(status="READY"),
                name="record_export_archive_only_when_ready",
            ),
        ]

    def __str__(self) -> str:
        return f"record export {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.status in {self.Status.READY, self.Status.DOWNLOADED}:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)


class RecordExportTransition(models.Model):
    export = models.ForeignKey(RecordExport, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"
