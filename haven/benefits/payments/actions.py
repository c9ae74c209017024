"""Verbs for cash payments: make a batch, approve it (a second person), cancel it, export its provider
file, import the provider's results, correct a wallet number, release a failed payment for a retry.

Each verb checks before it writes and runs in one transaction; a refusal is a `ValidationError` keyed by
the field at fault with a sentence saying what to do. Audit entries name fields, never values.

Paying no one twice rests on three things, in this order: the verbs lock the cycle (making batches) or the
batch (approving, exporting, importing) so two clicks run one after the other; the batch's `INSERT …
SELECT` takes only entitlements that are DUE with no pending or paid payment and no failed one waiting for
a correction; and the database's `payment_one_live_per_entitlement` index refuses a second pending-or-paid
payment whatever happens above it (turned into the same refusal, never a server error).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.benefits.models import Beneficiary, Cycle, Entitlement, Programme
from haven.benefits.payments.models import (
    Payment,
    PaymentBatch,
    PaymentBatchTransition,
    PaymentFile,
    Provider,
    StatusImport,
)
from haven.benefits.payments.providers import FileLine, ResultLine, WalletNumberError, adapter_for
from haven.privacy import audit
from haven.privacy.fields import associated_data, seal

if TYPE_CHECKING:
    from haven.accounts.models import User

BATCH_CREATE = audit.register_action("payment_batch.create", "A payment batch was made for a cycle")
BATCH_APPROVE = audit.register_action("payment_batch.approve", "A payment batch was approved")
BATCH_CANCEL = audit.register_action("payment_batch.cancel", "A payment batch was cancelled")
BATCH_EXPORT = audit.register_action(
    "payment_batch.export", "A payment file (with wallet numbers) was downloaded", read=True
)
STATUS_IMPORT = audit.register_action("payment_batch.import", "A provider's result file was applied")
WALLET_CORRECT = audit.register_action("beneficiary.wallet_correct", "A beneficiary's wallet was corrected")
RETRY_RELEASE = audit.register_action("payment.retry_release", "A failed payment was released for a retry")

CHUNK = 2000
REASON_MAX = 300
MAX_PROBLEMS_SHOWN = 30
Status = PaymentBatch.Status


def _local_date(at: datetime) -> Any:
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


def _move(batch: PaymentBatch, to: str, *, acting_user: User | None, at: datetime, reason: str = "") -> None:
    """Record the transition row and set the new status (the caller holds the batch's lock and saves)."""
    PaymentBatchTransition.objects.create(
        org_id=batch.org_id,
        batch=batch,
        from_status=batch.status,
        to_status=to,
        at=at,
        actor=acting_user,
        reason=reason,
    )
    batch.status = to


def _locked(batch: PaymentBatch) -> PaymentBatch:
    query = PaymentBatch.objects.select_for_update(of=("self",)).select_related("org", "cycle__programme")
    locked: PaymentBatch = query.get(pk=batch.pk)
    return locked


# --- making a batch ------------------------------------------------------------------------------------


def _check_cycle(cycle: Cycle) -> None:
    if cycle.programme.benefit_kind != Programme.BenefitKind.CASH:
        raise ValidationError({"cycle": _("This programme gives food or goods, not cash: nothing to pay.")})
    if cycle.status != Cycle.Status.APPROVED:
        raise ValidationError(
            {"cycle": _("Payments are made for an approved cycle. Approve the cycle's entitlements first.")}
        )


def _check_provider(provider: str) -> str:
    if provider not in Provider.values:
        raise ValidationError({"provider": _("Choose bKash, Nagad or Rocket.")})
    return provider


def _next_reference(cycle: Cycle, provider: str) -> str:
    """`MCB-2026-03-BKASH-1`: programme, month, provider and the batch's number among them (the cycle is
    locked, so two batches cannot take the same number)."""
    made = PaymentBatch.objects.filter(cycle=cycle, provider=provider).count()
    return f"{cycle.programme.code.upper()}-{cycle.month:%Y-%m}-{provider}-{made + 1}"


_INSERT_PAYMENTS = """
INSERT INTO {payment} (org_id, batch_id, entitlement_id, beneficiary_id, attempt, amount, wallet_number,
                       idempotency_key, status, reason, provider_code, provider_transaction, retry_ready)
SELECT e.org_id, %(batch)s, e.id, b.id, COALESCE(tried.attempts, 0) + 1, e.quantity, NULL,
       'HV' || CAST(e.id AS TEXT) || '-' || CAST(COALESCE(tried.attempts, 0) + 1 AS TEXT),
       %(pending)s, '', '', '', %(no)s
FROM {entitlement} e
JOIN {enrolment} en ON en.id = e.enrolment_id
JOIN {beneficiary} b ON b.id = en.beneficiary_id
LEFT JOIN (SELECT entitlement_id, MAX(attempt) AS attempts FROM {payment} GROUP BY entitlement_id) tried
       ON tried.entitlement_id = e.id
WHERE e.cycle_id = %(cycle)s AND e.org_id = %(org)s AND e.status = %(due)s AND e.quantity > 0
  AND UPPER(b.wallet_provider) = %(provider)s
  AND e.id NOT IN ({stopped})
  AND NOT EXISTS (
      SELECT 1 FROM {payment} p
      WHERE p.entitlement_id = e.id
        AND (p.status IN (%(pending)s, %(paid)s) OR (p.status = %(failed)s AND p.retry_ready = %(no)s))
  )
"""


def _stopped_by_exit(cycle: Cycle) -> tuple[str, dict[str, Any]]:
    """The ids of the cycle's entitlements stopped by her exit, as a subquery built from the one rule
    (`Entitlement.stopped_by_exit`), with its parameters named for `_INSERT_PAYMENTS`."""
    stopped = Entitlement.objects.filter(cycle_id=cycle.pk).filter(Entitlement.stopped_by_exit())
    sql, values = stopped.values("pk").query.get_compiler(connection=connection).as_sql()
    # The compiled SQL holds one `%s` per value and no other `%`: name each for the pyformat statement.
    names = [f"stopped_{index}" for index in range(len(values))]
    return sql % tuple(f"%({name})s" for name in names), dict(zip(names, values, strict=True))


def _insert_payments(batch: PaymentBatch) -> None:
    """One statement: every DUE entitlement of the cycle paid through this provider, not yet paid, not
    waiting in another batch, and not failed without a correction. The idempotency key is derived from
    the entitlement and the attempt, so it stays the same however often the file is sent.

    A woman whose enrolment ended before the cycle's month is due nothing in it (see
    `benefits.actions.exit_enrolment`): her entitlement of a cycle approved before she exited stays DUE,
    but it is never paid."""
    stopped, stopped_params = _stopped_by_exit(batch.cycle)
    tables = {
        "payment": Payment._meta.db_table,
        "entitlement": Entitlement._meta.db_table,
        "enrolment": "benefits_enrolment",
        "beneficiary": Beneficiary._meta.db_table,
        "stopped": stopped,
    }
    params = {
        **stopped_params,
        "batch": batch.pk.hex if connection.vendor == "sqlite" else batch.pk,
        "cycle": batch.cycle.pk.hex if connection.vendor == "sqlite" else batch.cycle.pk,
        "org": batch.org_id.hex if connection.vendor == "sqlite" else batch.org_id,
        "provider": batch.provider,
        "due": Entitlement.Status.DUE,
        "pending": Payment.Status.PENDING,
        "paid": Payment.Status.PAID,
        "failed": Payment.Status.FAILED,
        "no": False,
    }
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_PAYMENTS.format(**tables), params)


