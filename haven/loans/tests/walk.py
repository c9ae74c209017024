"""Objects and bodies for the generated permission walk (haven/web/tests/test_view_permissions.py).

Each factory makes a fresh object of the home organisation in the state its endpoints expect: a product,
an application waiting for the committee, an approved loan, an active loan (paid out today), and a
repayment on an active loan. Every walk borrower is a new woman, so "one loan at a time" never refuses.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from haven.benefits.models import Beneficiary
from haven.conftest import World
from haven.loans import actions
from haven.loans.models import Loan, LoanProduct, Repayment
from haven.orgs import actions as org_actions
from haven.orgs.models import Area, Membership, Organisation
from haven.people.actions import register_person


def _home() -> Organisation:
    return Organisation.objects.get(slug="home")


def _area(org: Organisation) -> Area:
    found: Area | None = Area.objects.filter(org=org, level=Area.Level.LOCALITY).first()
    if found is not None:
        return found
    made: Area = org_actions.create_area(
        org=org, name="Walk union", level=Area.Level.LOCALITY, acting_user=None, at=timezone.now()
    )
    return made


def borrower() -> Beneficiary:
    org = _home()
    person = register_person(
        org=org,
        name="Walk Borrower",
        sex="FEMALE",
        born_on=date(1990, 3, 14),
        acting_user=None,
        at=timezone.now(),
    )
    made: Beneficiary = Beneficiary.objects.create(
        org=org, person=person, area=_area(org), registered_at=timezone.now()
    )
    return made


def product() -> LoanProduct:
    return actions.create_product(
        org=_home(),
        name=f"Walk product {uuid.uuid4().hex[:8]}",
        currency="BDT",
        service_charge_percent=Decimal("5"),
        term_months=12,
        frequency="MONTHLY",
        min_amount=Decimal("5000"),
        max_amount=Decimal("30000"),
        acting_user=None,
        at=timezone.now(),
    )


def application() -> Loan:
    return actions.apply_for_loan(
        product=product(),
        beneficiary=borrower(),
        amount=Decimal("10000"),
        purpose="A sewing machine",
        training_completed=True,
        training_where="Walk training centre",
        applied_on=timezone.localdate(),
        acting_user=None,
        at=timezone.now(),
    )


def approved() -> Loan:
    loan = application()
    actions.decide_application(
        loan=loan,
        outcome="APPROVED",
        decided_on=timezone.localdate(),
        members_present="Chair, Secretary",
        reason="Trained",
        acting_user=None,
        at=timezone.now(),
    )
    return loan


def active() -> Loan:
    loan = approved()
    actions.disburse_loan(
        loan=loan, disbursed_on=timezone.localdate(), method="CASH", acting_user=None, at=timezone.now()
    )
    return loan


def repayment() -> Repayment:
    return actions.record_repayment(
        loan=active(),
        paid_on=timezone.localdate(),
        amount=Decimal("500"),
        receipt_number=f"W-{uuid.uuid4().hex[:10]}",
        acting_user=None,
        at=timezone.now(),
    )


OBJECTS: dict[str, Callable[[World, Membership], Any]] = {
    "loan_product_id": lambda world, member: product().pk,
    "loan_id": lambda world, member: active().pk,
    "loan_application_id": lambda world, member: application().pk,
    "approved_loan_id": lambda world, member: approved().pk,
    "loan_repayment_id": lambda world, member: repayment().pk,
}


def _today() -> str:
    return timezone.localdate().isoformat()


PAYLOADS: dict[tuple[str, str], Callable[[], dict[str, Any]]] = {
    ("POST", "/loan-products"): lambda: {
        "name": f"Walk product {uuid.uuid4().hex[:8]}",
        "currency": "BDT",
        "service_charge_percent": "5",
        "term_months": 24,
        "frequency": "WEEKLY",
        "min_amount": "5000",
        "max_amount": "30000",
    },
    ("POST", "/loan-products/{loan_product_id}/retire"): lambda: {},
    ("POST", "/loans"): lambda: {
        "product_id": str(product().pk),
        "beneficiary_id": str(borrower().pk),
        "amount": "8000",
        "purpose": "Ducks",
        "training_completed": True,
        "training_where": "Walk training centre",
    },
    ("POST", "/loans/{loan_application_id}/decision"): lambda: {
        "outcome": "APPROVED",
        "decided_on": _today(),
        "members_present": "Chair, Secretary",
        "reason": "Trained",
    },
    ("POST", "/loans/{approved_loan_id}/disbursement"): lambda: {"disbursed_on": _today(), "method": "CASH"},
    ("POST", "/loans/{loan_id}/repayments"): lambda: {
        "paid_on": _today(),
        "amount": "100",
        "receipt_number": f"W-{uuid.uuid4().hex[:10]}",
    },
    ("POST", "/loan-repayments/{loan_repayment_id}/reversal"): lambda: {"reason": "Wrong passbook"},
    ("POST", "/loans/{loan_id}/reschedule"): lambda: {
        "decided_on": _today(),
        "members_present": "Chair, Secretary",
        "reason": "Flood",
        "term_months": 18,
    },
    ("POST", "/loans/{loan_id}/write-off"): lambda: {"written_off_on": _today(), "reason": "Moved away"},
}
