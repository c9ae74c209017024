"""The report pages: who may read which report, the period picked in the reader's calendar, suppressed
cells shown as a mark, the comparison with the previous period, and bad input as form errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from haven.accounts.models import User
from haven.conftest import World
from haven.orgs import actions as org_actions
from haven.orgs.models import Area
from haven.orgs.roles import Role
from haven.reports.tests import pages_helpers as helpers
from haven.reports.tests.pages_helpers import MANAGERS_REPORT, OPEN_REPORT


@pytest.fixture(autouse=True)
def _registered() -> Iterator[None]:
    with helpers.registered():
        yield


def _page(code: str) -> str:
    return reverse("reports:report", kwargs={"report_code": code})


def _get(world: World, role: Role, code: str, query: dict[str, Any]) -> Any:
    return world.client_for(world.members[role]).get(_page(code), query)


def test_it_shows_each_role_only_the_reports_it_reads(world: World) -> None:
    listing = world.client_for(world.members[Role.DATA_OFFICER]).get(reverse("reports:list"))
    assert listing.status_code == 200
    assert "Open figures" in listing.content.decode()
    assert "Managers&#x27; figures" not in listing.content.decode()
    assert _get(world, Role.DATA_OFFICER, MANAGERS_REPORT, {}).status_code == 404
    assert _get(world, Role.DATA_OFFICER, "no.such.report", {}).status_code == 404
    # Named as a reader by mistake, the perpetrator-programme worker still never reaches the report.
    for kept_apart in (Role.PERPETRATOR_WORKER, Role.FUNDRAISER):
        assert _get(world, kept_apart, OPEN_REPORT, {}).status_code == 403
        client = world.client_for(world.members[kept_apart])
        assert client.get(reverse("reports:list")).status_code == 403
    assert _get(world, Role.CASEWORKER, OPEN_REPORT, {}).status_code == 404


def test_it_computes_a_report_with_suppression_and_comparison(world: World) -> None:
    query = {"period": "SH1403-05", "by": [helpers.COLOUR], "compare": "on"}
    response = _get(world, Role.DATA_OFFICER, OPEN_REPORT, query)
    assert response.status_code == 200
    html = response.content.decode()
    # Mordad 1403 runs from 22 July 2024: RED = 10 + 7; the month before (Tir) starts in June: 16.
    assert "Mordad 1403" in html and "Tir 1403" in html
    assert "লাল রং" in html and "آبی" in html
    assert ">17<" in html and ">16<" in html and "+1" in html
    # BLUE is 3: hidden, with the explanation; the data officer does not see small cells.
    assert "suppression-note" in html and ">hidden<" in html and ">3<" not in html and ">8<" not in html
    assert "<svg" in html and "chart-bar" in html
    manager = _get(world, Role.CENTRE_MANAGER, MANAGERS_REPORT, query).content.decode()
    assert ">3<" in manager and ">8<" in manager and "suppression-note" not in manager


def test_it_breaks_down_by_area_rolled_up_and_picks_periods(world: World) -> None:
    query = {"kind": "FISCAL_YEAR", "year": "2024", "by": ["area"], "area_level": "1"}
    html = _get(world, Role.ORG_ADMIN, OPEN_REPORT, query).content.decode()
    assert "Fiscal year 2024–25" in html
    # Montréal rolls up into Canada: one row of twice (10 + 7).
    assert "Canada" in html and "Montréal" not in html.split("report-table")[1] and ">34<" in html
    picked = _get(world, Role.ORG_ADMIN, OPEN_REPORT, {"kind": "HALF", "year": "2025", "half": "2"})
    assert "July–December 2025" in picked.content.decode()
    under = _get(world, Role.ORG_ADMIN, OPEN_REPORT, {"period": "2025-03", "area": str(world.district.pk)})
    assert under.status_code == 200 and ">24<" in under.content.decode()
    assert "These records have no area" not in under.content.decode()
    hotline = _get(world, Role.ORG_ADMIN, "hotline", {"period": "2025-03", "area": str(world.district.pk)})
    assert "These records have no area" in hotline.content.decode()


def test_it_turns_bad_input_into_form_errors(world: World) -> None:
    foreign = org_actions.create_area(
        org=world.other_org, name="Elsewhere", level=Area.Level.DISTRICT, acting_user=None, at=world.at
    )
    cases: list[tuple[dict[str, Any], str]] = [
        ({"period": "SH1403-13"}, "A month is numbered from 01 to 12."),
        ({"period": "last spring"}, "is not a period"),
        ({"area": str(foreign.pk)}, "Select a valid choice"),
        ({"area": "not-a-uuid"}, 'role="alert"'),
        ({"by": [helpers.COLOUR, "area", "month"]}, "Choose at most two breakdowns."),
        ({"by": ["favourite_food"]}, "Select a valid choice"),
        ({"kind": "MONTH", "year": "1403"}, "Choose the month."),
        ({"kind": "RANGE"}, "Give the first and the last day of the range."),
        ({"period": "2025-03-05..2025-03-01"}, "A period cannot end before it starts."),
        ({"area_level": "3"}, "Add “area” to the breakdown"),
        # The far edges of the calendar, and a month breakdown over centuries: refused, never a 500.
        ({"period": "2025-01-01..9999-12-31"}, "outside the years the calendar can show"),
        ({"period": "0001", "compare": "on"}, "outside the years the calendar can show"),
        ({"period": "1901-01-01..2025-12-31", "by": ["month"]}, "at most 120 months"),
    ]
    for query, message in cases:
        response = _get(world, Role.DATA_OFFICER, OPEN_REPORT, query)
        assert response.status_code == 200, query
        html = response.content.decode()
        assert message in html.replace("&#x27;", "'").replace("&quot;", '"'), (query, message)
        assert "report-table" not in html, query


def test_it_speaks_persian_in_the_solar_hijri_calendar(world: World) -> None:
    officer = world.members[Role.DATA_OFFICER]
    User.objects.filter(pk=officer.user.pk).update(language="fa", calendar="SOLAR_HIJRI")
    client = world.client_for(officer)
    query = {"kind": "MONTH", "year": "1403", "month": "5", "by": [helpers.COLOUR]}
    response = client.get(_page(OPEN_REPORT), query)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in html and "۱۴۰۳" in html and ">۲۸<" in html and ">۱۷<" in html
    assert "direction='rtl'" in html
    assert "مرداد" in html or "Mordad" in html  # the month names are in the catalogue when translated


def test_it_keeps_query_counts_flat(world: World, django_assert_max_num_queries: Any) -> None:
    client = world.client_for(world.members[Role.DATA_OFFICER])
    client.get(reverse("reports:list"))  # warm the session
    with django_assert_max_num_queries(12):
        client.get(_page(OPEN_REPORT), {"period": "2025", "by": ["area"], "compare": "on"})