def _keyset(queryset: Any, size: int = CHUNK) -> Iterator[list[Any]]:
    """Rows in primary-key order, `size` at a time, never with OFFSET."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def _seal_wallets(batch: PaymentBatch) -> int:
    """Copy each beneficiary's wallet number into her payment, in the provider's form, sealed for the
    payment's row; payments without a usable number leave the batch. Returns how many left."""
    adapter = adapter_for(batch.provider)
    column = Payment._meta.get_field("wallet_number").column
    unusable: list[int] = []
    pending = Payment.objects.filter(batch=batch).only("pk", "beneficiary_id")
    for chunk in _keyset(pending):
        wallets = {
            b.pk: b.wallet_number
            for b in Beneficiary.objects.filter(pk__in={p.beneficiary_id for p in chunk}).only(
                "pk", "org", "wallet_number"
            )
        }
        sealed = []
        for payment in chunk:
            try:
                number = adapter.wallet(wallets[payment.beneficiary_id])
            except WalletNumberError:
                unusable.append(payment.pk)
                continue
            aad = associated_data(Payment._meta.db_table, column, payment.pk)
            payment.wallet_number = seal(number, org_id=batch.org_id, aad=aad)
            sealed.append(payment)
        Payment.objects.bulk_update(sealed, ["wallet_number"], batch_size=500)
    for start in range(0, len(unusable), CHUNK):
        Payment.objects.filter(pk__in=unusable[start : start + CHUNK]).delete()
    return len(unusable)


