"""The loans API: a loan's whole life through it, 422 with field errors, nothing half-written."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from haven.conftest import World
from haven.loans.tests.helpers import active, api, borrower, product, written
from haven.orgs.roles import Role


def test_a_loan_from_application_to_portfolio(world: World) -> None:
    officer = world.members[Role.PROGRAMME_OFFICER]
    made = api(
        world,
        officer,
        "POST",
        "/loan-products",
        {
            "name": "Weekly microcredit",
            "currency": "bdt",
            "service_charge_percent": "5",
            "term_months": 12,
            "frequency": "WEEKLY",
            "min_amount": 5000,
            "max_amount": "30000",
        },
    )
    assert made.status_code == 201 and made.json()["currency"] == "BDT"
    who = borrower(world.org)
    today = timezone.localdate().isoformat()
    loan = api(
        world,
        officer,
        "POST",
        "/loans",
        {
            "product_id": made.json()["id"],
            "beneficiary_id": str(who.pk),
            "amount": "10400",
            "purpose": "Poultry",
            "training_completed": True,
            "training_where": "Union centre",
        },
    ).json()
    assert loan["status"] == "APPLIED" and loan["requested"] == "10400.00"
    decided = api(
        world,
        officer,
        "POST",
        f"/loans/{loan['id']}/decision",
        {
            "outcome": "APPROVED",
            "decided_on": today,
            "members_present": "A, B, C",
            "reason": "Sound plan",
        },
    )
    assert decided.status_code == 201 and decided.json()["members_count"] == 3
    paid_out = api(
        world, officer, "POST", f"/loans/{loan['id']}/disbursement", {"disbursed_on": today, "method": "CASH"}
    )
    assert (
        paid_out.json()["outstanding_principal"] == "10400.00"
        and paid_out.json()["outstanding_charge"] == "520.00"
    )
    schedules = api(world, officer, "GET", f"/loans/{loan['id']}/schedules").json()
    assert (
        len(schedules[0]["instalments"]) == 52 and schedules[0]["instalments"][0]["principal_due"] == "200.00"
    )
    repaid = api(
        world,
        officer,
        "POST",
        f"/loans/{loan['id']}/repayments",
        {"paid_on": today, "amount": 210, "receipt_number": "A-1"},
    )
    assert repaid.status_code == 201 and repaid.json()["amount"] == "210.00"
    figures = api(world, officer, "GET", "/loan-portfolio").json()
    assert figures["currency"] == "BDT" and figures["outstanding_principal"] == "10200.00"
    assert [b["label"] for b in figures["ageing"]] == ["1-30", "31-60", "61-90", "90+"]


def test_bad_input_is_a_422_and_writes_nothing(world: World) -> None:
    loan = active(product(world.org))
    officer = world.members[Role.COMPUTER_OPERATOR]
    world.token_for(officer)
    before = written()
    too_much = api(
        world,
        officer,
        "POST",
        f"/loans/{loan.pk}/repayments",
        {"paid_on": "2026-02-01", "amount": "99999", "receipt_number": "X-1"},
    )
    assert too_much.status_code == 422 and too_much.json()["errors"][0]["field"] == "amount"
    malformed = api(
        world, officer, "POST", f"/loans/{loan.pk}/repayments", {"paid_on": "soon", "amount": "x"}
    )
    assert malformed.status_code == 422
    again = api(
        world,
        officer,
        "POST",
        f"/loans/{loan.pk}/decision",
        {"outcome": "APPROVED", "decided_on": "2026-01-15", "members_present": "A", "reason": "r"},
    )
    assert again.status_code == 422 and "already decided" in again.json()["errors"][0]["message"]
    assert written() == before


def test_only_programme_officers_write_off_and_outsiders_get_404(world: World) -> None:
    loan = active(product(world.org), borrower(world.org, born_on=date(1980, 1, 1)))
    body = {"written_off_on": "2026-03-01", "reason": "Moved away"}
    operator = api(world, world.members[Role.COMPUTER_OPERATOR], "POST", f"/loans/{loan.pk}/write-off", body)
    assert operator.status_code == 403
    assert api(world, world.outsider, "GET", f"/loans/{loan.pk}").status_code == 404
    done = api(world, world.members[Role.PROGRAMME_OFFICER], "POST", f"/loans/{loan.pk}/write-off", body)
    assert done.status_code == 200 and done.json()["written_off"] == "12600.00"
