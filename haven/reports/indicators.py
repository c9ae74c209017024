"""Indicators: each figure Haven publishes is defined once, here, and computed by set-based queries.

An ``Indicator`` has a code (``"shelters.admissions"``), a translated name and definition, a unit, the
disaggregations it supports, and a ``compute(scope, by)`` function that returns a ``Table``: one cell per
combination of the requested dimensions' values, plus the overall total. Most indicators are counts and
are built with ``count_indicator``, which turns a queryset and a map of dimension → field into one
``GROUP BY`` query with the total (for distinct counts not the sum of the cells) in the same scan on
PostgreSQL; ``Indicator.tables`` gives several breakdowns from that one scan (``grouping.py``).

Two dimensions are handled here for every indicator, so each domain does not redo them:

* ``area`` - the domain groups by the record's own area id; ``Table.rolled_up`` maps those to their
  ancestors at the level the reader chose (district, upazila...).
* ``month`` - the period is split into the months of its own calendar (a Solar Hijri year into
  Farvardin..Esfand) and the indicator is computed once per month.

Reports (``Report``) group indicators for a purpose and a readership: the GBVIMS statistics, the One Stop
Centre progress report, the hotline's figures. Domain modules register both at start-up
(``haven/reports/domains/``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Final, TypeAlias
from uuid import UUID

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.orgs.models import Area, Organisation
from haven.orgs.roles import Role
from haven.reports.grouping import Source as Source
from haven.reports.grouping import grouped_counts
from haven.reports.periods import Period, PeriodError, calendar_month
from haven.web import calendars

Number: TypeAlias = int | Decimal | float
Key: TypeAlias = tuple[Any, ...]

AREA: Final = "area"
MONTH_DIMENSION: Final = "month"
MAX_MONTHS: Final = 120
"""Ten years of months: each month is computed on its own, so one request cannot ask for thousands."""


class Unit(models.TextChoices):
    COUNT = "COUNT", gettext_lazy("number")
    PERCENT = "PERCENT", gettext_lazy("per cent")
    DAYS = "DAYS", gettext_lazy("days")
    MINUTES = "MINUTES", gettext_lazy("minutes")
    KILOGRAMS = "KILOGRAMS", gettext_lazy("kilograms")
    MONEY = "MONEY", gettext_lazy("amount of money")


class IndicatorError(ValueError):
    """A request for figures that cannot be answered (unknown indicator, dimension or area)."""


# --- Scope: whose records, which days, which area ------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What a figure counts: one organisation's records, in a period, optionally under one area."""

    org: Organisation
    period: Period
    area: Area | None = None
    area_ids: frozenset[UUID] | None = None  # the area and every area under it; None = everywhere

    def days(self, lookup: str) -> Q:
        """Records whose date field ``lookup`` falls in the period."""
        return Q(**{f"{lookup}__gte": self.period.start, f"{lookup}__lt": self.period.end})

    def moments(self, lookup: str) -> Q:
        """Records whose datetime field ``lookup`` falls in the period (days begin at local midnight)."""
        return Q(
            **{f"{lookup}__gte": _midnight(self.period.start), f"{lookup}__lt": _midnight(self.period.end)}
        )

    def in_area(self, lookup: str) -> Q:
        """Records whose area field ``lookup`` is the chosen area or under it (all records if none)."""
        if self.area_ids is None:
            return Q()
        return Q(**{f"{lookup}__in": self.area_ids})

    def with_period(self, period: Period) -> Scope:
        return replace(self, period=period)


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def scope_for(org: Organisation, period: Period, area: Area | None = None) -> Scope:
    """A scope; an area must belong to ``org`` (a foreign area is refused as if it did not exist)."""
    if area is None:
        return Scope(org=org, period=period)
    if area.org_id != org.pk:
        raise IndicatorError(_("This area is not one of your organisation's areas."))
    return Scope(org=org, period=period, area=area, area_ids=frozenset(area_subtree(org, area)))


def area_subtree(org: Organisation, area: Area) -> list[UUID]:
    """``area`` and every area below it, from one query over the organisation's geography."""
    children: dict[UUID | None, list[UUID]] = {}
    for area_id, parent_id in Area.objects.filter(org=org).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(area_id)
    found, frontier = [area.pk], [area.pk]
    while frontier:
        frontier = [child for parent in frontier for child in children.get(parent, []) if child not in found]
        found.extend(frontier)
    return found