def _live_totals(batch: PaymentBatch) -> tuple[int, Decimal]:
    """What the batch holds now: its payments that were not cancelled, counted and summed in SQL."""
    totals = batch.payments.exclude(status=Payment.Status.CANCELLED).aggregate(
        n=Count("pk"), total=Sum("amount")
    )
    return totals["n"], (totals["total"] or Decimal(0)).quantize(Decimal("0.01"))


def create_batch(*, cycle: Cycle, provider: str, acting_user: User | None, at: datetime) -> PaymentBatch:
    """Gather the cycle's payable entitlements of one provider into a new draft batch, with its control
    count and sum. Failed payments whose wallet was corrected (or that may be retried as they are) come
    back in as a new attempt with a new key."""
    _check_provider(provider)
    _check_cycle(cycle)
    try:
        with transaction.atomic():
            locked = (
                Cycle.objects.select_for_update(of=("self",)).select_related("programme").get(pk=cycle.pk)
            )
            _check_cycle(locked)
            batch = PaymentBatch(
                org_id=locked.org_id,
                cycle=locked,
                provider=provider,
                reference=_next_reference(locked, provider),
                control_count=0,
                control_sum=Decimal("0.00"),
                created_at=at,
                created_by=acting_user,
            )
            batch.save()
            _insert_payments(batch)
            batch.left_out = _seal_wallets(batch)
            batch.control_count, batch.control_sum = _live_totals(batch)
            if not batch.control_count:
                raise ValidationError({"provider": _nothing_to_pay(batch)})
            batch.save()
            PaymentBatchTransition.objects.create(
                org_id=batch.org_id, batch=batch, to_status=Status.DRAFT, at=at, actor=acting_user
            )
            audit.record(action=BATCH_CREATE, actor=acting_user, org=locked.org, obj=batch, at=at)
    except IntegrityError:
        # Only a concurrent batch that slipped past the cycle's lock can get here: the database kept the
        # entitlement in one batch.
        raise ValidationError(
            {
                "provider": _(
                    "Some of these payments were put into another batch at the same moment. Try again."
                )
            }
        ) from None
    return batch


def _nothing_to_pay(batch: PaymentBatch) -> str:
    if batch.left_out:
        return _(
            "No payment could be made: the %(count)s women due through this wallet have no valid wallet "
            "number. Correct their numbers first."
        ) % {"count": batch.left_out}
    return _(
        "Nothing to pay through this wallet in this cycle: every due entitlement is already paid, in "
        "another batch, or failed and waiting for a corrected wallet number."
    )


# --- approval, cancellation ----------------------------------------------------------------------------


def _check_control(batch: PaymentBatch) -> None:
    count, total = _live_totals(batch)
    if (count, total) != (batch.control_count, batch.control_sum):
        raise ValidationError(
            {
                "batch": _(
                    "The batch no longer matches its control totals (%(count)s payments, %(total)s): it was "
                    "changed outside Haven. Cancel it and make a new one."
                )
                % {"count": batch.control_count, "total": batch.control_sum}
            }
        )


