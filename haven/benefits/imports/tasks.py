"""Background jobs of registry imports (run by `haven db_worker`, or at once in tests)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from haven.benefits.imports.actions import run_import
from haven.benefits.imports.models import ImportJob


@task()
def run_registry_import(job_id: str) -> dict[str, object]:
    """Run one uploaded import: check every row, then import all of them or none."""
    job = ImportJob.objects.select_related("org").get(pk=job_id)
    job = run_import(job=job, clock=timezone.now)
    return {"status": job.status, "rows": job.rows_total, "imported": job.rows_imported}