# --- Tables --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One figure. ``base`` is the count of people or events a rate or average was computed over, so a
    rate on too few people can be suppressed like a small count."""

    value: Number | None
    base: int | None = None
    suppressed: bool = False


@dataclass
class Table:
    indicator: str
    dimensions: tuple[str, ...]
    cells: dict[Key, Cell] = field(default_factory=dict)
    total: Cell = field(default_factory=lambda: Cell(None))

    def value(self, *key: Any) -> Number | None:
        cell = self.cells.get(tuple(key))
        return cell.value if cell else None

    def rolled_up(self, mapping: Mapping[Any, Any], dimension: str = AREA) -> Table:
        """The same table with ``dimension``'s values replaced through ``mapping`` and merged by adding.

        Only meaningful for additive counts; rates are recomputed by their indicator instead.
        """
        position = self.dimensions.index(dimension)
        merged: dict[Key, Cell] = {}
        for key, cell in self.cells.items():
            new_key = (*key[:position], mapping.get(key[position], key[position]), *key[position + 1 :])
            before = merged.get(new_key)
            merged[new_key] = cell if before is None else _add(before, cell)
        return Table(self.indicator, self.dimensions, merged, self.total)


def areas_at_level(org: Organisation, level: int) -> dict[UUID, UUID]:
    """Each of the organisation's areas → its ancestor at ``level`` (itself if it is at or above it)."""
    parents: dict[UUID, tuple[UUID | None, int]] = {
        pk: (parent_id, area_level)
        for pk, parent_id, area_level in Area.objects.filter(org=org).values_list("pk", "parent_id", "level")
    }
    mapping: dict[UUID, UUID] = {}
    for pk in parents:
        node, seen = pk, {pk}
        while parents[node][1] > level and parents[node][0] is not None and parents[node][0] not in seen:
            node = parents[node][0]  # type: ignore[assignment]
            seen.add(node)
        mapping[pk] = node
    return mapping


def _add(first: Cell, second: Cell) -> Cell:
    value = (first.value or 0) + (second.value or 0)  # type: ignore[operator]
    base = None if first.base is None and second.base is None else (first.base or 0) + (second.base or 0)
    return Cell(value, base)


# --- Dimensions ----------------------------------------------------------------------------------------


LabelsFor: TypeAlias = Callable[[Iterable[Any]], dict[Any, str]]


@dataclass(frozen=True)
class Dimension:
    code: str
    label: Promise
    labels_for: LabelsFor | None = None  # raw values → what a reader sees; None = the value as text

    def labels(self, values: Iterable[Any]) -> dict[Any, str]:
        values = list(values)
        named = self.labels_for(values) if self.labels_for else {}
        return {value: named.get(value, _blank_label(value)) for value in values}


def _blank_label(value: Any) -> str:
    return _("Not recorded") if value in (None, "") else str(value)


def choice_labels(choices: Iterable[tuple[Any, Any]]) -> LabelsFor:
    """Labels from a field's choices (``Model.Status.choices``)."""
    table = dict(choices)
    return lambda values: {value: str(table[value]) for value in values if value in table}


def _area_labels(values: Iterable[Any]) -> dict[Any, str]:
    ids = [value for value in values if value is not None]
    return {pk: name for pk, name in Area.objects.filter(pk__in=ids).values_list("pk", "name")}


def _month_labels(values: Iterable[Any]) -> dict[Any, str]:
    from haven.reports.periods import parse_period

    language = _active_language()
    return {value: parse_period(value).label(language) for value in values if value}


def _active_language() -> str:
    from django.utils import translation

    return translation.get_language() or "en"


DIMENSIONS: dict[str, Dimension] = {}


def register_dimension(dimension: Dimension) -> Dimension:
    existing = DIMENSIONS.get(dimension.code)
    if existing is not None and existing != dimension:
        raise ImproperlyDefined(f"Dimension {dimension.code!r} is registered twice, differently.")
    DIMENSIONS[dimension.code] = dimension
    return dimension


class ImproperlyDefined(Exception):
    """A programming error in an indicator or report definition, raised at start-up or in tests."""


register_dimension(Dimension(AREA, gettext_lazy("area"), _area_labels))
register_dimension(Dimension(MONTH_DIMENSION, gettext_lazy("month"), _month_labels))


