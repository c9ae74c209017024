"""Reads of microcredit: the loan list, and the portfolio figures for the portfolio page and for reports.

Every figure is one or two aggregate queries over instalments (set-based; never a Python loop over
loans), per currency: sums in taka and sums in rupees are not added together.

Definitions (also in docs):

- **Outstanding principal**: principal still unpaid on the current schedules of active loans.
- **Arrears ageing**: unpaid amounts of instalments that fell due before the day, by how long ago they
  fell due (1 to 30, 31 to 60, 61 to 90, over 90 days); a loan is counted in the bucket of its oldest unpaid
  instalment. Written-off loans are not in arrears: they are losses.
- **PAR 30**: outstanding principal of active loans with an instalment more than 30 days overdue, divided
  by the outstanding principal of all active loans. Written-off loans leave both.
- **Recovery rate** (the ministry's definition): amount collected ÷ amount due, over the instalments due
  on or before the day, for every loan ever paid out (written-off loans included: their loss is what
  the rate shows). Money paid in advance on instalments not yet due is not counted, so the rate is at
  most 100 %. A rescheduled loan's old instalments count with what was paid on them; what was left
  unpaid moved to the new schedule and is due there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from babel.numbers import get_currency_precision
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth

from haven.loans.models import Instalment, Loan, LoanProduct, from_minor

UNPAID_PRINCIPAL = F("principal_due_minor") - F("principal_paid_minor")
UNPAID = F("principal_due_minor") + F("charge_due_minor") - F("principal_paid_minor") - F("charge_paid_minor")
PAID = F("principal_paid_minor") + F("charge_paid_minor")
HAS_UNPAID = Q(principal_paid_minor__lt=F("principal_due_minor")) | Q(
    charge_paid_minor__lt=F("charge_due_minor")
)
BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("1-30", 1, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("90+", 91, None),
)


def places_of(currency: str) -> int:
    return min(2, get_currency_precision(currency))


def _money(minor: Any, currency: str) -> Decimal:
    return from_minor(int(minor or 0), places_of(currency))


def days_before(on: date, days: int) -> date:
    """`days` days before `on`, or the calendar's first day when that would be earlier still (a report
    asked "on 0001-01-01" finds nothing overdue instead of failing)."""
    return on - timedelta(days=days) if on.toordinal() > days else date.min


def ratio(part: Any, whole: Any) -> Decimal | None:
    """part ÷ whole as a percentage with one decimal; None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(int(part or 0)) * 100 / Decimal(int(whole))).quantize(Decimal("0.1"))


# --- loans ---------------------------------------------------------------------------------------------


def loans_for(user: Any, status: str = "") -> Any:
    """The organisation's loans, newest application first, with each one's unpaid balance."""
    balance = (
        Instalment.objects.filter(loan=OuterRef("pk"), is_current=True)
        .values("loan")
        .annotate(total=Sum(UNPAID))
        .values("total")
    )
    loans = Loan.objects.visible_to(user).select_related("product", "beneficiary__person", "area")
    if status:
        loans = loans.filter(status=status)
    return loans.annotate(balance_minor=Coalesce(Subquery(balance), Value(0), output_field=BigIntegerField()))


def currencies(user: Any) -> list[str]:
    """The currencies the organisation lends in, most used product first (usually one)."""
    rows = LoanProduct.objects.visible_to(user).values("currency").annotate(n=Count("loans")).order_by("-n")
    return [row["currency"] for row in rows]


def _current(user: Any, currency: str) -> Any:
    return Instalment.objects.visible_to(user).filter(is_current=True, loan__product__currency=currency)


def _active(user: Any, currency: str) -> Any:
    return _current(user, currency).filter(loan__status=Loan.Status.ACTIVE)


def _late_loan_ids(user: Any, currency: str, on: date, days: int) -> QuerySet[Any]:
    """Active loans with an instalment more than `days` days overdue on `on` (a subquery)."""
    late: QuerySet[Any] = _active(user, currency).filter(HAS_UNPAID, due_on__lt=days_before(on, days))
    return late.values("loan_id")


# --- figures -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Portfolio:
    currency: str
    active_loans: int
    outstanding_principal: Decimal
    outstanding_charge: Decimal
    at_risk_principal: Decimal
    par30: Decimal | None
    collected: Decimal
    due: Decimal
    recovery_rate: Decimal | None


def _risk_sums(late: QuerySet[Any]) -> dict[str, Any]:
    return {
        "loans": Count("loan_id", distinct=True),
        "outstanding": Sum(UNPAID_PRINCIPAL),
        "charge": Sum(F("charge_due_minor") - F("charge_paid_minor")),
        "at_risk": Sum(UNPAID_PRINCIPAL, filter=Q(loan_id__in=late)),
    }


def _recovery_sums(on: date) -> dict[str, Any]:
    due_so_far = Q(due_on__lte=on)
    owed = Case(When(is_current=True, then=F("principal_due_minor") + F("charge_due_minor")), default=PAID)
    return {"collected": Sum(PAID, filter=due_so_far), "due": Sum(owed, filter=due_so_far)}


def _recovery_base(user: Any, currency: str) -> Any:
    disbursed = [Loan.Status.ACTIVE, Loan.Status.CLOSED, Loan.Status.WRITTEN_OFF]
    return Instalment.objects.visible_to(user).filter(
        loan__product__currency=currency, loan__status__in=disbursed
    )


