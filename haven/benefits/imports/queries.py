"""Reads of registry imports: the recent jobs, a job, and its progress as JSON."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from haven.benefits.imports.models import ImportJob

RECENT = 50


def recent_jobs(user: Any) -> Any:
    """The organisation's latest imports, newest first (one query; the file name decrypts per row)."""
    return ImportJob.objects.visible_to(user).defer("upload", "errors_csv")[:RECENT]


def progress(job: ImportJob) -> dict[str, Any]:
    """What the job page's progress bar and the API show: status, percent, counts; never a value."""
    return {
        "id": str(job.pk),
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "finished": job.is_finished,
        "percent": job.percent,
        "dry_run": job.dry_run,
        "rows_total": job.rows_total,
        "rows_checked": job.rows_checked,
        "rows_imported": job.rows_imported,
        "error_count": job.error_count,
        "refused_rows": job.refused_rows,
        "already_registered": job.already_registered,
        "repeated_in_file": job.repeated_in_file,
        "flagged_same_phone": job.flagged_same_phone,
        "flagged_similar_name": job.flagged_similar_name,
        "households": job.households,
        "errors_url": reverse("imports:errors", args=[job.pk]) if job.error_count else "",
    }
