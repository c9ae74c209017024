"""Every API answer that carries a loan's file (the borrower's name, what the loan is for, the committee's
reasons) is an audited read of the loan, whether it answers a read or a step of the loan: the same entry
(`loan.view`) `GET /loans/{id}` writes."""

from __future__ import annotations

from haven.conftest import World
from haven.loans.actions import LOAN_VIEW
from haven.loans.tests.helpers import DAY, active, api, applied, approve, borrower, product
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def _reads(member: Membership, loan_id: str) -> int:
    return AuditEntry.objects.filter(
        action=LOAN_VIEW, object_type="loans.loan", object_id=loan_id, actor=member.user
    ).count()


def test_applying_through_the_api_answers_with_an_audited_read(world: World) -> None:
    officer = world.members[Role.PROGRAMME_OFFICER]
    who = borrower(world.org)
    body = {
        "product_id": str(product(world.org).pk),
        "beneficiary_id": str(who.pk),
        "amount": "12000",
        "purpose": "Two goats",
        "training_completed": True,
        "training_where": "Upazila training centre",
    }
    made = api(world, officer, "POST", "/loans", body)
    assert made.status_code == 201, made.content
    assert made.json()["borrower_name"] == who.person.name
    assert _reads(officer, made.json()["id"]) == 1


def test_paying_out_through_the_api_answers_with_an_audited_read(world: World) -> None:
    loan = applied(product(world.org))
    approve(loan)
    officer = world.members[Role.PROGRAMME_OFFICER]
    body = {"disbursed_on": DAY.isoformat(), "method": "CASH"}
    paid_out = api(world, officer, "POST", f"/loans/{loan.pk}/disbursement", body)
    assert paid_out.status_code == 200, paid_out.content
    assert paid_out.json()["purpose"] == "Two goats"
    assert _reads(officer, str(loan.pk)) == 1


def test_writing_off_through_the_api_answers_with_an_audited_read(world: World) -> None:
    terms = product(world.org)
    loan, other = active(terms), active(terms)
    officer = world.members[Role.PROGRAMME_OFFICER]
    body = {"written_off_on": "2026-03-01", "reason": "Moved away"}
    done = api(world, officer, "POST", f"/loans/{loan.pk}/write-off", body)
    assert done.status_code == 200, done.content
    assert done.json()["purpose"] == "Two goats"
    assert _reads(officer, str(loan.pk)) == 1 and _reads(officer, str(other.pk)) == 0
