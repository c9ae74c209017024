"""Pages of microcredit: the loan list, a loan's file (schedule, repayments, decisions) with the forms that
move it on, the products, and the portfolio (ageing, PAR 30, recovery rate, per area).

Thin: parse, call one verb or query, render. Opening a loan's file decrypts the borrower's name and the
purpose and is audited. Loan officers are programme staff; writing off is a programme officer's act.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.benefits.models import Beneficiary
from haven.loans import actions, queries
from haven.loans.forms import (
    ApplicationForm,
    DecisionForm,
    DisbursementForm,
    PortfolioForm,
    ProductForm,
    ReasonForm,
    RepaymentForm,
    RescheduleForm,
    StatusForm,
    WriteOffForm,
)
from haven.loans.models import (
    LENDING_ROLES,
    PRODUCT_ROLES,
    WRITE_OFF_ROLES,
    Loan,
    LoanProduct,
    Repayment,
    Schedule,
)
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form, posted_data, run_and_redirect
from haven.web.paging import page_of

FORM_METHODS = ("GET", "POST")
LOAN = ("loan_id",)
FORM_TEMPLATE = "loans/form.html"


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _loan_url(loan_id: Any) -> str:
    return reverse("loans:detail", args=[loan_id])


def _loan(request: StaffRequest, loan_id: Any, action: str = "view") -> Loan:
    loan: Loan = get_visible_or_404(
        Loan.objects.select_related("product", "org", "area", "beneficiary__person"),
        request.user,
        action,
        pk=loan_id,
    )
    return loan


def _loan_form(
    request: StaffRequest, loan: Loan, form: Any, save: Any, title: str, done: str
) -> HttpResponse:
    page = FormPage(FORM_TEMPLATE, done, lambda _result: _loan_url(loan.pk), {"title": title, "loan": loan})
    return handle_form(request, form, save, page)


# --- lists ---------------------------------------------------------------------------------------------


@staff_view(LENDING_ROLES)
def loan_list(request: StaffRequest) -> HttpResponse:
    form = StatusForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    loans = queries.loans_for(request.user, status)
    return render(request, "loans/list.html", {"form": form, "page": page_of(request, loans)})


@staff_view(LENDING_ROLES | PRODUCT_ROLES)
def product_list(request: StaffRequest) -> HttpResponse:
    context = {
        "products": LoanProduct.objects.visible_to(request.user),
        "may_change": request.membership.role_enum in PRODUCT_ROLES,
    }
    return render(request, "loans/products.html", context)


@staff_view(PRODUCT_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def product_create(request: StaffRequest) -> HttpResponse:
    form = ProductForm(posted_data(request))

    def save(data: dict[str, Any]) -> LoanProduct:
        return actions.create_product(org=request.org, **data, **_now(request))

    page = FormPage(
        FORM_TEMPLATE,
        _("Loan product set up."),
        lambda _p: reverse("loans:products"),
        {"title": _("New loan product")},
    )
    return handle_form(request, form, save, page)


@staff_view(PRODUCT_ROLES, object_kwargs=("loan_product_id",), methods=("POST",))
@require_POST
def product_retire(request: StaffRequest, loan_product_id: str) -> HttpResponse:
    product = get_visible_or_404(LoanProduct.objects.select_related("org"), request.user, pk=loan_product_id)

    def retire() -> LoanProduct:
        return actions.retire_product(product=product, **_now(request))

    return run_and_redirect(request, retire, _("The product is retired."), reverse("loans:products"))


# --- applications --------------------------------------------------------------------------------------


@staff_view(LENDING_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def loan_apply(request: StaffRequest) -> HttpResponse:
    products = LoanProduct.objects.visible_to(request.user).filter(is_active=True)
    form = ApplicationForm(
        posted_data(request), initial={"applied_on": timezone.localdate()}, products=products
    )

    def save(data: dict[str, Any]) -> Loan:
        who = (
            Beneficiary.objects.visible_to(request.user)
            .select_related("person")
            .filter(registry_number=data["registry_number"].strip())
            .first()
        )
        if who is None:
            raise ValidationError({"registry_number": _("No woman in the registry has this number.")})
        return actions.apply_for_loan(
            product=data["product"],
            beneficiary=who,
            amount=data["amount"],
            purpose=data["purpose"],
            training_completed=data["training_completed"],
            training_where=data["training_where"],
            applied_on=data["applied_on"],
            **_now(request),
        )

    page = FormPage(
        FORM_TEMPLATE,
        _("Application recorded."),
        lambda loan: _loan_url(loan.pk),
        {"title": _("New loan application")},
    )
    return handle_form(request, form, save, page)


@staff_view(LENDING_ROLES, object_kwargs=LOAN)
def loan_detail(request: StaffRequest, loan_id: str) -> HttpResponse:
    """The loan's file: borrower, terms, schedules (current first), repayments, decisions. Audited."""
    loan = _loan(request, loan_id)
    schedules = (
        Schedule.objects.filter(loan=loan).order_by("-version").prefetch_related("instalments")
    )  # ordered by number (Meta)
    repayments = (
        loan.repayments.select_related("reverses")
        .prefetch_related("reversed_by")
        .order_by("-paid_on", "-recorded_at")
    )
    principal, charge = actions.outstanding(loan)
    context = {
        "loan": loan,
        "schedules": schedules,
        "repayments": repayments,
        "decisions": loan.decisions.all(),
        "transitions": loan.transitions.all(),
        "outstanding_principal": principal,
        "outstanding_charge": charge,
        "today": timezone.localdate(),
        "may_write_off": request.membership.role_enum in WRITE_OFF_ROLES,
    }
    actions.record_loan_view(loan=loan, **_now(request))
    return render(request, "loans/detail.html", context)


