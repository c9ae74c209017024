"""Reads of the payments app: a batch's totals, a cycle's reconciliation, and the figures for reports
(payment success rate per cycle and provider, amounts paid against amounts due).

Every figure is one aggregate query over the rows (grouped in SQL), whatever the number of payments.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum

from haven.benefits.models import Cycle, Entitlement, Programme
from haven.benefits.payments.models import Payment, PaymentBatch

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Tally:
    count: int = 0
    amount: Decimal = ZERO


def money(amount: Decimal | None) -> Decimal:
    """Sums come back as 1600 from SQLite and 1600.00 from PostgreSQL: always two places."""
    return (amount or ZERO).quantize(CENT)


def _tally(row: dict[str, Any]) -> Tally:
    return Tally(row["n"] or 0, money(row["total"]))


def _by_status(payments: QuerySet[Payment]) -> dict[str, Tally]:
    rows = payments.order_by().values("status").annotate(n=Count("pk"), total=Sum("amount"))
    return {row["status"]: _tally(row) for row in rows}


@dataclass(frozen=True)
class BatchTotals:
    control: Tally
    paid: Tally
    failed: Tally
    pending: Tally
    cancelled: Tally
    failed_by_reason: list[tuple[str, Tally]]

    @property
    def matches_control(self) -> bool:
        """Paid, failed and pending together are exactly what the batch was approved with."""
        count = self.paid.count + self.failed.count + self.pending.count
        amount = self.paid.amount + self.failed.amount + self.pending.amount
        return (count, amount) == (self.control.count, self.control.amount)


def batch_totals(batch: PaymentBatch) -> BatchTotals:
    statuses = _by_status(batch.payments.all())
    failed = batch.payments.filter(status=Payment.Status.FAILED).order_by()
    reasons = failed.values("reason").annotate(n=Count("pk"), total=Sum("amount")).order_by("reason")
    labels = dict(Payment.Reason.choices)
    return BatchTotals(
        control=Tally(batch.control_count, batch.control_sum),
        paid=statuses.get(Payment.Status.PAID, Tally()),
        failed=statuses.get(Payment.Status.FAILED, Tally()),
        pending=statuses.get(Payment.Status.PENDING, Tally()),
        cancelled=statuses.get(Payment.Status.CANCELLED, Tally()),
        failed_by_reason=[(str(labels.get(row["reason"], row["reason"])), _tally(row)) for row in reasons],
    )


@dataclass(frozen=True)
class CycleReconciliation:
    """Where each of a cycle's entitlements stands, as counts and amounts."""

    due: Tally  # every entitlement that was not cancelled
    paid: Tally
    pending: Tally  # waiting in a batch
    awaiting_correction: Tally  # failed, waiting for a corrected wallet number or an officer's decision
    ready_for_retry: Tally  # failed, will go into the next batch
    not_in_batch: Tally  # never put into a batch: no wallet, or no batch made yet
    stopped_by_exit: Tally  # her enrolment ended before the cycle's month: never paid, nothing to chase
    retried: int  # entitlements that needed more than one attempt


def cycle_reconciliation(cycle: Cycle) -> CycleReconciliation:
    """The rows after `due` split it: each entitlement is counted in exactly one of them. One waiting in
    a batch stays there even if she exited since (the batch was approved with it); otherwise a DUE
    entitlement her exit stopped is counted as stopped, never as still to pay."""
    entitlements = Entitlement.objects.filter(cycle=cycle).exclude(status=Entitlement.Status.CANCELLED)
    payments = Payment.objects.filter(entitlement=OuterRef("pk"))
    live = payments.filter(status__in=Payment.LIVE)
    stuck = payments.filter(status=Payment.Status.FAILED, retry_ready=False)
    annotated = entitlements.annotate(
        tried=Exists(payments),
        live=Exists(live),
        stuck=Exists(stuck),
        has_retry=Exists(payments.filter(attempt__gt=1)),
    ).order_by()
    amount = Sum("quantity")
    due_open = Q(status=Entitlement.Status.DUE)
    stopped = Entitlement.stopped_by_exit() & Q(live=False)
    owed = due_open & ~Entitlement.stopped_by_exit()
    figures = annotated.aggregate(
        due_n=Count("pk"),
        due_sum=amount,
        paid_n=Count("pk", filter=Q(status=Entitlement.Status.PAID)),
        paid_sum=Sum("quantity", filter=Q(status=Entitlement.Status.PAID)),
        pending_n=Count("pk", filter=due_open & Q(live=True)),
        pending_sum=Sum("quantity", filter=due_open & Q(live=True)),
        stuck_n=Count("pk", filter=owed & Q(live=False, stuck=True)),
        stuck_sum=Sum("quantity", filter=owed & Q(live=False, stuck=True)),
        ready_n=Count("pk", filter=owed & Q(tried=True, live=False, stuck=False)),
        ready_sum=Sum("quantity", filter=owed & Q(tried=True, live=False, stuck=False)),
        untried_n=Count("pk", filter=owed & Q(tried=False)),
        untried_sum=Sum("quantity", filter=owed & Q(tried=False)),
        stopped_n=Count("pk", filter=stopped),
        stopped_sum=Sum("quantity", filter=stopped),
        retried=Count("pk", filter=Q(has_retry=True)),
    )

    def tally(prefix: str) -> Tally:
        return Tally(figures[f"{prefix}_n"] or 0, money(figures[f"{prefix}_sum"]))

    return CycleReconciliation(
        due=tally("due"),
        paid=tally("paid"),
        pending=tally("pending"),
        awaiting_correction=tally("stuck"),
        ready_for_retry=tally("ready"),
        not_in_batch=tally("untried"),
        stopped_by_exit=tally("stopped"),
        retried=figures["retried"] or 0,
    )


