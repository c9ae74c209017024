"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py).

Each factory makes a fresh object of the home organisation: a supporter, an in-kind gift with its value
(so issuing its receipt and changing its value both succeed), a receipt on a fresh gift, a donor project.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from haven.conftest import World
from haven.orgs.models import Membership, Organisation
from haven.supporters import actions
from haven.supporters.models import Donation, DonorProject, Receipt, Supporter


def _home() -> Organisation:
    return Organisation.objects.get(slug="home")


def supporter(
    org: Organisation | None = None, *, name: str = "Walk Supporter", language: str = "fr"
) -> Supporter:
    return actions.create_supporter(
        org=org or _home(),
        kind=Supporter.Kind.INDIVIDUAL,
        name=name,
        language=language,
        email="walk@example.org",
        acting_user=None,
        at=timezone.now(),
    )


def gift_in_kind(giver: Supporter | None = None) -> Donation:
    return actions.record_donation(
        supporter=giver or supporter(),
        received_on=timezone.localdate(),
        kind=Donation.Kind.IN_KIND,
        description="Winter coats",
        quantity=12,
        estimated_value=Decimal("600"),
        currency="CAD",
        acting_user=None,
        at=timezone.now(),
    )


def receipt() -> Receipt:
    return actions.issue_receipt(donation=gift_in_kind(), acting_user=None, at=timezone.now())


def project(giver: Supporter | None = None) -> DonorProject:
    today = timezone.localdate()
    return actions.create_donor_project(
        supporter=giver or supporter(),
        name=f"Walk fund {uuid.uuid4().hex[:8]}",
        amount_pledged=Decimal("10000"),
        currency="CAD",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=335),
        acting_user=None,
        at=timezone.now(),
    )


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "supporter_id": lambda world, member: supporter().pk,
    "donation_id": lambda world, member: gift_in_kind().pk,
    "receipt_id": lambda world, member: receipt().pk,
    "donor_project_id": lambda world, member: project().pk,
}


def _project_body() -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "supporter_id": str(supporter().pk),
        "name": f"Walk fund {uuid.uuid4().hex[:8]}",
        "amount_pledged": "5000.00",
        "currency": "CAD",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=365)).isoformat(),
    }


PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("POST", "/supporters/search"): lambda: {"q": "Walk"},
    ("POST", "/supporters"): lambda: {"kind": "COMPANY", "name": "Walk Company", "language": "en"},
    ("PATCH", "/supporters/{supporter_id}"): lambda: {"may_contact": True},
    ("POST", "/supporters/{supporter_id}/donations"): lambda: {
        "received_on": timezone.localdate().isoformat(),
        "kind": "MONEY",
        "amount": "50.00",
        "currency": "CAD",
        "method": "CARD",
    },
    ("POST", "/donations/{donation_id}/estimated-value"): lambda: {
        "estimated_value": "650",
        "currency": "CAD",
    },
    ("POST", "/donations/{donation_id}/receipts"): lambda: {},
    ("POST", "/donor-projects"): _project_body,
    ("POST", "/receipts/{receipt_id}/cancel"): lambda: {"reason": "Sent to the wrong address"},
    ("POST", "/receipts/{receipt_id}/reissue"): lambda: {"reason": "The name was misspelt"},
}
