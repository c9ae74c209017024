"""A report, computed: every indicator of it for one scope, with labels, the previous period beside it,
and small-cell suppression when the reader may not see the records behind the figures.

``build_report`` is what the report pages, the dashboards and the exports (CSV, XLSX, PDF, DHIS2) read,
so they all show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from haven.reports import suppression
from haven.reports.indicators import (
    AREA,
    DIMENSIONS,
    Cell,
    Indicator,
    IndicatorError,
    Key,
    Report,
    Scope,
    Table,
    areas_at_level,
    indicator,
)
from haven.reports.periods import PeriodError


@dataclass
class IndicatorResult:
    indicator: Indicator
    table: Table
    previous: Table | None
    labels: dict[str, dict[Any, str]] = field(default_factory=dict)  # dimension → value → label

    def rows(self) -> list[tuple[Key, list[str], Cell, Cell | None]]:
        """(key, labels of the key, cell, the previous period's cell) sorted by the labels."""
        rows = []
        for key, cell in self.table.cells.items():
            names = [
                self.labels[dimension].get(value, str(value))
                for dimension, value in zip(self.table.dimensions, key, strict=True)
            ]
            before = self.previous.cells.get(key) if self.previous is not None else None
            rows.append((key, names, cell, before))
        return sorted(rows, key=lambda row: row[1])


@dataclass
class ReportResult:
    report: Report
    scope: Scope
    by: tuple[str, ...]
    suppressed: bool
    threshold: int
    results: list[IndicatorResult]
    previous_scope: Scope | None = None


def build_report(
    report: Report,
    scope: Scope,
    *,
    by: tuple[str, ...] = (),
    area_level: int | None = None,
    compare: bool = False,
    suppress: bool = True,
    threshold: int | None = None,
) -> ReportResult:
    """Compute each indicator of ``report`` broken down by ``by`` (where the indicator supports it).

    ``area_level`` rolls area figures up to that level of the geography (additive counts only).
    ``suppress`` hides small cells (and their complements) in additive counts and rates on small bases;
    cells under ``threshold`` are small (default: the installation's ``HAVEN_SUPPRESSION_THRESHOLD``).
    """
    threshold = suppression.configured_threshold() if threshold is None else threshold
    try:
        previous_scope = scope.with_period(scope.period.previous()) if compare else None
    except PeriodError as exc:  # nothing before the first year a calendar can show
        raise IndicatorError(str(exc)) from exc
    level_map = areas_at_level(scope.org, area_level) if area_level and AREA in by else None
    results = []
    for code in report.indicators:
        item = indicator(code)
        wanted = tuple(dimension for dimension in by if dimension in item.dimensions or dimension == "month")
        table = _table(item, scope, wanted, level_map, suppress, threshold)
        previous = (
            _table(item, previous_scope, wanted, level_map, suppress, threshold) if previous_scope else None
        )
        results.append(IndicatorResult(item, table, previous, _labels(table, previous)))
    return ReportResult(report, scope, by, suppress, threshold, results, previous_scope)


def _table(
    item: Indicator,
    scope: Scope,
    by: tuple[str, ...],
    level_map: dict[Any, Any] | None,
    suppress: bool,
    threshold: int,
) -> Table:
    table = item.table(scope, by)
    if level_map is not None and AREA in by and item.additive:
        table = table.rolled_up(level_map)
    if suppress:
        table = suppression.suppress(table, threshold, additive=item.additive)
    return table


def _labels(table: Table, previous: Table | None) -> dict[str, dict[Any, str]]:
    labels = {}
    for position, dimension in enumerate(table.dimensions):
        values = {key[position] for key in table.cells}
        if previous is not None:
            values |= {key[position] for key in previous.cells}
        labels[dimension] = DIMENSIONS[dimension].labels(values)
    return labels
