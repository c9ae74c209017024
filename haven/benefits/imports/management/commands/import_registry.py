"""`haven import_registry FILE --org SLUG [--dry-run] [--user USERNAME]`: import a registry file with a
progress line (rows per second and time left), all rows or none. See haven/benefits/imports/columns.py
for the columns."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from haven.accounts.models import User
from haven.benefits.imports.actions import run_import, upload_import
from haven.benefits.imports.models import ImportJob
from haven.orgs.models import Organisation


class ProgressLine:
    """Prints "checking 120,000 / 750,000 rows · 9,800 rows/s · 1 min 4 s left" as the job advances."""

    def __init__(self, write: Any) -> None:
        self.write = write
        self.phase = ""
        self.phase_started = time.monotonic()
        self.last_print = 0.0

    def __call__(self, job: ImportJob) -> None:
        phase = "checking" if job.status == ImportJob.Status.CHECKING else "importing"
        done = job.rows_checked if phase == "checking" else job.rows_imported
        if phase != self.phase:
            self.phase, self.phase_started = phase, time.monotonic()
        now = time.monotonic()
        if now - self.last_print < 1.0 and done < job.rows_total:
            return
        self.last_print = now
        self.write(self.line(phase, done, job.rows_total, now - self.phase_started))

    @staticmethod
    def line(phase: str, done: int, total: int, elapsed: float) -> str:
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (total - done) / rate if rate > 0 else 0.0
        minutes, seconds = divmod(int(left), 60)
        return f"{phase} {done:,} / {total:,} rows · {rate:,.0f} rows/s · {minutes} min {seconds} s left"


class Command(BaseCommand):
    help = "Import a registry file (CSV or XLSX) into an organisation's registry: every row or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV or XLSX file (columns: see the upload page or template).")
        parser.add_argument("--org", required=True, help="The organisation's slug.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and import nothing.")
        parser.add_argument("--user", default="", help="Username recorded as the importer (optional).")

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organisation.objects.filter(slug=options["org"]).first()
        if org is None:
            raise CommandError(f"No organisation has the slug {options['org']!r}.")
        user = User.objects.filter(username=options["user"]).first() if options["user"] else None
        if options["user"] and user is None:
            raise CommandError(f"No user is called {options['user']!r}.")
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        try:
            job = upload_import(
                org=org,
                file_name=path.name,
                content=content,
                dry_run=options["dry_run"],
                acting_user=user,
                at=timezone.now(),
                keep_upload=False,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        job = run_import(
            job=job, clock=timezone.now, content=content, on_progress=ProgressLine(self.stdout.write)
        )
        self._summary(job)

    def _summary(self, job: ImportJob) -> None:
        self.stdout.write(
            f"{job.get_status_display()}: {job.rows_total:,} rows, {job.rows_imported:,} imported."
        )
        self.stdout.write(
            f"Refused rows: {job.refused_rows:,} (already registered: {job.already_registered:,}, "
            f"same ID twice in the file: {job.repeated_in_file:,}). Households: {job.households:,}."
        )
        self.stdout.write(
            f"Flagged for review: same phone {job.flagged_same_phone:,}, "
            f"similar name and birth date {job.flagged_similar_name:,}."
        )
        if job.errors_csv:
            self.stdout.write("Problems (row, column, message):")
            self.stdout.write(job.errors_csv.rstrip())
        if job.status in (ImportJob.Status.REFUSED, ImportJob.Status.FAILED):
            raise CommandError(f"Nothing was imported ({job.failure or 'rows to fix'}).")
