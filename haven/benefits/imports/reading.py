"""Reading a registry file row by row, without loading the rows into memory: CSV (UTF-8, comma or
semicolon) or XLSX (the first sheet, read-only streaming).

A row is numbered as the spreadsheet shows it (the header is row 1), so an error points at the line a
person sees. Blank rows are skipped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from haven.benefits.imports.columns import KEYS, REQUIRED, header_key

Cells = tuple[Any, ...]


class FileProblem(ValueError):
    """The file as a whole cannot be read (not CSV/XLSX, bad encoding, bad header); the message says why."""


@dataclass(frozen=True)
class Sheet:
    """The file's columns (keys in file order) and a way to read its rows again from the start."""

    columns: tuple[str, ...]
    estimated_rows: int
    content: bytes
    file_format: str

    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(row number, {column key: raw cell}) for every non-blank data row."""
        raw = _csv_rows(self.content) if self.file_format == "CSV" else _xlsx_rows(self.content)
        next(raw, None)  # the header
        for number, cells in enumerate(raw, start=2):
            if not any(_filled(cell) for cell in cells):
                continue
            yield number, dict(zip(self.columns, cells, strict=False))


def _filled(cell: Any) -> bool:
    return cell is not None and str(cell).strip() != ""


def open_sheet(content: bytes, file_format: str) -> Sheet:
    """Read the header and check it: every required column present, no unknown or repeated column."""
    raw = _csv_rows(content) if file_format == "CSV" else _xlsx_rows(content)
    try:
        header = next(raw)
    except StopIteration:
        raise FileProblem(_("The file is empty: it needs a header row and at least one row.")) from None
    columns = tuple(header_key(cell) for cell in header)
    while columns and not columns[-1]:
        columns = columns[:-1]
    _check_header(columns)
    estimated = content.count(b"\n") - 1 if file_format == "CSV" else _xlsx_row_count(content)
    return Sheet(columns=columns, estimated_rows=max(estimated, 1), content=content, file_format=file_format)


def _check_header(columns: tuple[str, ...]) -> None:
    unknown = [c or "(blank)" for c in columns if c not in KEYS]
    if unknown:
        raise FileProblem(
            _("Unknown columns: %(columns)s. Use the column names of the template.")
            % {"columns": ", ".join(unknown)}
        )
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        raise FileProblem(_("Columns given twice: %(columns)s.") % {"columns": ", ".join(repeated)})
    missing = [key for key in KEYS if key in REQUIRED and key not in columns]
    if missing:
        raise FileProblem(_("Required columns missing: %(columns)s.") % {"columns": ", ".join(missing)})


def _csv_rows(content: bytes) -> Iterator[Cells]:
    text = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
    first_line = content.split(b"\n", 1)[0]
    delimiter = ";" if first_line.count(b";") > first_line.count(b",") else ","
    try:
        for row in csv.reader(text, delimiter=delimiter):
            yield tuple(row)
    except UnicodeDecodeError:
        raise FileProblem(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")
        ) from None
    except csv.Error:
        raise FileProblem(_("The file is not a readable CSV file.")) from None


def _xlsx_rows(content: bytes) -> Iterator[Cells]:
    book = _workbook(content)
    try:
        sheet = book.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
    finally:
        book.close()


def _workbook(content: bytes) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (zip, XML, key errors) for a file that is not XLSX
        raise FileProblem(_("The file is not a readable Excel (XLSX) workbook.")) from None


def _xlsx_row_count(content: bytes) -> int:
    book = _workbook(content)
    try:
        return int(book.worksheets[0].max_row or 1) - 1
    finally:
        book.close()


def detect_format(file_name: str, content: bytes) -> str:
    """CSV or XLSX from the name and the first bytes (an XLSX file is a zip archive)."""
    if content.startswith(b"PK\x03\x04"):
        return "XLSX"
    if file_name.lower().endswith((".xlsx", ".xls")):
        raise FileProblem(_("The file is not a readable Excel (XLSX) workbook."))
    return "CSV"
