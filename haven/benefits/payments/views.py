"""Pages of cash payments: the batches and the cycles they pay, a batch (approve, cancel, download the
provider file, import the results), a cycle's reconciliation, and the correction of a failed payment's
wallet.

Thin: parse, call one verb or query, render. Programme staff work here (`PROGRAMME_ROLES`); approving a
batch is for `APPROVING_ROLES`. Wallet numbers show masked; the full numbers leave only in the provider
file, whose every download is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.benefits.models import APPROVING_ROLES, PROGRAMME_ROLES, Beneficiary, Cycle
from haven.benefits.payments import actions, queries
from haven.benefits.payments.forms import BatchForm, CancelForm, ResultFileForm, WalletForm
from haven.benefits.payments.models import Payment, PaymentBatch
from haven.orgs.access import StaffRequest, get_visible_or_404, staff_view
from haven.orgs.forms import FormPage, handle_form, posted_data, run_and_redirect, run_posted_form
from haven.web.paging import page_of

FORM_METHODS = ("GET", "POST")
BATCH = ("payment_batch_id",)
FAILED_PAYMENT = ("failed_payment_id",)


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _batch_url(batch_id: Any) -> str:
    return reverse("payments:batch", args=[batch_id])


def _batch(request: StaffRequest, batch_id: Any, action: str = "view") -> PaymentBatch:
    batch: PaymentBatch = get_visible_or_404(
        PaymentBatch.objects.select_related("cycle__programme", "created_by", "approved_by"),
        request.user,
        action,
        pk=batch_id,
    )
    return batch


def _failed_payment(request: StaffRequest, payment_id: Any) -> Payment:
    payment: Payment = get_visible_or_404(
        Payment.objects.select_related("batch", "beneficiary"), request.user, "change", pk=payment_id
    )
    return payment


@staff_view(PROGRAMME_ROLES)
def index(request: StaffRequest) -> HttpResponse:
    """The batches, newest first, the cycles they pay, and the figures: success rate and paid vs due."""
    batches = (
        PaymentBatch.objects.visible_to(request.user)
        .select_related("cycle__programme")
        .order_by("-created_at")
    )
    context = {
        "page": page_of(request, batches),
        "cycles": queries.payable_cycles(request.user)[:12],
        "rates": queries.success_rates(request.user),
        "paid_vs_due": queries.paid_versus_due(request.user),
    }
    return render(request, "payments/index.html", context)


@staff_view(PROGRAMME_ROLES, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def batch_create(request: StaffRequest) -> HttpResponse:
    form = BatchForm(posted_data(request), cycles=queries.payable_cycles(request.user))

    def save(data: dict[str, Any]) -> PaymentBatch:
        return actions.create_batch(cycle=data["cycle"], provider=data["provider"], **_now(request))

    page = FormPage(
        "payments/form.html",
        _("Batch made. Another programme officer approves it before its file can be downloaded."),
        lambda batch: _batch_url(batch.pk),
        {"title": _("New payment batch")},
    )
    return handle_form(request, form, save, page)


@staff_view(PROGRAMME_ROLES, object_kwargs=BATCH)
def batch_detail(request: StaffRequest, payment_batch_id: str) -> HttpResponse:
    batch = _batch(request, payment_batch_id)
    payments = batch.payments.select_related("beneficiary").order_by("pk")
    context = {
        "batch": batch,
        "totals": queries.batch_totals(batch),
        "page": page_of(request, payments),
        "files": batch.files.select_related("exported_by"),
        "imports": batch.status_imports.select_related("imported_by"),
        "transitions": batch.transitions.select_related("actor"),
        "may_approve": request.membership.role_enum in APPROVING_ROLES
        and batch.created_by_id != request.user.pk,
        "cancel_form": CancelForm(),
        "import_form": ResultFileForm(),
    }
    return render(request, "payments/batch.html", context)


@staff_view(APPROVING_ROLES, object_kwargs=BATCH, methods=("POST",))
@require_POST
def batch_approve(request: StaffRequest, payment_batch_id: str) -> HttpResponse:
    batch = _batch(request, payment_batch_id, "approve")

    def approve() -> PaymentBatch:
        return actions.approve_batch(batch=batch, **_now(request))

    return run_and_redirect(
        request, approve, _("Batch approved. Its file can be downloaded."), _batch_url(batch.pk)
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=BATCH, methods=("POST",))
@require_POST
def batch_cancel(request: StaffRequest, payment_batch_id: str) -> HttpResponse:
    batch = _batch(request, payment_batch_id, "change")

    def cancel(data: dict[str, Any]) -> PaymentBatch:
        return actions.cancel_batch(batch=batch, reason=data["reason"], **_now(request))

    return run_posted_form(
        request, CancelForm(request.POST), cancel, _("Batch cancelled."), _batch_url(batch.pk)
    )


@staff_view(PROGRAMME_ROLES, object_kwargs=BATCH)
def batch_file(request: StaffRequest, payment_batch_id: str) -> HttpResponse:
    """The provider's bulk file (with full wallet numbers); each download is audited."""
    batch = _batch(request, payment_batch_id, "change")
    try:
        exported = actions.export_batch(batch=batch, **_now(request))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return HttpResponseRedirect(_batch_url(batch.pk))
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.name}"'
    response["Cache-Control"] = "no-store"
    return response


