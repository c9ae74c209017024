"""Making a batch: one set-based gathering of a cycle's DUE entitlements of one wallet provider, with
control count and sum, wallet numbers copied (sealed) in the provider's form, and refusals that leave
nothing behind."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.accounts.models import User
from haven.benefits import actions as benefit_actions
from haven.benefits.models import Cycle, Enrolment, Entitlement
from haven.benefits.payments import actions
from haven.benefits.payments.models import Payment, PaymentBatch, PaymentBatchTransition
from haven.benefits.payments.tests import factories
from haven.benefits.tests import factories as benefit_factories
from haven.conftest import World
from haven.privacy.models import AuditEntry


def written() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (PaymentBatch, Payment, PaymentBatchTransition, AuditEntry))


def test_it_gathers_the_due_entitlements_of_one_provider(cycle: Cycle, operator: User) -> None:
    due = factories.entitlements(cycle, 3, provider="bKash")
    factories.entitlement(cycle, provider="Nagad")
    factories.entitlement(cycle, number="0123")  # not a mobile number: left out
    cancelled = factories.entitlement(cycle)
    Entitlement.objects.filter(pk=cancelled.pk).update(status=Entitlement.Status.CANCELLED)

    batch = actions.create_batch(cycle=cycle, provider="BKASH", acting_user=operator, at=timezone.now())

    assert (batch.status, batch.control_count, batch.control_sum) == ("DRAFT", 3, Decimal("2400.00"))
    assert batch.left_out == 1
    assert batch.reference == "MCB-2026-03-BKASH-1"
    payments = list(batch.payments.order_by("entitlement_id"))
    assert [p.entitlement_id for p in payments] == [e.pk for e in due]
    assert [p.idempotency_key for p in payments] == [f"HV{e.pk}-1" for e in due]
    assert all(p.wallet_number.startswith("01") and len(p.wallet_number) == 11 for p in payments)
    # Stored sealed, bound to the payment's row: never the number itself.
    raw = Payment.objects.values_list("wallet_number", flat=True).first()
    assert "0171" not in str(raw)
    assert batch.transitions.get().to_status == "DRAFT"
    entry = AuditEntry.objects.get(action="payment_batch.create")
    assert entry.object_id == str(batch.pk)


def test_it_copies_the_number_so_a_later_change_does_not_touch_the_batch(cycle: Cycle) -> None:
    entitlement = factories.entitlement(cycle, provider="Nagad", number="+880 1811-000111")
    batch = actions.create_batch(cycle=cycle, provider="NAGAD", acting_user=None, at=timezone.now())
    woman = entitlement.enrolment.beneficiary
    woman.wallet_number = "01999000222"
    woman.save(update_fields=["wallet_number"])
    assert Payment.objects.get(batch=batch).wallet_number == "8801811000111"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("open_cycle", "approved cycle"),
        ("in_kind", "not cash"),
        ("nothing", "Nothing to pay"),
        ("no_wallets", "no valid wallet number"),
    ],
)
def test_it_refuses_and_writes_nothing(world: World, setup: str, message: str) -> None:
    if setup == "in_kind":
        target = Cycle.objects.create(
            org=world.org,
            programme=benefit_factories.vwb(world.org),
            month=factories.MONTH,
            status=Cycle.Status.APPROVED,
            created_at=world.at,
        )
    else:
        status = Cycle.Status.GENERATED if setup == "open_cycle" else Cycle.Status.APPROVED
        target = factories.cycle(world.org, status=status)
    if setup == "no_wallets":
        factories.entitlements(target, 2, number="")
    before = written()
    with pytest.raises(ValidationError) as refused:
        actions.create_batch(cycle=target, provider="BKASH", acting_user=None, at=world.at)
    assert message in " ".join(refused.value.messages)
    assert written() == before


def test_it_refuses_an_unknown_provider(cycle: Cycle) -> None:
    factories.entitlement(cycle)
    with pytest.raises(ValidationError) as refused:
        actions.create_batch(cycle=cycle, provider="PAYPAL", acting_user=None, at=timezone.now())
    assert "provider" in refused.value.message_dict


def test_it_numbers_the_batches_of_a_cycle_and_takes_each_entitlement_once(cycle: Cycle) -> None:
    factories.entitlement(cycle)
    first = actions.create_batch(cycle=cycle, provider="BKASH", acting_user=None, at=timezone.now())
    late = factories.entitlement(cycle)
    second = actions.create_batch(cycle=cycle, provider="BKASH", acting_user=None, at=timezone.now())
    assert second.reference.endswith("-2")
    assert list(second.payments.values_list("entitlement_id", flat=True)) == [late.pk]
    assert first.control_count == second.control_count == 1


def test_a_woman_who_exited_before_the_cycle_s_month_is_not_paid_for_it(cycle: Cycle) -> None:
    """Her entitlement of a cycle approved before she exited stays DUE; no batch pays it."""
    paid = factories.entitlement(cycle)
    died = factories.entitlement(cycle)
    exited_in_month = factories.entitlement(cycle)
    at = timezone.now()
    for entitlement, on in ((died, date(2026, 2, 10)), (exited_in_month, date(2026, 3, 10))):
        outcome = benefit_actions.exit_enrolment(
            enrolment=entitlement.enrolment, reason="DIED", on=on, acting_user=None, at=at
        )
        assert outcome.left_in_approved == (1 if on < cycle.month else 0)
    # An exit without a date (none of Haven's verbs writes one) stops nothing, as at the distribution point.
    undated = factories.entitlement(cycle)
    Enrolment.objects.filter(pk=undated.enrolment_id).update(status="EXITED", exited_on=None)

    batch = actions.create_batch(cycle=cycle, provider="BKASH", acting_user=None, at=at)

    assert sorted(batch.payments.values_list("entitlement_id", flat=True)) == sorted(
        [paid.pk, exited_in_month.pk, undated.pk]
    )
    assert (batch.control_count, batch.control_sum) == (3, Decimal("2400.00"))
