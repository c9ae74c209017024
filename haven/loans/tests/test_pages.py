"""The loans pages as a loan officer uses them: apply by registry number, decide, pay out, repay, read."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone

from haven.conftest import World
from haven.loans.actions import LOAN_VIEW
from haven.loans.models import Loan
from haven.loans.tests.helpers import active, borrower, product, repay
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def _post(client: Any, name: str, loan: Loan, data: dict[str, Any]) -> Any:
    return client.post(reverse(name, args=[loan.pk]), data)


def test_an_officer_takes_a_loan_from_application_to_first_repayment(world: World) -> None:
    terms = product(world.org)
    who = borrower(world.org, born_on=date(1985, 6, 1))
    client = world.client_for(world.members[Role.COMPUTER_OPERATOR])
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("loans:apply"),
        {
            "registry_number": who.registry_number,
            "product": terms.pk,
            "amount": "15000",
            "purpose": "A cow",
            "training_completed": "on",
            "training_where": "Upazila centre",
            "applied_on": today,
        },
    )
    assert response.status_code == 302, response.content
    loan = Loan.objects.get(beneficiary=who)
    decision = {
        "outcome": "APPROVED",
        "decided_on": today,
        "members_present": "Chair\nSecretary",
        "reason": "Ok",
    }
    assert _post(client, "loans:decide", loan, decision).status_code == 302
    assert _post(client, "loans:disburse", loan, {"disbursed_on": today, "method": "CASH"}).status_code == 302
    paid = {"paid_on": today, "amount": "1312.50", "receipt_number": "B-0001"}
    assert _post(client, "loans:repay", loan, paid).status_code == 302
    page = client.get(reverse("loans:detail", args=[loan.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "Rokeya Khatun" in text and "B-0001" in text
    assert 'id="schedule"' in text and text.count("<tr>") > 12
    assert AuditEntry.objects.filter(action=LOAN_VIEW, object_id=str(loan.pk)).count() == 1


def test_refusals_come_back_on_the_form_with_the_reason(world: World) -> None:
    terms = product(world.org)
    client = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    young = borrower(world.org, born_on=date(2012, 1, 1))
    response = client.post(
        reverse("loans:apply"),
        {
            "registry_number": young.registry_number,
            "product": terms.pk,
            "amount": "15000",
            "purpose": "A cow",
            "training_completed": "on",
            "training_where": "Centre",
            "applied_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 422 and "18 to 55" in response.content.decode()
    response = client.post(
        reverse("loans:apply"),
        {
            "registry_number": "nobody",
            "product": terms.pk,
            "amount": "1",
            "purpose": "x",
            "applied_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 422 and "No woman in the registry" in response.content.decode()
    assert not Loan.objects.exists()


def test_a_caseworker_cannot_see_the_loans(world: World) -> None:
    loan = active(product(world.org))
    client = world.client_for(world.members[Role.CASEWORKER])
    assert client.get(reverse("loans:detail", args=[loan.pk])).status_code == 403


def test_the_list_and_portfolio_take_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    terms = product(world.org)
    for _n in range(8):
        loan = active(terms, on=date(2026, 1, 15))
    repay(loan, "1050", date(2026, 2, 15), "Q-1")
    client = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    client.get(reverse("loans:list"))  # warm the session and the organisation's key
    with django_assert_max_num_queries(10):
        response = client.get(reverse("loans:list"))
    assert response.status_code == 200 and response.content.decode().count("L-") >= 8
    with django_assert_max_num_queries(14):
        response = client.get(reverse("loans:portfolio") + "?on=2026-06-01")
    assert response.status_code == 200 and 'id="par30"' in response.content.decode()
