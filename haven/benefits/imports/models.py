"""Registry imports: one `ImportJob` per uploaded file, with its status, progress, counts and errors file.

How an import runs (see `pipeline.py` and docs in `columns.py`):

1. **Check** — every row is read, validated and normalised; registry numbers and national ID numbers
   are compared with the rest of the file and with the registry. Nothing is written but the job's
   progress. One refused row refuses the whole file: the job ends REFUSED with an errors file and the
   registry is untouched (the person fixes the file and uploads it again).
2. **Apply** — only when every row passed: the file is read again and written in batches inside ONE
   database transaction (people, name tokens, registry entries, households, members, duplicate flags),
   so an interruption leaves nothing half-imported.

A dry run stops after the check (status CHECKED) and reports what the import would do.

The uploaded file is kept encrypted under the organisation's key only until the job ends, then deleted
(`upload` emptied). The errors file never holds an identifying value (see `columns.IDENTIFYING`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haven.benefits.models import ProgrammeScopedQuerySet
from haven.orgs.models import Organisation
from haven.privacy.fields import EncryptedTextField


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "QUEUED", pgettext_lazy("import", "Waiting to start")
        CHECKING = "CHECKING", _("Checking the rows")
        REFUSED = "REFUSED", _("Refused: rows to fix")
        CHECKED = "CHECKED", _("Checked (trial run, nothing imported)")
        IMPORTING = "IMPORTING", _("Importing")
        DONE = "DONE", pgettext_lazy("import", "Imported")
        FAILED = "FAILED", _("Stopped by an error: nothing imported")

    FINISHED = (Status.REFUSED, Status.CHECKED, Status.DONE, Status.FAILED)

    class Format(models.TextChoices):
        CSV = "CSV", "CSV"
        XLSX = "XLSX", "Excel (XLSX)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # A file name can carry a place or a person's name ("rokeya_union_list.csv"): encrypted.
    file_name = EncryptedTextField(_("file"), blank=True)
    file_format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    # The uploaded bytes sealed with the organisation's key (`storage.py`); emptied when the job ends.
    upload = models.BinaryField(null=True, blank=True, editable=False)
    dry_run = models.BooleanField(_("trial run only"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(_("rows imported"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    refused_rows = models.PositiveIntegerField(_("rows refused"), default=0)
    already_registered = models.PositiveIntegerField(_("already in the registry (same ID number)"), default=0)
    repeated_in_file = models.PositiveIntegerField(_("repeated in the file (same ID number)"), default=0)
    flagged_same_phone = models.PositiveIntegerField(_("flagged: same phone"), default=0)
    flagged_similar_name = models.PositiveIntegerField(
        _("flagged: similar name and date of birth"), default=0
    )
    households = models.PositiveIntegerField(_("households"), default=0)
    # CSV text: row, column, message. Never an identifying value (see columns.IDENTIFYING).
    errors_csv = models.TextField(blank=True, editable=False)
    # Why a job FAILED: an exception's class name, never its message (it could quote a value).
    failure = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(_("uploaded at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["org", "-created_at"], name="import_job_org_recent")]

    def __str__(self) -> str:
        return f"import {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        """Progress over both phases: checking is the first half of a real import, all of a trial run."""
        if self.status in (self.Status.DONE, self.Status.CHECKED):
            return 100
        if not self.rows_total:
            return 0 if self.status in (self.Status.QUEUED, self.Status.CHECKING) else 100
        checked = self.rows_checked / self.rows_total
        if self.dry_run:
            return int(100 * checked)
        return int(50 * checked + 50 * self.rows_imported / self.rows_total)


class ImportJobTransition(models.Model):
    """One status change of a job: who, when, from, to."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=ImportJob.Status.choices)
    to_status = models.CharField(max_length=10, choices=ImportJob.Status.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.job_id}: {self.from_status} → {self.to_status}"
