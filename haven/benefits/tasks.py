"""Background jobs of the benefits core (run by `haven db_worker`, or at once in tests)."""

from __future__ import annotations

import uuid

from django.utils import timezone
from django_tasks import task

from haven.accounts.models import User
from haven.benefits.cycles import generate_entitlements
from haven.benefits.models import Cycle


@task()
def generate_cycle(cycle_id: str, user_id: int | None) -> dict[str, object]:
    """Generate a cycle's entitlements; after an interruption, queueing it again resumes the work."""
    cycle = Cycle.objects.select_related("programme__org").get(pk=uuid.UUID(cycle_id))
    user = User.objects.filter(pk=user_id).first() if user_id is not None else None
    outcome = generate_entitlements(cycle=cycle, acting_user=user, at=timezone.now())
    return {"inserted": outcome.inserted, "done": outcome.done, "finished": outcome.finished}
