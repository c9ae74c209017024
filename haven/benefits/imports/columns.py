"""The columns of a registry file: names, whether required, whether identifying, and what they hold.

The first row of the file names the columns (any order, case and spaces ignored; unknown columns are
refused so a misspelt header does not silently drop data). The same list renders the help table on the
upload page and the downloadable templates (CSV and XLSX), so the documentation cannot drift.

Rules the import applies (see `rows.py`):
- Dates are YYYY-MM-DD or DD/MM/YYYY (day first, as written in Bangladesh), or an Excel date cell.
- Yes/no columns take yes/no, y/n, true/false, 1/0 (blank is no).
- The national ID keeps its digits only; Bangladesh IDs have 10, 13 or 17 digits. A phone number is read
  in the organisation's country unless it starts with +, and stored in international (E.164) form.
- `union` is a union's official code, or its name when only one union of the organisation has it.
- Rows sharing a `household_key` form one household. Its head is the row marked `head`, else the first row
  of the household; the others become members (`relationship`, default "other relative").
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str
    required: bool
    identifying: bool
    help: Promise
    example: str


COLUMNS: tuple[Column, ...] = (
    Column("registry_number", True, False, _("The registry number; unique in the registry."), "RG-000123"),
    Column("name", True, True, _("Her name as written (any script)."), "রোকেয়া খাতুন"),
    Column("latin_name", False, True, _("Her name in Latin letters, if known."), "Rokeya Khatun"),
    Column("sex", False, False, _("female, male or other (blank: not known)."), "female"),
    Column("born_on", False, True, _("Date of birth: YYYY-MM-DD or DD/MM/YYYY."), "1990-03-14"),
    Column("nid", False, True, _("National ID number (10, 13 or 17 digits in Bangladesh)."), "1990123456789"),
    Column("mobile", False, True, _("Mobile number, local or international."), "01711000001"),
    Column("mobile_is_own", False, False, _("yes if the mobile number is her own."), "yes"),
    Column("union", True, False, _("The union: its official code, or its name if unique."), "ASH-01"),
    Column("household_key", False, False, _("Rows with the same key form one household."), "HH-77"),
    Column("head", False, False, _("yes for the head of the household."), "yes"),
    Column(
        "relationship",
        False,
        False,
        _("For other members: child, partner, parent, sibling, other_relative, other."),
        "",
    ),
    Column(
        "marital_status",
        False,
        False,
        _("single, married, separated, divorced, widowed, abandoned, other or not_known."),
        "widowed",
    ),
    Column("land_decimals", False, False, _("Land owned, in decimals (e.g. 12.5)."), "10"),
    Column("monthly_income", False, False, _("Household income a month, whole taka."), "3500"),
    Column("disabled_member", False, False, _("yes if a household member has a disability."), "no"),
    Column("wallet_provider", False, False, _("bkash, nagad or rocket."), "bkash"),
    Column("wallet_number", False, True, _("The mobile wallet's number."), "01711000001"),
)

KEYS = tuple(column.key for column in COLUMNS)
REQUIRED = frozenset(column.key for column in COLUMNS if column.required)
# Values of these columns are never written into the errors file, a log or a message.
IDENTIFYING = frozenset(column.key for column in COLUMNS if column.identifying)


def header_key(text: object) -> str:
    """A header cell as a column key: case, spaces and hyphens folded ("Born on" → "born_on")."""
    return "_".join(str(text or "").strip().lower().replace("-", " ").split())


def template_csv() -> bytes:
    """The CSV template: the header and one synthetic example row, UTF-8 with a BOM so Excel reads it."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(KEYS)
    writer.writerow(column.example for column in COLUMNS)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """The XLSX template: the header, one example row, every column formatted as text (so Excel keeps
    the leading zeros and all 17 digits of an ID number), and a second sheet explaining the columns."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "registry"
    sheet.append(list(KEYS))
    sheet.append([column.example for column in COLUMNS])
    for cells in sheet.iter_cols(min_row=1, max_row=2):
        for cell in cells:
            cell.number_format = "@"
    notes = book.create_sheet("columns")
    notes.append(["column", "required", "what it holds"])
    for column in COLUMNS:
        notes.append([column.key, "yes" if column.required else "", str(column.help)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
