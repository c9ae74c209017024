"""Verbs of report exports.

* ``record_report_export``: an aggregate file (CSV, XLSX, PDF) was taken; audited like any figure that
  may leave the organisation.
* ``request_record_export`` → ``build_record_export`` (background) → ``download_record_export``: a list of
  records in an AES-256 encrypted zip whose password the person chose. Each step is audited (field names
  only, never the password or a value), each status change leaves a transition row, and the archive is
  deleted at the first download or at expiry (``expire_record_exports``).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import pyzipper
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from haven.orgs.models import Membership, Organisation
from haven.privacy import audit
from haven.reports.exports import sealing
from haven.reports.exports.formats import safe_cell
from haven.reports.exports.models import RecordExport, RecordExportTransition
from haven.reports.exports.records import BATCH, RECORD_SETS
from haven.reports.periods import PeriodError, parse_period

if TYPE_CHECKING:
    from haven.accounts.models import User

logger = logging.getLogger(__name__)

REPORT_EXPORT = audit.register_action("report_export.download", "A report's figures were exported as a file")
RECORD_EXPORT_REQUEST = audit.register_action("record_export.request", "A record-level export was requested")
RECORD_EXPORT_BUILD = audit.register_action("record_export.build", "A record-level export archive was built")
RECORD_EXPORT_FAIL = audit.register_action("record_export.fail", "A record-level export failed")
RECORD_EXPORT_DOWNLOAD = audit.register_action(
    "record_export.download", "A record-level export was downloaded and deleted", read=True
)

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 128
KEPT_FOR = timedelta(hours=24)
"""A built archive waits this long for its download, then is deleted."""
STALE_AFTER = timedelta(hours=6)
"""A job not finished by then lost its worker: it fails and its sealed password is wiped."""

Status = RecordExport.Status
Clock = Callable[[], datetime]


def record_report_export(
    *, org: Organisation, report_code: str, file_format: str, acting_user: User | None, at: datetime
) -> None:
    with transaction.atomic():
        audit.record(
            action=REPORT_EXPORT,
            actor=acting_user,
            org=org,
            at=at,
            fields=[file_format],
            reason_code=report_code[:64],
        )


def check_password(password: str, password_again: str) -> None:
    if len(password) < PASSWORD_MIN_LENGTH:
        raise ValidationError(
            {
                "password": _("Choose a password of at least %(count)s characters.")
                % {"count": PASSWORD_MIN_LENGTH}
            }
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise ValidationError(
            {"password": _("Keep the password under %(count)s characters.") % {"count": PASSWORD_MAX_LENGTH}}
        )
    if password != password_again:
        raise ValidationError({"password_again": _("The two passwords are not the same.")})


def _transition(export: RecordExport, before: str, after: str, at: datetime, by: Any) -> None:
    RecordExportTransition.objects.create(export=export, from_status=before, to_status=after, at=at, by=by)


def request_record_export(
    *,
    membership: Membership,
    record_set: str,
    period_code: str,
    password: str,
    password_again: str,
    acting_user: User,
    at: datetime,
) -> RecordExport:
    """Queue an export of ``record_set`` for ``period_code``; refused unless the member's role may take
    that set (see ``records``). The password is sealed for the worker, never kept in clear."""
    kind = RECORD_SETS.get(record_set)
    if kind is None or membership.role_enum not in kind.roles:
        raise ValidationError({"record_set": _("Your role may not export these records.")})
    try:
        period = parse_period(period_code)
    except PeriodError as error:
        raise ValidationError({"period": str(error)}) from None
    check_password(password, password_again)
    with transaction.atomic():
        export = RecordExport(
            org_id=membership.org_id,
            requested_by=acting_user,
            record_set=record_set,
            period_code=period.code,
            language=translation.get_language() or membership.org.default_language,
            created_at=at,
        )
        export.sealed_password = sealing.seal(
            password.encode(), column="sealed_password", org_id=membership.org_id, export_id=export.pk
        )
        export.save()
        _transition(export, "", Status.QUEUED, at, acting_user)
        audit.record(
            action=RECORD_EXPORT_REQUEST,
            actor=acting_user,
            org=membership.org,
            obj=export,
            at=at,
            fields=["record_set", "period_code"],
        )
        transaction.on_commit(lambda: _enqueue(export))
    return export


def _enqueue(export: RecordExport) -> None:
    from haven.reports.exports.tasks import build_record_export_task

    build_record_export_task.enqueue(str(export.pk))


def _claim(export_id: Any, at: datetime) -> RecordExport | None:
    """QUEUED → RUNNING, once: a second worker given the same job finds it claimed and does nothing."""
    with transaction.atomic():
        export: RecordExport | None = (
            RecordExport.objects.select_for_update().select_related("org").filter(pk=export_id).first()
        )
        if export is None or export.status != Status.QUEUED:
            return None
        export.status = Status.RUNNING
        export.save(update_fields=["status"])
        _transition(export, Status.QUEUED, Status.RUNNING, at, None)
    return export


def build_record_export(*, export_id: Any, clock: Clock, progress_every: int = BATCH) -> RecordExport | None:
    """Write the records to a CSV inside an AES-256 zip. Progress is saved as it goes (outside any
    transaction, so the page sees it); the archive, the wiped password and READY land together."""
    export = _claim(export_id, clock())
    if export is None:
        return None
    try:
        password = sealing.unseal(
            bytes(export.sealed_password or b""),
            column="sealed_password",
            org_id=export.org_id,
            export_id=export.pk,
        )
        content = _csv(export, progress_every)
        archive = _zip(content, _inner_name(export), password)
    except Exception as error:
        # Only the job and the kind of error: a message could quote a value.
        logger.error("record export %s failed: %s", export.pk, type(error).__name__)
        _fail(export, clock())
        return RecordExport.objects.get(pk=export.pk)
    return _ready(export, archive, clock())


def _csv(export: RecordExport, progress_every: int) -> bytes:
    kind = RECORD_SETS[export.record_set]
    period = parse_period(export.period_code)
    total = kind.records(export.org, period).count()
    RecordExport.objects.filter(pk=export.pk).update(rows_total=total)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with translation.override(export.language):
        writer.writerow([str(column) for column in kind.columns])
        done = 0
        for done, row in enumerate(kind.rows(export.org, period), start=1):
            writer.writerow([safe_cell(value) for value in row])
            if done % progress_every == 0:
                RecordExport.objects.filter(pk=export.pk).update(rows_done=done)
    export.rows_total, export.rows_done = total, done
    return buffer.getvalue().encode("utf-8-sig")


def _inner_name(export: RecordExport) -> str:
    return f"{export.record_set.lower()}-{export.period_code}.csv".replace("..", "_")


def _zip(content: bytes, name: str, password: bytes) -> bytes:
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(
        buffer, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(password)
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        archive.writestr(name, content)
    return buffer.getvalue()


def _ready(export: RecordExport, archive: bytes, at: datetime) -> RecordExport:
    with transaction.atomic():
        export.archive = sealing.seal(archive, column="archive", org_id=export.org_id, export_id=export.pk)
        export.sealed_password = None
        export.status = Status.READY
        export.file_name = _inner_name(export).removesuffix(".csv") + ".zip"
        export.ready_at, export.expires_at = at, at + KEPT_FOR
        export.save()
        _transition(export, Status.RUNNING, Status.READY, at, None)
        audit.record(
            action=RECORD_EXPORT_BUILD, actor=None, org=export.org, obj=export, at=at, fields=["archive"]
        )
    return export


def _fail(export: RecordExport, at: datetime) -> None:
    with transaction.atomic():
        RecordExport.objects.filter(pk=export.pk).update(
            status=Status.FAILED, sealed_password=None, archive=None, finished_at=at
        )
        _transition(export, Status.RUNNING, Status.FAILED, at, None)
        audit.record(action=RECORD_EXPORT_FAIL, actor=None, org=export.org, obj=export, at=at)


def download_record_export(*, export: RecordExport, acting_user: User, at: datetime) -> tuple[str, bytes]:
    """The archive, once: it is deleted in the same transaction that hands it out."""
    with transaction.atomic():
        locked = RecordExport.objects.select_for_update().select_related("org").get(pk=export.pk)
        if locked.status != Status.READY or locked.archive is None:
            raise ValidationError(_("This export is not ready to download (or was already downloaded)."))
        if locked.expires_at is not None and locked.expires_at <= at:
            raise ValidationError(_("This export has expired and was deleted. Ask for a new one."))
        content = sealing.unseal(
            bytes(locked.archive), column="archive", org_id=locked.org_id, export_id=locked.pk
        )
        locked.archive = None
        locked.status = Status.DOWNLOADED
        locked.finished_at = at
        locked.save(update_fields=["archive", "status", "finished_at"])
        _transition(locked, Status.READY, Status.DOWNLOADED, at, acting_user)
        audit.record(
            action=RECORD_EXPORT_DOWNLOAD,
            actor=acting_user,
            org=locked.org,
            obj=locked,
            at=at,
            fields=["archive"],
        )
    return locked.file_name, content


def expire_record_exports(*, at: datetime) -> int:
    """Delete archives past their expiry, and fail jobs whose worker vanished (wiping their password).
    Set-based: two UPDATEs and the transition rows."""
    with transaction.atomic():
        expired = list(
            RecordExport.objects.select_for_update()
            .filter(status=Status.READY, expires_at__lte=at)
            .values_list("pk", flat=True)
        )
        stale = list(
            RecordExport.objects.select_for_update()
            .filter(status__in=[Status.QUEUED, Status.RUNNING], created_at__lte=at - STALE_AFTER)
            .values_list("pk", "status")
        )
        RecordExport.objects.filter(pk__in=expired).update(
            status=Status.EXPIRED, archive=None, finished_at=at
        )
        RecordExport.objects.filter(pk__in=[pk for pk, _status in stale]).update(
            status=Status.FAILED, sealed_password=None, finished_at=at
        )
        RecordExportTransition.objects.bulk_create(
            [
                RecordExportTransition(
                    export_id=pk, from_status=Status.READY, to_status=Status.EXPIRED, at=at
                )
                for pk in expired
            ]
            + [
                RecordExportTransition(export_id=pk, from_status=before, to_status=Status.FAILED, at=at)
                for pk, before in stale
            ]
        )
    return len(expired) + len(stale)
