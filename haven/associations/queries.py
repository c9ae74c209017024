"""Reads of the associations app: lists with their deadlines (decisions due, reports overdue,
registrations lapsing), grant rounds, stall occupancy and sales, and the statistics for reports.

Every read starts from a model's `visible_to`, so it shows only the acting organisation's rows to
programme staff, and nothing to anyone else. Statistics are sums and counts in the database (GROUP BY),
never a loop over rows in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from haven.associations.models import (
    Association,
    Entrepreneur,
    Grant,
    GrantRound,
    MarketingCentre,
    SalesReport,
    StallAllocation,
)

ZERO = Decimal("0")
CENT = Decimal("0.01")
LAPSING_SOON_DAYS = 60


def cents(value: Decimal | None) -> Decimal:
    """A sum with two decimals, whatever the database gives back (SQLite drops them)."""
    return Decimal(value or ZERO).quantize(CENT)


def associations(user: Any, status: str = "", grade: str = "") -> QuerySet[Association]:
    rows: QuerySet[Association] = Association.objects.visible_to(user).select_related("area")
    if status:
        rows = rows.filter(status=status)
    if grade:
        rows = rows.filter(grade=grade)
    return rows


def overdue_decisions(user: Any, today: date) -> QuerySet[Association]:
    """Applications still undecided after their 30 days, the longest waiting first."""
    return (
        associations(user, Association.Status.APPLIED)
        .filter(decision_due_on__lt=today)
        .order_by("decision_due_on", "name")
    )


def lapsing_soon(user: Any, today: date) -> QuerySet[Association]:
    """Registered associations whose registration ends within `LAPSING_SOON_DAYS`: remind them to renew."""
    return (
        associations(user, Association.Status.REGISTERED)
        .filter(expires_on__lte=today + timedelta(days=LAPSING_SOON_DAYS))
        .order_by("expires_on", "name")
    )


def overdue_reports(user: Any, today: date) -> QuerySet[Grant]:
    """Grants disbursed whose utilisation report is past due."""
    grants: QuerySet[Grant] = (
        Grant.objects.visible_to(user)
        .filter(status=Grant.Status.DISBURSED, report_due_on__lt=today)
        .select_related("association", "round")
        .order_by("report_due_on")
    )
    return grants


def rounds(user: Any) -> QuerySet[GrantRound]:
    found: QuerySet[GrantRound] = GrantRound.objects.visible_to(user).order_by("-year")
    return found


def round_grants(grant_round: GrantRound) -> QuerySet[Grant]:
    return grant_round.grants.select_related("association", "report").order_by("association__name")


def entrepreneurs(user: Any) -> QuerySet[Entrepreneur]:
    found: QuerySet[Entrepreneur] = Entrepreneur.objects.visible_to(user).select_related(
        "association", "area", "person"
    )
    return found


def centre_allocations(centre: MarketingCentre) -> QuerySet[StallAllocation]:
    """The centre's allocations with what was paid on each (one query, the sum in the database)."""
    found: QuerySet[StallAllocation] = (
        StallAllocation.objects.filter(stall__centre=centre)
        .select_related("stall", "entrepreneur")
        .annotate(paid=Sum("payments__amount", default=ZERO))
        .order_by("stall__number", "-starts_on")
    )
    return found


@dataclass(frozen=True)
class SalesTotal:
    period: date
    centre: str
    amount: Decimal
    items: int
    sellers: int


def sales_totals(user: Any, centre: MarketingCentre | None = None) -> list[SalesTotal]:
    """Sales per month and centre: amount, items and how many entrepreneurs sold."""
    reports = SalesReport.objects.visible_to(user)
    if centre is not None:
        reports = reports.filter(centre=centre)
    rows = (
        reports.values("period", "centre__name")
        .annotate(amount=Sum("amount"), items=Sum("items_sold"), sellers=Count("entrepreneur", distinct=True))
        .order_by("-period", "centre__name")
    )
    return [
        SalesTotal(
            row["period"], row["centre__name"], cents(row["amount"]), row["items"] or 0, row["sellers"]
        )
        for row in rows
    ]


# --- statistics for reports ----------------------------------------------------------------------------


def associations_by_status_grade_area(user: Any) -> list[dict[str, Any]]:
    """How many associations per status, grade and area (the area's name)."""
    rows = (
        Association.objects.visible_to(user)
        .values("status", "grade", area_name=F("area__name"))
        .annotate(count=Count("id"))
        .order_by("area_name", "status", "grade")
    )
    return list(rows)


def grants_disbursed_per_year(user: Any) -> list[dict[str, Any]]:
    """Per year of disbursement: grants paid, their total, and the part already reported on."""
    rows = (
        Grant.objects.visible_to(user)
        .exclude(status=Grant.Status.ALLOCATED)
        .annotate(paid_year=ExtractYear("disbursed_on"))
        .values("paid_year")
        .annotate(
            grants=Count("id"),
            amount=Sum("amount"),
            reported=Count("id", filter=Q(status=Grant.Status.REPORTED)),
            spent=Sum("report__amount_spent"),
        )
        .order_by("-paid_year")
    )
    return [{**row, "amount": cents(row["amount"]), "spent": cents(row["spent"])} for row in rows]


def entrepreneurs_and_sales_per_period(user: Any) -> list[dict[str, Any]]:
    """Per month: entrepreneurs who reported sales, total sales and items."""
    rows = (
        SalesReport.objects.visible_to(user)
        .values("period")
        .annotate(
            entrepreneurs=Count("entrepreneur", distinct=True), amount=Sum("amount"), items=Sum("items_sold")
        )
        .order_by("-period")
    )
    return [{**row, "amount": cents(row["amount"])} for row in rows]


def entrepreneur_counts(user: Any) -> dict[str, int]:
    counts = Entrepreneur.objects.visible_to(user).aggregate(
        registered=Count("id"),
        active=Count("id", filter=Q(is_active=True)),
        in_associations=Count("id", filter=Q(association__isnull=False)),
    )
    return {name: int(value or 0) for name, value in counts.items()}