# --- Age groups (GBVIMS), shared by every domain that counts people by age ------------------------------

AGE_GROUPS: Final = (
    (0, 11, "0-11"),
    (12, 17, "12-17"),
    (18, 25, "18-25"),
    (26, 40, "26-40"),
    (41, 60, "41-60"),
    (61, 200, "61+"),
)
"""The GBVIMS age groups; girls under 18 are always visible as their own groups."""


def age_group(lookup: str) -> models.Case:
    """An SQL expression that puts the integer age field ``lookup`` into its GBVIMS age group."""
    whens = [
        models.When(**{f"{lookup}__gte": low, f"{lookup}__lte": high}, then=models.Value(code))
        for low, high, code in AGE_GROUPS
    ]
    return models.Case(*whens, default=models.Value(""), output_field=models.CharField())


register_dimension(Dimension("age_group", gettext_lazy("age group"), None))


# --- Indicators and reports ----------------------------------------------------------------------------

Compute: TypeAlias = Callable[[Scope, tuple[str, ...]], Table]
ComputeMany: TypeAlias = Callable[[Scope, Sequence[tuple[str, ...]]], list[Table]]


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Promise
    definition: Promise
    unit: str
    dimensions: tuple[str, ...]
    compute: Compute
    additive: bool = True  # a count that adds up across cells (and is suppressed when small)
    by_area: bool = True
    """Whether its records carry an area. Those that do not (hotline contacts, legal and counselling
    sessions, ...) have no figure under a chosen area, rather than the whole organisation's."""
    compute_many: ComputeMany | None = None
    """Several breakdowns at once, from one scan of the records (count indicators)."""

    def table(self, scope: Scope, by: Sequence[str] = ()) -> Table:
        """The figures for ``scope`` broken down by the dimensions ``by`` (in that order)."""
        by = tuple(by)
        if scope.area is not None and not self.by_area:
            return Table(self.code, by)
        self._check_dimensions(by)
        try:
            if MONTH_DIMENSION in by:
                return _by_month(self, scope, by)
            return self.compute(scope, by)
        except PeriodError as exc:  # a month at the far edge of a calendar
            raise IndicatorError(str(exc)) from exc

    def tables(self, scope: Scope, breakdowns: Sequence[Sequence[str]]) -> list[Table]:
        """``table(scope, by)`` for each breakdown, in one query where the indicator can (counts)."""
        wanted = [tuple(by) for by in breakdowns]
        by_month = any(MONTH_DIMENSION in by for by in wanted)
        if self.compute_many is None or by_month or (scope.area is not None and not self.by_area):
            return [self.table(scope, by) for by in wanted]
        for by in wanted:
            self._check_dimensions(by)
        return self.compute_many(scope, wanted)

    def _check_dimensions(self, by: tuple[str, ...]) -> None:
        unknown = [code for code in by if code not in self.dimensions and code != MONTH_DIMENSION]
        if unknown:
            raise IndicatorError(
                _("“%(indicator)s” cannot be broken down by %(dimensions)s.")
                % {"indicator": self.name, "dimensions": ", ".join(unknown)}
            )


def _by_month(indicator: Indicator, scope: Scope, by: tuple[str, ...]) -> Table:
    """Compute once per month of the period's own calendar; the month code leads each key."""
    rest = tuple(code for code in by if code != MONTH_DIMENSION)
    table = Table(indicator.code, (MONTH_DIMENSION, *rest))
    months = months_of(scope.period)
    if len(months) > MAX_MONTHS:
        raise IndicatorError(
            _("A month-by-month breakdown covers at most %(count)s months: choose a shorter period.")
            % {"count": MAX_MONTHS}
        )
    for month in months:
        part = indicator.compute(scope.with_period(month), rest)
        if not rest:  # by month alone: each month's figure is that month's total
            table.cells[(month.code,)] = part.total
            continue
        for key, cell in part.cells.items():
            table.cells[(month.code, *key)] = cell
    table.total = indicator.compute(scope, ()).total
    return table


def months_of(period: Period) -> list[Period]:
    """The months of ``period``'s calendar that overlap it, in order (clipped months keep their code)."""
    calendar = period.calendar
    year, month, _day = calendars.to_calendar(period.start, calendar)
    months: list[Period] = []
    current = calendar_month(calendar, year, month)
    while current.start < period.end:
        # Clipped to the period, so that the months of a range add up to the range.
        months.append(
            replace(current, start=max(current.start, period.start), end=min(current.end, period.end))
        )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        current = calendar_month(calendar, year, month)
    return months


