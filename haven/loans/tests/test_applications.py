"""Applying, the committee's decision and disbursement: the refusals the seed asks for, and the schedule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from haven.conftest import World
from haven.loans import actions
from haven.loans.models import CommitteeDecision, Loan, LoanTransition
from haven.loans.tests.helpers import DAY, active, applied, approve, at, borrower, current, product, written


def _refused(field: str, call: object, *args: object, **kwargs: object) -> str:
    before = written()
    with pytest.raises(ValidationError) as refused:
        call(*args, **kwargs)  # type: ignore[operator]
    assert written() == before, "a refusal left something behind"
    assert field in refused.value.message_dict
    return " ".join(refused.value.message_dict[field])


@pytest.mark.parametrize(
    ("born_on", "allowed"),
    [
        (date(2008, 1, 15), True),  # 18 on the application date
        (date(2008, 1, 16), False),  # 18 tomorrow
        (date(1970, 1, 16), True),  # 55, 56 tomorrow
        (date(1970, 1, 15), False),  # 56 that day
    ],
)
def test_it_takes_women_aged_18_to_55_on_the_application_date(
    world: World, born_on: date, allowed: bool
) -> None:
    terms = product(world.org)
    who = borrower(world.org, born_on=born_on)
    if allowed:
        assert applied(terms, who).status == Loan.Status.APPLIED
    else:
        message = _refused("beneficiary", applied, terms, who)
        assert "18 to 55" in message


def test_it_allows_one_open_loan_per_woman(world: World) -> None:
    terms = product(world.org)
    who = borrower(world.org)
    first = applied(terms, who)
    assert "one loan at a time" in _refused("beneficiary", applied, terms, who)
    # The database says the same if a second application slips past the check.
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(
            org=world.org,
            product=terms,
            beneficiary=who,
            area=who.area,
            applied_on=DAY,
            requested_minor=100,
            purpose="x",
            created_at=at(DAY),
        )
    actions.decide_application(
        loan=first,
        outcome="REJECTED",
        decided_on=DAY,
        members_present="Chair, Secretary",
        reason="No plan yet",
        acting_user=None,
        at=at(DAY),
    )
    assert applied(terms, who).status == Loan.Status.APPLIED  # a rejected one is not open


def test_it_refuses_amounts_outside_the_product_and_untrained_women(world: World) -> None:
    terms = product(world.org)
    who = borrower(world.org)
    assert "5000" in _refused("amount", applied, terms, who, amount="4999.99")
    assert "30000" in _refused("amount", applied, terms, who, amount="30001")
    _refused("amount", applied, terms, who, amount="100.001")
    with pytest.raises(ValidationError) as refused:
        actions.apply_for_loan(
            product=terms,
            beneficiary=borrower(world.org),
            amount="10000",
            purpose="Sewing machine",
            training_completed=False,
            applied_on=DAY,
            acting_user=None,
            at=at(DAY),
        )
    assert "training_where" in refused.value.message_dict


def test_the_committee_approves_a_smaller_amount_and_the_loan_is_paid_out(world: World) -> None:
    loan = applied(product(world.org), amount="20000")
    decision = approve(loan, amount="15000")
    assert decision.members_count == 3 and decision.outcome == CommitteeDecision.Outcome.APPROVED
    assert loan.status == Loan.Status.APPROVED and loan.principal == Decimal("15000.00")
    actions.disburse_loan(
        loan=loan,
        disbursed_on=date(2026, 1, 31),
        method="MOBILE_WALLET",
        acting_user=None,
        at=at(date(2026, 2, 1)),
    )
    lines = current(loan)
    assert loan.status == Loan.Status.ACTIVE and len(lines) == 12
    assert [i.due_on for i in lines[:2]] == [date(2026, 2, 28), date(2026, 3, 31)]
    assert sum(i.principal_due_minor for i in lines) == 1_500_000
    assert sum(i.charge_due_minor for i in lines) == 75_000  # 5 % of Tk 15,000 for one year
    moves = list(LoanTransition.objects.filter(loan=loan).values_list("from_status", "to_status"))
    assert moves == [("", "APPLIED"), ("APPLIED", "APPROVED"), ("APPROVED", "ACTIVE")]


def test_the_committee_cannot_approve_more_than_asked_or_decide_twice(world: World) -> None:
    loan = applied(product(world.org), amount="10000")
    _refused("approved_amount", approve, loan, amount="12000")
    _refused(
        "members_present",
        actions.decide_application,
        loan=loan,
        outcome="APPROVED",
        decided_on=DAY,
        members_present="  ",
        reason="ok",
        acting_user=None,
        at=at(DAY),
    )
    approve(loan)
    assert "already decided" in _refused("outcome", approve, loan)


def test_it_pays_out_only_approved_loans_not_before_approval(world: World) -> None:
    loan = applied(product(world.org))
    _refused(
        "disbursed_on",
        actions.disburse_loan,
        loan=loan,
        disbursed_on=DAY,
        method="CASH",
        acting_user=None,
        at=at(DAY),
    )
    approve(loan, on=date(2026, 1, 20))
    _refused(
        "disbursed_on",
        actions.disburse_loan,
        loan=loan,
        disbursed_on=date(2026, 1, 19),
        method="CASH",
        acting_user=None,
        at=at(date(2026, 1, 25)),
    )


def test_products_are_fixed_and_retired_products_take_no_applications(world: World) -> None:
    terms = product(world.org)
    active(terms)
    _refused("name", product, world.org)
    _refused("max_amount", product, world.org, name="Other", min_amount="500", max_amount="100")
    actions.retire_product(product=terms, acting_user=None, at=at(DAY))
    assert "retired" in _refused("product", applied, terms, borrower(world.org))
