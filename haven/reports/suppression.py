"""Small-cell suppression (being written; see the module's final docstring when done)."""

from __future__ import annotations

from haven.reports.indicators import Cell, Table


def suppress(table: Table, threshold: int, *, additive: bool = True) -> Table:
    """Primary suppression only, until complementary suppression lands: cells under ``threshold``."""
    cells = {key: _primary(cell, threshold, additive) for key, cell in table.cells.items()}
    return Table(table.indicator, table.dimensions, cells, _primary(table.total, threshold, additive))


def _primary(cell: Cell, threshold: int, additive: bool) -> Cell:
    small = cell.value if additive else cell.base
    if small is not None and 0 < small < threshold:
        return Cell(None, None, suppressed=True)
    return cell
