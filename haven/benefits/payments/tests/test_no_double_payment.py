"""No one is paid twice: a paid entitlement never enters another batch, a pending one cannot be in two,
a failed one returns only as a new attempt (new key) once her wallet is corrected or an officer releases
it, and the database refuses a second pending-or-paid payment whatever the code above it does — also when
two batches are made at the same moment (PostgreSQL)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from haven.benefits.models import Beneficiary, Cycle
from haven.benefits.payments import actions
from haven.benefits.payments.models import Payment, PaymentBatch
from haven.benefits.payments.tests import factories
from haven.conftest import World
from haven.privacy.models import AuditEntry


def _fail(batch: PaymentBatch, payment: Payment, code: str = "E1001") -> None:
    content = factories.results(batch, [(payment, "FAILED", code)])
    actions.import_statuses(
        batch=batch, file_name="r.csv", content=content, acting_user=None, at=timezone.now()
    )


def _make(cycle: Cycle) -> PaymentBatch:
    return actions.create_batch(cycle=cycle, provider="BKASH", acting_user=None, at=timezone.now())


def test_a_paid_or_pending_entitlement_never_enters_another_batch(cycle: Cycle) -> None:
    factories.entitlements(cycle, 2)
    batch = factories.sent_batch(cycle)
    paid = batch.payments.order_by("pk").first()
    assert paid is not None
    actions.import_statuses(
        batch=batch,
        file_name="r.csv",
        content=factories.results(batch, [(paid, "PAID", "")]),
        acting_user=None,
        at=timezone.now(),
    )
    with pytest.raises(ValidationError, match="Nothing to pay"):
        _make(cycle)
    assert PaymentBatch.objects.count() == 1


def test_a_failed_payment_waits_for_a_corrected_wallet_then_returns_with_a_new_key(cycle: Cycle) -> None:
    entitlement = factories.entitlement(cycle)
    batch = factories.sent_batch(cycle)
    first = batch.payments.get()
    _fail(batch, first)
    with pytest.raises(ValidationError, match="Nothing to pay"):
        _make(cycle)

    woman = Beneficiary.objects.get(pk=first.beneficiary_id)
    with pytest.raises(ValidationError) as refused:
        actions.correct_wallet(
            beneficiary=woman, provider="NAGAD", wallet_number="12", acting_user=None, at=timezone.now()
        )
    assert "wallet_number" in refused.value.message_dict
    actions.correct_wallet(
        beneficiary=woman, provider="NAGAD", wallet_number="01911 222333", acting_user=None, at=timezone.now()
    )
    assert AuditEntry.objects.get(action="beneficiary.wallet_correct").fields == [
        "wallet_number",
        "wallet_provider",
    ]

    retry = actions.create_batch(cycle=cycle, provider="NAGAD", acting_user=None, at=timezone.now())
    second = retry.payments.get()
    assert (second.entitlement_id, second.attempt) == (entitlement.pk, 2)
    assert second.idempotency_key == f"HV{entitlement.pk}-2" != first.idempotency_key
    assert second.wallet_number == "8801911222333"


def test_an_officer_may_release_a_failed_payment_once(cycle: Cycle) -> None:
    factories.entitlement(cycle)
    batch = factories.sent_batch(cycle)
    payment = batch.payments.get()
    with pytest.raises(ValidationError, match="Only a failed"):
        actions.release_for_retry(payment=payment, acting_user=None, at=timezone.now())
    _fail(batch, payment, "E1002")
    actions.release_for_retry(payment=payment, acting_user=None, at=timezone.now())
    with pytest.raises(ValidationError, match="already goes"):
        actions.release_for_retry(payment=payment, acting_user=None, at=timezone.now())
    assert _make(cycle).payments.get().attempt == 2


def test_retrying_a_paid_one_is_impossible_even_after_a_wallet_correction(cycle: Cycle) -> None:
    factories.entitlement(cycle)
    batch = factories.sent_batch(cycle)
    payment = batch.payments.get()
    actions.import_statuses(
        batch=batch, file_name="r.csv", content=factories.all_paid(batch), acting_user=None, at=timezone.now()
    )
    woman = Beneficiary.objects.get(pk=payment.beneficiary_id)
    actions.correct_wallet(
        beneficiary=woman, provider="BKASH", wallet_number="01711999888", acting_user=None, at=timezone.now()
    )
    with pytest.raises(ValidationError, match="Nothing to pay"):
        _make(cycle)


def test_the_database_allows_one_live_payment_per_entitlement(cycle: Cycle) -> None:
    factories.entitlement(cycle)
    batch = _make(cycle)
    payment = batch.payments.get()
    duplicate = {
        "org_id": payment.org_id,
        "batch_id": batch.pk,
        "entitlement_id": payment.entitlement_id,
        "beneficiary_id": payment.beneficiary_id,
        "attempt": 2,
        "amount": Decimal("800"),
        "idempotency_key": "HV-other",
    }
    for status in ("PENDING", "PAID"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Payment.objects.create(status=status, **duplicate)
    # A failed attempt beside it is history, not a second payout.
    Payment.objects.create(status="FAILED", reason="OTHER", **duplicate)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time anyway")
def test_two_batches_made_at_once_share_nothing(world: World) -> None:
    the_cycle = factories.cycle(world.org)
    factories.entitlements(the_cycle, 20)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def make() -> None:
        try:
            barrier.wait()
            batch = _make(the_cycle)
            outcomes.append(f"made {batch.control_count}")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=make) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["made 20", "refused"]
    assert Payment.objects.filter(status="PENDING").count() == 20
