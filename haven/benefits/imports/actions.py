"""Verbs of registry imports: upload a file (queued for the worker), and run an import job.

`run_import` is what the worker (`tasks.py`) and the command (`haven import_registry`) call. It reads the
clock through `clock` because an import of 750,000 rows lasts minutes: started, checked, written and
finished are different moments. All or nothing: see `models.py` and `pipeline.py`.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.benefits.imports import pipeline
from haven.benefits.imports.models import ImportJob, ImportJobTransition
from haven.benefits.imports.reading import FileProblem, Sheet, detect_format, open_sheet
from haven.benefits.imports.rows import AreaLookup, RowContext
from haven.benefits.imports.storage import open_upload, seal_upload
from haven.orgs.models import Organisation
from haven.privacy import audit

if TYPE_CHECKING:
    from haven.accounts.models import User

logger = logging.getLogger(__name__)

IMPORT_UPLOAD = audit.register_action("registry_import.upload", "A registry file was uploaded for import")
IMPORT_APPLY = audit.register_action("registry_import.apply", "The rows of a registry file were imported")
# What an import writes, for its audit entry (names only, never values).
IMPORTED_FIELDS = (
    "person.name",
    "person.latin_name",
    "person.phone",
    "person.id_number",
    "person.born_on",
    "person.sex",
    "person.marital_status",
    "beneficiary",
    "household",
    "duplicate_flag",
)
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
FILE_NAME_MAX = 200

Clock = Callable[[], datetime]
OnProgress = Callable[[ImportJob], None]
Status = ImportJob.Status
_PROGRESS = "UPDATE {table} SET rows_imported = %s WHERE id = %s"


def _check_file(file_name: str, content: bytes) -> tuple[str, Sheet]:
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {"file": _("The file is larger than %(mb)s MB: split it into several files.") % {"mb": 200}}
        )
    try:
        file_format = detect_format(file_name, content)
        return file_format, open_sheet(content, file_format)
    except FileProblem as problem:
        raise ValidationError({"file": str(problem)}) from None


def upload_import(
    *,
    org: Organisation,
    file_name: str,
    content: bytes,
    dry_run: bool,
    acting_user: User | None,
    at: datetime,
    keep_upload: bool = True,
) -> ImportJob:
    """Check the file's header at once (a wrong layout is refused before anything waits), then record a
    job. With `keep_upload` (the web and the API) the file is stored encrypted and the worker is asked to
    run the job after commit; the command passes False and runs the job itself from the file it holds."""
    file_format, _sheet = _check_file(file_name, content)
    with transaction.atomic():
        job = ImportJob(
            org=org,
            file_name=file_name[:FILE_NAME_MAX],
            file_format=file_format,
            dry_run=dry_run,
            created_at=at,
            created_by=acting_user,
        )
        if keep_upload:
            job.upload = seal_upload(content, org_id=org.pk, job_id=job.pk)
        job.save()
        _transition(job, "", Status.QUEUED, at, acting_user)
        audit.record(action=IMPORT_UPLOAD, actor=acting_user, org=org, obj=job, at=at, fields=["file_name"])
        if keep_upload:
            transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job: ImportJob) -> None:
    from haven.benefits.imports.tasks import run_registry_import

    run_registry_import.enqueue(str(job.pk))


def _transition(job: ImportJob, from_status: str, to_status: str, at: datetime, by: Any) -> None:
    ImportJobTransition.objects.create(job=job, from_status=from_status, to_status=to_status, at=at, by=by)


def _move(job: ImportJob, status: str, at: datetime, fields: tuple[str, ...] = ()) -> None:
    previous, job.status = job.status, status
    job.save(update_fields=["status", *fields])
    _transition(job, previous, status, at, None)


def _claim(job: ImportJob, at: datetime) -> ImportJob:
    """Take a queued job (locked, so two workers cannot both run it) and mark it started."""
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().select_related("org").get(pk=job.pk)
        if locked.status != Status.QUEUED:
            raise ValidationError({"status": _("This import has already been started.")})
        locked.started_at = at
        _move(locked, Status.CHECKING, at, ("started_at",))
    return locked  # type: ignore[no-any-return]


def run_import(
    *, job: ImportJob, clock: Clock, content: bytes | None = None, on_progress: OnProgress | None = None
) -> ImportJob:
    """Check every row, then (unless a trial run, and only if no row is refused) import them all at once.

    Returns the job in its final state: DONE, CHECKED, REFUSED (with its errors file) or FAILED.
    """
    job = _claim(job, clock())
    notify = on_progress or (lambda _job: None)
    try:
        if content is None:
            content = open_upload(bytes(job.upload or b""), org_id=job.org_id, job_id=job.pk)
        _run(job, open_sheet(content, job.file_format), clock, notify)
    except FileProblem as problem:
        _finish(job, Status.REFUSED, _file_tally(str(problem)), clock())
    except Exception as exc:  # a bug or a lost database: record it, never its message (it may quote data)
        logger.error("Registry import %s stopped: %s", job.pk, type(exc).__name__)
        job.failure = type(exc).__name__
        _finish(job, Status.FAILED, pipeline.Tally(), clock(), ("failure",))
    return job


def _file_tally(message: str) -> pipeline.Tally:
    tally = pipeline.Tally(error_count=1)
    tally.errors.append((1, "", message))
    return tally


def _run(job: ImportJob, sheet: Sheet, clock: Clock, notify: OnProgress) -> None:
    job.rows_total = sheet.estimated_rows
    context = RowContext(
        org_id=job.org_id,
        country=job.org.country,
        areas=AreaLookup(job.org),
        today=timezone.localdate(job.started_at),
    )
    tally, heads = pipeline.check(sheet, context, lambda t: _checked(job, t, notify))
    job.rows_total = tally.rows
    if tally.refused_rows or job.dry_run:
        _finish(job, Status.REFUSED if tally.refused_rows else Status.CHECKED, tally, clock())
        return
    _move(job, Status.IMPORTING, clock(), ("rows_total", "rows_checked"))
    side = SideChannel(job)
    try:
        with transaction.atomic():
            at = clock()
            written = pipeline.apply(sheet, context, heads, at, lambda t: side.imported(t, notify))
            _finish(job, Status.DONE, written, clock())
            audit.record(
                action=IMPORT_APPLY, actor=job.created_by, org=job.org, obj=job, at=at, fields=IMPORTED_FIELDS
            )
    except pipeline.Refused as refused:
        _finish(job, Status.REFUSED, refused.tally, clock())
    finally:
        side.close()


def _checked(job: ImportJob, tally: pipeline.Tally, notify: OnProgress) -> None:
    job.rows_checked = tally.rows
    job.rows_total = max(job.rows_total, tally.rows)
    job.save(update_fields=["rows_checked", "rows_total"])
    notify(job)


class SideChannel:
    """Progress of the write pass, made visible while its transaction is still open.

    The rows are written in one transaction, so a progress count saved through it would only appear at
    the end. On PostgreSQL a second connection writes the count (autocommit); the job's row is not
    touched by the import's transaction until its very end, so the two never wait for each other.
    SQLite has one writer at a time: there the page shows the write pass without a count.
    """

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.connection = (
            connections.create_connection(DEFAULT_DB_ALIAS) if connection.vendor == "postgresql" else None
        )

    def imported(self, tally: pipeline.Tally, notify: OnProgress) -> None:
        self.job.rows_imported = tally.imported
        if self.connection is not None:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    _PROGRESS.format(table=ImportJob._meta.db_table), [tally.imported, self.job.pk]
                )
        notify(self.job)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def _finish(
    job: ImportJob, status: str, tally: pipeline.Tally, at: datetime, extra: tuple[str, ...] = ()
) -> None:
    """Record the outcome and delete the stored upload: the registry (or nothing) is what remains."""
    job.rows_total = max(job.rows_total, tally.rows)
    job.rows_checked = tally.rows if status != Status.FAILED else job.rows_checked
    counts = {
        "rows_imported": tally.imported,
        "error_count": tally.error_count,
        "refused_rows": tally.refused_rows,
        "already_registered": tally.already_registered,
        "repeated_in_file": tally.repeated_in_file,
        "flagged_same_phone": tally.flagged_same_phone,
        "flagged_similar_name": tally.flagged_similar_name,
        "households": tally.households,
    }
    for name, value in counts.items():
        setattr(job, name, value)
    job.errors_csv = errors_csv(tally)
    job.upload = None
    job.finished_at = at
    fields = ("rows_total", "rows_checked", "errors_csv", "upload", "finished_at", *counts, *extra)
    _move(job, status, at, fields)


def errors_csv(tally: pipeline.Tally) -> str:
    """The errors file: row, column, message. Values are never repeated in it."""
    if not tally.errors:
        return ""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "column", "message"])
    writer.writerows(tally.errors)
    unlisted = tally.error_count - len(tally.errors)
    if unlisted > 0:
        writer.writerow(["", "", _("… and %(count)s more problems, not listed.") % {"count": unlisted}])
    return out.getvalue()
