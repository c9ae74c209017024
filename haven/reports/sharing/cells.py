"""The aggregate cells that travel between organisations, and how they are combined.

A submission's JSON (and a consolidated report's) has this shape, and nothing else::

    {"report": "gbvims", "period": "2025-03",
     "indicators": [{"indicator": "gbvims.incidents", "additive": true,
                     "total": {"value": 12, "base": null, "suppressed": false},
                     "tables": [{"dimensions": ["area"],
                                 "cells": [{"key": ["BD-30"], "value": 7, "base": null,
                                            "suppressed": false}]}]}]}

Each indicator is broken down by one dimension at a time (the totals beside them), so nothing is a
cross-tabulation fine enough to single a woman out. Area values are the area's official code (or its name
when it has none), because areas are each organisation's own rows and their ids mean nothing elsewhere;
any other value that is not plain text or a number (a site's id) is replaced by its label.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from uuid import UUID

from haven.orgs.models import Area, Organisation
from haven.reports import suppression
from haven.reports.indicators import (
    AREA,
    DIMENSIONS,
    INDICATORS,
    MONTH_DIMENSION,
    Cell,
    Report,
    Scope,
    Table,
)
from haven.reports.queries import build_report

Json = dict[str, Any]


def submission_cells(report: Report, scope: Scope, area_level: int) -> Json:
    """The organisation's unsuppressed figures for ``scope``: totals and one table per dimension."""
    overall = build_report(report, scope, suppress=False)
    entries: dict[str, Json] = {
        result.indicator.code: {
            "indicator": result.indicator.code,
            "additive": result.indicator.additive,
            "total": _cell(result.table.total),
            "tables": [],
        }
        for result in overall.results
    }
    for dimension in _dimensions(report):
        level = area_level if dimension == AREA else None
        built = build_report(report, scope, by=(dimension,), area_level=level, suppress=False)
        for result in built.results:
            if result.table.dimensions == (dimension,):
                entries[result.indicator.code]["tables"].append(_table(scope.org, result.table))
    return {"report": report.code, "period": scope.period.code, "indicators": list(entries.values())}


def _dimensions(report: Report) -> list[str]:
    found: list[str] = []
    for code in report.indicators:
        for dimension in INDICATORS[code].dimensions:
            if dimension != MONTH_DIMENSION and dimension not in found:
                found.append(dimension)
    return found


def _table(org: Organisation, table: Table) -> Json:
    (dimension,) = table.dimensions
    values = [key[0] for key in table.cells]
    names = _area_names(org, values) if dimension == AREA else _plain_values(dimension, values)
    merged: dict[Any, Cell] = {}
    for (value,), cell in table.cells.items():
        name = names.get(value)
        before = merged.get(name)
        merged[name] = cell if before is None else _add(before, cell)
    cells = [{"key": [name], **_cell(cell)} for name, cell in merged.items()]
    return {"dimensions": [dimension], "cells": cells}


def _area_names(org: Organisation, values: Iterable[Any]) -> dict[Any, Any]:
    ids = [value for value in values if isinstance(value, UUID)]
    rows = Area.objects.filter(org=org, pk__in=ids).values_list("pk", "code", "name")
    named: dict[Any, Any] = {pk: code or name for pk, code, name in rows}
    return {value: named.get(value) for value in values}  # an unknown or missing area → not recorded


def _plain_values(dimension: str, values: list[Any]) -> dict[Any, Any]:
    odd = [value for value in values if not _is_plain(value)]
    labels = DIMENSIONS[dimension].labels(odd) if odd else {}
    return {value: value if _is_plain(value) else labels.get(value, str(value)) for value in values}


def _is_plain(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, bool))


def _cell(cell: Cell) -> Json:
    return {"value": _number(cell.value), "base": cell.base, "suppressed": cell.suppressed}


def _number(value: Any) -> int | float | None:
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return float(value)


def _add(first: Cell, second: Cell) -> Cell:
    value = (first.value or 0) + (second.value or 0)  # type: ignore[operator]
    base = None if first.base is None and second.base is None else (first.base or 0) + (second.base or 0)
    return Cell(value, base)


