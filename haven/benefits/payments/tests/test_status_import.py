"""The provider's result file: paid lines pay the entitlement, failed lines record a translated reason,
a file imported twice changes nothing the second time, and a file with a line for an unknown payment (or
one contradicting a recorded result) is refused whole, with its line numbers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.benefits.models import Cycle, Entitlement
from haven.benefits.payments import actions
from haven.benefits.payments.models import Payment, PaymentBatch, StatusImport
from haven.benefits.payments.providers import ResultLine, adapter_for
from haven.benefits.payments.tests import factories
from haven.privacy.models import AuditEntry


def _import(batch: PaymentBatch, content: bytes) -> StatusImport:
    return actions.import_statuses(
        batch=batch, file_name="results.csv", content=content, acting_user=None, at=timezone.now()
    )


def _state(batch: PaymentBatch) -> list[tuple[str, str]]:
    return [
        (p.status, p.entitlement.status) for p in batch.payments.select_related("entitlement").order_by("pk")
    ]


@pytest.mark.parametrize(("provider", "code"), [("BKASH", "E1001"), ("NAGAD", "NG-404"), ("ROCKET", "14")])
def test_it_applies_paid_and_failed_lines(cycle: Cycle, provider: str, code: str) -> None:
    factories.entitlements(cycle, 3, provider=provider)
    batch = factories.sent_batch(cycle, provider)
    first, second, third = batch.payments.order_by("pk")
    content = factories.results(
        batch, [(first, "PAID", ""), (second, "FAILED", code), (third, "PENDING", "")]
    )

    record = _import(batch, content)

    assert (record.paid, record.failed, record.unchanged) == (1, 1, 1)
    second.refresh_from_db()
    assert (second.status, second.reason, second.provider_code) == ("FAILED", "WALLET_NOT_FOUND", code)
    assert second.get_reason_display() == "No wallet with this number"
    assert not second.retry_ready
    assert _state(batch) == [("PAID", "PAID"), ("FAILED", "DUE"), ("PENDING", "DUE")]
    assert PaymentBatch.objects.get(pk=batch.pk).status == "EXPORTED"  # one still pending
    assert AuditEntry.objects.filter(action="payment_batch.import").count() == 1


def test_importing_the_same_file_twice_changes_nothing(cycle: Cycle) -> None:
    factories.entitlements(cycle, 2)
    batch = factories.sent_batch(cycle)
    first, second = batch.payments.order_by("pk")
    content = factories.results(
        batch, [(first, "PAID", ""), (second, "FAILED", "E1003"), (first, "PAID", "")]
    )
    record = _import(batch, content)
    assert (record.paid, record.failed, record.unchanged) == (1, 1, 1)  # the repeated line is ignored
    assert PaymentBatch.objects.get(pk=batch.pk).status == "RECONCILED"
    second.refresh_from_db()
    assert second.retry_ready  # a limit exceeded may be tried again as it is

    again = _import(batch, content)
    assert (again.paid, again.failed, again.unchanged) == (0, 0, 3)
    assert Payment.objects.filter(status="PAID").count() == 1
    assert Entitlement.objects.filter(status="PAID").count() == 1


def test_an_unknown_payment_refuses_the_whole_file(cycle: Cycle) -> None:
    factories.entitlements(cycle, 2)
    batch = factories.sent_batch(cycle)
    first, second = batch.payments.order_by("pk")
    adapter = adapter_for("BKASH")
    content = adapter.render_results(
        [
            ResultLine(2, first.idempotency_key, "PAID", first.amount, "", "T1"),
            ResultLine(3, "HV999999-1", "PAID", first.amount, "", "T2"),
            ResultLine(4, second.idempotency_key, "PAID", second.amount, "", "T3"),
            ResultLine(5, "HV888888-1", "FAILED", first.amount, "E1001", "T4"),
        ]
    )
    with pytest.raises(ValidationError) as refused:
        _import(batch, content)
    messages = refused.value.message_dict["file"]
    assert messages[0].startswith("Line 3:") and "HV999999-1" in messages[0]
    assert messages[1].startswith("Line 5:")
    assert "Nothing was applied" in messages[-1]
    assert _state(batch) == [("PENDING", "DUE"), ("PENDING", "DUE")]
    assert not StatusImport.objects.exists()
    assert not AuditEntry.objects.filter(action="payment_batch.import").exists()


def test_a_line_contradicting_a_recorded_result_or_its_amount_is_refused(cycle: Cycle) -> None:
    factories.entitlements(cycle, 2)
    batch = factories.sent_batch(cycle)
    first, second = batch.payments.order_by("pk")
    _import(batch, factories.results(batch, [(first, "PAID", "")]))
    adapter = adapter_for("BKASH")
    content = adapter.render_results(
        [
            ResultLine(2, first.idempotency_key, "FAILED", first.amount, "E1001", "T9"),
            ResultLine(3, second.idempotency_key, "PAID", second.amount + 1, "", "T8"),
        ]
    )
    with pytest.raises(ValidationError) as refused:
        _import(batch, content)
    text = " ".join(refused.value.messages)
    assert "Line 2: this payment is already recorded as Paid" in text
    assert "Line 3: the amount 801.00 differs" in text
    assert _state(batch) == [("PAID", "PAID"), ("PENDING", "DUE")]


def test_a_malformed_file_is_refused_with_its_lines(cycle: Cycle) -> None:
    factories.entitlement(cycle)
    batch = factories.sent_batch(cycle)
    key = batch.payments.get().idempotency_key
    bad = (
        "Reference,Wallet Number,Amount,Status,Error Code,TrxID\r\n"
        f"{key},,eight hundred,Completed,,T1\r\n"
        f"{key},,800.00,Lost,,T1\r\n"
    ).encode()
    with pytest.raises(ValidationError) as refused:
        _import(batch, bad)
    text = " ".join(refused.value.messages)
    assert "Line 2: the amount is not a number." in text and "Line 3: the status “Lost”" in text
    with pytest.raises(ValidationError, match="columns should be"):
        _import(batch, b"ref;status\r\n")
    with pytest.raises(ValidationError, match="no result lines"):
        _import(batch, b"Reference,Wallet Number,Amount,Status,Error Code,TrxID\r\n")


def test_results_are_only_for_a_sent_batch(cycle: Cycle) -> None:
    factories.entitlement(cycle)
    batch = actions.create_batch(cycle=cycle, provider="BKASH", acting_user=None, at=timezone.now())
    content = factories.all_paid(batch)
    with pytest.raises(ValidationError, match="whose file was sent"):
        _import(batch, content)
