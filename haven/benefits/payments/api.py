"""API for cash payments: batches (make, read, approve, cancel), the provider file (audited download),
the provider's result file (import), a cycle's reconciliation, the correction of a failed payment's
wallet, and the success-rate figures.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
Amounts are JSON strings ("800.00"). A result file travels as text, or base64 for a binary file. Bad
input is a 422 with the verb's sentence, field by field; a refused result file names its lines.
"""

import base64
import binascii
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from haven.benefits.models import APPROVING_ROLES, PROGRAMME_ROLES, Beneficiary, Cycle
from haven.benefits.payments import actions, queries
from haven.benefits.payments.models import Payment, PaymentBatch, Provider
from haven.orgs.access import StaffRequest, get_visible_or_404
from haven.orgs.api_access import api_access
from haven.web.openapi import SchemaName

PaymentProvider = Annotated[Provider, SchemaName("PaymentProvider")]


router = Router(tags=["payments"])

BATCH = ("payment_batch_id",)
APPROVED_BATCH = ("approved_payment_batch_id",)
SENT_BATCH = ("sent_payment_batch_id",)
CYCLE = ("payment_cycle_id",)
FAILED_PAYMENT = ("failed_payment_id",)


# --- schemas -------------------------------------------------------------------------------------------


class PageQuery(Schema):
    # Pages of 500 payments: more than any batch holds, and it keeps OFFSET within a database integer.
    page: int = Field(1, ge=1, le=100_000)


class PaymentBatchIn(Schema):
    cycle_id: uuid.UUID
    provider: PaymentProvider


class PaymentReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class ResultFileIn(Schema):
    file_name: str = Field(max_length=200)
    content: str = Field(min_length=1, description="The file's text, or its bytes in base64")
    encoding: str = Field("text", pattern="^(text|base64)$")


class WalletIn(Schema):
    provider: PaymentProvider
    wallet_number: str = Field(min_length=1, max_length=20)


class TallyOut(Schema):
    count: int
    amount: Decimal


class PaymentBatchOut(Schema):
    id: uuid.UUID
    reference: str
    cycle_id: uuid.UUID
    provider: str
    status: str
    control_count: int
    control_sum: Decimal
    left_out: int
    created_at: datetime
    approved_at: datetime | None
    exported_at: datetime | None
    paid: TallyOut
    failed: TallyOut
    pending: TallyOut


class PaymentOut(Schema):
    id: int
    idempotency_key: str
    entitlement_id: int
    beneficiary_id: uuid.UUID
    attempt: int
    amount: Decimal
    status: str
    reason: str
    provider_code: str
    retry_ready: bool


class ImportOut(Schema):
    id: uuid.UUID
    batch_id: uuid.UUID
    batch_status: str
    lines: int
    paid: int
    failed: int
    unchanged: int


class ReconciliationOut(Schema):
    cycle_id: uuid.UUID
    due: TallyOut
    paid: TallyOut
    pending: TallyOut
    awaiting_correction: TallyOut
    ready_for_retry: TallyOut
    not_in_batch: TallyOut
    stopped_by_exit: TallyOut
    retried: int


class RateOut(Schema):
    cycle_id: uuid.UUID
    programme: str
    month: date
    provider: str
    paid: TallyOut
    failed: int
    pending: int
    success_rate: float | None


class BatchFilter(Schema):
    cycle_id: uuid.UUID | None = None


# --- helpers -------------------------------------------------------------------------------------------


def _now(request: StaffRequest) -> dict[str, Any]:
    return {"acting_user": request.user, "at": timezone.now()}


def _batch(request: StaffRequest, batch_id: uuid.UUID, action: str = "view") -> PaymentBatch:
    batch: PaymentBatch = get_visible_or_404(
        PaymentBatch.objects.select_related("cycle__programme"), request.user, action, pk=batch_id
    )
    return batch


def _tally(tally: queries.Tally) -> TallyOut:
    return TallyOut(count=tally.count, amount=tally.amount)


