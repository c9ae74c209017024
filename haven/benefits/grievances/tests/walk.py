"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py).

Fresh grievances of the home organisation in the state each step needs: received, decided, appealed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from haven.benefits.grievances import actions
from haven.benefits.grievances.models import Grievance
from haven.conftest import World
from haven.orgs.models import Membership, Organisation


def received() -> Grievance:
    org = Organisation.objects.get(slug="home")
    grievance, _code = actions.lodge_grievance(
        org=org,
        category="PAYMENT_NOT_RECEIVED",
        description="Walk grievance",
        channel="OFFICER",
        acting_user=None,
        at=timezone.now(),
    )
    return grievance


def decided() -> Grievance:
    return actions.decide_grievance(
        grievance=received(),
        outcome="NOT_UPHELD",
        reasons="Paid on the 5th",
        acting_user=None,
        at=timezone.now(),
    )


def appealed() -> Grievance:
    return actions.appeal_grievance(
        grievance=decided(), grounds="The money never came", acting_user=None, at=timezone.now()
    )


def _assignee() -> dict[str, Any]:
    membership = Membership.objects.get(org__slug="home", user__username="home.programme_officer")
    return {"membership_id": membership.pk}


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "grievance_id": lambda world, member: received().pk,
    "decided_grievance_id": lambda world, member: decided().pk,
    "appealed_grievance_id": lambda world, member: appealed().pk,
}

PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("POST", "/grievances"): lambda: {"category": "CORRUPTION", "description": "A bribe was asked"},
    ("POST", "/grievances/{grievance_id}/assign"): _assignee,
    ("POST", "/grievances/{grievance_id}/decision"): lambda: {
        "outcome": "UPHELD",
        "reasons": "Checked the ledger",
    },
    ("POST", "/grievances/{decided_grievance_id}/appeal"): lambda: {"grounds": "Wrong decision"},
    ("POST", "/grievances/{decided_grievance_id}/close"): lambda: {},
    ("POST", "/grievances/{appealed_grievance_id}/appeal/decision"): lambda: {
        "outcome": "UPHELD",
        "reasons": "Payment record shows failure",
    },
}
