"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py).

Each factory makes a fresh object of the home organisation: a centre, a course, a running batch, a
trainee who passed (so issuing her certificate succeeds once attendance is kept), a certificate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from haven.benefits.tests import factories
from haven.conftest import World
from haven.orgs.models import Membership, Organisation
from haven.training import actions
from haven.training.models import Trainee, TrainingCertificate
from haven.training.tests import helpers


def _home() -> Organisation:
    return Organisation.objects.get(slug="home")


def passed_trainee() -> Trainee:
    batch = helpers.running_batch(_home())
    trainee = helpers.trainee(batch)
    actions.record_register(
        batch=batch, on=batch.starts_on, present=[trainee.pk], acting_user=None, at=timezone.now()
    )
    return actions.record_exam(trainee=trainee, score=80, acting_user=None, at=timezone.now())


def certificate() -> TrainingCertificate:
    return actions.issue_certificate(
        trainee=passed_trainee(), language="bn", acting_user=None, at=timezone.now()
    )


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "training_centre_id": lambda world, member: helpers.centre(_home()).pk,
    "training_course_id": lambda world, member: helpers.tailoring(_home()).pk,
    "training_batch_id": lambda world, member: helpers.running_batch(_home()).pk,
    "trainee_id": lambda world, member: passed_trainee().pk,
    "training_certificate_id": lambda world, member: certificate().pk,
}


def _beneficiary_body() -> dict[str, Any]:
    return {"beneficiary_id": str(factories.beneficiary(_home(), name="Walk Trainee").pk)}


PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("POST", "/training/centres"): lambda: {"name": f"Walk centre {timezone.now().timestamp()}"},
    ("POST", "/training/centres/{training_centre_id}/courses"): lambda: {
        "kind": "TRADE",
        "title": "Block-batik",
    },
    ("POST", "/training/courses/{training_course_id}/batches"): lambda: {
        "code": f"W-{timezone.now().timestamp()}",
        "starts_on": timezone.localdate().isoformat(),
    },
    ("POST", "/training/batches/{training_batch_id}/status"): lambda: {"verb": "complete"},
    ("POST", "/training/batches/{training_batch_id}/trainees"): _beneficiary_body,
    ("POST", "/training/batches/{training_batch_id}/register"): lambda: {
        "on": timezone.localdate().isoformat(),
        "present": [],
    },
    ("POST", "/training/trainees/{trainee_id}/exam"): lambda: {"score": 70},
    ("POST", "/training/trainees/{trainee_id}/certificate"): lambda: {"language": "bn"},
}