def approve_batch(*, batch: PaymentBatch, acting_user: User | None, at: datetime) -> PaymentBatch:
    """The second pair of eyes: someone other than the batch's maker approves it before any file exists."""
    with transaction.atomic():
        locked = _locked(batch)
        if locked.status != Status.DRAFT:
            raise ValidationError(
                {
                    "batch": _("Only a draft batch can be approved; this one is %(status)s.")
                    % {"status": locked.get_status_display()}
                }
            )
        if acting_user is not None and locked.created_by_id == acting_user.pk:
            raise ValidationError(
                {"batch": _("You made this batch, so another programme officer must approve it.")}
            )
        _check_control(locked)
        _move(locked, Status.APPROVED, acting_user=acting_user, at=at)
        locked.approved_at, locked.approved_by = at, acting_user
        locked.save(update_fields=["status", "approved_at", "approved_by"])
        audit.record(action=BATCH_APPROVE, actor=acting_user, org=locked.org, obj=locked, at=at)
    batch.refresh_from_db()
    return batch


def cancel_batch(*, batch: PaymentBatch, reason: str, acting_user: User | None, at: datetime) -> PaymentBatch:
    """Cancel a batch before its file was sent; its entitlements are free for another batch."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the batch is cancelled.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep the reason under %(max)s characters.") % {"max": REASON_MAX}}
        )
    with transaction.atomic():
        locked = _locked(batch)
        if locked.status not in {Status.DRAFT, Status.APPROVED}:
            raise ValidationError(
                {
                    "batch": _(
                        "The file of this batch was already sent to the provider: it cannot be cancelled. "
                        "Import the provider's results instead."
                    )
                }
            )
        locked.payments.filter(status=Payment.Status.PENDING).update(
            status=Payment.Status.CANCELLED, resolved_at=at
        )
        _move(locked, Status.CANCELLED, acting_user=acting_user, at=at, reason=reason)
        locked.save(update_fields=["status"])
        audit.record(
            action=BATCH_CANCEL, actor=acting_user, org=locked.org, obj=locked, at=at, fields=["status"]
        )
    batch.refresh_from_db()
    return batch


# --- the provider file ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportedFile:
    name: str
    content: bytes
    content_type: str
    record: PaymentFile


def _file_lines(batch: PaymentBatch) -> list[FileLine]:
    """Every payment the batch was approved with (a re-download after some results were imported is the
    same file: the provider's idempotency keys make sending it again harmless)."""
    payments = batch.payments.exclude(status=Payment.Status.CANCELLED).only(
        "pk", "org", "amount", "idempotency_key", "wallet_number"
    )
    lines: list[FileLine] = []
    for chunk in _keyset(payments):
        lines.extend(FileLine(p.wallet_number or "", p.amount, p.idempotency_key) for p in chunk)
    return lines


def export_batch(*, batch: PaymentBatch, acting_user: User | None, at: datetime) -> ExportedFile:
    """The provider's bulk file of an approved batch, after its control totals are checked again. Each
    download is recorded (it holds wallet numbers) with the file's SHA-256."""
    with transaction.atomic():
        locked = _locked(batch)
        if locked.status not in {Status.APPROVED, Status.EXPORTED}:
            raise ValidationError(
                {"batch": _("A payment file is made from an approved batch that is not yet reconciled.")}
            )
        _check_control(locked)
        adapter = adapter_for(locked.provider)
        content = adapter.write(
            reference=locked.reference, created_on=_local_date(at), lines=_file_lines(locked)
        )
        record = PaymentFile.objects.create(
            org_id=locked.org_id,
            batch=locked,
            file_name=adapter.file_name(locked.reference),
            sha256=hashlib.sha256(content).hexdigest(),
            control_count=locked.control_count,
            control_sum=locked.control_sum,
            exported_at=at,
            exported_by=acting_user,
        )
        if locked.status == Status.APPROVED:
            _move(locked, Status.EXPORTED, acting_user=acting_user, at=at)
            locked.exported_at = at
            locked.save(update_fields=["status", "exported_at"])
        audit.record(action=BATCH_EXPORT, actor=acting_user, org=locked.org, obj=locked, at=at)
    batch.refresh_from_db()
    return ExportedFile(record.file_name, content, adapter.content_type, record)


# --- the provider's results ----------------------------------------------------------------------------


@dataclass
class _Plan:
    """What a result file would change, worked out before anything is written."""

    paid: dict[int, ResultLine] = field(default_factory=dict)
    failed: dict[int, ResultLine] = field(default_factory=dict)
    unchanged: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)
    entitlements: list[int] = field(default_factory=list)


