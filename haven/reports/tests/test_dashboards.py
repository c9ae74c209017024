"""Dashboards per role: headline figures of this month and year in the reader's calendar, charts as
SVG, each linking to its report; roles without a dashboard are refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from haven.accounts.models import User
from haven.conftest import World, make_member
from haven.orgs.roles import Role
from haven.reports import dashboards, indicators
from haven.reports.dashboards import DASHBOARDS, readable_reports
from haven.reports.indicators import REPORTS
from haven.reports.periods import MONTH, current_period
from haven.reports.tests import pages_helpers as helpers
from haven.web import calendars


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with helpers.registered():
        # Only the test reports, so the figures do not depend on which domain reports exist yet.
        only = {code: REPORTS[code] for code in (helpers.OPEN_REPORT, helpers.MANAGERS_REPORT)}
        monkeypatch.setattr(dashboards, "REPORTS", only)
        yield


def _svgs(html: str) -> list[ElementTree.Element]:
    found, start = [], html.find("<svg")
    while start != -1:
        end = html.index("</svg>", start) + len("</svg>")
        found.append(ElementTree.fromstring(html[start:end]))
        start = html.find("<svg", end)
    return found


def test_it_shows_the_data_officer_this_months_figures_with_charts(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = world.client_for(world.members[Role.DATA_OFFICER])
    client.get(reverse("reports:list"))
    # Bounded by the number of indicators shown (MAX_HEADLINES) and months in a year, not by rows.
    with django_assert_max_num_queries(40):
        response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    month = current_period(MONTH, calendars.GREGORIAN, timezone.localdate())
    red = 10 + month.start.month
    assert "Visits" in html and f">{red + 8 + 3}<" in html  # this month's total
    assert f"/reports/{helpers.OPEN_REPORT}/?period={month.code}" in html
    svgs = _svgs(html)
    kinds = {svg.get("class") for svg in svgs}
    assert kinds == {"chart chart-line", "chart chart-bar"}
    # The bar chart over the year: BLUE (3 a month) and its complement are hidden, RED is shown.
    assert "লাল রং" in html and "Зелёный" in html and "hidden" in html


def test_it_draws_a_persian_dashboard_right_to_left_in_solar_hijri(world: World) -> None:
    officer = world.members[Role.DATA_OFFICER]
    User.objects.filter(pk=officer.user.pk).update(language="fa", calendar="SOLAR_HIJRI")
    html = world.client_for(officer).get(reverse("reports:dashboard")).content.decode()
    month = current_period(MONTH, calendars.SOLAR_HIJRI, timezone.localdate())
    assert f"period={month.code}" in html and month.code.startswith("SH")
    line = next(svg for svg in _svgs(html) if svg.get("class") == "chart chart-line")
    assert line.get("direction") == "rtl"
    assert (
        len([t for t in line.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "chart-label"])
        == 12
    )


def test_it_gives_each_managing_role_its_own_dashboard_and_refuses_others(world: World) -> None:
    for role in DASHBOARDS:
        response = world.client_for(world.members[role]).get(reverse("reports:dashboard"))
        assert response.status_code == 200, role
        html = response.content.decode()
        assert str(DASHBOARDS[role].title) in html
    # The centre manager reads the test report, but its domain is not one of her dashboard's.
    manager = world.client_for(world.members[Role.CENTRE_MANAGER]).get(reverse("reports:dashboard"))
    assert 'id="no-figures"' in manager.content.decode()
    for role in (Role.CASEWORKER, Role.FUNDRAISER, Role.PERPETRATOR_WORKER):
        assert world.client_for(world.members[role]).get(reverse("reports:dashboard")).status_code == 403
    assert readable_reports(Role.PERPETRATOR_WORKER) == []


def _figures(html: str) -> str:
    """The dashboard's body: from its heading to the line saying when the figures were worked out."""
    return html.split("<h1>", 1)[1].split('id="figures-as-of"', 1)[0]


def test_a_dashboard_is_worked_out_once_and_shared_by_its_readers_for_a_few_minutes(
    world: World, django_assert_max_num_queries: Any
) -> None:
    first = world.client_for(world.members[Role.DATA_OFFICER])
    html = first.get(reverse("reports:dashboard")).content.decode()
    assert "worked out again every 5 minutes" in html
    # A second data officer of the organisation: her dashboard comes from the first one's work.
    colleague = make_member(world.org, Role.DATA_OFFICER, username="home.second-data-officer", at=world.at)
    second = world.client_for(colleague)
    with django_assert_max_num_queries(12):  # session, membership, navigation: no figure is recomputed
        shared = second.get(reverse("reports:dashboard")).content.decode()
    assert (
        shared.split('id="figures-as-of"')[0].split("<h1>")[1]
        == html.split('id="figures-as-of"')[0].split("<h1>")[1]
    )
    # Another role reads other figures (suppressed differently): it is worked out for it.
    manager = world.client_for(world.members[Role.CENTRE_MANAGER]).get(reverse("reports:dashboard"))
    assert manager.status_code == 200 and "<h1>" in manager.content.decode()


def test_this_months_headline_is_suppressed_with_the_years_series(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """3 in another month is hidden; this month's 10 is hidden as its complement in the year's series, so
    the headline must not show it either (13 - 10 would give the 3 away)."""
    today = timezone.localdate()
    this_month = current_period(MONTH, calendars.GREGORIAN, today).start
    other = this_month.replace(month=this_month.month - 1 if this_month.month > 1 else 2)
    values = {this_month: 10, other: 3}

    def compute(scope: indicators.Scope, by: tuple[str, ...]) -> indicators.Table:
        value = 13 if scope.period.days > 31 else values.get(scope.period.start, 0)  # the year, or a month
        return indicators.Table("test.series", by, {}, indicators.Cell(value))

    item = indicators.Indicator(
        "test.series", gettext_lazy("Series"), gettext_lazy("Series"), "COUNT", (), compute
    )
    readers = frozenset({Role.DATA_OFFICER})
    report = indicators.Report("test.series", gettext_lazy("S"), gettext_lazy("S"), (item.code,), readers)
    monkeypatch.setitem(indicators.INDICATORS, item.code, item)
    monkeypatch.setattr(dashboards, "REPORTS", {report.code: report})
    reader = dashboards.Reader(world.org, Role.DATA_OFFICER, calendars.GREGORIAN, "en", False, today)
    [headline] = dashboards.build_dashboard(reader).headlines
    assert headline.year.value == 13
    assert headline.month.suppressed and headline.month.value is None
