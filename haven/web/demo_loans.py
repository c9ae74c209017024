"""Demo microcredit of the Bangladesh district office: the ministry's product (5 % flat a year, twelve
monthly instalments, Tk 5,000 to 30,000, women aged 18 to 55 who have been trained) and five loans in
different states: waiting for the committee, approved, repaid on time, in arrears, and repaid and closed.

All names are invented. Called from `demo.load_demo` for an organisation it has just created; only a
Bangladeshi organisation gets loans. Dates are counted back from `at`, so the arrears are always there.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from haven.benefits.models import Beneficiary
from haven.loans import actions
from haven.loans.models import Loan, LoanProduct
from haven.loans.schedule import add_months
from haven.orgs import actions as org_actions
from haven.orgs.models import Area, Organisation
from haven.people.actions import register_person

BORROWERS = (
    ("শাহনাজ পারভীন", date(1988, 4, 2)),
    ("মর্জিনা আক্তার", date(1979, 11, 20)),
    ("রাশিদা বেগম", date(1992, 7, 9)),
    ("কুলসুম খাতুন", date(1984, 1, 30)),
    ("নাজমা সুলতানা", date(1996, 5, 17)),
)
COMMITTEE = "উপজেলা মহিলা বিষয়ক কর্মকর্তা (সভাপতি)\nইউনিয়ন পরিষদ সদস্য\nপ্রশিক্ষক, মহিলা প্রশিক্ষণ কেন্দ্র"


def _union(org: Organisation, at: datetime) -> Area:
    found: Area | None = Area.objects.filter(org=org, level=Area.Level.LOCALITY).first()
    if found is not None:
        return found
    made: Area = org_actions.create_area(
        org=org, name="আশুলিয়া ইউনিয়ন", level=Area.Level.LOCALITY, acting_user=None, at=at
    )
    return made


def _borrower(org: Organisation, area: Area, number: int, at: datetime) -> Beneficiary:
    name, born_on = BORROWERS[number]
    person = register_person(org=org, name=name, sex="FEMALE", born_on=born_on, acting_user=None, at=at)
    made: Beneficiary = Beneficiary.objects.create(
        org=org, person=person, area=area, registry_number=f"DEMO-L-{number + 1:03d}", registered_at=at
    )
    return made


def _apply(terms: LoanProduct, who: Beneficiary, amount: int, on: date, at: datetime) -> Loan:
    return actions.apply_for_loan(
        product=terms,
        beneficiary=who,
        amount=Decimal(amount),
        purpose="হাঁস-মুরগি পালন ও ডিম বিক্রি",
        training_completed=True,
        training_where="মহিলা প্রশিক্ষণ কেন্দ্র, সাভার",
        applied_on=on,
        acting_user=None,
        at=at,
    )


def _approve(loan: Loan, on: date, at: datetime) -> None:
    actions.decide_application(
        loan=loan,
        outcome="APPROVED",
        decided_on=on,
        members_present=COMMITTEE,
        reason="প্রশিক্ষণ সম্পন্ন, পরিকল্পনা বাস্তবসম্মত",
        acting_user=None,
        at=at,
    )


def _paid_out(terms: LoanProduct, who: Beneficiary, amount: int, on: date, at: datetime) -> Loan:
    loan = _apply(terms, who, amount, on - timedelta(days=14), at)
    _approve(loan, on - timedelta(days=7), at)
    actions.disburse_loan(loan=loan, disbursed_on=on, method="CASH", acting_user=None, at=at)
    return loan


def _repay_instalments(loan: Loan, count: int, at: datetime) -> None:
    """Pay the first `count` instalments in full, each on its due date, one receipt each."""
    instalments = loan.instalments.filter(is_current=True).order_by("number")[:count]
    for instalment in list(instalments):
        actions.record_repayment(
            loan=loan,
            paid_on=instalment.due_on,
            amount=Decimal(instalment.due_minor).scaleb(-loan.places),
            receipt_number=f"DEMO-{loan.reference}-{instalment.number:02d}",
            acting_user=None,
            at=at,
        )


def load_demo_loans(org: Organisation, at: datetime) -> None:
    if org.country != "BD":
        return
    today = timezone.localdate(at)
    area = _union(org, at)
    terms = actions.create_product(
        org=org,
        name="ক্ষুদ্রঋণ: প্রশিক্ষিত দরিদ্র নারী (ডেমো)",
        currency="BDT",
        service_charge_percent=Decimal("5"),
        term_months=12,
        frequency="MONTHLY",
        min_amount=Decimal("5000"),
        max_amount=Decimal("30000"),
        acting_user=None,
        at=at,
    )
    women = [_borrower(org, area, number, at) for number in range(len(BORROWERS))]
    _apply(terms, women[0], 15000, today - timedelta(days=3), at)
    _approve(_apply(terms, women[1], 20000, today - timedelta(days=10), at), today - timedelta(days=2), at)
    on_time = _paid_out(terms, women[2], 12000, add_months(today, -4), at)
    _repay_instalments(on_time, 4, at)
    late = _paid_out(terms, women[3], 24000, add_months(today, -7), at)
    _repay_instalments(late, 2, at)  # five instalments unpaid: the oldest is about 150 days overdue
    closed = _paid_out(terms, women[4], 10000, add_months(today, -13), at)
    _repay_instalments(closed, 12, at)
