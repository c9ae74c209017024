"""Small-cell suppression: primary, complementary, zeros, rates, and an attacker who subtracts."""

from __future__ import annotations

from itertools import product
from typing import Any

from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from haven.reports.indicators import Cell, Key, Table
from haven.reports.suppression import (
    TOTAL,
    configured_threshold,
    extended_entries,
    hidden_entries,
    suppress,
)

THRESHOLD = 5
counts = st.integers(min_value=0, max_value=30) | st.integers(min_value=0, max_value=6)


def _table(cells: dict[Key, int], dimensions: tuple[str, ...]) -> Table:
    total = Cell(sum(cells.values()))
    return Table("test.count", dimensions, {key: Cell(value) for key, value in cells.items()}, total)


def _one_dimension() -> st.SearchStrategy[Table]:
    values = st.lists(counts, min_size=1, max_size=7)
    return values.map(lambda row: _table({(f"v{i}",): n for i, n in enumerate(row)}, ("sex",)))


@st.composite
def _two_dimensions(draw: Any) -> Table:
    rows, columns = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    keys = [key for key in product(range(rows), "abcde"[:columns]) if draw(st.booleans()) or rows == 1]
    return _table({key: draw(counts) for key in keys}, ("area", "sex"))


def _recovered(table: Table, threshold: int) -> set[Key]:
    """What a reader learns by subtracting shown entries from shown totals, repeated until nothing new:
    every row, column and margin line of the table, with totals computed from the original cells."""
    entries = extended_entries(table)
    hidden = hidden_entries(table, threshold)
    known = {key for key in entries if key not in hidden}
    learned: set[Key] = set()
    lines: dict[tuple[int, Key], list[Key]] = {}
    for key in entries:
        for axis in range(len(key)):
            lines.setdefault((axis, key[:axis] + key[axis + 1 :]), []).append(key)
    changed = True
    while changed:
        changed = False
        for members in lines.values():
            unknown = [key for key in members if key not in known]
            if len(unknown) == 1:  # the total minus the cells, or the cells added up
                known.add(unknown[0])
                learned.add(unknown[0])
                changed = True
    return learned


def _check(table: Table) -> None:
    result = suppress(table, THRESHOLD)
    hidden = hidden_entries(table, THRESHOLD)
    # (a) nothing shown is a small count: no cell, no margin, no grand total.
    for key, value in extended_entries(table).items():
        assert key in hidden or not 0 < value < THRESHOLD, (key, value)
    assert result.total.suppressed or not 0 < (result.total.value or 0) < THRESHOLD
    # (b) no hidden cell (nor hidden total) can be worked out from what is shown.
    assert not _recovered(table, THRESHOLD)
    # (c) what is shown is exactly what was computed; same keys; hidden cells carry nothing.
    assert result.cells.keys() == table.cells.keys()
    assert {key for key, cell in result.cells.items() if cell.suppressed} == hidden & table.cells.keys()
    assert result.total.suppressed == ((TOTAL,) * len(table.dimensions) in hidden)
    for key, cell in result.cells.items():
        if cell.suppressed:
            assert cell.value is None and cell.base is None
            assert table.cells[key].value != 0, "a zero is never hidden"
        else:
            assert cell is table.cells[key]


@settings(max_examples=150, deadline=None)
@given(_one_dimension())
def test_it_protects_random_one_dimension_tables(table: Table) -> None:
    _check(table)


@settings(max_examples=150, deadline=None)
@given(_two_dimensions())
def test_it_protects_random_two_dimension_tables(table: Table) -> None:
    _check(table)


def test_it_hides_the_smallest_complement_and_shows_zeros() -> None:
    table = _table({("F",): 3, ("M",): 40, ("X",): 0, ("U",): 9}, ("sex",))
    result = suppress(table, THRESHOLD)
    assert [result.cells[(k,)].suppressed for k in "FMXU"] == [True, False, False, True]
    assert result.value("X") == 0 and result.value("M") == 40 and result.total.value == 52


def test_it_hides_the_total_when_no_cell_can_protect() -> None:
    result = suppress(_table({("F",): 3, ("M",): 0}, ("sex",)), THRESHOLD)
    assert result.cells[("F",)].suppressed and result.total.suppressed
    assert result.value("M") == 0


def test_it_completes_rows_and_columns_of_a_two_dimension_table() -> None:
    cells = {
        ("north", "F"): 2, ("north", "M"): 30, ("north", "X"): 12,
        ("south", "F"): 20, ("south", "M"): 25, ("south", "X"): 8,
    }  # fmt: skip
    table = _table(cells, ("area", "sex"))
    result = suppress(table, THRESHOLD)
    shown = {key for key, cell in result.cells.items() if not cell.suppressed}
    # north-F is small; the smallest cell of its row (north-X, 12) and of its column (south-F, 20) go
    # with it, and south-X (8) closes the south row and the X column.
    assert shown == {("north", "M"), ("south", "M")}
    assert result.total.value == 97
    assert not hidden_entries(table, THRESHOLD) & {("north", TOTAL), (TOTAL, "F"), (TOTAL, TOTAL)}


def test_it_handles_a_third_dimension_and_an_empty_breakdown() -> None:
    cells = {(m, a, s): 6 for m, a, s in product(("m1", "m2"), ("north", "south"), ("F", "M"))}
    cells[("m1", "north", "F")] = 1
    table = _table(cells, ("month", "area", "sex"))
    result = suppress(table, THRESHOLD)
    assert result.cells[("m1", "north", "F")].suppressed
    assert not _recovered(table, THRESHOLD)
    assert sum(cell.suppressed for cell in result.cells.values()) == 8  # the 2x2x2 cube must all go
    assert suppress(Table("t", (), {}, Cell(4)), THRESHOLD).total.suppressed
    assert suppress(Table("t", (), {}, Cell(0)), THRESHOLD).total.value == 0


def test_it_hides_rates_on_small_bases_only() -> None:
    cells = {("a",): Cell(50.0, base=4), ("b",): Cell(12.5, base=40), ("c",): Cell(0.0, base=None)}
    result = suppress(Table("t.rate", ("x",), cells, Cell(20.0, base=44)), THRESHOLD, additive=False)
    assert result.cells[("a",)].suppressed and result.cells[("c",)].suppressed
    assert result.cells[("b",)] is cells[("b",)] and result.total.value == 20.0


def test_it_reads_the_threshold_from_settings() -> None:
    assert configured_threshold() == 5
    with override_settings(HAVEN_SUPPRESSION_THRESHOLD=10):
        assert configured_threshold() == 10
        table = _table({("F",): 7, ("M",): 30}, ("sex",))
        assert suppress(table, configured_threshold()).cells[("F",)].suppressed
    with override_settings(HAVEN_SUPPRESSION_THRESHOLD=1):
        assert configured_threshold() == 5
