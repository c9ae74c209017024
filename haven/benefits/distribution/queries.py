"""Reads of the distribution app: stock balances, what a cycle needs at each point, uncollected rations,
and the figures the reports issue reads (quantities distributed against allocated, uncollected rate).

Everything is a GROUP BY in the database; Python only merges the grouped rows, whose number is the number
of points (a few thousand in a country), never the number of entitlements (millions).

Stock words used throughout:
- on hand: physically in the store, SUM(change) over the point's ledger;
- reserved: allocated to a cycle still being distributed at the point, less what was issued for it;
  released when distribution of that cycle closes at the point (or the cycle closes);
- free: on hand less reserved — what a new cycle may count on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, DecimalField, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from haven.benefits.distribution.models import Closure, DistributionPoint, ServedUnion, StockMovement
from haven.benefits.models import Cycle, Entitlement, Programme

ZERO = Decimal("0.00")
Kind = StockMovement.Kind
Key = tuple[Any, str]
"""(point id, item)"""

QUANTITY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=16, decimal_places=2)
ENTITLED_STATUSES = (Entitlement.Status.DUE, Entitlement.Status.ISSUED, Entitlement.Status.UNCOLLECTED)


def _sum(condition: Q | None = None, column: str = "quantity") -> Coalesce:
    """SUM(column) over the rows matching `condition`, 0 when none do."""
    expression: Any = F(column) if condition is None else Case(When(condition, then=F(column)))
    return Coalesce(Sum(expression, output_field=QUANTITY), Value(ZERO), output_field=QUANTITY)


def _count(condition: Q) -> Count:
    return Count("pk", filter=condition)


# --- stock ---------------------------------------------------------------------------------------------


def on_hand(point_ids: Iterable[Any], item: str | None = None) -> dict[Key, Decimal]:
    """Stock physically at each point, per item: one SUM over the ledger."""
    movements = StockMovement.objects.filter(point_id__in=list(point_ids))
    if item is not None:
        movements = movements.filter(item=item)
    rows = movements.values("point_id", "item").annotate(total=_sum(column="change")).order_by()
    return {(row["point_id"], row["item"]): row["total"] for row in rows}


def reserved(point_ids: Iterable[Any], *, except_cycle: Cycle | None = None) -> dict[Key, Decimal]:
    """Stock held back at each point for cycles still being distributed there: what was allocated to
    each such cycle less what was issued for it (never below zero: issuing more than was allocated for
    a cycle does not free another cycle's share)."""
    closed_here = Closure.objects.filter(point_id=OuterRef("point_id"), cycle_id=OuterRef("cycle_id"))
    movements = (
        StockMovement.objects.filter(point_id__in=list(point_ids), kind__in=[Kind.ALLOCATED, Kind.ISSUED])
        .exclude(cycle__status=Cycle.Status.CLOSED)
        .filter(~Exists(closed_here))
    )
    if except_cycle is not None:
        movements = movements.exclude(cycle=except_cycle)
    rows = (
        movements.values("point_id", "item", "cycle_id")
        .annotate(allocated=_sum(Q(kind=Kind.ALLOCATED)), issued=_sum(Q(kind=Kind.ISSUED)))
        .order_by()
    )
    held: dict[Key, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        held[(row["point_id"], row["item"])] += max(row["allocated"] - row["issued"], ZERO)
    return dict(held)


@dataclass(frozen=True)
class StockRow:
    point_id: Any
    item: str
    received: Decimal
    issued: Decimal
    lost: Decimal
    adjusted: Decimal
    on_hand: Decimal
    reserved: Decimal

    @property
    def free(self) -> Decimal:
        return self.on_hand - self.reserved


def stock_rows(point_ids: Iterable[Any]) -> list[StockRow]:
    """The balance of each point and item: totals by kind, on hand, reserved and free."""
    ids = list(point_ids)
    held = reserved(ids)
    rows = (
        StockMovement.objects.filter(point_id__in=ids)
        .values("point_id", "item")
        .annotate(
            received=_sum(Q(kind=Kind.RECEIVED)),
            issued=_sum(Q(kind=Kind.ISSUED)),
            lost=_sum(Q(kind=Kind.LOST)),
            adjusted=_sum(Q(kind=Kind.ADJUSTED), column="change"),
            on_hand=_sum(column="change"),
        )
        .order_by("point_id", "item")
    )
    return [
        StockRow(
            point_id=row["point_id"],
            item=row["item"],
            received=row["received"],
            issued=row["issued"],
            lost=row["lost"],
            adjusted=row["adjusted"],
            on_hand=row["on_hand"],
            reserved=held.get((row["point_id"], row["item"]), ZERO),
        )
        for row in rows
    ]


def in_kind_items(org_id: Any) -> dict[str, str]:
    """The items the organisation's in-kind programmes hand out, with their unit: {"rice": "kg"}."""
    rows = Programme.objects.filter(org_id=org_id, benefit_kind=Programme.BenefitKind.IN_KIND).values_list(
        "item", "unit"
    )
    return dict(rows.order_by("item"))


# --- what a cycle needs at each point ------------------------------------------------------------------


# The point serving an entitlement's union (NULL when none does), reached through her enrolment's union.
SERVING_POINT = "enrolment__area__distribution_point_links__point_id"


def _with_point(entitlements: QuerySet[Entitlement], *, served: bool) -> QuerySet[Entitlement]:
    return entitlements.filter(**{f"{SERVING_POINT}__isnull": not served})


def owed(entitlements: QuerySet[Entitlement]) -> QuerySet[Entitlement]:
    """Leave out the rations her exit stopped (`Entitlement.stopped_by_exit`): they stay DUE, but the
    point refuses them, so nothing is reserved, chased or counted as due for them."""
    return entitlements.exclude(Entitlement.stopped_by_exit())


@dataclass
class PointNeed:
    """One point and item of a cycle: what is due there against what the point can give."""

    point: DistributionPoint
    item: str
    due: Decimal = ZERO
    due_count: int = 0
    issued: Decimal = ZERO
    allocated: Decimal = ZERO
    on_hand: Decimal = ZERO
    reserved_elsewhere: Decimal = ZERO

    @property
    def available(self) -> Decimal:
        """What the point can give this cycle: on hand, less what other cycles still hold there."""
        return self.on_hand - self.reserved_elsewhere

    @property
    def shortfall(self) -> Decimal:
        return max(self.due - self.available, ZERO)

    @property
    def to_allocate(self) -> Decimal:
        """What allocating this cycle would add: its whole need (due and issued), less what it holds."""
        return max(self.due + self.issued - self.allocated, ZERO)


@dataclass
class UnservedUnion:
    union_id: Any
    union_name: str
    due: Decimal
    due_count: int


@dataclass
class AllocationPlan:
    cycle: Cycle
    needs: list[PointNeed] = field(default_factory=list)
    unserved: list[UnservedUnion] = field(default_factory=list)

    @property
    def short(self) -> list[PointNeed]:
        return [need for need in self.needs if need.shortfall > 0]


def _needs_by_point(cycle: Cycle) -> dict[Key, dict[str, Any]]:
    rows = (
        _with_point(owed(Entitlement.objects.filter(cycle=cycle)), served=True)
        .filter(status__in=[Entitlement.Status.DUE, Entitlement.Status.ISSUED])
        .values("item", point_id=F(SERVING_POINT))
        .annotate(
            due=_sum(Q(status=Entitlement.Status.DUE)),
            due_count=_count(Q(status=Entitlement.Status.DUE)),
            issued=_sum(Q(status=Entitlement.Status.ISSUED)),
        )
        .order_by()
    )
    return {(row["point_id"], row["item"]): row for row in rows}


def _allocated(cycle: Cycle) -> dict[Key, Decimal]:
    rows = (
        StockMovement.objects.filter(cycle=cycle, kind=Kind.ALLOCATED)
        .values("point_id", "item")
        .annotate(total=_sum())
        .order_by()
    )
    return {(row["point_id"], row["item"]): row["total"] for row in rows}


def unserved_unions(cycle: Cycle) -> list[UnservedUnion]:
    """Unions with rations due in the cycle that no distribution point serves."""
    rows = (
        _with_point(owed(Entitlement.objects.filter(cycle=cycle)), served=False)
        .filter(status=Entitlement.Status.DUE)
        .values("enrolment__area_id", "enrolment__area__name")
        .annotate(due=_sum(), due_count=Count("pk"))
        .order_by("enrolment__area__name")
    )
    return [
        UnservedUnion(row["enrolment__area_id"], row["enrolment__area__name"], row["due"], row["due_count"])
        for row in rows
    ]


def allocation_plan(cycle: Cycle) -> AllocationPlan:
    """Per point and item: the quantity due in the cycle (DUE entitlements of enrolments in the unions the
    point serves) against the stock the point can give it; and the unions no point serves."""
    needs = _needs_by_point(cycle)
    allocated = _allocated(cycle)
    keys = sorted(set(needs) | set(allocated), key=lambda key: (str(key[0]), key[1]))
    point_ids = {key[0] for key in keys}
    points = DistributionPoint.objects.in_bulk(point_ids)
    stock = on_hand(point_ids)
    held_elsewhere = reserved(point_ids, except_cycle=cycle)
    plan = AllocationPlan(cycle=cycle, unserved=unserved_unions(cycle))
    for key in keys:
        row = needs.get(key, {})
        plan.needs.append(
            PointNeed(
                point=points[key[0]],
                item=key[1],
                due=row.get("due", ZERO),
                due_count=row.get("due_count", 0),
                issued=row.get("issued", ZERO),
                allocated=allocated.get(key, ZERO),
                on_hand=stock.get(key, ZERO),
                reserved_elsewhere=held_elsewhere.get(key, ZERO),
            )
        )
    plan.needs.sort(key=lambda need: (need.point.name, need.item))
    return plan


# --- uncollected ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnionCount:
    union_id: Any
    union_name: str
    item: str
    count: int
    quantity: Decimal


def served_union_ids(point: DistributionPoint) -> list[Any]:
    return list(ServedUnion.objects.filter(point=point).values_list("union_id", flat=True))


def entitlements_at(point: DistributionPoint, cycle: Cycle) -> QuerySet[Entitlement]:
    """The cycle's entitlements of enrolments in the unions the point serves."""
    return Entitlement.objects.filter(cycle=cycle, enrolment__area__distribution_point_links__point=point)


def uncollected_by_union(point: DistributionPoint, cycle: Cycle) -> list[UnionCount]:
    rows = (
        entitlements_at(point, cycle)
        .filter(status=Entitlement.Status.UNCOLLECTED)
        .values("enrolment__area_id", "enrolment__area__name", "item")
        .annotate(count=Count("pk"), quantity=_sum())
        .order_by("enrolment__area__name", "item")
    )
    return [
        UnionCount(
            row["enrolment__area_id"],
            row["enrolment__area__name"],
            row["item"],
            row["count"],
            row["quantity"],
        )
        for row in rows
    ]


def uncollected_cards(point: DistributionPoint, cycle: Cycle) -> QuerySet[Entitlement]:
    """The uncollected rations themselves (card numbers, no names), union by union."""
    return (
        entitlements_at(point, cycle)
        .filter(status=Entitlement.Status.UNCOLLECTED)
        .select_related("enrolment__area")
        .order_by("enrolment__area__name", "enrolment__card_number")
    )


# --- figures for reports -------------------------------------------------------------------------------


@dataclass
class Figures:
    """Quantities distributed against allocated, and how many rations were not collected."""

    label: str
    key: Any
    item: str
    entitled_count: int = 0
    entitled: Decimal = ZERO
    issued_count: int = 0
    issued: Decimal = ZERO
    uncollected_count: int = 0
    uncollected: Decimal = ZERO
    allocated: Decimal | None = None

    @property
    def uncollected_rate(self) -> float | None:
        """Share of the rations whose distribution ended that were not collected; None before any."""
        ended = self.issued_count + self.uncollected_count
        return self.uncollected_count / ended if ended else None


def _entitlement_figures() -> dict[str, Any]:
    issued, uncollected = Q(status=Entitlement.Status.ISSUED), Q(status=Entitlement.Status.UNCOLLECTED)
    return {
        "entitled_count": Count("pk"),
        "entitled": _sum(),
        "issued_count": _count(issued),
        "issued": _sum(issued),
        "uncollected_count": _count(uncollected),
        "uncollected": _sum(uncollected),
    }


def _figure(label: str, key: Any, row: dict[str, Any]) -> Figures:
    names = ("entitled_count", "entitled", "issued_count", "issued", "uncollected_count", "uncollected")
    return Figures(label=label, key=key, item=row["item"], **{name: row[name] for name in names})


def _allocated_by(cycles: QuerySet[Cycle] | list[Cycle], group: str) -> dict[tuple[Any, str], Decimal]:
    rows = (
        StockMovement.objects.filter(cycle__in=cycles, kind=Kind.ALLOCATED)
        .values(group, "item")
        .annotate(total=_sum())
        .order_by()
    )
    return {(row[group], row["item"]): row["total"] for row in rows}


def figures_by_point(cycle: Cycle) -> list[Figures]:
    """Per point serving the cycle's unions: allocated, issued, uncollected. Rations of unions without a
    point are left out here (they show in `figures_by_union`)."""
    rows = (
        _with_point(owed(Entitlement.objects.filter(cycle=cycle)), served=True)
        .filter(status__in=ENTITLED_STATUSES)
        .values("item", point_id=F(SERVING_POINT))
        .annotate(**_entitlement_figures())
        .order_by()
    )
    allocated = _allocated_by([cycle], "point_id")
    names = dict(DistributionPoint.objects.filter(org_id=cycle.org_id).values_list("id", "name"))
    figures = [_figure(names.get(row["point_id"], "?"), row["point_id"], row) for row in rows]
    for figure in figures:
        figure.allocated = allocated.get((figure.key, figure.item), ZERO)
    return sorted(figures, key=lambda figure: (figure.label, figure.item))


def figures_by_union(cycle: Cycle) -> list[Figures]:
    rows = (
        owed(Entitlement.objects.filter(cycle=cycle, status__in=ENTITLED_STATUSES))
        .values("enrolment__area_id", "enrolment__area__name", "item")
        .annotate(**_entitlement_figures())
        .order_by("enrolment__area__name", "item")
    )
    return [_figure(row["enrolment__area__name"], row["enrolment__area_id"], row) for row in rows]


def figures_by_cycle(programme: Programme) -> list[Figures]:
    """Per cycle of the programme, newest first."""
    cycles = Cycle.objects.filter(programme=programme)
    rows = (
        owed(Entitlement.objects.filter(cycle__in=cycles, status__in=ENTITLED_STATUSES))
        .values("cycle_id", "cycle__month", "item")
        .annotate(**_entitlement_figures())
        .order_by("-cycle__month", "item")
    )
    allocated = _allocated_by(cycles, "cycle_id")
    figures = [_figure(row["cycle__month"].strftime("%Y-%m"), row["cycle_id"], row) for row in rows]
    for figure in figures:
        figure.allocated = allocated.get((figure.key, figure.item), ZERO)
    return figures


def in_kind_cycles(user: Any) -> QuerySet[Cycle]:
    """Cycles of the organisation's in-kind programmes that have entitlements, newest first."""
    cycles: QuerySet[Cycle] = (
        Cycle.objects.visible_to(user)
        .filter(programme__benefit_kind=Programme.BenefitKind.IN_KIND)
        .exclude(status=Cycle.Status.OPEN)
        .select_related("programme")
        .order_by("-month", "programme__name")
    )
    return cycles


# --- the cycle approval check --------------------------------------------------------------------------


def quantity_text(quantity: Decimal, unit: str = "") -> str:
    """30.00 → "30", 12.50 → "12.5", with the unit when given: what people write on a stock card."""
    text = f"{quantity:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} {unit}".strip()


def stock_problems(plan: AllocationPlan) -> list[str]:
    """Each point and item the cycle's rations exceed the stock of, and each union no point serves."""
    unit = plan.cycle.programme.unit
    problems = [
        _("Not enough %(item)s at %(point)s: %(due)s due, %(available)s available, %(short)s short.")
        % {
            "item": need.item,
            "point": need.point.name,
            "due": quantity_text(need.due, unit),
            "available": quantity_text(max(need.available, ZERO), unit),
            "short": quantity_text(need.shortfall, unit),
        }
        for need in plan.short
    ]
    problems += [
        ngettext(
            "%(count)s ration is due in %(union)s, which no distribution point serves.",
            "%(count)s rations are due in %(union)s, which no distribution point serves.",
            union.due_count,
        )
        % {"count": union.due_count, "union": union.union_name}
        for union in plan.unserved
    ]
    return problems


def cycle_stock_problems(cycle: Cycle) -> list[str]:
    """The approval check registered with the benefits core: a cycle of an in-kind programme cannot be
    approved beyond the stock of its distribution points.

    An organisation that records no distribution point hands out its rations outside Haven; its cycles
    are not checked (there is no stock to check against), rather than refused forever.
    """
    if cycle.programme.benefit_kind != Programme.BenefitKind.IN_KIND:
        return []
    if not DistributionPoint.objects.filter(org_id=cycle.org_id).exists():
        return []
    return stock_problems(allocation_plan(cycle))
