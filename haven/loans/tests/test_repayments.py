"""Repayments: allocation order, advance payments, overpayment, closing, reversal, refusals."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from haven.conftest import World
from haven.loans import actions
from haven.loans.models import Loan, Repayment
from haven.loans.tests.helpers import DAY, active, applied, at, borrower, current, product, repay, written

# Tk 12,000 for 12 months at 5 %: Tk 600 of charge; each month Tk 1,000 of principal and Tk 50 of charge.


def _paid(loan: Loan) -> list[tuple[int, int]]:
    return [(i.charge_paid_minor, i.principal_paid_minor) for i in current(loan)]


def test_it_pays_the_oldest_instalment_first_charge_before_principal(world: World) -> None:
    loan = active(product(world.org))
    repay(loan, "1075", date(2026, 2, 20), "R-1")
    assert _paid(loan)[:3] == [(5000, 100000), (2500, 0), (0, 0)]
    repay(loan, "2100", date(2026, 3, 20), "R-2")  # the rest of #2, all of #3, Tk 25 of #4 in advance
    assert _paid(loan)[:4] == [(5000, 100000), (5000, 100000), (5000, 100000), (2500, 0)]


def test_it_refuses_more_than_the_balance_and_closes_when_repaid(world: World) -> None:
    loan = active(product(world.org))
    before = written()
    with pytest.raises(ValidationError) as refused:
        repay(loan, "12600.01", date(2026, 2, 1), "R-1")
    assert "more than she still owes" in refused.value.message_dict["amount"][0]
    assert written() == before
    repay(loan, "12600", date(2026, 2, 1), "R-1")
    loan.refresh_from_db()
    assert loan.status == Loan.Status.CLOSED and loan.closed_on == date(2026, 2, 1)
    with pytest.raises(ValidationError) as refused:
        repay(loan, "10", date(2026, 2, 2), "R-2")
    assert "closed" in refused.value.message_dict["amount"][0]


def test_it_refuses_a_receipt_number_twice_a_future_date_and_before_disbursement(world: World) -> None:
    terms = product(world.org)
    loan, other = active(terms), active(terms)
    repay(loan, "100", date(2026, 2, 1), "R-7")
    with pytest.raises(ValidationError) as refused:
        repay(other, "100", date(2026, 2, 1), "R-7")
    assert "receipt_number" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        repay(loan, "100", date(2026, 2, 2), "R-8", today=date(2026, 2, 1))
    assert "paid_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        repay(loan, "100", date(2026, 1, 1), "R-9", today=date(2026, 2, 1))
    assert "paid_on" in refused.value.message_dict


def test_a_reversal_is_a_new_row_that_undoes_the_payment_and_reopens_the_loan(world: World) -> None:
    loan = active(product(world.org))
    repay(loan, "1050", date(2026, 2, 10), "R-1")
    mistaken = repay(loan, "11550", date(2026, 2, 11), "R-2")
    loan.refresh_from_db()
    assert loan.status == Loan.Status.CLOSED
    reversal = actions.reverse_repayment(
        repayment=mistaken, reason="Entered on the wrong passbook", acting_user=None, at=at(date(2026, 2, 12))
    )
    loan.refresh_from_db()
    assert reversal.kind == Repayment.Kind.REVERSAL and reversal.amount_minor == -1_155_000
    assert loan.status == Loan.Status.ACTIVE and loan.closed_on is None
    assert _paid(loan)[:2] == [(5000, 100000), (0, 0)]
    assert Repayment.objects.filter(loan=loan).count() == 3  # nothing was deleted
    with pytest.raises(ValidationError):
        actions.reverse_repayment(repayment=mistaken, reason="again", acting_user=None, at=at(DAY))
    with pytest.raises(ValidationError):
        actions.reverse_repayment(repayment=reversal, reason="undo", acting_user=None, at=at(DAY))


def test_a_written_off_loan_takes_no_repayment(world: World) -> None:
    loan = active(product(world.org))
    repay(loan, "3150", date(2026, 4, 15), "R-1")
    actions.write_off_loan(
        loan=loan,
        written_off_on=date(2026, 12, 1),
        reason="She left the district",
        acting_user=None,
        at=at(date(2026, 12, 1)),
    )
    assert loan.status == Loan.Status.WRITTEN_OFF
    assert (loan.written_off_principal_minor, loan.written_off_charge_minor) == (900_000, 45_000)
    with pytest.raises(ValidationError) as refused:
        repay(loan, "100", date(2026, 12, 2), "R-2")
    assert "written off" in refused.value.message_dict["amount"][0]


def test_rescheduling_spreads_what_is_owed_and_keeps_the_old_schedule(world: World) -> None:
    loan = active(product(world.org))
    repay(loan, "2100", date(2026, 3, 15), "R-1")  # two instalments paid, ten not
    made = actions.reschedule_loan(
        loan=loan,
        decided_on=date(2026, 7, 1),
        members_present="Chair\nSecretary",
        reason="Flood",
        term_months=20,
        grace_days=30,
        acting_user=None,
        at=at(date(2026, 7, 1)),
    )
    lines = current(loan)
    assert made.version == 2 and made.decision is not None and made.decision.kind == "RESCHEDULE"
    assert len(lines) == 20 and lines[0].due_on == date(2026, 8, 31)
    assert sum(i.principal_due_minor for i in lines) == 1_000_000
    assert sum(i.charge_due_minor for i in lines) == 50_000  # no new charge
    assert loan.instalments.filter(is_current=False).count() == 12
    old = repay(loan, "1", date(2026, 7, 2), "R-2")
    actions.reverse_repayment(repayment=old, reason="typo", acting_user=None, at=at(date(2026, 7, 3)))
    with pytest.raises(ValidationError) as refused:
        actions.reverse_repayment(
            repayment=Repayment.objects.get(receipt_number="R-1"), reason="x", acting_user=None, at=at(DAY)
        )
    assert "rescheduled" in refused.value.message_dict["reason"][0]


def test_a_closing_repayment_is_not_reversed_once_she_has_applied_for_her_next_loan(world: World) -> None:
    terms = product(world.org)
    who = borrower(world.org)
    loan = active(terms, who)
    closing = repay(loan, "12600", date(2026, 2, 1), "R-1")
    applied(terms, who, on=date(2026, 2, 2))  # her next loan, allowed once this one closed
    before = written()
    with pytest.raises(ValidationError) as refused:
        actions.reverse_repayment(
            repayment=closing, reason="Wrong passbook", acting_user=None, at=at(date(2026, 2, 3))
        )
    assert "one loan at a time" in refused.value.message_dict["reason"][0]
    assert written() == before
    loan.refresh_from_db()
    assert loan.status == Loan.Status.CLOSED
