"""Anti-poverty programmes: beneficiaries, cycle coverage, rations distributed against allocated, payment
success and the microcredit portfolio.

Each figure reuses the definition of the app that owns it, so a report and the app's own page never
disagree: coverage is ``benefits.queries.cycle_coverage`` per cycle, quantities are the distribution app's
sums, the loan figures are built from ``loans.queries``' aggregates (PAR 30, recovery rate).

Definitions:

- Beneficiaries: people with an active enrolment whose months overlap the period, each counted once
  (by the area of the enrolment and the programme).
- Cycle coverage: entitlements generated (not cancelled) ÷ active enrolments the cycle covers, over the
  cycles whose month falls in the period.
- Quantities (kg): rations issued, and stock allocated to the cycles, of the period's cycles of programmes
  measured in kilograms.
- Payment success rate: payments paid ÷ payments the provider answered for (paid or failed), over the
  payments of the period's cycles, as the payments app's own reconciliation page counts it
  (`payments/queries.py: SuccessRate`); the base is the answered payments.
- Loans: outstanding principal of active loans, PAR 30 and recovery rate on the period's last day (or
  today, for a period not over yet), per currency: sums in two currencies are never added.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.benefits.distribution.models import ServedUnion, StockMovement
from haven.benefits.models import Cycle, Enrolment, Entitlement, Programme
from haven.benefits.payments.models import Payment, Provider
from haven.benefits.queries import cycle_coverage
from haven.loans.models import Instalment, Loan, from_minor
from haven.loans.queries import HAS_UNPAID, _recovery_sums, _risk_sums, places_of, ratio
from haven.orgs.roles import Role
from haven.reports.domains.services import sum_indicator
from haven.reports.indicators import (
    AREA,
    Cell,
    Dimension,
    Indicator,
    Key,
    Report,
    Scope,
    Table,
    Unit,
    choice_labels,
    count_indicator,
    register,
    register_dimension,
    register_report,
)

PROGRAMME = "programme"
CURRENCY = "currency"
KILOGRAMS = "kg"


def _programme_labels(values: Any) -> dict[Any, str]:
    ids = [value for value in values if value is not None]
    return {pk: name for pk, name in Programme.objects.filter(pk__in=ids).values_list("pk", "name")}


register_dimension(Dimension(PROGRAMME, _("programme"), _programme_labels))
register_dimension(Dimension(CURRENCY, _("currency"), None))
register_dimension(Dimension("payment_provider", _("mobile wallet"), choice_labels(Provider.choices)))


def _months(scope: Scope, lookup: str) -> Q:
    """Cycles (by their first day) whose month falls in the period."""
    return Q(**{f"{lookup}__gte": scope.period.start, f"{lookup}__lt": scope.period.end})


def _key(sources: Mapping[str, Any], by: tuple[str, ...]) -> Key:
    return tuple(sources[dimension] for dimension in by)


def _rate_table(code: str, by: tuple[str, ...], parts: Mapping[Key, tuple[int, int]]) -> Table:
    """Cells part ÷ whole in % (one decimal), base = whole; the total over every key."""
    table = Table(code, by)
    for key, (part, whole) in parts.items():
        table.cells[key] = Cell(ratio(part, whole), base=whole)
    part = sum(value[0] for value in parts.values())
    whole = sum(value[1] for value in parts.values())
    table.total = Cell(ratio(part, whole), base=whole)
    return table


# --- beneficiaries --------------------------------------------------------------------------------------


def _active_enrolments(scope: Scope) -> QuerySet[Enrolment]:
    first_month = scope.period.start.replace(day=1)  # ends_on is the first day of her last month
    return Enrolment.objects.filter(
        scope.in_area("area"),
        org=scope.org,
        status=Enrolment.Status.ACTIVE,
        starts_on__lt=scope.period.end,
        ends_on__gte=first_month,
    )


register(
    count_indicator(
        code="programmes.beneficiaries",
        name=_("Beneficiaries"),
        definition=_(
            "People with an active enrolment in a programme for some month of the period, each counted once."
        ),
        records=_active_enrolments,
        dimensions={AREA: "area", PROGRAMME: "programme"},
        distinct="beneficiary",
    )
)

# --- cycle coverage -------------------------------------------------------------------------------------


def _coverage(scope: Scope, by: tuple[str, ...]) -> Table:
    """``cycle_coverage`` of each cycle of the period (three grouped counts a cycle; a year has a few
    dozen cycles), added up by programme and area."""
    parts: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    cycles = Cycle.objects.filter(_months(scope, "month"), org=scope.org).select_related("programme")
    for cycle in cycles:
        for row in cycle_coverage(cycle):
            if scope.area_ids is not None and row.area_id not in scope.area_ids:
                continue
            cell = parts[_key({PROGRAMME: cycle.programme_id, AREA: row.area_id}, by)]
            cell[0] += row.entitled
            cell[1] += row.covered
    return _rate_table("programmes.cycle_coverage", by, {key: (p, w) for key, (p, w) in parts.items()})


register(
    Indicator(
        code="programmes.cycle_coverage",
        name=_("Cycle coverage"),
        definition=_(
            "Entitlements generated (not cancelled) for the period's cycles, as a share of the active "
            "enrolments those cycles cover."
        ),
        unit=Unit.PERCENT,
        dimensions=(PROGRAMME, AREA),
        compute=_coverage,
        additive=False,
    )
)

# --- quantities distributed and allocated (kg) ----------------------------------------------------------

register(
    sum_indicator(
        code="programmes.quantity_distributed",
        name=_("Quantity distributed"),
        definition=_("Kilograms of rations issued to beneficiaries for the period's cycles."),
        records=lambda scope: Entitlement.objects.filter(
            _months(scope, "cycle__month"),
            scope.in_area("enrolment__area"),
            org=scope.org,
            status=Entitlement.Status.ISSUED,
            cycle__programme__unit__iexact=KILOGRAMS,
        ),
        dimensions={PROGRAMME: "cycle__programme", AREA: "enrolment__area"},
        column="quantity",
        unit=Unit.KILOGRAMS,
    )
)


def _allocations(scope: Scope) -> QuerySet[StockMovement]:
    """Allocations of the period's cycles; under an area, at the points serving its unions."""
    allocations = StockMovement.objects.filter(
        _months(scope, "cycle__month"),
        org=scope.org,
        kind=StockMovement.Kind.ALLOCATED,
        cycle__programme__unit__iexact=KILOGRAMS,
    )
    if scope.area_ids is not None:
        serving = ServedUnion.objects.filter(org=scope.org, union__in=scope.area_ids).values("point")
        allocations = allocations.filter(point__in=serving)
    return allocations


