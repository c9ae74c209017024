"""Several breakdowns of one count from a single scan of its records.

A report table needs its cells and its total; a statistics sheet needs the same count broken down seven
ways. Asked one ``GROUP BY`` at a time, the database reads the million records once per breakdown and
once more per total. On PostgreSQL, ``GROUP BY GROUPING SETS`` answers every breakdown and the total in
one pass. SQLite has no grouping sets, so there each breakdown is its own query (its volumes are small).
A plain count broken down one way needs neither: its total is the sum of its cells.

The records are the caller's queryset, filters and joins included: the grouping query wraps its SQL, so
the figures are exactly what the ORM path counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

from django.db import connection, models
from django.db.models import Count, QuerySet

Source: TypeAlias = str | models.Expression | models.F
"""Where a dimension's value comes from in a queryset: a field path or an SQL expression."""

Breakdown: TypeAlias = tuple[str, ...]
Counts: TypeAlias = dict[tuple[Any, ...], int]

_COUNTED = "grouping_counted"


def grouped_counts(
    queryset: QuerySet[Any],
    breakdowns: Sequence[Breakdown],
    sources: Mapping[str, Source],
    distinct: str | None = None,
) -> dict[Breakdown, Counts]:
    """For each breakdown (a tuple of dimension codes; ``()`` is the total), its counts by key.

    ``sources`` maps each dimension code to its field or expression. With ``distinct`` (a field path),
    each value of that field is counted once per cell.
    """
    wanted = list(dict.fromkeys(breakdowns))
    grouped = [breakdown for breakdown in wanted if breakdown]
    if distinct is None and len(grouped) == 1:
        return _one_breakdown_and_total(queryset, wanted, sources)
    if connection.vendor == "postgresql" and grouped:
        return _grouping_sets(queryset, wanted, sources, distinct)
    return {breakdown: _group_by(queryset, breakdown, sources, distinct) for breakdown in wanted}


def expression(source: Source) -> models.Expression | models.F:
    return models.F(source) if isinstance(source, str) else source


def _group_by(
    queryset: QuerySet[Any], breakdown: Breakdown, sources: Mapping[str, Source], distinct: str | None
) -> Counts:
    counted = Count(distinct or "pk", distinct=distinct is not None)
    if not breakdown:
        return {(): queryset.aggregate(n=counted)["n"]}
    aliases = {f"d_{index}": expression(sources[code]) for index, code in enumerate(breakdown)}
    rows = queryset.annotate(**aliases).values(*aliases).annotate(n=counted).order_by()
    return {tuple(row[alias] for alias in aliases): row["n"] for row in rows}


def _one_breakdown_and_total(
    queryset: QuerySet[Any], wanted: list[Breakdown], sources: Mapping[str, Source]
) -> dict[Breakdown, Counts]:
    """One plain ``GROUP BY``: each record is in exactly one cell, so the total is the sum of the cells.

    PostgreSQL runs a plain ``GROUP BY`` on several cores; it runs grouping sets on one.
    """
    breakdown = next(breakdown for breakdown in wanted if breakdown)
    counts = _group_by(queryset, breakdown, sources, None)
    results = {breakdown: counts}
    if () in wanted:
        results[()] = {(): sum(counts.values())}
    return results


def _grouping_sets(
    queryset: QuerySet[Any], breakdowns: list[Breakdown], sources: Mapping[str, Source], distinct: str | None
) -> dict[Breakdown, Counts]:
    dimensions = list(dict.fromkeys(code for breakdown in breakdowns for code in breakdown))
    alias = {code: f"d_{index}" for index, code in enumerate(dimensions)}
    rows = queryset.annotate(
        **{alias[code]: expression(sources[code]) for code in dimensions},
        **{_COUNTED: models.F(distinct or "pk")},
    ).values(*alias.values(), _COUNTED)
    inner, params = rows.order_by().query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(alias[code]) for code in dimensions)
    grouped = list(dict.fromkeys(tuple(sorted(breakdown, key=dimensions.index)) for breakdown in breakdowns))
    sets = ", ".join("(" + ", ".join(quote(alias[code]) for code in group) + ")" for group in grouped)
    count = f"COUNT({'DISTINCT ' if distinct else ''}{quote(_COUNTED)})"
    # Only quoted aliases and the ORM's own SQL are joined in; every value travels in ``params``.
    sql = (
        f"SELECT {columns}, GROUPING({columns}), {count} FROM ({inner}) AS counted_rows "  # noqa: S608
        f"GROUP BY GROUPING SETS ({sets})"
    )
    # GROUPING() sets one bit per column left out of a row's grouping set, the first column highest.
    # Breakdowns of the same dimensions in another order share a grouping set, and each gets its rows.
    by_mask: dict[int, list[Breakdown]] = {}
    for breakdown in breakdowns:
        by_mask.setdefault(_mask(breakdown, dimensions), []).append(breakdown)
    results: dict[Breakdown, Counts] = {breakdown: {} for breakdown in breakdowns}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for *values, mask, number in cursor.fetchall():
            row = dict(zip(dimensions, values, strict=True))
            for breakdown in by_mask[mask]:
                results[breakdown][tuple(row[code] for code in breakdown)] = number
    if () in results:
        results[()].setdefault((), 0)
    return results


def _mask(breakdown: Breakdown, dimensions: list[str]) -> int:
    size = len(dimensions)
    return sum(1 << (size - 1 - index) for index, code in enumerate(dimensions) if code not in breakdown)
