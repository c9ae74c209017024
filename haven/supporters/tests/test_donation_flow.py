"""A fundraiser's day through the pages: add a supporter, record a gift, issue its receipt, download it,
cancel and reissue it. Each step is audited; the supporter's file is a read entry."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from haven.conftest import World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry
from haven.supporters.models import Receipt, Supporter
from haven.supporters.tests import walk
from haven.web.tests.pdf_support import text_of


def test_it_records_a_gift_and_issues_cancels_and_reissues_its_receipt(world: World) -> None:
    client = world.client_for(world.members[Role.FUNDRAISER])
    created = client.post(
        reverse("supporters:create"),
        {"kind": "INDIVIDUAL", "name": "Élise Côté", "email": "elise@example.org", "language": "fr"},
    )
    assert created.status_code == 302, created.content
    supporter = Supporter.objects.get()
    assert created["Location"] == reverse("supporters:detail", args=[supporter.pk])
    page = client.get(created["Location"])
    assert "Élise Côté" in page.content.decode()
    assert AuditEntry.objects.filter(action="supporter.view", object_id=str(supporter.pk)).count() == 1

    gift: dict[str, Any] = {
        "kind": "MONEY",
        "received_on": timezone.localdate().isoformat(),
        "amount": "250.00",
        "currency": "cad",
        "method": "CHEQUE",
    }
    assert client.post(reverse("supporters:donation_create", args=[supporter.pk]), gift).status_code == 302
    donation = supporter.donations.get()
    assert (donation.amount, donation.currency) == (Decimal("250.00"), "CAD")

    issued = client.post(reverse("supporters:receipt_issue", args=[donation.pk]), follow=True)
    receipt = Receipt.objects.get()
    assert receipt.number == f"{timezone.localdate().year}-00001"
    assert "Receipt issued." in issued.content.decode()
    assert receipt.number in issued.content.decode()

    pdf = client.get(reverse("supporters:receipt_pdf", args=[receipt.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert f"receipt-{receipt.number}.pdf" in pdf["Content-Disposition"]
    assert receipt.number in text_of(pdf.content)

    cancel_url = reverse("supporters:receipt_cancel", args=[receipt.pk])
    refused = client.post(cancel_url, {"reason": "", "reissue": "on"})
    assert refused.status_code == 422
    assert client.post(cancel_url, {"reason": "Misspelt name", "reissue": "on"}).status_code == 302
    old, new = Receipt.objects.order_by("sequence")
    assert (old.status, old.cancel_reason, old.number) == ("CANCELLED", "Misspelt name", receipt.number)
    assert (new.status, new.replaces_id, new.sequence) == ("ISSUED", old.pk, 2)

    actions = set(AuditEntry.objects.filter(org=world.org).values_list("action", flat=True))
    assert {
        "supporter.create",
        "supporter.view",
        "donation.record",
        "receipt.issue",
        "receipt.print",
        "receipt.cancel",
    } <= actions


def test_the_list_page_decrypts_names_in_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    for number in range(3):
        walk.gift_in_kind(walk.supporter(world.org, name=f"Donor {number}"))
    client = world.client_for(world.members[Role.FUNDRAISER])
    client.get(reverse("supporters:list"))  # warms the session and the key ring
    with django_assert_max_num_queries(8):
        page = client.get(reverse("supporters:list"))
    for number in range(3):
        assert f"Donor {number}" in page.content.decode()
    for number in range(3, 10):
        walk.supporter(world.org, name=f"Donor {number}")
    with django_assert_max_num_queries(8):
        client.get(reverse("supporters:list"))