register(
    sum_indicator(
        code="programmes.quantity_allocated",
        name=_("Quantity allocated"),
        definition=_("Kilograms of stock allocated at distribution points to the period's cycles."),
        records=_allocations,
        dimensions={PROGRAMME: "cycle__programme"},
        column="quantity",
        unit=Unit.KILOGRAMS,
    )
)

# --- payment success ------------------------------------------------------------------------------------

_PAYMENT_SOURCES = {
    PROGRAMME: "batch__cycle__programme",
    "payment_provider": "batch__provider",
    AREA: "entitlement__enrolment__area",
}


def _payment_success(scope: Scope, by: tuple[str, ...]) -> Table:
    answered = (
        Payment.objects.filter(
            _months(scope, "batch__cycle__month"),
            scope.in_area("entitlement__enrolment__area"),
            org=scope.org,
        )
        .filter(status__in=[Payment.Status.PAID, Payment.Status.FAILED])
        .order_by()
    )
    counts = {"paid": Count("pk", filter=Q(status=Payment.Status.PAID)), "answered": Count("pk")}
    aliases = {f"d_{index}": F(_PAYMENT_SOURCES[dimension]) for index, dimension in enumerate(by)}
    if by:
        rows = list(answered.annotate(**aliases).values(*aliases).annotate(**counts))
    else:
        rows = [answered.aggregate(**counts)]
    parts = {tuple(row[alias] for alias in aliases): (row["paid"], row["answered"]) for row in rows}
    return _rate_table("programmes.payment_success_rate", by, parts)


register(
    Indicator(
        code="programmes.payment_success_rate",
        name=_("Payment success rate"),
        definition=_(
            "Payments paid, as a share of the payments the provider answered for in the period's cycles "
            "(paid or failed; pending ones are not judged yet, cancelled ones were never sent)."
        ),
        unit=Unit.PERCENT,
        dimensions=tuple(_PAYMENT_SOURCES),
        compute=_payment_success,
        additive=False,
    )
)

# --- the loan portfolio ---------------------------------------------------------------------------------

_DISBURSED = (Loan.Status.ACTIVE, Loan.Status.CLOSED, Loan.Status.WRITTEN_OFF)
_LOAN_SOURCES = {CURRENCY: "loan__product__currency", AREA: "area"}


def portfolio_day(scope: Scope, today: date | None = None) -> date:
    """The day the portfolio is measured on: the period's last day, or today while it is not over."""
    return min(scope.period.end - timedelta(days=1), today or timezone.localdate())


def _grouped(
    queryset: QuerySet[Instalment], by: tuple[str, ...], sums: dict[str, Any]
) -> list[dict[str, Any]]:
    """``sums`` grouped by currency (always) and the dimensions ``by``."""
    wanted = tuple(dict.fromkeys((CURRENCY, *by)))
    aliases = {f"d_{dimension}": F(_LOAN_SOURCES[dimension]) for dimension in wanted}
    rows = queryset.order_by().annotate(**aliases).values(*aliases).annotate(**sums)
    return [{**row, **{dimension: row[f"d_{dimension}"] for dimension in wanted}} for row in rows]


