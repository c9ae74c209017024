"""A computed report as a file: CSV (UTF-8 with a byte-order mark, so Excel opens Bengali and Persian
text correctly), XLSX (openpyxl) and PDF (WeasyPrint, shaped in the Noto font of the language's script).

All three read the same rows (``sheet``), so a figure hidden on the page is hidden in every file.
A donor project adds its targets: two more columns on each indicator's total.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from haven.reports.indicators import DIMENSIONS, Cell, Number, Unit
from haven.reports.queries import IndicatorResult, ReportResult
from haven.web.pdf import direction_of, render_pdf

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is run as a formula by spreadsheets: it is quoted instead."""


@dataclass
class Sheet:
    """What every format shows: a few lines about the report, then one table."""

    title: str
    about: list[tuple[str, str]]
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    totals: set[int] = field(default_factory=set)  # indexes of total rows (set in bold)


def percent_of(value: Number | None, target: Number | None) -> Decimal | None:
    if value is None or not target:
        return None
    share = Decimal(str(value)) * 100 / Decimal(str(target))
    return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _number(value: Number | None) -> Number | None:
    if isinstance(value, float):
        return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return value


def _shown(cell: Cell | None) -> Any:
    if cell is None:
        return ""
    if cell.suppressed:
        return _("hidden")
    value = _number(cell.value)
    return "" if value is None else value


def _dimensions(result: ReportResult) -> list[str]:
    seen: dict[str, None] = {}
    for item in result.results:
        seen.update(dict.fromkeys(item.table.dimensions))
    return list(seen)


def _about(result: ReportResult, language: str) -> list[tuple[str, str]]:
    scope = result.scope
    about = [
        (_("Period"), scope.period.label(language)),
        (_("Area"), scope.area.name if scope.area is not None else _("All areas")),
    ]
    if result.previous_scope is not None:
        about.append((_("Compared with"), result.previous_scope.period.label(language)))
    if result.suppressed:
        about.append(
            (
                _("Small figures"),
                _("Figures under %(threshold)s, and figures that would reveal them, are hidden.")
                % {"threshold": result.threshold},
            )
        )
    return about


def sheet(
    result: ReportResult,
    *,
    language: str,
    title: str | None = None,
    targets: Mapping[str, Number] | None = None,
) -> Sheet:
    """The report as rows: per indicator, one row per cell of its breakdown, then its total."""
    with translation.override(language):
        dimensions = _dimensions(result)
        compare = result.previous_scope is not None
        header = [
            _("Indicator"),
            _("Unit"),
            *[str(DIMENSIONS[code].label) for code in dimensions],
            _("Value"),
        ]
        header += [_("Previous period")] if compare else []
        header += [_("Target"), _("Per cent of target")] if targets is not None else []
        out = Sheet(title or str(result.report.title), _about(result, language), header)
        for item in result.results:
            _indicator_rows(out, item, dimensions, compare, targets)
        return out


def _indicator_rows(
    out: Sheet,
    item: IndicatorResult,
    dimensions: list[str],
    compare: bool,
    targets: Mapping[str, Number] | None,
) -> None:
    name, unit = str(item.indicator.name), str(Unit(item.indicator.unit).label)
    for _key, labels, cell, before in item.rows():
        by_dimension = dict(zip(item.table.dimensions, labels, strict=True))
        row = [name, unit, *[by_dimension.get(code, "") for code in dimensions], _shown(cell)]
        row += [_shown(before)] if compare else []
        row += ["", ""] if targets is not None else []
        out.rows.append(row)
    total_label = [_("Total")] if dimensions else []
    padding = [""] * max(len(dimensions) - 1, 0)
    row = [name, unit, *total_label, *padding, _shown(item.table.total)]
    if compare:
        row.append(_shown(item.previous.total) if item.previous is not None else "")
    if targets is not None:
        target = targets.get(item.indicator.code)
        shown = item.table.total
        value = None if shown.suppressed else shown.value
        share = percent_of(value, target)
        row += ["" if target is None else _number(target), "" if share is None else share]
    out.totals.add(len(out.rows))
    out.rows.append(row)


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(data: Sheet) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(data.title)])
    for label, text in data.about:
        writer.writerow([safe_cell(label), safe_cell(text)])
    writer.writerow([])
    writer.writerow([safe_cell(text) for text in data.header])
    writer.writerows([[safe_cell(value) for value in row] for row in data.rows])
    # The byte-order mark is how Excel knows the file is UTF-8 (else Bengali arrives as mojibake).
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(data: Sheet, *, language: str) -> bytes:
    book = Workbook()
    page = book.active
    assert page is not None
    page.title = _sheet_title(data.title)
    page.sheet_view.rightToLeft = direction_of(language) == "rtl"
    page.append([safe_cell(data.title)])
    page.cell(row=1, column=1).font = Font(bold=True, size=13)
    for label, text in data.about:
        page.append([safe_cell(label), safe_cell(text)])
    page.append([])
    page.append([safe_cell(text) for text in data.header])
    header_row = page.max_row
    for heading in page[header_row]:
        heading.font = Font(bold=True)
    for index, row in enumerate(data.rows):
        page.append([safe_cell(value) for value in row])
        if index in data.totals:
            for total in page[page.max_row]:
                total.font = Font(bold=True)
    page.freeze_panes = f"A{header_row + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip()
    return cleaned[:31] or "Report"


def to_pdf(data: Sheet, *, language: str, generated: str) -> bytes:
    """Raises ``haven.web.pdf.PdfUnavailable`` when the server cannot make PDFs."""
    context = {"sheet": data, "generated": generated}
    return render_pdf("report_exports/report_pdf.html", context, language=language)
