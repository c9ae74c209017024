"""Rescheduling is a committee decision on a loan being repaid: it cannot be dated before the loan was
paid out, whether it comes from the verb, the API or the page, and a refusal writes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from haven.conftest import World
from haven.loans import actions
from haven.loans.models import Loan
from haven.loans.tests.helpers import DAY, api, applied, approve, at, product, written
from haven.orgs.roles import Role

APPLIED_ON = date(2026, 1, 5)
BEFORE_PAYOUT = date(2026, 1, 10)  # after the application, before the money was paid out on DAY


def _paid_out_on_day(world: World) -> Loan:
    loan = applied(product(world.org), on=APPLIED_ON)
    approve(loan)
    actions.disburse_loan(loan=loan, disbursed_on=DAY, method="CASH", acting_user=None, at=at(DAY))
    return loan


def _reschedule(loan: Loan, decided_on: date) -> None:
    actions.reschedule_loan(
        loan=loan,
        decided_on=decided_on,
        members_present="Chair\nSecretary",
        reason="Flood",
        term_months=12,
        acting_user=None,
        at=at(date(2026, 2, 1)),
    )


def test_it_refuses_a_rescheduling_decided_before_the_loan_was_paid_out(world: World) -> None:
    loan = _paid_out_on_day(world)
    before = written()
    with pytest.raises(ValidationError) as refused:
        _reschedule(loan, BEFORE_PAYOUT)
    assert refused.value.message_dict["decided_on"] == [
        "A loan cannot be rescheduled before it was paid out."
    ]
    assert written() == before
    assert loan.schedules.count() == 1

    _reschedule(loan, DAY)  # the day it was paid out is the earliest a committee can reschedule it
    assert loan.schedules.get(is_current=True).starts_on == DAY


def test_the_api_and_the_page_refuse_it_beside_the_date(world: World) -> None:
    loan = _paid_out_on_day(world)
    officer = world.members[Role.PROGRAMME_OFFICER]
    body = {
        "decided_on": BEFORE_PAYOUT.isoformat(),
        "members_present": "Chair, Secretary",
        "reason": "Flood",
        "term_months": 12,
        "grace_days": 0,
    }
    world.token_for(officer)
    client = world.client_for(officer)  # signing in and the token are audited: before counting
    before = written()
    answer = api(world, officer, "POST", f"/loans/{loan.pk}/reschedule", body)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "decided_on"
    assert "rescheduled before it was paid out" in answer.json()["errors"][0]["message"]

    page = client.post(reverse("loans:reschedule", args=[loan.pk]), body)
    assert page.status_code == 422
    assert "A loan cannot be rescheduled before it was paid out." in page.content.decode()
    assert written() == before


FIRST_RESCHEDULE = date(2026, 1, 25)
BEFORE_FIRST_RESCHEDULE = date(2026, 1, 20)  # after the payout, before the schedule now in force starts


def test_it_refuses_a_second_rescheduling_dated_before_the_schedule_in_force(world: World) -> None:
    loan = _paid_out_on_day(world)
    _reschedule(loan, FIRST_RESCHEDULE)
    before = written()
    with pytest.raises(ValidationError) as refused:
        _reschedule(loan, BEFORE_FIRST_RESCHEDULE)
    assert refused.value.message_dict["decided_on"] == [
        "A loan cannot be rescheduled before its current schedule starts."
    ]
    assert written() == before
    newest = loan.schedules.get(is_current=True)
    assert (newest.version, newest.starts_on) == (2, FIRST_RESCHEDULE)

    _reschedule(loan, FIRST_RESCHEDULE)  # the same day is the earliest the committee can decide again
    newest = loan.schedules.get(is_current=True)
    assert (newest.version, newest.starts_on) == (3, FIRST_RESCHEDULE)


def test_the_api_refuses_a_second_rescheduling_beside_the_date(world: World) -> None:
    loan = _paid_out_on_day(world)
    _reschedule(loan, FIRST_RESCHEDULE)
    officer = world.members[Role.PROGRAMME_OFFICER]
    body = {
        "decided_on": BEFORE_FIRST_RESCHEDULE.isoformat(),
        "members_present": "Chair, Secretary",
        "reason": "Flood",
        "term_months": 12,
        "grace_days": 0,
    }
    world.token_for(officer)  # making the token is audited: before counting
    before = written()
    answer = api(world, officer, "POST", f"/loans/{loan.pk}/reschedule", body)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "decided_on"
    assert answer.json()["errors"][0]["message"] == (
        "A loan cannot be rescheduled before its current schedule starts."
    )
    assert written() == before
    assert loan.schedules.get(is_current=True).starts_on == FIRST_RESCHEDULE
