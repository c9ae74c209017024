"""API for microcredit: loan products, applications, committee decisions, disbursement, schedules,
repayments and their reversal, rescheduling, write-off, and the portfolio figures.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
Amounts are JSON strings in answers ("12000.00"), so nothing is lost to floating point; requests may send
numbers or strings. Reading a loan is audited like opening its page. Bad input answers 422 with the
verb's sentence, field by field.

A path names a loan by the state the endpoint acts on (`loan_application_id`, `approved_loan_id`,
`loan_id`): the same loan id, documented for what the call expects.
"""

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from haven.benefits.models import Beneficiary
from haven.loans import actions, queries
from haven.loans.models import (
    LENDING_ROLES,
    PRODUCT_ROLES,
    WRITE_OFF_ROLES,
    CommitteeDecision,
    Frequency,
    Instalment,
    Loan,
    LoanProduct,
    Repayment,
    Schedule,
    from_minor,
)
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.web.openapi import SchemaName

LoanDecisionOutcome = Annotated[CommitteeDecision.Outcome, SchemaName("LoanDecisionOutcome")]
LoanMethod = Annotated[Loan.Method, SchemaName("LoanMethod")]
LoanStatus = Annotated[Loan.Status, SchemaName("LoanStatus")]


router = Router(tags=["loans"])

PRODUCT = ("loan_product_id",)
LOAN = ("loan_id",)
APPLICATION = ("loan_application_id",)
APPROVED = ("approved_loan_id",)
REPAYMENT = ("loan_repayment_id",)


# --- schemas -------------------------------------------------------------------------------------------


class LoanProductIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    currency: str = Field(max_length=3, description="ISO 4217 code, e.g. BDT")
    service_charge_percent: Decimal = Field(description="Flat, a year, on the principal: 5 for 5 %")
    term_months: int = Field(ge=1, le=120)
    frequency: Frequency
    grace_days: int = Field(0, ge=0, le=365)
    min_amount: Decimal
    max_amount: Decimal
    min_age: int = Field(18, ge=1, le=129)
    max_age: int = Field(55, ge=1, le=129)
    requires_training: bool = True


class ProductOut(Schema):
    id: uuid.UUID
    name: str
    currency: str
    service_charge_percent: Decimal
    term_months: int
    frequency: str
    grace_days: int
    min_amount: Decimal
    max_amount: Decimal
    min_age: int
    max_age: int
    requires_training: bool
    is_active: bool


class LoanApplicationIn(Schema):
    product_id: uuid.UUID
    beneficiary_id: uuid.UUID
    amount: Decimal
    purpose: str = Field(min_length=1, max_length=2000)
    training_completed: bool
    training_where: str = Field("", max_length=200)
    applied_on: date | None = Field(None, description="Default: today")


class LoanDecisionIn(Schema):
    outcome: LoanDecisionOutcome
    decided_on: date
    members_present: str = Field(min_length=1, max_length=2000, description="One name per line or comma")
    reason: str = Field(min_length=1, max_length=2000)
    approved_amount: Decimal | None = Field(None, description="When the committee approved less")


class LoanDecisionOut(Schema):
    id: uuid.UUID
    kind: str
    outcome: str
    decided_on: date
    members_present: str
    members_count: int
    reason: str


class DisbursementIn(Schema):
    disbursed_on: date
    method: LoanMethod


class RepaymentIn(Schema):
    paid_on: date
    amount: Decimal
    receipt_number: str = Field(min_length=1, max_length=40)


class RepaymentOut(Schema):
    id: uuid.UUID
    loan_id: uuid.UUID
    kind: str
    paid_on: date
    amount: Decimal
    receipt_number: str
    reverses_id: uuid.UUID | None


class LoanReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)


class RescheduleIn(Schema):
    decided_on: date
    members_present: str = Field(min_length=1, max_length=2000)
    reason: str = Field(min_length=1, max_length=2000)
    term_months: int = Field(ge=1, le=120)
    grace_days: int = Field(0, ge=0, le=365)


class WriteOffIn(Schema):
    written_off_on: date
    reason: str = Field(min_length=1, max_length=2000)


class InstalmentOut(Schema):
    number: int
    due_on: date
    principal_due: Decimal
    charge_due: Decimal
    principal_paid: Decimal
    charge_paid: Decimal


class LoanScheduleOut(Schema):
    version: int
    starts_on: date
    principal: Decimal
    service_charge: Decimal
    instalments: list[InstalmentOut]


