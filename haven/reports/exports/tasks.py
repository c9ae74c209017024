"""Background jobs of record-level exports (run by `haven db_worker`, or at once in tests)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from haven.reports.exports import actions


@task()
def build_record_export_task(export_id: str) -> dict[str, object]:
    """Build one requested export's encrypted archive."""
    export = actions.build_record_export(export_id=export_id, clock=timezone.now)
    return {"status": export.status if export is not None else "SKIPPED"}


@task()
def expire_record_exports_task() -> dict[str, object]:
    """Delete archives past their expiry; meant to run every hour (pages also run it as they open)."""
    return {"expired": actions.expire_record_exports(at=timezone.now())}
