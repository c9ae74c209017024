"""Background jobs of the shelters (run by `haven db_worker`, or at once in tests)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from haven.shelters.actions import expire_holds


@task()
def expire_bed_holds() -> int:
    """Mark the holds past their time expired. Run it every few minutes (a scheduler or cron enqueues
    it); availability does not wait for it, since a hold past its time already counts as free."""
    return expire_holds(at=timezone.now())