class LoanRowOut(Schema):
    id: uuid.UUID
    reference: str
    product_id: uuid.UUID
    beneficiary_id: uuid.UUID
    area_id: uuid.UUID
    status: str
    applied_on: date
    requested: Decimal
    principal: Decimal | None
    currency: str
    disbursed_on: date | None


class LoanOut(LoanRowOut):
    borrower_name: str
    purpose: str
    training_completed: bool
    training_where: str
    disbursement_method: str
    closed_on: date | None
    written_off_on: date | None
    written_off: Decimal
    outstanding_principal: Decimal
    outstanding_charge: Decimal
    decisions: list[LoanDecisionOut]


class LoanFilter(Schema):
    status: LoanStatus | None = None


class PortfolioQuery(Schema):
    currency: str = Field("", max_length=3, description="Default: the currency most loans are in")
    on: date | None = Field(None, description="Default: today")


class BucketOut(Schema):
    label: str
    loans: int
    amount: Decimal


class LoanAreaOut(Schema):
    area_id: uuid.UUID
    area: str
    active_loans: int
    outstanding_principal: Decimal
    at_risk_principal: Decimal
    par30: Decimal | None
    recovery_rate: Decimal | None


class PortfolioOut(Schema):
    currency: str
    on: date
    active_loans: int
    outstanding_principal: Decimal
    outstanding_charge: Decimal
    at_risk_principal: Decimal
    par30: Decimal | None = Field(description="% of outstanding principal")
    collected: Decimal
    due: Decimal
    recovery_rate: Decimal | None = Field(description="% collected of what fell due")
    ageing: list[BucketOut]
    areas: list[LoanAreaOut]


# --- helpers -------------------------------------------------------------------------------------------


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _loan(request: StaffRequest, loan_id: uuid.UUID, action: str = "view") -> Loan:
    loan: Loan = get_visible_or_404(
        Loan.objects.select_related("product", "org", "beneficiary__person"), request.user, action, pk=loan_id
    )
    return loan


def _product_out(product: LoanProduct) -> ProductOut:
    fields = ProductOut.model_fields
    values = {name: getattr(product, name) for name in fields}
    return ProductOut(**values)


def _row_fields(loan: Loan) -> dict[str, Any]:
    return {
        "id": loan.pk,
        "reference": loan.reference,
        "product_id": loan.product_id,
        "beneficiary_id": loan.beneficiary_id,
        "area_id": loan.area_id,
        "status": loan.status,
        "applied_on": loan.applied_on,
        "requested": loan.requested,
        "principal": loan.principal,
        "currency": loan.product.currency,
        "disbursed_on": loan.disbursed_on,
    }


def _decision_out(decision: CommitteeDecision) -> LoanDecisionOut:
    return LoanDecisionOut(
        id=decision.pk,
        kind=decision.kind,
        outcome=decision.outcome,
        decided_on=decision.decided_on,
        members_present=decision.members_present,
        members_count=decision.members_count,
        reason=decision.reason,
    )


def _loan_out(loan: Loan) -> LoanOut:
    principal, charge = actions.outstanding(loan)
    return LoanOut(
        **_row_fields(loan),
        borrower_name=loan.beneficiary.person.name,
        purpose=loan.purpose,
        training_completed=loan.training_completed,
        training_where=loan.training_where,
        disbursement_method=loan.disbursement_method,
        closed_on=loan.closed_on,
        written_off_on=loan.written_off_on,
        written_off=loan.money(loan.written_off_principal_minor + loan.written_off_charge_minor)
        or Decimal(0),
        outstanding_principal=from_minor(principal, loan.places),
        outstanding_charge=from_minor(charge, loan.places),
        decisions=[_decision_out(d) for d in loan.decisions.all()],
    )


def _repayment_out(repayment: Repayment) -> RepaymentOut:
    return RepaymentOut(
        id=repayment.pk,
        loan_id=repayment.loan_id,
        kind=repayment.kind,
        paid_on=repayment.paid_on,
        amount=repayment.amount,
        receipt_number=repayment.receipt_number,
        reverses_id=repayment.reverses_id,
    )


def _instalment_out(instalment: Instalment, places: int) -> InstalmentOut:
    return InstalmentOut(
        number=instalment.number,
        due_on=instalment.due_on,
        principal_due=from_minor(instalment.principal_due_minor, places),
        charge_due=from_minor(instalment.charge_due_minor, places),
        principal_paid=from_minor(instalment.principal_paid_minor, places),
        charge_paid=from_minor(instalment.charge_paid_minor, places),
    )