# --- figures for reports -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SuccessRate:
    cycle_id: Any
    programme: str
    month: Any
    provider: str
    paid: Tally
    failed: int
    pending: int

    @property
    def rate(self) -> float | None:
        """Paid among the payments the provider answered for (pending ones are not judged yet)."""
        answered = self.paid.count + self.failed
        return round(100 * self.paid.count / answered, 1) if answered else None


def success_rates(user: Any, programme: Programme | None = None) -> list[SuccessRate]:
    """Per cycle and provider: payments paid, failed and still pending, and the success rate."""
    payments = Payment.objects.visible_to(user).exclude(status=Payment.Status.CANCELLED)
    if programme is not None:
        payments = payments.filter(batch__cycle__programme=programme)
    rows = (
        payments.order_by()
        .values("batch__cycle", "batch__cycle__programme__code", "batch__cycle__month", "batch__provider")
        .annotate(
            paid_n=Count("pk", filter=Q(status=Payment.Status.PAID)),
            paid_sum=Sum("amount", filter=Q(status=Payment.Status.PAID)),
            failed=Count("pk", filter=Q(status=Payment.Status.FAILED)),
            pending=Count("pk", filter=Q(status=Payment.Status.PENDING)),
        )
        .order_by("-batch__cycle__month", "batch__cycle__programme__code", "batch__provider")
    )
    return [
        SuccessRate(
            cycle_id=row["batch__cycle"],
            programme=row["batch__cycle__programme__code"],
            month=row["batch__cycle__month"],
            provider=row["batch__provider"],
            paid=Tally(row["paid_n"], money(row["paid_sum"])),
            failed=row["failed"],
            pending=row["pending"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class PaidVersusDue:
    cycle: Cycle
    due: Decimal
    paid: Decimal

    @property
    def share_paid(self) -> float | None:
        return round(float(100 * self.paid / self.due), 1) if self.due else None


def _due_in_cycle() -> Subquery:
    """The amount a cycle (the outer row) owes or has paid: its entitlements not cancelled, less those her
    exit stopped (`Entitlement.stopped_by_exit`). One of those already waiting in a batch stays due: the
    batch was approved with it, and `cycle_reconciliation` counts it as pending too."""
    waiting_in_batch = Exists(Payment.objects.filter(entitlement=OuterRef("pk"), status__in=Payment.LIVE))
    due = (
        Entitlement.objects.filter(cycle=OuterRef("pk"))
        .exclude(status=Entitlement.Status.CANCELLED)
        .exclude(Entitlement.stopped_by_exit() & ~Q(waiting_in_batch))
        .order_by()
        .values("cycle")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    return Subquery(due)


def paid_versus_due(user: Any, limit: int = 24) -> list[PaidVersusDue]:
    """The cash cycles the user may see, newest first, with the amount due and the amount paid."""
    cycles = (
        Cycle.objects.visible_to(user)
        .filter(programme__benefit_kind=Programme.BenefitKind.CASH)
        .select_related("programme")
        .annotate(
            due=_due_in_cycle(),
            paid=Sum("entitlements__quantity", filter=Q(entitlements__status=Entitlement.Status.PAID)),
        )
        .order_by("-month", "programme__code")[:limit]
    )
    return [PaidVersusDue(cycle, money(cycle.due), money(cycle.paid)) for cycle in cycles]


def payable_cycles(user: Any) -> QuerySet[Cycle]:
    """Approved cycles of cash programmes: the ones batches are made for."""
    cycles: QuerySet[Cycle] = (
        Cycle.objects.visible_to(user)
        .filter(programme__benefit_kind=Programme.BenefitKind.CASH, status=Cycle.Status.APPROVED)
        .select_related("programme")
        .order_by("-month", "programme__code")
    )
    return cycles
