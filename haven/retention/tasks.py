"""Background jobs the scheduler enqueues (run by `haven db_worker`, or at once in tests)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from haven.retention.actions import purge_all


@task()
def purge_expired_records() -> dict[str, int]:
    """Daily: purge what each organisation's retention policies make due."""
    outcomes = purge_all(at=timezone.now())
    return {str(outcome.policy.pk): outcome.purged for outcome in outcomes}


@task()
def exit_completed_enrolments() -> int:
    """Daily (safe to rerun): what `haven exit_completed_enrolments` does for every programme."""
    from haven.benefits.actions import exit_completed_enrolments as exit_programme
    from haven.benefits.models import Programme

    now = timezone.now()
    return sum(
        exit_programme(programme=programme, on=timezone.localdate(now), acting_user=None, at=now)
        for programme in Programme.objects.select_related("org")
    )


@task()
def lapse_associations() -> int:
    """Daily: what `haven lapse_associations` does."""
    from haven.associations.actions import lapse_associations as lapse

    return lapse(today=timezone.localdate(), at=timezone.now())