# --- products ------------------------------------------------------------------------------------------


@router.get("/loan-products", response=list[ProductOut], summary="Loan products")
@api_access(LENDING_ROLES | PRODUCT_ROLES)
def list_products(request: StaffRequest) -> list[ProductOut]:
    return [_product_out(product) for product in LoanProduct.objects.visible_to(request.user)]


@router.post("/loan-products", response={201: ProductOut}, summary="Set up a loan product")
@api_access(PRODUCT_ROLES)
def create_product(request: StaffRequest, payload: LoanProductIn) -> Status[ProductOut]:
    product = actions.create_product(org=request.org, **payload.dict(), **_now(request))
    return Status(201, _product_out(product))


@router.post(
    "/loan-products/{loan_product_id}/retire", response=ProductOut, summary="Stop offering a product"
)
@api_access(PRODUCT_ROLES, object_kwargs=PRODUCT)
def retire_product(request: StaffRequest, loan_product_id: uuid.UUID) -> ProductOut:
    product = get_visible_or_404(LoanProduct.objects.select_related("org"), request.user, pk=loan_product_id)
    return _product_out(actions.retire_product(product=product, **_now(request)))


# --- loans ---------------------------------------------------------------------------------------------


@router.get("/loans", response=list[LoanRowOut], summary="Loans, newest application first")
@api_access(LENDING_ROLES)
def list_loans(request: StaffRequest, filters: Query[LoanFilter]) -> list[LoanRowOut]:
    loans = queries.loans_for(request.user, filters.status or "")[:500]
    return [LoanRowOut(**_row_fields(loan)) for loan in loans]


@router.post("/loans", response={201: LoanOut}, summary="Record a loan application")
@api_access(LENDING_ROLES)
def apply_for_loan(request: StaffRequest, payload: LoanApplicationIn) -> Status[LoanOut]:
    product = get_visible_or_404(
        LoanProduct.objects.select_related("org"), request.user, pk=payload.product_id
    )
    who = get_visible_or_404(
        Beneficiary.objects.select_related("person"), request.user, pk=payload.beneficiary_id
    )
    fields = payload.dict(exclude={"product_id", "beneficiary_id", "applied_on"})
    loan = actions.apply_for_loan(
        product=product,
        beneficiary=who,
        applied_on=payload.applied_on or timezone.localdate(),
        **fields,
        **_now(request),
    )
    return Status(201, _read_loan(request, loan))


@router.get("/loans/{loan_id}", response=LoanOut, summary="One loan (audited)")
@api_access(LENDING_ROLES, object_kwargs=LOAN)
def get_loan(request: StaffRequest, loan_id: uuid.UUID) -> LoanOut:
    return _read_loan(request, _loan(request, loan_id))


def _read_loan(request: StaffRequest, loan: Loan) -> LoanOut:
    """The loan as an answer: it carries the borrower's name and what the loan is for, so every answer
    carrying it is an audited read, whether it answers a read or a step of the loan."""
    actions.record_loan_view(loan=loan, **_now(request))
    return _loan_out(loan)


@router.get("/loans/{loan_id}/schedules", response=list[LoanScheduleOut], summary="Schedules, current last")
@api_access(LENDING_ROLES, object_kwargs=LOAN)
def get_schedules(request: StaffRequest, loan_id: uuid.UUID) -> list[LoanScheduleOut]:
    loan = _loan(request, loan_id)
    places = loan.places
    # Instalments come ordered by number (their Meta ordering).
    schedules = Schedule.objects.filter(loan=loan).order_by("version").prefetch_related("instalments")
    return [
        LoanScheduleOut(
            version=s.version,
            starts_on=s.starts_on,
            principal=from_minor(s.principal_minor, places),
            service_charge=from_minor(s.charge_minor, places),
            instalments=[_instalment_out(i, places) for i in s.instalments.all()],
        )
        for s in schedules
    ]


@router.post(
    "/loans/{loan_application_id}/decision", response={201: LoanDecisionOut}, summary="Committee decision"
)
@api_access(LENDING_ROLES, object_kwargs=APPLICATION)
def decide(
    request: StaffRequest, loan_application_id: uuid.UUID, payload: LoanDecisionIn
) -> Status[LoanDecisionOut]:
    loan = _loan(request, loan_application_id, "change")
    decision = actions.decide_application(loan=loan, **payload.dict(), **_now(request))
    return Status(201, _decision_out(decision))