def _loan_table(
    code: str, by: tuple[str, ...], rows: list[dict[str, Any]], figure: Callable[[dict[str, Any], str], Cell]
) -> Table:
    """Cells of one currency each; a cell (or the total) that would mix currencies is left empty."""
    table = Table(code, by)
    merged: dict[Key, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        merged[_key(row, by)].append(row)
    for key, parts in merged.items():
        table.cells[key] = _one_currency(parts, figure)
    table.total = _one_currency(rows, figure)
    return table


def _one_currency(rows: list[dict[str, Any]], figure: Callable[[dict[str, Any], str], Cell]) -> Cell:
    currencies = {row[CURRENCY] for row in rows}
    if len(currencies) != 1:
        return Cell(None)
    summed: dict[str, int] = defaultdict(int)
    for row in rows:
        for name, value in row.items():
            # the sums (PostgreSQL returns SUM(bigint) as numeric); dimension values are text or ids
            if isinstance(value, int | Decimal) and not isinstance(value, bool):
                summed[name] += int(value)
    return figure(summed, currencies.pop())


def _risk_rows(scope: Scope, by: tuple[str, ...]) -> list[dict[str, Any]]:
    on = portfolio_day(scope)
    active = Instalment.objects.filter(
        scope.in_area("area"), org=scope.org, is_current=True, loan__status=Loan.Status.ACTIVE
    )
    late = active.filter(HAS_UNPAID, due_on__lt=on - timedelta(days=30)).values("loan_id")
    return _grouped(active, by, _risk_sums(late))


def _outstanding(scope: Scope, by: tuple[str, ...]) -> Table:
    def figure(row: dict[str, Any], currency: str) -> Cell:
        return Cell(from_minor(int(row["outstanding"] or 0), places_of(currency)), base=row["loans"])

    return _loan_table("programmes.loans_outstanding", by, _risk_rows(scope, by), figure)


def _par30(scope: Scope, by: tuple[str, ...]) -> Table:
    def figure(row: dict[str, Any], _currency: str) -> Cell:
        return Cell(ratio(row["at_risk"], row["outstanding"]), base=row["loans"])

    return _loan_table("programmes.par30", by, _risk_rows(scope, by), figure)


def _recovery(scope: Scope, by: tuple[str, ...]) -> Table:
    base = Instalment.objects.filter(scope.in_area("area"), org=scope.org, loan__status__in=_DISBURSED)
    sums = {**_recovery_sums(portfolio_day(scope)), "loans": Count("loan_id", distinct=True)}

    def figure(row: dict[str, Any], _currency: str) -> Cell:
        return Cell(ratio(row["collected"], row["due"]), base=row["loans"])

    return _loan_table("programmes.recovery_rate", by, _grouped(base, by, sums), figure)


for _code, _name, _definition, _unit, _compute in (
    (
        "programmes.loans_outstanding",
        _("Loans outstanding"),
        _("Principal still unpaid on the current schedules of active loans, per currency."),
        Unit.MONEY,
        _outstanding,
    ),
    (
        "programmes.par30",
        _("Portfolio at risk over 30 days (PAR 30)"),
        _(
            "Outstanding principal of active loans with an instalment more than 30 days overdue on the "
            "period's last day, as a share of the outstanding principal of all active loans."
        ),
        Unit.PERCENT,
        _par30,
    ),
    (
        "programmes.recovery_rate",
        _("Recovery rate"),
        _(
            "Amount collected as a share of the amount due, over the instalments due by the period's last "
            "day, for every loan paid out (written-off loans included)."
        ),
        Unit.PERCENT,
        _recovery,
    ),
):
    register(Indicator(_code, _name, _definition, _unit, (CURRENCY, AREA), _compute, additive=False))


register_report(
    Report(
        code="programmes",
        title=_("Programmes"),
        description=_(
            "Beneficiaries, cycle coverage, rations distributed against allocated, payment success and the "
            "microcredit portfolio."
        ),
        indicators=(
            "programmes.beneficiaries",
            "programmes.cycle_coverage",
            "programmes.quantity_distributed",
            "programmes.quantity_allocated",
            "programmes.payment_success_rate",
            "programmes.loans_outstanding",
            "programmes.par30",
            "programmes.recovery_rate",
        ),
        readers=frozenset({Role.ORG_ADMIN, Role.PROGRAMME_OFFICER, Role.DATA_OFFICER}),
        record_readers=frozenset({Role.PROGRAMME_OFFICER}),
    )
)
