"""Background jobs of the privacy core (run by `haven db_worker`, or at once in tests)."""

from __future__ import annotations

import uuid

from django_tasks import task

from haven.privacy.rotation import rotate_organisation


@task()
def rotate_organisation_keys(org_id: str) -> dict[str, object]:
    """Rotate one organisation's data key; running it again after an interruption continues the work."""
    outcome = rotate_organisation(uuid.UUID(org_id))
    return {"new_version": outcome.new_version, "finished": outcome.finished, "retired": outcome.retired}
