"""Reading the file: headers, encodings and separators, Excel workbooks and their number cells, the
templates, and what each column accepts."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from haven.benefits.imports.columns import KEYS, template_csv, template_xlsx
from haven.benefits.imports.models import ImportJob
from haven.benefits.imports.reading import FileProblem, open_sheet
from haven.benefits.imports.tests.helpers import bangladeshi, csv_bytes, row, run
from haven.benefits.models import Beneficiary
from haven.conftest import World
from haven.orgs.models import Organisation

Status = ImportJob.Status


@pytest.fixture
def org(world: World) -> Organisation:
    return bangladeshi(world.org)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (b"registry_number,name,union,colour\n", "Unknown columns: colour."),
        (b"registry_number,name\n", "Required columns missing: union."),
        (b"registry_number,name,union,Name\n", "Columns given twice: name."),
        (b"", "The file is empty"),
    ],
)
def test_a_wrong_header_is_refused_before_any_row(header: bytes, message: str) -> None:
    with pytest.raises(FileProblem, match=message):
        open_sheet(header, "CSV")


def test_headers_fold_case_and_spaces_and_semicolons_work(org: Organisation) -> None:
    content = "Registry Number;NAME;Union;Born-On\nS-1;Rina Das;ASH-01;01/02/1985\n".encode("utf-8-sig")
    job = run(org, content)

    assert job.status == Status.DONE, job.errors_csv
    assert str(Beneficiary.objects.get(registry_number="S-1").person.born_on) == "1985-02-01"


def test_a_file_that_is_not_utf8_is_refused_with_a_way_out(org: Organisation) -> None:
    content = "registry_number,name,union\nS-1,Ren\xe9e,ASH-01\n".encode("latin-1")
    with pytest.raises(ValidationError, match="Save it as “CSV UTF-8”"):
        run(org, content)
    # Past the part read at upload, the same problem refuses the job with the reason in its errors file.
    late = csv_bytes([row() for _ in range(200)]) + "S-9,Ren\xe9e,ASH-01\n".encode("latin-1")
    job = run(org, late)
    assert job.status == Status.REFUSED
    assert "Save it as “CSV UTF-8”" in job.errors_csv


@pytest.mark.parametrize(
    ("fields", "column", "message"),
    [
        ({"name": ""}, "name", "This column cannot be empty."),
        ({"sex": "x"}, "sex", "Write female, male or other."),
        ({"born_on": "1990/31/12"}, "born_on", "Write the date as YYYY-MM-DD or DD/MM/YYYY."),
        ({"born_on": "31/02/1990"}, "born_on", "This date does not exist in the calendar."),
        ({"mobile_is_own": "maybe"}, "mobile_is_own", "Write yes or no."),
        ({"head": "yes"}, "head", "A head of household needs a household key in the same row."),
        ({"relationship": "cousin", "household_key": "H"}, "relationship", "Write child, partner"),
        ({"marital_status": "engaged"}, "marital_status", "Write single, married"),
        ({"land_decimals": "-3"}, "land_decimals", "Write the land in decimals"),
        ({"monthly_income": "12.5"}, "monthly_income", "Write the income as a whole number"),
        ({"wallet_provider": "paypal", "wallet_number": "01711000001"}, "wallet_provider", "Write bkash"),
        ({"wallet_provider": "nagad"}, "wallet_number", "Give the wallet's number with its provider."),
        ({"registry_number": "R" * 41}, "registry_number", "Too long: at most 40 characters."),
    ],
)
def test_each_column_says_what_is_wrong(
    org: Organisation, fields: dict[str, str], column: str, message: str
) -> None:
    job = run(org, csv_bytes([row(**fields)]))

    assert job.status == Status.REFUSED
    assert f"2,{column}," in job.errors_csv and message in job.errors_csv


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in rows:
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_excel_workbook_imports_with_date_and_number_cells(org: Organisation) -> None:
    content = _xlsx(
        [
            ["registry_number", "name", "union", "born_on", "nid", "land_decimals"],
            ["X-1", "Rina Das", "ASH-01", datetime(1985, 2, 1), 1985123456, 12],
            [None, None, None, None, None, None],  # a blank row is skipped
            ["X-2", "Ruma Das", "ASH-01", "1986-03-04", 19861234567890123.0, 3.5],
        ]
    )
    job = run(org, content, file_name="list.xlsx")

    assert job.file_format == "XLSX"
    assert job.status == Status.REFUSED  # the 17-digit ID typed as a number lost its last digits
    assert job.errors_csv.splitlines()[1:] == [
        "4,nid,Excel stored this ID as a number and lost its last digits: format the column as text."
    ]


def test_the_templates_import_as_they_are(org: Organisation) -> None:
    assert template_csv().startswith("\ufeff".encode()) and open_sheet(template_csv(), "CSV").columns == KEYS
    assert run(org, template_csv(), dry_run=True).status == Status.CHECKED
    assert open_sheet(template_xlsx(), "XLSX").columns == KEYS
    job = run(org, template_xlsx(), file_name="t.xlsx", dry_run=True)
    assert job.status == Status.CHECKED, job.errors_csv