# --- Consolidation ---------------------------------------------------------------------------------------


class _Sum:
    """Adds counts; averages rates weighted by their bases (a rate without a base cannot be combined)."""

    def __init__(self, additive: bool) -> None:
        self.additive = additive
        self.value: float = 0
        self.weighted: float = 0
        self.base: int | None = None
        self.seen = False

    def add(self, cell: Json) -> None:
        value, base = cell.get("value"), cell.get("base")
        if value is None:
            return
        if base is not None:
            self.base = (self.base or 0) + int(base)
            self.weighted += float(value) * int(base)
        self.value += value
        self.seen = True

    def cell(self) -> Cell:
        if not self.seen:
            return Cell(None)
        if self.additive:
            return Cell(_number(self.value), self.base)
        if not self.base:
            return Cell(None)
        return Cell(round(self.weighted / self.base, 4), self.base)


def consolidate_cells(
    report_code: str, period: str, submissions: list[Json], threshold: int
) -> tuple[Json, int]:
    """Combine the submissions' cells, with no trace of which organisation gave which, then suppress
    small cells (and their complements). Returns the consolidated JSON and the number of contributors."""
    totals: dict[str, _Sum] = {}
    tables: dict[tuple[str, tuple[str, ...]], dict[tuple[Any, ...], _Sum]] = {}
    additive: dict[str, bool] = {}
    for cells in submissions:
        for entry in cells["indicators"]:
            code, is_additive = entry["indicator"], bool(entry["additive"])
            additive.setdefault(code, is_additive)
            totals.setdefault(code, _Sum(is_additive)).add(entry["total"])
            for table in entry["tables"]:
                sums = tables.setdefault((code, tuple(table["dimensions"])), {})
                for cell in table["cells"]:
                    sums.setdefault(tuple(cell["key"]), _Sum(is_additive)).add(cell)
    indicators = []
    for code, total in totals.items():
        entry_tables = []
        for (table_code, dimensions), sums in tables.items():
            if table_code != code:
                continue
            table = Table(code, dimensions, {key: s.cell() for key, s in sums.items()}, total.cell())
            hidden = suppression.suppress(table, threshold, additive=additive[code])
            rows = [
                {"key": list(key), **_cell(cell)} for key, cell in sorted(hidden.cells.items(), key=_order)
            ]
            entry_tables.append({"dimensions": list(dimensions), "cells": rows})
        alone = suppression.suppress(Table(code, (), {}, total.cell()), threshold, additive=additive[code])
        indicators.append(
            {
                "indicator": code,
                "additive": additive[code],
                "total": _cell(alone.total),
                "tables": entry_tables,
            }
        )
    result = {"report": report_code, "period": period, "indicators": indicators}
    return result, len(submissions)


def _order(item: tuple[tuple[Any, ...], Cell]) -> tuple[str, ...]:
    return tuple("" if part is None else str(part) for part in item[0])


# --- Reading ----------------------------------------------------------------------------------------------


def readable(cells: Json) -> list[Json]:
    """The cells as a page shows them: indicator names, dimension labels, values in order."""
    shown = []
    for entry in cells.get("indicators", []):
        known = INDICATORS.get(entry["indicator"])
        tables = []
        for table in entry["tables"]:
            (dimension, *_rest) = table["dimensions"]
            rows = [(_labels(dimension, cell["key"]), cell) for cell in table["cells"]]
            label = DIMENSIONS[dimension].label if dimension in DIMENSIONS else dimension
            tables.append({"dimension": label, "rows": rows})
        name = known.name if known else entry["indicator"]
        shown.append({"code": entry["indicator"], "name": name, "total": entry["total"], "tables": tables})
    return shown


def _labels(dimension: str, key: list[Any]) -> str:
    (value, *_rest) = key
    if dimension == AREA or dimension not in DIMENSIONS:
        return str(DIMENSIONS[AREA].labels([None])[None]) if value is None else str(value)
    return str(DIMENSIONS[dimension].labels([value])[value])
