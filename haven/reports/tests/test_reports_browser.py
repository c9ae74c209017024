"""A data officer reads figures through a real Chromium, in Persian (right to left) and the Solar Hijri
calendar: she picks Mordad 1403 in her own calendar and sees the figures in Persian digits; the
dashboard draws its SVG charts; printing hides the navigation and keeps the charts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from haven.accounts.models import User
from haven.conftest import make_member, make_org
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.reports.tests import pages_helpers as helpers
from haven.web.tests.browser_support import sign_in, skip_unless_browser_available

skip_unless_browser_available()
from playwright.sync_api import BrowserContext, Page  # noqa: E402 - only once it is known to exist


@pytest.fixture
def officer(transactional_db: None, _async_unsafe_allowed: None) -> Iterator[Membership]:
    at = timezone.now()
    org = make_org("reports-fa", at=at, language="fa")
    member = make_member(org, Role.DATA_OFFICER, username="flow.data", at=at, language="fa")
    User.objects.filter(pk=member.user.pk).update(calendar="SOLAR_HIJRI")
    with helpers.registered():
        yield member


@pytest.mark.browser
def test_a_data_officer_reads_a_solar_hijri_month_in_persian(
    context: BrowserContext, page: Page, live_server: Any, officer: Membership
) -> None:
    context.set_default_timeout(60_000)  # a loaded shared machine: computing figures may take a while
    sign_in(context, live_server, officer.user)
    page.goto(f"/reports/{helpers.OPEN_REPORT}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.select_option("#id_kind", "MONTH")
    page.fill("#id_year", "۱۴۰۳")  # typed in Persian digits, as she would
    page.select_option("#id_month", "5")
    page.check(f"input[name=by][value={helpers.COLOUR}]")
    with page.expect_navigation():
        page.click("#show-report")
    assert "SH" not in page.locator("#period-label").inner_text()
    assert "۱۴۰۳" in page.locator("#period-label").inner_text()
    table = page.locator(".report-table").first
    assert "۱۷" in table.inner_text() and "۲۸" in table.inner_text()  # RED and the total, Persian digits
    assert "লাল রং" in table.inner_text()
    bar = page.locator("svg.chart-bar rect").first.bounding_box()
    label = page.locator("svg.chart-bar text.chart-label").first.bounding_box()
    assert bar is not None and label is not None
    assert label["x"] > bar["x"]  # mirrored: labels on the right, bars to their left

    page.goto("/reports/dashboard/")
    assert page.locator("#charts svg.chart").count() >= 2
    assert page.locator("svg.chart-line circle").count() >= 1
    page.emulate_media(media="print")
    assert not page.locator("header.topbar").is_visible()
    assert not page.locator("footer").is_visible()
    assert page.locator("svg.chart-line").first.is_visible()
    assert page.locator("#headlines").is_visible()
