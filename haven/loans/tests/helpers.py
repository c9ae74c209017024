"""Helpers for the loans tests: a product like the ministry's, a trained borrower, a loan in any state.

Synthetic data only. Every helper goes through the verbs, so a loan made here is a loan the pages make.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.test import Client
from django.utils import timezone

from haven.benefits.models import Beneficiary
from haven.benefits.tests.factories import beneficiary
from haven.conftest import World
from haven.loans import actions
from haven.loans.models import Allocation, CommitteeDecision, Instalment, Loan, LoanProduct, Repayment
from haven.orgs.models import Membership, Organisation
from haven.privacy.models import AuditEntry

DAY = date(2026, 1, 15)


def at(day: date) -> datetime:
    """Noon of `day`, so a verb told "now" never finds that day in the future."""
    return timezone.make_aware(datetime.combine(day, time(12)))


def product(org: Organisation, **overrides: Any) -> LoanProduct:
    """The ministry's terms: 5 % flat a year, 12 monthly instalments, Tk 5,000 to 30,000, ages 18 to 55."""
    fields: dict[str, Any] = {
        "name": "Microcredit for trained women",
        "currency": "BDT",
        "service_charge_percent": Decimal("5"),
        "term_months": 12,
        "frequency": "MONTHLY",
        "min_amount": Decimal("5000"),
        "max_amount": Decimal("30000"),
    }
    fields.update(overrides)
    return actions.create_product(org=org, acting_user=None, at=at(DAY), **fields)


def borrower(org: Organisation, born_on: date = date(1990, 3, 14), **fields: Any) -> Beneficiary:
    return beneficiary(org, born_on=born_on, **fields)


def applied(
    terms: LoanProduct, who: Beneficiary | None = None, amount: str = "12000", on: date = DAY
) -> Loan:
    return actions.apply_for_loan(
        product=terms,
        beneficiary=who or borrower(terms.org),
        amount=Decimal(amount),
        purpose="Two goats",
        training_completed=True,
        training_where="Upazila training centre",
        applied_on=on,
        acting_user=None,
        at=at(on),
    )


def approve(loan: Loan, on: date | None = None, amount: Any = None) -> CommitteeDecision:
    on = on or loan.applied_on
    return actions.decide_application(
        loan=loan,
        outcome=CommitteeDecision.Outcome.APPROVED,
        decided_on=on,
        members_present="Chair, Member secretary, Union member",
        reason="Trained, a sound plan",
        approved_amount=amount,
        acting_user=None,
        at=at(on),
    )


def active(terms: LoanProduct, who: Beneficiary | None = None, amount: str = "12000", on: date = DAY) -> Loan:
    """A loan applied for, approved and paid out on `on`."""
    loan = applied(terms, who, amount, on)
    approve(loan)
    actions.disburse_loan(loan=loan, disbursed_on=on, method="CASH", acting_user=None, at=at(on))
    return loan


def repay(loan: Loan, amount: str, on: date, receipt: str, today: date | None = None) -> Repayment:
    return actions.record_repayment(
        loan=loan,
        paid_on=on,
        amount=Decimal(amount),
        receipt_number=receipt,
        acting_user=None,
        at=at(today or on),
    )


def current(loan: Loan) -> list[Instalment]:
    return list(loan.instalments.filter(is_current=True).order_by("number"))


def written() -> tuple[int, ...]:
    """How many rows of each kind exist, audit entries included: a refusal must leave these unchanged."""
    kinds = (LoanProduct, Loan, CommitteeDecision, Instalment, Repayment, Allocation, AuditEntry)
    return tuple(kind.objects.count() for kind in kinds)


def api(world: World, member: Membership, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(member)}"}
    data = json.dumps(body) if body is not None else ""
    return Client().generic(method, "/api/v1" + path, data, content_type="application/json", headers=headers)


def acting(member: Membership) -> Any:
    """The member's user, acting under that membership (what the middleware does for a request)."""
    user = member.user
    user.active_membership = member
    return user