def _batch_out(batch: PaymentBatch) -> PaymentBatchOut:
    totals = queries.batch_totals(batch)
    return PaymentBatchOut(
        id=batch.pk,
        reference=batch.reference,
        cycle_id=batch.cycle_id,
        provider=batch.provider,
        status=batch.status,
        control_count=batch.control_count,
        control_sum=batch.control_sum,
        left_out=batch.left_out,
        created_at=batch.created_at,
        approved_at=batch.approved_at,
        exported_at=batch.exported_at,
        paid=_tally(totals.paid),
        failed=_tally(totals.failed),
        pending=_tally(totals.pending),
    )


def _payment_out(payment: Payment) -> PaymentOut:
    return PaymentOut(
        id=payment.pk,
        idempotency_key=payment.idempotency_key,
        entitlement_id=payment.entitlement_id,
        beneficiary_id=payment.beneficiary_id,
        attempt=payment.attempt,
        amount=payment.amount,
        status=payment.status,
        reason=payment.reason,
        provider_code=payment.provider_code,
        retry_ready=payment.retry_ready,
    )


def _file_bytes(payload: ResultFileIn) -> bytes:
    if payload.encoding == "text":
        return payload.content.encode("utf-8")
    try:
        return base64.b64decode(payload.content, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"content": _("The content is not valid base64.")}) from None


# --- batches -------------------------------------------------------------------------------------------


@router.get("/payment-batches", response=list[PaymentBatchOut], summary="Payment batches, newest first")
@api_access(PROGRAMME_ROLES)
def list_batches(request: StaffRequest, filters: Query[BatchFilter]) -> list[PaymentBatchOut]:
    batches = PaymentBatch.objects.visible_to(request.user).order_by("-created_at")
    if filters.cycle_id is not None:
        batches = batches.filter(cycle_id=filters.cycle_id)
    return [_batch_out(batch) for batch in batches[:200]]


@router.post(
    "/payment-batches", response={201: PaymentBatchOut}, summary="Make a batch for a cycle and wallet"
)
@api_access(PROGRAMME_ROLES)
def create_batch(request: StaffRequest, payload: PaymentBatchIn) -> Status[PaymentBatchOut]:
    cycle: Cycle = get_visible_or_404(
        Cycle.objects.select_related("programme"), request.user, "change", pk=payload.cycle_id
    )
    batch = actions.create_batch(cycle=cycle, provider=payload.provider, **_now(request))
    return Status(201, _batch_out(batch))


@router.get(
    "/payment-batches/{payment_batch_id}", response=PaymentBatchOut, summary="One batch and its totals"
)
@api_access(PROGRAMME_ROLES, object_kwargs=BATCH)
def get_batch(request: StaffRequest, payment_batch_id: uuid.UUID) -> PaymentBatchOut:
    return _batch_out(_batch(request, payment_batch_id))


@router.get(
    "/payment-batches/{payment_batch_id}/payments", response=list[PaymentOut], summary="A batch's payments"
)
@api_access(PROGRAMME_ROLES, object_kwargs=BATCH)
def list_payments(
    request: StaffRequest, payment_batch_id: uuid.UUID, filters: Query[PageQuery]
) -> list[PaymentOut]:
    batch = _batch(request, payment_batch_id)
    size = 500
    start = (filters.page - 1) * size
    return [_payment_out(p) for p in batch.payments.order_by("pk")[start : start + size]]


@router.post(
    "/payment-batches/{payment_batch_id}/approve", response=PaymentBatchOut, summary="Approve (not its maker)"
)
@api_access(APPROVING_ROLES, object_kwargs=BATCH)
def approve_batch(request: StaffRequest, payment_batch_id: uuid.UUID) -> PaymentBatchOut:
    batch = actions.approve_batch(batch=_batch(request, payment_batch_id, "approve"), **_now(request))
    return _batch_out(batch)


@router.post(
    "/payment-batches/{payment_batch_id}/cancel", response=PaymentBatchOut, summary="Cancel before export"
)
@api_access(PROGRAMME_ROLES, object_kwargs=BATCH)
def cancel_batch(
    request: StaffRequest, payment_batch_id: uuid.UUID, payload: PaymentReasonIn
) -> PaymentBatchOut:
    batch = _batch(request, payment_batch_id, "change")
    return _batch_out(actions.cancel_batch(batch=batch, reason=payload.reason, **_now(request)))


