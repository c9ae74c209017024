"""Four eyes and the provider file: a batch is approved by someone other than its maker, its control
totals are checked again before every export, and each provider gets its own file with a control line.
Every download is audited."""

from __future__ import annotations

import csv
import hashlib
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import load_workbook

from haven.accounts.models import User
from haven.benefits.models import Cycle
from haven.benefits.payments import actions
from haven.benefits.payments.models import Payment, PaymentBatch, PaymentFile
from haven.benefits.payments.tests import factories
from haven.orgs.models import Membership
from haven.privacy.models import AuditEntry


def test_the_maker_cannot_approve_her_own_batch(
    cycle: Cycle, officer: User, second_officer: Membership
) -> None:
    factories.entitlement(cycle)
    batch = actions.create_batch(cycle=cycle, provider="BKASH", acting_user=officer, at=timezone.now())
    with pytest.raises(ValidationError, match="another programme officer"):
        actions.approve_batch(batch=batch, acting_user=officer, at=timezone.now())
    # The database says the same, whatever a verb forgets.
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).update(approved_by=officer)

    actions.approve_batch(batch=batch, acting_user=second_officer.user, at=timezone.now())
    assert (batch.status, batch.approved_by_id) == ("APPROVED", second_officer.user.pk)
    with pytest.raises(ValidationError, match="Only a draft"):
        actions.approve_batch(batch=batch, acting_user=second_officer.user, at=timezone.now())


def test_no_file_before_approval(cycle: Cycle) -> None:
    factories.entitlement(cycle)
    batch = actions.create_batch(cycle=cycle, provider="BKASH", acting_user=None, at=timezone.now())
    with pytest.raises(ValidationError, match="approved batch"):
        actions.export_batch(batch=batch, acting_user=None, at=timezone.now())
    assert not PaymentFile.objects.exists()


def test_a_batch_changed_behind_its_back_is_not_exported(cycle: Cycle) -> None:
    factories.entitlements(cycle, 2)
    batch = actions.create_batch(cycle=cycle, provider="BKASH", acting_user=None, at=timezone.now())
    actions.approve_batch(batch=batch, acting_user=None, at=timezone.now())
    Payment.objects.filter(pk=batch.payments.first().pk).update(amount=Decimal("8000"))  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="control totals"):
        actions.export_batch(batch=batch, acting_user=None, at=timezone.now())
    assert PaymentBatch.objects.get(pk=batch.pk).status == "APPROVED"


def test_the_bkash_file_is_a_workbook_with_a_total_row(cycle: Cycle, officer: User) -> None:
    factories.entitlement(cycle, number="01711-000001")
    factories.entitlement(cycle, number="+8801911000002", amount="1600")
    batch = actions.create_batch(cycle=cycle, provider="BKASH", acting_user=None, at=timezone.now())
    actions.approve_batch(batch=batch, acting_user=None, at=timezone.now())
    exported = actions.export_batch(batch=batch, acting_user=officer, at=timezone.now())

    rows = list(load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[1] == ("SL", "Wallet Number", "Amount", "Reference")
    assert sorted(r[1] for r in rows[2:4]) == ["01711000001", "01911000002"]
    assert rows[-1][:3] == ("TOTAL", 2, "2400.00")
    assert exported.name == "MCB-2026-03-BKASH-1.xlsx"
    assert exported.record.sha256 == hashlib.sha256(exported.content).hexdigest()
    assert PaymentBatch.objects.get(pk=batch.pk).status == "EXPORTED"
    entry = AuditEntry.objects.get(action="payment_batch.export")
    assert (entry.actor_id, entry.object_id) == (officer.pk, str(batch.pk))
    # A second download is the same batch, recorded again; the status stays.
    actions.export_batch(batch=batch, acting_user=officer, at=timezone.now())
    assert AuditEntry.objects.filter(action="payment_batch.export").count() == 2


def test_the_nagad_file_has_header_details_and_a_hashed_trailer(cycle: Cycle) -> None:
    entitlement = factories.entitlement(cycle, provider="nagad", number="01811000003")
    batch = factories.sent_batch(cycle, "NAGAD")
    content = PaymentFile.objects.get(batch=batch)
    exported = actions.export_batch(batch=batch, acting_user=None, at=timezone.now()).content
    lines = exported.decode().splitlines()
    assert lines[0].startswith(f"H|{batch.reference}|") and lines[0].endswith("|1|800.00")
    assert lines[1] == f"D|1|8801811000003|800.00|HV{entitlement.pk}-1"
    detail_hash = hashlib.sha256((lines[1] + "\r\n").encode()).hexdigest()
    assert lines[2] == f"T|1|800.00|{detail_hash}"
    assert content.control_count == 1


def test_the_rocket_file_ends_with_a_control_line(cycle: Cycle) -> None:
    factories.entitlements(cycle, 2, provider="ROCKET")
    batch = factories.sent_batch(cycle, "ROCKET")
    exported = actions.export_batch(batch=batch, acting_user=None, at=timezone.now()).content
    rows = list(csv.reader(io.StringIO(exported.decode())))
    assert rows[0] == ["MOBILE", "AMOUNT", "REFERENCE"]
    assert all(row[0].startswith("+8801") for row in rows[1:3])
    assert rows[-1] == ["CONTROL", "2", "1600.00"]


def test_cancelling_frees_the_entitlements_but_not_after_export(cycle: Cycle) -> None:
    factories.entitlement(cycle)
    batch = actions.create_batch(cycle=cycle, provider="BKASH", acting_user=None, at=timezone.now())
    with pytest.raises(ValidationError):
        actions.cancel_batch(batch=batch, reason=" ", acting_user=None, at=timezone.now())
    actions.cancel_batch(batch=batch, reason="Wrong month", acting_user=None, at=timezone.now())
    assert batch.payments.get().status == "CANCELLED"
    again = factories.sent_batch(cycle)
    assert again.payments.get().attempt == 2
    with pytest.raises(ValidationError, match="already sent"):
        actions.cancel_batch(batch=again, reason="Too late", acting_user=None, at=timezone.now())
