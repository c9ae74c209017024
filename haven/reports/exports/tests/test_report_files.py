"""A report as CSV, XLSX and PDF: the same figures as the page, suppressed for readers without record
access, shaped in the script of the reader's language; bad parameters are form errors."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from openpyxl import load_workbook

from haven.conftest import World, make_member
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry
from haven.reports.exports.actions import REPORT_EXPORT
from haven.reports.exports.tests.helpers import REPORT, area, beneficiary_report, women
from haven.web.tests.pdf_support import font_families, text_of

__all__ = ["beneficiary_report"]
URL = "/reports/exports/report/"


def _query(**extra: Any) -> dict[str, Any]:
    return {"report": REPORT, "period": str(extra.pop("year")), "by": "area", **extra}


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _table(rows: list[list[Any]]) -> dict[str, list[Any]]:
    """Rows after the header, keyed by the area column."""
    start = next(index for index, row in enumerate(rows) if row and row[0] == "Indicator")
    return {str(row[2]): row for row in rows[start + 1 :]}


@pytest.mark.usefixtures("beneficiary_report")
def test_it_exports_the_same_figures_in_every_format(world: World) -> None:
    dhaka, sylhet, khulna = (area(world.org, name, world.at) for name in ("ঢাকা", "Sylhet", "Khulna"))
    women(world.org, dhaka, 6, world.at)
    women(world.org, sylhet, 7, world.at)
    women(world.org, khulna, 2, world.at)
    year = world.at.year

    officer = world.client_for(world.members[Role.PROGRAMME_OFFICER])  # reads the records: no suppression
    response = officer.get(URL, _query(year=year, format="csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{REPORT}-{year}.csv"'
    rows = _csv_rows(response.content)
    assert rows[0] == ["Registry figures"]
    table = _table(rows)
    assert table["ঢাকা"][3] == "6" and table["Sylhet"][3] == "7" and table["Khulna"][3] == "2"
    assert table["Total"][3] == "15"
    assert "Small figures" not in {row[0] for row in rows if row}

    data = world.client_for(world.members[Role.DATA_OFFICER])  # figures only: small cells hidden
    rows = _csv_rows(data.get(URL, _query(year=year, format="csv")).content)
    table = _table(rows)
    assert table["Khulna"][3] == "hidden"
    assert table["Total"][3] == "15"
    assert any(row and row[0] == "Small figures" for row in rows)

    response = data.get(URL, _query(year=year, format="xlsx", compare="1"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    table = _table(values)
    hidden = {name for name in ("ঢাকা", "Sylhet", "Khulna") if table[name][3] == "hidden"}
    assert "Khulna" in hidden and len(hidden) >= 2  # and a complement, so 2 cannot be recovered
    assert {table[name][3] for name in {"ঢাকা", "Sylhet"} - hidden} <= {6, 7}
    assert table["Total"][3:5] == [15, 0]  # this year, and nothing the year before
    assert "Previous period" in values[[row[0] for row in values].index("Indicator")]
    assert sheet.sheet_view.rightToLeft is not True

    exported = AuditEntry.objects.filter(action=REPORT_EXPORT, org=world.org)
    assert sorted(entry.fields[0] for entry in exported) == ["csv", "csv", "xlsx"]
    assert {entry.reason_code for entry in exported} == {REPORT}


@pytest.mark.usefixtures("beneficiary_report")
def test_it_sets_pdfs_and_sheets_in_the_readers_script(world: World) -> None:
    dhaka = area(world.org, "ঢাকা", world.at)
    women(world.org, dhaka, 5, world.at)
    bengali = make_member(world.org, Role.DATA_OFFICER, username="home.data-bn", at=world.at, language="bn")
    response = world.client_for(bengali).get(URL, _query(year=world.at.year, format="pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "ঢাকা" in text_of(response.content)
    assert "Noto Sans Bengali" in " ".join(font_families(response.content))

    persian = make_member(world.org, Role.DATA_OFFICER, username="home.data-fa", at=world.at, language="fa")
    client = world.client_for(persian)
    workbook = load_workbook(io.BytesIO(client.get(URL, _query(year=world.at.year, format="xlsx")).content))
    assert workbook.active is not None and workbook.active.sheet_view.rightToLeft is True
    pdf = client.get(URL, _query(year=world.at.year, format="pdf")).content
    assert "Noto Naskh Arabic" in " ".join(font_families(pdf))


@pytest.mark.usefixtures("beneficiary_report")
def test_it_turns_bad_parameters_into_form_errors(world: World) -> None:
    data = world.client_for(world.members[Role.DATA_OFFICER])
    chooser = data.get(URL)
    assert chooser.status_code == 200 and b'id="report-export-form"' in chooser.content
    assert "Registry figures" in chooser.content.decode()

    refused = {
        "period": _query(year="2025-13", format="csv"),
        "area": {**_query(year=2025, format="csv"), "area": str(uuid.uuid4())},
        "by": {**_query(year=2025, format="csv"), "by": "shoe_size"},
        "report": {**_query(year=2025, format="csv"), "report": "nope"},
    }
    for field, query in refused.items():
        response = data.get(URL, query)
        assert response.status_code == 422, field
        assert response.context["form"].errors.get(field), field

    outsider_area = area(world.other_org, "Elsewhere", world.at)
    response = data.get(URL, {**_query(year=2025, format="csv"), "area": str(outsider_area.pk)})
    assert response.status_code == 422
    caseworker = world.client_for(world.members[Role.CASEWORKER])  # not among the report's readers
    response = caseworker.get(URL, _query(year=2025, format="csv"))
    assert response.status_code == 422 and response.context["form"].errors["report"]
    assert not AuditEntry.objects.filter(action="report_export.download").exists()


def test_the_buttons_keep_the_pages_parameters() -> None:
    request = RequestFactory().get("/reports/x/", {"period": "SH1403", "by": ["area", "sex"], "q": "no"})
    html = render_to_string("report_exports/buttons.html", {"report_code": "gbvims"}, request=request)
    assert (
        'href="/reports/exports/report/?period=SH1403&amp;by=area&amp;by=sex&amp;report=gbvims&amp;format=csv"'
        in html
    )
    assert "format=pdf" in html and "format=xlsx" in html and "q=no" not in html