@dataclass(frozen=True)
class Report:
    """A set of indicators read together, with who may read it and who reads it unsuppressed."""

    code: str
    title: Promise
    description: Promise
    indicators: tuple[str, ...]
    readers: frozenset[Role]
    record_readers: frozenset[Role] = frozenset()
    """Roles that may open the underlying records: they see small cells. Everyone else (and everything
    that leaves the organisation) gets small-cell suppression."""
    shareable: bool = False
    """Whether its figures may be sent to a network of organisations: only when every indicator counts
    just what the people counted agreed may be counted outside (GBVIMS: consent to statistics, and not
    already reported by another organisation)."""

    def sees_small_cells(self, role: Role) -> bool:
        return role in self.record_readers


INDICATORS: dict[str, Indicator] = {}
REPORTS: dict[str, Report] = {}


def register(indicator: Indicator) -> Indicator:
    if indicator.code in INDICATORS and INDICATORS[indicator.code] is not indicator:
        raise ImproperlyDefined(f"Indicator {indicator.code!r} is registered twice.")
    for code in indicator.dimensions:
        if code not in DIMENSIONS:
            raise ImproperlyDefined(f"Indicator {indicator.code!r} uses unknown dimension {code!r}.")
    INDICATORS[indicator.code] = indicator
    return indicator


def register_report(report: Report) -> Report:
    missing = [code for code in report.indicators if code not in INDICATORS]
    if missing:
        raise ImproperlyDefined(f"Report {report.code!r} names unknown indicators {missing}.")
    REPORTS[report.code] = report
    return report


def indicator(code: str) -> Indicator:
    try:
        return INDICATORS[code]
    except KeyError:
        raise IndicatorError(_("There is no indicator “%(code)s”.") % {"code": code[:60]}) from None


def report(code: str) -> Report:
    try:
        return REPORTS[code]
    except KeyError:
        raise IndicatorError(_("There is no report “%(code)s”.") % {"code": code[:60]}) from None


# --- Building counts ------------------------------------------------------------------------------------


def count_indicator(
    *,
    code: str,
    name: Promise,
    definition: Promise,
    records: Callable[[Scope], QuerySet[Any]],
    dimensions: Mapping[str, Source],
    distinct: str | None = None,
    unit: str = Unit.COUNT,
    by_area: bool = True,
) -> Indicator:
    """An indicator that counts the rows of ``records(scope)`` (already filtered to the scope).

    ``dimensions`` maps each supported dimension code to a field path or expression of that queryset.
    With ``distinct`` (a field path, e.g. ``"case__survivor"``), people are counted once however many
    rows they have; the total is then its own distinct count, not the sum of the cells.
    """

    def compute_many(scope: Scope, breakdowns: Sequence[tuple[str, ...]]) -> list[Table]:
        return count_tables(code, records(scope), breakdowns, dimensions, distinct)

    def compute(scope: Scope, by: tuple[str, ...]) -> Table:
        return compute_many(scope, [by])[0]

    return Indicator(
        code, name, definition, unit, tuple(dimensions), compute, by_area=by_area, compute_many=compute_many
    )


def count_table(
    code: str, queryset: QuerySet[Any], by: Mapping[str, Source], distinct: str | None = None
) -> Table:
    """The cells of the ``by`` breakdown and the total: one query on PostgreSQL (``grouping.py``)."""
    return count_tables(code, queryset, [tuple(by)], by, distinct)[0]


def count_tables(
    code: str,
    queryset: QuerySet[Any],
    breakdowns: Sequence[tuple[str, ...]],
    sources: Mapping[str, Source],
    distinct: str | None = None,
) -> list[Table]:
    """One table per breakdown, each with the total, from one scan of ``queryset`` where possible."""
    counts = grouped_counts(queryset, [*breakdowns, ()], sources, distinct)
    total = Cell(counts[()][()])
    tables = []
    for breakdown in breakdowns:
        cells = {key: Cell(number) for key, number in counts[breakdown].items()} if breakdown else {}
        tables.append(Table(code, breakdown, cells, total))
    return tables
