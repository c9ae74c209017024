"""The pages and the API, as the people who use them: an operator makes a batch, an officer approves
it, downloads the file and imports the results; the reconciliation shows where the cycle stands; the
list pages cost a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from haven.benefits.models import Cycle
from haven.benefits.payments.models import Payment, PaymentBatch
from haven.benefits.payments.tests import factories
from haven.benefits.payments.tests.conftest import api, errors
from haven.conftest import World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def test_a_batch_goes_from_draft_to_reconciled_through_the_pages(world: World, cycle: Cycle) -> None:
    factories.entitlements(cycle, 2)
    operator = world.client_for(world.members[Role.COMPUTER_OPERATOR])
    made = operator.post(reverse("payments:batch_create"), {"cycle": cycle.pk, "provider": "BKASH"})
    assert made.status_code == 302, made.content
    batch = PaymentBatch.objects.get()
    page = operator.get(made["Location"]).content.decode()
    assert "MCB-2026-03-BKASH-1" in page and 'id="approve"' not in page
    assert operator.post(reverse("payments:batch_approve", args=[batch.pk])).status_code == 403

    officer = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    approved = officer.post(reverse("payments:batch_approve", args=[batch.pk]), follow=True)
    assert "Batch approved." in approved.content.decode()
    download = officer.get(reverse("payments:batch_file", args=[batch.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="MCB-2026-03-BKASH-1.xlsx"'
    assert download["Cache-Control"] == "no-store"

    first, second = batch.payments.order_by("pk")
    content = factories.results(batch, [(first, "PAID", ""), (second, "FAILED", "E1002")])
    upload = SimpleUploadedFile("results.csv", content, content_type="text/csv")
    imported = officer.post(reverse("payments:batch_import", args=[batch.pk]), {"file": upload}, follow=True)
    text = imported.content.decode()
    assert "Results imported." in text and "The wallet is in another person&#x27;s name" in text
    assert PaymentBatch.objects.get().status == "RECONCILED"

    wallet_page = reverse("payments:wallet_correct", args=[second.pk])
    refused = officer.post(wallet_page, {"provider": "BKASH", "wallet_number": "555"})
    assert refused.status_code == 422 and "Bangladeshi mobile number" in refused.content.decode()
    assert officer.post(wallet_page, {"provider": "BKASH", "wallet_number": "01712345678"}).status_code == 302

    recon = officer.get(reverse("payments:reconciliation", args=[cycle.pk])).content.decode()
    assert 'id="reconciliation"' in recon


def test_a_refused_result_file_is_shown_with_its_lines(world: World, cycle: Cycle) -> None:
    factories.entitlement(cycle)
    batch = factories.sent_batch(cycle)
    officer = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    bad = b"Reference,Wallet Number,Amount,Status,Error Code,TrxID\r\nHV0-9,,800.00,Completed,,T1\r\n"
    upload = SimpleUploadedFile("results.csv", bad, content_type="text/csv")
    response = officer.post(reverse("payments:batch_import", args=[batch.pk]), {"file": upload})
    assert response.status_code == 422
    assert "Line 2: no payment of this batch has the reference" in response.content.decode()
    assert Payment.objects.get().status == "PENDING"


def test_the_lists_cost_a_fixed_number_of_queries(
    world: World, cycle: Cycle, django_assert_max_num_queries: Any
) -> None:
    factories.entitlements(cycle, 12)
    batch = factories.sent_batch(cycle)
    officer = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    with django_assert_max_num_queries(20):
        assert officer.get(reverse("payments:index")).status_code == 200
    with django_assert_max_num_queries(24):
        page = officer.get(reverse("payments:batch", args=[batch.pk]))
    assert page.content.decode().count("•••••••") == 12  # wallet numbers masked


def test_the_api_makes_approves_and_imports(world: World, cycle: Cycle) -> None:
    factories.entitlements(cycle, 2)
    operator, officer = world.members[Role.COMPUTER_OPERATOR], world.members[Role.PROGRAMME_OFFICER]
    made = api(world, operator, "POST", "/payment-batches", {"cycle_id": str(cycle.pk), "provider": "ROCKET"})
    assert made.status_code == 422 and "Nothing to pay" in errors(made)
    made = api(world, operator, "POST", "/payment-batches", {"cycle_id": str(cycle.pk), "provider": "BKASH"})
    assert made.status_code == 201, made.content
    batch_id = made.json()["id"]
    assert made.json()["control_sum"] == "1600.00"
    assert api(world, operator, "POST", f"/payment-batches/{batch_id}/approve", {}).status_code == 403
    assert api(world, officer, "POST", f"/payment-batches/{batch_id}/approve", {}).status_code == 200
    file = api(world, officer, "GET", f"/payment-batches/{batch_id}/file")
    assert file.status_code == 200 and file["X-Content-SHA256"]

    batch = PaymentBatch.objects.get(pk=batch_id)
    body = {"file_name": "r.csv", "content": factories.all_paid(batch).decode()}
    imported = api(world, officer, "POST", f"/payment-batches/{batch_id}/results", body)
    assert imported.status_code == 201 and imported.json()["paid"] == 2
    assert imported.json()["batch_status"] == "RECONCILED"
    unknown = {"file_name": "r.csv", "content": body["content"].replace("HV", "XX")}
    refused = api(world, officer, "POST", f"/payment-batches/{batch_id}/results", unknown)
    assert refused.status_code == 422 and "Line 2:" in errors(refused)

    recon = api(world, officer, "GET", f"/payment-cycles/{cycle.pk}/reconciliation").json()
    assert recon["paid"] == {"count": 2, "amount": "1600.00"}
    rates = api(world, officer, "GET", "/payment-success-rates").json()
    assert [(r["provider"], r["success_rate"]) for r in rates] == [("BKASH", 100.0)]
    assert AuditEntry.objects.filter(action="payment_batch.export", actor=officer.user).count() == 1