def _problem(line: ResultLine, text: str) -> tuple[int, str]:
    return line.line_no, _("Line %(line)s: %(problem)s") % {"line": line.line_no, "problem": text}


def _judge(
    line: ResultLine, payment: dict[str, Any] | None, plan: _Plan, seen: dict[str, ResultLine]
) -> None:
    """Sort one line: a change to apply, a line with nothing to change, or a problem that refuses the file."""
    earlier = seen.setdefault(line.reference, line)
    if payment is None:
        plan.problems.append(
            _problem(
                line,
                _("no payment of this batch has the reference “%(reference)s”.")
                % {"reference": line.reference},
            )
        )
    elif earlier is not line and earlier.outcome != line.outcome:
        plan.problems.append(_problem(line, _("the same reference appears earlier with another status.")))
    elif line.amount is not None and line.amount != payment["amount"]:
        plan.problems.append(
            _problem(
                line,
                _("the amount %(amount)s differs from the %(expected)s paid.")
                % {"amount": line.amount, "expected": payment["amount"]},
            )
        )
    elif earlier is not line or line.outcome == "PENDING" or line.outcome == payment["status"]:
        plan.unchanged += 1  # a duplicate line, a payment still in progress, or a result applied before
    elif payment["status"] != Payment.Status.PENDING:
        plan.problems.append(
            _problem(
                line,
                _("this payment is already recorded as %(status)s.")
                % {"status": Payment.Status(payment["status"]).label},
            )
        )
    elif line.outcome == "PAID":
        plan.paid[payment["pk"]] = line
    else:
        plan.failed[payment["pk"]] = line


def _plan(batch: PaymentBatch, lines: list[ResultLine]) -> _Plan:
    plan = _Plan()
    seen: dict[str, ResultLine] = {}
    references = sorted({line.reference for line in lines})
    payments: dict[str, dict[str, Any]] = {}
    for start in range(0, len(references), CHUNK):
        for row in batch.payments.filter(idempotency_key__in=references[start : start + CHUNK]).values(
            "pk", "idempotency_key", "amount", "status", "entitlement_id"
        ):
            payments[row["idempotency_key"]] = row
    for line in lines:
        _judge(line, payments.get(line.reference), plan, seen)
    plan.entitlements = [payments[line.reference]["entitlement_id"] for line in plan.paid.values()]
    return plan