@router.get(
    "/payment-batches/{approved_payment_batch_id}/file",
    summary="The provider's bulk file of an approved batch (audited: it holds wallet numbers)",
)
@api_access(PROGRAMME_ROLES, object_kwargs=APPROVED_BATCH)
def batch_file(request: StaffRequest, approved_payment_batch_id: uuid.UUID) -> HttpResponse:
    batch = _batch(request, approved_payment_batch_id, "change")
    exported = actions.export_batch(batch=batch, **_now(request))
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.name}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-SHA256"] = exported.record.sha256
    return response


@router.post(
    "/payment-batches/{sent_payment_batch_id}/results",
    response={201: ImportOut},
    summary="Import the provider's result file (all lines or none)",
)
@api_access(PROGRAMME_ROLES, object_kwargs=SENT_BATCH)
def import_results(
    request: StaffRequest, sent_payment_batch_id: uuid.UUID, payload: ResultFileIn
) -> Status[ImportOut]:
    batch = _batch(request, sent_payment_batch_id, "change")
    record = actions.import_statuses(
        batch=batch, file_name=payload.file_name, content=_file_bytes(payload), **_now(request)
    )
    out = ImportOut(
        id=record.pk,
        batch_id=batch.pk,
        batch_status=batch.status,
        lines=record.lines,
        paid=record.paid,
        failed=record.failed,
        unchanged=record.unchanged,
    )
    return Status(201, out)


# --- cycles, retries, figures --------------------------------------------------------------------------


@router.get(
    "/payment-cycles/{payment_cycle_id}/reconciliation",
    response=ReconciliationOut,
    summary="Where a cycle's entitlements stand: paid, pending, failed, not in a batch",
)
@api_access(PROGRAMME_ROLES, object_kwargs=CYCLE)
def reconciliation(request: StaffRequest, payment_cycle_id: uuid.UUID) -> ReconciliationOut:
    cycle: Cycle = get_visible_or_404(Cycle.objects.all(), request.user, pk=payment_cycle_id)
    figures = queries.cycle_reconciliation(cycle)
    return ReconciliationOut(
        cycle_id=cycle.pk,
        due=_tally(figures.due),
        paid=_tally(figures.paid),
        pending=_tally(figures.pending),
        awaiting_correction=_tally(figures.awaiting_correction),
        ready_for_retry=_tally(figures.ready_for_retry),
        not_in_batch=_tally(figures.not_in_batch),
        stopped_by_exit=_tally(figures.stopped_by_exit),
        retried=figures.retried,
    )


@router.post(
    "/payments/{failed_payment_id}/wallet",
    response=PaymentOut,
    summary="Correct the wallet of a failed payment's beneficiary; the payment is retried next batch",
)
@api_access(PROGRAMME_ROLES, object_kwargs=FAILED_PAYMENT)
def correct_wallet(request: StaffRequest, failed_payment_id: int, payload: WalletIn) -> PaymentOut:
    payment: Payment = get_visible_or_404(Payment.objects.all(), request.user, "change", pk=failed_payment_id)
    beneficiary: Beneficiary = get_visible_or_404(
        Beneficiary.objects.all(), request.user, "change", pk=payment.beneficiary_id
    )
    actions.correct_wallet(
        beneficiary=beneficiary,
        provider=payload.provider,
        wallet_number=payload.wallet_number,
        **_now(request),
    )
    payment.refresh_from_db()
    return _payment_out(payment)


@router.post(
    "/payments/{failed_payment_id}/retry", response=PaymentOut, summary="Retry a failed payment as it is"
)
@api_access(PROGRAMME_ROLES, object_kwargs=FAILED_PAYMENT)
def release_for_retry(request: StaffRequest, failed_payment_id: int) -> PaymentOut:
    payment: Payment = get_visible_or_404(Payment.objects.all(), request.user, "change", pk=failed_payment_id)
    return _payment_out(actions.release_for_retry(payment=payment, **_now(request)))


@router.get("/payment-success-rates", response=list[RateOut], summary="Success rate per cycle and wallet")
@api_access(PROGRAMME_ROLES)
def success_rates(request: StaffRequest) -> list[RateOut]:
    return [
        RateOut(
            cycle_id=row.cycle_id,
            programme=row.programme,
            month=row.month,
            provider=row.provider,
            paid=_tally(row.paid),
            failed=row.failed,
            pending=row.pending,
            success_rate=row.rate,
        )
        for row in queries.success_rates(request.user)
    ]