@staff_view(PROGRAMME_ROLES, object_kwargs=BATCH, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def batch_import(request: StaffRequest, payment_batch_id: str) -> HttpResponse:
    batch = _batch(request, payment_batch_id, "change")
    form = ResultFileForm(posted_data(request), request.FILES or None)

    def save(data: dict[str, Any]) -> Any:
        upload = data["file"]
        return actions.import_statuses(
            batch=batch, file_name=upload.name, content=upload.read(), **_now(request)
        )

    page = FormPage(
        "payments/form.html",
        _("Results imported."),
        lambda _result: _batch_url(batch.pk),
        {"title": _("Import the provider's results"), "batch": batch, "multipart": True},
    )
    return handle_form(request, form, save, page)


@staff_view(PROGRAMME_ROLES, object_kwargs=("payment_cycle_id",))
def reconciliation(request: StaffRequest, payment_cycle_id: str) -> HttpResponse:
    cycle: Cycle = get_visible_or_404(
        Cycle.objects.select_related("programme"), request.user, pk=payment_cycle_id
    )
    batches = PaymentBatch.objects.filter(cycle=cycle).order_by("created_at")
    context = {
        "cycle": cycle,
        "figures": queries.cycle_reconciliation(cycle),
        "batches": [(batch, queries.batch_totals(batch)) for batch in batches],
        "failed": Payment.objects.filter(
            batch__cycle=cycle, status=Payment.Status.FAILED, retry_ready=False
        ).select_related("beneficiary", "batch")[:200],
    }
    return render(request, "payments/reconciliation.html", context)


@staff_view(PROGRAMME_ROLES, object_kwargs=FAILED_PAYMENT, methods=FORM_METHODS)
@require_http_methods(FORM_METHODS)
def wallet_correct(request: StaffRequest, failed_payment_id: str) -> HttpResponse:
    payment = _failed_payment(request, failed_payment_id)
    beneficiary: Beneficiary = get_visible_or_404(
        Beneficiary.objects.all(), request.user, "change", pk=payment.beneficiary_id
    )
    form = WalletForm(posted_data(request), initial={"provider": payment.batch.provider})

    def save(data: dict[str, Any]) -> Beneficiary:
        return actions.correct_wallet(
            beneficiary=beneficiary,
            provider=data["provider"],
            wallet_number=data["wallet_number"],
            **_now(request),
        )

    page = FormPage(
        "payments/form.html",
        _("Wallet corrected. Her payment goes into the next batch of its cycle."),
        lambda _result: _batch_url(payment.batch_id),
        {
            "title": _("Correct the wallet of %(registry)s") % {"registry": beneficiary},
            "batch": payment.batch,
            "payment": payment,
        },
    )
    return handle_form(request, form, save, page)


@staff_view(PROGRAMME_ROLES, object_kwargs=FAILED_PAYMENT, methods=("POST",))
@require_POST
def payment_release(request: StaffRequest, failed_payment_id: str) -> HttpResponse:
    payment = _failed_payment(request, failed_payment_id)

    def release() -> Payment:
        return actions.release_for_retry(payment=payment, **_now(request))

    return run_and_redirect(
        request, release, _("The payment goes into the next batch as it is."), _batch_url(payment.batch_id)
    )