@staff_view(LENDING_ROLES, object_kwargs=LOAN, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def loan_decide(request: StaffRequest, loan_id: str) -> HttpResponse:
    loan = _loan(request, loan_id, "change")
    form = DecisionForm(posted_data(request), initial={"decided_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> Any:
        return actions.decide_application(loan=loan, **data, **_now(request))

    return _loan_form(request, loan, form, save, _("The loan committee's decision"), _("Decision recorded."))


@staff_view(LENDING_ROLES, object_kwargs=LOAN, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def loan_disburse(request: StaffRequest, loan_id: str) -> HttpResponse:
    loan = _loan(request, loan_id, "change")
    form = DisbursementForm(posted_data(request), initial={"disbursed_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> Any:
        return actions.disburse_loan(loan=loan, **data, **_now(request))

    return _loan_form(
        request, loan, form, save, _("Pay out the loan"), _("Loan paid out; its schedule is ready.")
    )


# --- repayments ----------------------------------------------------------------------------------------


@staff_view(LENDING_ROLES, object_kwargs=LOAN, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def loan_repay(request: StaffRequest, loan_id: str) -> HttpResponse:
    loan = _loan(request, loan_id, "change")
    form = RepaymentForm(posted_data(request), initial={"paid_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> Any:
        return actions.record_repayment(loan=loan, **data, **_now(request))

    return _loan_form(request, loan, form, save, _("Record a repayment"), _("Repayment recorded."))


@staff_view(LENDING_ROLES, object_kwargs=("loan_repayment_id",), methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def repayment_reverse(request: StaffRequest, loan_repayment_id: str) -> HttpResponse:
    repayment: Repayment = get_visible_or_404(
        Repayment.objects.select_related("loan__product", "loan__beneficiary__person"),
        request.user,
        "change",
        pk=loan_repayment_id,
    )
    form = ReasonForm(posted_data(request))

    def save(data: dict[str, Any]) -> Any:
        return actions.reverse_repayment(repayment=repayment, reason=data["reason"], **_now(request))

    title = _("Reverse the repayment with receipt %(number)s") % {"number": repayment.receipt_number}
    return _loan_form(request, repayment.loan, form, save, title, _("Repayment reversed."))


# --- rescheduling, write-off ---------------------------------------------------------------------------


@staff_view(LENDING_ROLES, object_kwargs=LOAN, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def loan_reschedule(request: StaffRequest, loan_id: str) -> HttpResponse:
    loan = _loan(request, loan_id, "change")
    form = RescheduleForm(posted_data(request), initial={"decided_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> Any:
        return actions.reschedule_loan(loan=loan, **data, **_now(request))

    return _loan_form(request, loan, form, save, _("Reschedule the loan"), _("The loan has a new schedule."))


@staff_view(WRITE_OFF_ROLES, object_kwargs=LOAN, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def loan_write_off(request: StaffRequest, loan_id: str) -> HttpResponse:
    loan = _loan(request, loan_id, "approve")
    form = WriteOffForm(posted_data(request), initial={"written_off_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> Any:
        return actions.write_off_loan(loan=loan, **data, **_now(request))

    return _loan_form(request, loan, form, save, _("Write the loan off"), _("The loan is written off."))


# --- portfolio -----------------------------------------------------------------------------------------


@staff_view(LENDING_ROLES)
def portfolio(request: StaffRequest) -> HttpResponse:
    """Outstanding, arrears ageing, PAR 30 and recovery rate, for the whole organisation and per area."""
    form = PortfolioForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    on = chosen.get("on") or timezone.localdate()
    known = queries.currencies(request.user)
    currency = (chosen.get("currency") or (known[0] if known else "BDT")).upper()
    context = {
        "form": form,
        "on": on,
        "currency": currency,
        "figures": queries.portfolio(request.user, currency, on),
        "ageing": queries.arrears_ageing(request.user, currency, on),
        "areas": queries.portfolio_by_area(request.user, currency, on),
    }
    return render(request, "loans/portfolio.html", context)