def portfolio(user: Any, currency: str, on: date) -> Portfolio:
    """The whole portfolio on `on`: two queries."""
    late = _late_loan_ids(user, currency, on, 30)
    risk = _active(user, currency).aggregate(**_risk_sums(late))
    recovery = _recovery_base(user, currency).aggregate(**_recovery_sums(on))
    return Portfolio(
        currency=currency,
        active_loans=int(risk["loans"] or 0),
        outstanding_principal=_money(risk["outstanding"], currency),
        outstanding_charge=_money(risk["charge"], currency),
        at_risk_principal=_money(risk["at_risk"], currency),
        par30=ratio(risk["at_risk"], risk["outstanding"]),
        collected=_money(recovery["collected"], currency),
        due=_money(recovery["due"], currency),
        recovery_rate=ratio(recovery["collected"], recovery["due"]),
    )


def par30(user: Any, currency: str, on: date) -> Decimal | None:
    """Portfolio at risk over 30 days, in % (None when nothing is outstanding)."""
    return portfolio(user, currency, on).par30


def recovery_rate(user: Any, currency: str, on: date) -> Decimal | None:
    """Collected ÷ due on instalments due by `on`, in % (None when nothing was due yet)."""
    recovery = _recovery_base(user, currency).aggregate(**_recovery_sums(on))
    return ratio(recovery["collected"], recovery["due"])


def portfolio_outstanding(user: Any, currency: str) -> Decimal:
    total = _active(user, currency).aggregate(total=Sum(UNPAID_PRINCIPAL))["total"]
    return _money(total, currency)


@dataclass(frozen=True)
class Bucket:
    label: str
    loans: int
    amount: Decimal


def _bucket_range(on: date, low: int, high: int | None) -> Q:
    """Instalments (or oldest instalments) `low` to `high` days overdue on `on`, as a due-date range."""
    newest = days_before(on, low)
    return Q(due_on__lte=newest) if high is None else Q(due_on__lte=newest, due_on__gte=days_before(on, high))


def arrears_ageing(user: Any, currency: str, on: date) -> list[Bucket]:
    """Overdue amounts by age, and loans by the age of their oldest unpaid instalment: two queries."""
    overdue = _active(user, currency).filter(HAS_UNPAID, due_on__lt=on)
    amounts = overdue.aggregate(
        **{label: Sum(UNPAID, filter=_bucket_range(on, low, high)) for label, low, high in BUCKETS}
    )
    oldest = overdue.values("loan_id").annotate(oldest=Min("due_on"))
    counts = _count_by_oldest(oldest, on)
    return [
        Bucket(label=label, loans=int(counts[label] or 0), amount=_money(amounts[label], currency))
        for label, _low, _high in BUCKETS
    ]


def _count_by_oldest(oldest: QuerySet[Any], on: date) -> dict[str, Any]:
    def in_bucket(low: int, high: int | None) -> Q:
        newest = days_before(on, low)
        if high is None:
            return Q(oldest__lte=newest)
        return Q(oldest__lte=newest, oldest__gte=days_before(on, high))

    return oldest.aggregate(
        **{label: Count("loan_id", filter=in_bucket(low, high)) for label, low, high in BUCKETS}
    )


@dataclass(frozen=True)
class AreaRow:
    area_id: Any
    area: str
    active_loans: int
    outstanding_principal: Decimal
    at_risk_principal: Decimal
    par30: Decimal | None
    recovery_rate: Decimal | None


def portfolio_by_area(user: Any, currency: str, on: date) -> list[AreaRow]:
    """One row per area that has loans: two grouped queries, merged by area."""
    late = _late_loan_ids(user, currency, on, 30)
    risk = {
        row["area_id"]: row
        for row in _active(user, currency).values("area_id").annotate(**_risk_sums(late)).order_by()
    }
    recovery = (
        _recovery_base(user, currency)
        .values("area_id", "area__name")
        .annotate(**_recovery_sums(on))
        .order_by("area__name")
    )
    rows = []
    for row in recovery:
        own = risk.get(row["area_id"], {})
        rows.append(
            AreaRow(
                area_id=row["area_id"],
                area=row["area__name"],
                active_loans=int(own.get("loans") or 0),
                outstanding_principal=_money(own.get("outstanding"), currency),
                at_risk_principal=_money(own.get("at_risk"), currency),
                par30=ratio(own.get("at_risk"), own.get("outstanding")),
                recovery_rate=ratio(row["collected"], row["due"]),
            )
        )
    return rows


@dataclass(frozen=True)
class Disbursed:
    month: date
    loans: int
    amount: Decimal


def disbursed_per_month(user: Any, currency: str, start: date, end: date) -> list[Disbursed]:
    """Loans paid out in each month from `start` to `end` (inclusive), and their principal."""
    rows = (
        Loan.objects.visible_to(user)
        .filter(product__currency=currency, disbursed_on__gte=start, disbursed_on__lte=end)
        .annotate(month=TruncMonth("disbursed_on"))
        .values("month")
        .annotate(loans=Count("pk"), amount=Sum("principal_minor"))
        .order_by("month")
    )
    return [
        Disbursed(month=row["month"], loans=row["loans"], amount=_money(row["amount"], currency))
        for row in rows
    ]
