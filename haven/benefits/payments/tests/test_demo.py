"""The demo pays the Bangladesh organisation's approved Mother & child cycle through bKash: one batch
sent, its results imported, all paid but one failed; an organisation without the programme gets nothing."""

from __future__ import annotations

from haven.benefits.models import Beneficiary, Cycle
from haven.benefits.payments.models import Payment, PaymentBatch
from haven.benefits.payments.tests import factories
from haven.conftest import World
from haven.web.demo_payments import load_demo_payments


def test_it_pays_the_approved_cycle_with_one_failure(world: World) -> None:
    world.org.country = "BD"
    load_demo_payments(world.org, world.at)  # no programme yet: nothing
    assert not PaymentBatch.objects.exists()

    cycle = factories.cycle(world.org)
    factories.entitlements(cycle, 3)
    no_wallet = factories.entitlement(cycle, provider="", number="")
    load_demo_payments(world.org, world.at)

    batch = PaymentBatch.objects.get()
    assert (batch.cycle_id, batch.status, batch.control_count) == (cycle.pk, "RECONCILED", 4)
    assert sorted(Payment.objects.values_list("status", flat=True)) == ["FAILED", "PAID", "PAID", "PAID"]
    assert Payment.objects.get(status="FAILED").reason == "NAME_MISMATCH"
    assert Beneficiary.objects.get(pk=no_wallet.enrolment.beneficiary_id).wallet_provider == "BKASH"
    load_demo_payments(world.org, world.at)  # a second run adds nothing
    assert PaymentBatch.objects.count() == 1
    assert Cycle.objects.get(pk=cycle.pk).status == "APPROVED"
