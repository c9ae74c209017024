"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py).

Each factory pays a fresh woman of the home organisation in the Mother & child benefit's approved cycle,
and takes her payment as far as the endpoint needs: a draft batch (to approve or cancel), an approved
one (to download), a sent one (to import results into), or a failed payment (to retry).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from haven.benefits.payments import actions
from haven.benefits.payments.models import Payment, PaymentBatch
from haven.benefits.payments.tests import factories
from haven.conftest import World
from haven.orgs.models import Membership, Organisation


def _home() -> Organisation:
    return Organisation.objects.get(slug="home")


def draft_batch(*_args: Any) -> PaymentBatch:
    cycle = factories.cycle(_home())
    factories.entitlement(cycle)
    return actions.create_batch(cycle=cycle, provider="BKASH", acting_user=None, at=timezone.now())


def approved_batch(*_args: Any) -> PaymentBatch:
    return actions.approve_batch(batch=draft_batch(), acting_user=None, at=timezone.now())


def sent_batch(*_args: Any) -> PaymentBatch:
    batch = approved_batch()
    actions.export_batch(batch=batch, acting_user=None, at=timezone.now())
    return batch


def failed_payment(*_args: Any) -> Payment:
    """The newest payment of a sent batch, failed (as is every other payment the batch took in: an
    earlier walk step may have released one for a retry)."""
    batch = sent_batch()
    payments = list(batch.payments.order_by("pk"))
    content = factories.results(batch, [(payment, "FAILED", "E1001") for payment in payments])
    actions.import_statuses(
        batch=batch, file_name="results.csv", content=content, acting_user=None, at=timezone.now()
    )
    return Payment.objects.get(pk=payments[-1].pk)


def _results_body() -> dict[str, Any]:
    """All-paid results for the newest sent batch of the home organisation (made by its OBJECTS entry)."""
    batch = PaymentBatch.objects.filter(org=_home(), status=PaymentBatch.Status.EXPORTED).latest("created_at")
    return {"file_name": "results.csv", "content": factories.all_paid(batch).decode()}


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "payment_batch_id": lambda world, member: draft_batch().pk,
    "approved_payment_batch_id": lambda world, member: approved_batch().pk,
    "sent_payment_batch_id": lambda world, member: sent_batch().pk,
    "payment_cycle_id": lambda world, member: factories.cycle(_home()).pk,
    "failed_payment_id": lambda world, member: failed_payment().pk,
}

PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("POST", "/payment-batches"): lambda: {
        "cycle_id": str(factories.entitlement(factories.cycle(_home())).cycle_id),
        "provider": "BKASH",
    },
    ("POST", "/payment-batches/{payment_batch_id}/approve"): lambda: {},
    ("POST", "/payment-batches/{payment_batch_id}/cancel"): lambda: {"reason": "Made for the wrong wallet"},
    ("POST", "/payment-batches/{sent_payment_batch_id}/results"): _results_body,
    ("POST", "/payments/{failed_payment_id}/wallet"): lambda: {
        "provider": "NAGAD",
        "wallet_number": factories.wallet_number(),
    },
    ("POST", "/payments/{failed_payment_id}/retry"): lambda: {},
}
