"""Small-cell suppression: figures that leave an organisation, or reach readers without access to the
records, must not let anyone single out a few women.

Rules (GBVIMS information-sharing practice):

* **Primary.** An additive count with ``0 < value < threshold`` is hidden. Zeros are shown: "nobody" is
  not a disclosure, and hiding zeros would only make tables unreadable. A rate or average
  (``additive=False``) is hidden when the ``base`` it was computed over is under the threshold, or when it
  carries no base at all (fail closed: a rate that cannot say how many people it rests on is not shown).
* **Complementary** (additive counts only). A table is read together with its totals: the grand total, and
  the row and column totals a reader can add up or obtain by asking for the same indicator with fewer
  breakdowns. A hidden cell alone in its row could be recovered as *row total - shown cells*. So the table
  is extended with every margin (for ``sex`` by ``area``: each row total, each column total, the grand total),
  and in every line of that extended table (a row with its total, a column with its total, the row of
  column totals with the grand total, ...) there must be no hidden entry or at least two. Where a line has
  exactly one, the smallest shown non-zero cell of the line is hidden too; only when the line has no such
  cell is its total hidden instead. A zero never serves as a complement: a hidden zero protects nothing,
  since its line's total minus the shown cells still gives the small cell's value exactly when everybody
  knows zeros are shown. This works for any number of dimensions (1-D: cells and total; 2-D: rows,
  columns, margins and grand total; a month breakdown adds a third).
* The threshold is ``settings.HAVEN_SUPPRESSION_THRESHOLD`` (default 5), see ``configured_threshold``.

What it does not promise: protection against a reader who solves the whole system of row and column
equations at once, or who combines *different* indicators (linked tables). The line rule is the one
GBVIMS and most statistical offices apply to published tables; it defeats the subtraction attack.

Margins are not part of ``Table``; a page that prints row or column totals must hide those listed by
``hidden_entries`` (the entry's key has ``TOTAL`` in the summed positions).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Final, TypeVar

from django.conf import settings

from haven.reports.indicators import Cell, Key, Number, Table

DEFAULT_THRESHOLD: Final = 5
E = TypeVar("E", bound=Hashable)  # an entry's key
L = TypeVar("L", bound=Hashable)  # a line's key


class _Total:
    """The marker for "all values of this dimension" in a key of the extended table."""

    def __repr__(self) -> str:
        return "TOTAL"


TOTAL: Final = _Total()
HIDDEN: Final = Cell(None, None, suppressed=True)


def configured_threshold() -> int:
    """The installation's threshold (``HAVEN_SUPPRESSION_THRESHOLD``); at least 2, as 1 hides nothing."""
    value = getattr(settings, "HAVEN_SUPPRESSION_THRESHOLD", DEFAULT_THRESHOLD)
    return value if isinstance(value, int) and value >= 2 else DEFAULT_THRESHOLD


def suppress(table: Table, threshold: int, *, additive: bool = True) -> Table:
    """``table`` with small cells (and, for counts, their complements) replaced by hidden cells.

    Cells that stay shown are the very same ``Cell`` objects; keys are unchanged.
    """
    if not additive:
        cells = {key: _small_base(cell, threshold) for key, cell in table.cells.items()}
        return Table(table.indicator, table.dimensions, cells, _small_base(table.total, threshold))
    hidden = hidden_entries(table, threshold)
    cells = {key: HIDDEN if key in hidden else cell for key, cell in table.cells.items()}
    grand = (TOTAL,) * len(table.dimensions)
    return Table(table.indicator, table.dimensions, cells, HIDDEN if grand in hidden else table.total)


def _small_base(cell: Cell, threshold: int) -> Cell:
    return HIDDEN if cell.base is None or cell.base < threshold else cell


# --- The extended table ------------------------------------------------------------------------------


Line = tuple[int, Key]  # (the axis the line runs along, the key without that axis)


def hidden_entries(table: Table, threshold: int) -> frozenset[Key]:
    """Keys of the extended table to hide: cells, margins (``TOTAL`` in the summed positions) and the
    grand total (``TOTAL`` everywhere)."""
    entries = extended_entries(table)
    return complete_lines(
        entries, _lines(entries), threshold, is_margin=lambda line, key: key[line[0]] is TOTAL
    )


def complete_lines(
    entries: Mapping[E, Number],
    lines: Mapping[L, list[E]],
    threshold: int,
    is_margin: Callable[[L, E], bool],
    derived: frozenset[E] = frozenset(),
) -> frozenset[E]:
    """The small entries, plus complements until no line has exactly one hidden entry.

    ``lines`` are the groups a reader can add up (a row with its total, a unit with the units under
    it); ``is_margin`` tells which member of a line is its total, hidden only when no other will do.
    ``derived`` entries are not published but can be worked out from the others (a total minus its
    parts): protected when small, never a complement, since hiding them hides nothing.
    """
    hidden = {key for key, value in entries.items() if _is_small(value, threshold)}
    lines_of: dict[E, list[L]] = {}
    for line, members in lines.items():
        for key in members:
            lines_of.setdefault(key, []).append(line)
    queue = deque(line for key in hidden for line in lines_of.get(key, ()))
    while queue:
        line = queue.popleft()
        if sum(1 for key in lines[line] if key in hidden) != 1:
            continue
        members = [key for key in lines[line] if key not in derived]
        complement = _cheapest(members, [is_margin(line, key) for key in members], entries, hidden)
        if complement is not None:
            hidden.add(complement)
            queue.extend(lines_of[complement])
    return frozenset(hidden)


def extended_entries(table: Table) -> dict[Key, Number]:
    """Every cell plus every margin computed from the cells; the grand total is the table's own total
    (for distinct counts it is not the sum of the cells, and it is the figure readers see)."""
    size = len(table.dimensions)
    entries: dict[Key, Number] = {}
    for key, cell in table.cells.items():
        value = cell.value or 0
        for mask in range(1 << size):
            entry = tuple(TOTAL if mask >> axis & 1 else part for axis, part in enumerate(key))
            entries[entry] = entries.get(entry, 0) + value  # type: ignore[operator]
    grand = (TOTAL,) * size
    if table.total.value is not None:
        entries[grand] = table.total.value
    entries.setdefault(grand, 0)
    return entries


def _is_small(value: Number, threshold: int) -> bool:
    return 0 < value < threshold


def _lines_of(key: Key) -> list[Line]:
    return [(axis, key[:axis] + key[axis + 1 :]) for axis in range(len(key))]


def _lines(entries: Iterable[Key]) -> dict[Line, list[Key]]:
    members: dict[Line, list[Key]] = {}
    for key in entries:
        for line in _lines_of(key):
            members.setdefault(line, []).append(key)
    return members


def _cheapest(line: list[E], margins: list[bool], entries: Mapping[E, Number], hidden: set[E]) -> E | None:
    """The smallest shown non-zero cell of the line; the line's total only if there is none."""
    shown = [(key, margin) for key, margin in zip(line, margins, strict=True) if key not in hidden]
    candidates = [(key, margin) for key, margin in shown if entries[key] != 0]
    pool = [key for key, margin in candidates if not margin] or [key for key, _margin in candidates]
    return min(pool, key=lambda key: entries[key]) if pool else None