def _refuse(problems: list[tuple[int, str]]) -> ValidationError:
    problems = sorted(problems)
    shown = [text for _number, text in problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        shown.append(_("…and %(count)s more lines.") % {"count": len(problems) - MAX_PROBLEMS_SHOWN})
    shown.append(
        _("Nothing was applied. Correct the file, or ask the provider for a new one, and import it again.")
    )
    return ValidationError({"file": shown})


def _apply(plan: _Plan, batch: PaymentBatch, at: datetime) -> None:
    adapter = adapter_for(batch.provider)
    paid = [
        Payment(pk=pk, status=Payment.Status.PAID, provider_transaction=line.transaction[:64], resolved_at=at)
        for pk, line in plan.paid.items()
    ]
    Payment.objects.bulk_update(paid, ["status", "provider_transaction", "resolved_at"], batch_size=500)
    failed = []
    for pk, line in plan.failed.items():
        reason = adapter.reason(line.code)
        failed.append(
            Payment(
                pk=pk,
                status=Payment.Status.FAILED,
                reason=reason,
                provider_code=line.code[:20],
                provider_transaction=line.transaction[:64],
                resolved_at=at,
                retry_ready=reason in Payment.RETRY_AS_IS,
            )
        )
    fields = ["status", "reason", "provider_code", "provider_transaction", "resolved_at", "retry_ready"]
    Payment.objects.bulk_update(failed, fields, batch_size=500)
    entitlements = plan.entitlements
    for start in range(0, len(entitlements), CHUNK):
        Entitlement.objects.filter(pk__in=entitlements[start : start + CHUNK]).update(
            status=Entitlement.Status.PAID
        )


def import_statuses(
    *, batch: PaymentBatch, file_name: str, content: bytes, acting_user: User | None, at: datetime
) -> StatusImport:
    """Apply a provider's result file to a batch that was sent: PAID lines pay the entitlement, FAILED
    lines record the provider's reason; lines already applied are skipped, so the same file can be
    imported twice. A line naming no payment of the batch, or contradicting a recorded result, refuses
    the whole file with its line numbers, and nothing is applied."""
    adapter = adapter_for(batch.provider)
    try:
        parsed = adapter.parse_results(content)
    except ValueError as exc:
        raise ValidationError({"file": str(exc)}) from None
    if not parsed.lines and not parsed.problems:
        raise ValidationError({"file": _("The file has no result lines.")})
    with transaction.atomic():
        locked = _locked(batch)
        if locked.status not in {Status.EXPORTED, Status.RECONCILED}:
            raise ValidationError({"batch": _("Results are imported for a batch whose file was sent.")})
        plan = _plan(locked, parsed.lines)
        if parsed.problems or plan.problems:
            raise _refuse(parsed.problems + plan.problems)
        _apply(plan, locked, at)
        if (
            locked.status == Status.EXPORTED
            and not locked.payments.filter(status=Payment.Status.PENDING).exists()
        ):
            _move(locked, Status.RECONCILED, acting_user=acting_user, at=at)
            locked.save(update_fields=["status"])
        record = StatusImport.objects.create(
            org_id=locked.org_id,
            batch=locked,
            file_name=(file_name or "")[:200],
            sha256=hashlib.sha256(content).hexdigest(),
            lines=len(parsed.lines),
            paid=len(plan.paid),
            failed=len(plan.failed),
            unchanged=plan.unchanged,
            imported_at=at,
            imported_by=acting_user,
        )
        audit.record(action=STATUS_IMPORT, actor=acting_user, org=locked.org, obj=locked, at=at)
    batch.refresh_from_db()
    return record


# --- retries -------------------------------------------------------------------------------------------


def correct_wallet(
    *, beneficiary: Beneficiary, provider: str, wallet_number: str, acting_user: User | None, at: datetime
) -> Beneficiary:
    """Give a woman a corrected wallet (provider and number); her failed payments may then be retried."""
    _check_provider(provider)
    try:
        adapter_for(provider).wallet(wallet_number)
    except WalletNumberError:
        raise ValidationError(
            {"wallet_number": _("Enter a Bangladeshi mobile number, such as 01711 000000.")}
        ) from None
    with transaction.atomic():
        beneficiary.wallet_provider = provider
        beneficiary.wallet_number = wallet_number.strip()
        beneficiary.save(update_fields=["wallet_provider", "wallet_number"])
        Payment.objects.filter(beneficiary=beneficiary, status=Payment.Status.FAILED).update(retry_ready=True)
        audit.record(
            action=WALLET_CORRECT,
            actor=acting_user,
            org=beneficiary.org,
            obj=beneficiary,
            at=at,
            fields=["wallet_provider", "wallet_number"],
        )
    return beneficiary


def release_for_retry(*, payment: Payment, acting_user: User | None, at: datetime) -> Payment:
    """Let a failed payment go into the next batch as it is (the officer checked the wallet is right)."""
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status != Payment.Status.FAILED:
            raise ValidationError({"payment": _("Only a failed payment can be tried again.")})
        if locked.retry_ready:
            raise ValidationError({"payment": _("This payment already goes into the next batch.")})
        later = Payment.objects.filter(entitlement_id=locked.entitlement_id, attempt__gt=locked.attempt)
        if later.exists():
            raise ValidationError({"payment": _("This payment was already tried again.")})
        locked.retry_ready = True
        locked.save(update_fields=["retry_ready"])
        audit.record(
            action=RETRY_RELEASE, actor=acting_user, org=locked.org, obj=locked, at=at, fields=["retry_ready"]
        )
    payment.retry_ready = True
    return payment