@router.post("/loans/{approved_loan_id}/disbursement", response=LoanOut, summary="Pay out an approved loan")
@api_access(LENDING_ROLES, object_kwargs=APPROVED)
def disburse(request: StaffRequest, approved_loan_id: uuid.UUID, payload: DisbursementIn) -> LoanOut:
    loan = _loan(request, approved_loan_id, "change")
    actions.disburse_loan(loan=loan, **payload.dict(), **_now(request))
    return _read_loan(request, loan)


@router.get("/loans/{loan_id}/repayments", response=list[RepaymentOut], summary="Repayments and reversals")
@api_access(LENDING_ROLES, object_kwargs=LOAN)
def list_repayments(request: StaffRequest, loan_id: uuid.UUID) -> list[RepaymentOut]:
    loan = _loan(request, loan_id)
    return [_repayment_out(r) for r in loan.repayments.select_related("loan__product")]


@router.post("/loans/{loan_id}/repayments", response={201: RepaymentOut}, summary="Record a repayment")
@api_access(LENDING_ROLES, object_kwargs=LOAN)
def repay(request: StaffRequest, loan_id: uuid.UUID, payload: RepaymentIn) -> Status[RepaymentOut]:
    loan = _loan(request, loan_id, "change")
    repayment = actions.record_repayment(loan=loan, **payload.dict(), **_now(request))
    return Status(201, _repayment_out(repayment))


@router.post(
    "/loan-repayments/{loan_repayment_id}/reversal",
    response={201: RepaymentOut},
    summary="Reverse a repayment",
)
@api_access(LENDING_ROLES, object_kwargs=REPAYMENT)
def reverse(
    request: StaffRequest, loan_repayment_id: uuid.UUID, payload: LoanReasonIn
) -> Status[RepaymentOut]:
    repayment = get_visible_or_404(
        Repayment.objects.select_related("loan__product"), request.user, "change", pk=loan_repayment_id
    )
    reversal = actions.reverse_repayment(repayment=repayment, reason=payload.reason, **_now(request))
    return Status(201, _repayment_out(reversal))


@router.post(
    "/loans/{loan_id}/reschedule", response=LoanScheduleOut, summary="Reschedule (committee decision)"
)
@api_access(LENDING_ROLES, object_kwargs=LOAN)
def reschedule(request: StaffRequest, loan_id: uuid.UUID, payload: RescheduleIn) -> LoanScheduleOut:
    loan = _loan(request, loan_id, "change")
    made = actions.reschedule_loan(loan=loan, **payload.dict(), **_now(request))
    places = loan.places
    return LoanScheduleOut(
        version=made.version,
        starts_on=made.starts_on,
        principal=from_minor(made.principal_minor, places),
        service_charge=from_minor(made.charge_minor, places),
        instalments=[_instalment_out(i, places) for i in made.instalments.order_by("number")],
    )


@router.post("/loans/{loan_id}/write-off", response=LoanOut, summary="Write a loan off (programme officer)")
@api_access(WRITE_OFF_ROLES, object_kwargs=LOAN)
def write_off(request: StaffRequest, loan_id: uuid.UUID, payload: WriteOffIn) -> LoanOut:
    loan = _loan(request, loan_id, "approve")
    actions.write_off_loan(loan=loan, **payload.dict(), **_now(request))
    return _read_loan(request, loan)


# --- figures -------------------------------------------------------------------------------------------


@router.get("/loan-portfolio", response=PortfolioOut, summary="Outstanding, ageing, PAR 30, recovery, areas")
@api_access(LENDING_ROLES)
def portfolio(request: StaffRequest, filters: Query[PortfolioQuery]) -> PortfolioOut:
    on = filters.on or timezone.localdate()
    known = queries.currencies(request.user)
    currency = (filters.currency or (known[0] if known else "")).upper() or "BDT"
    figures = queries.portfolio(request.user, currency, on)
    return PortfolioOut(
        **{name: getattr(figures, name) for name in PortfolioOut.model_fields if hasattr(figures, name)},
        on=on,
        ageing=[BucketOut(**b.__dict__) for b in queries.arrears_ageing(request.user, currency, on)],
        areas=[LoanAreaOut(**row.__dict__) for row in queries.portfolio_by_area(request.user, currency, on)],
    )
