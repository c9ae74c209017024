"""Key pages under the real Content-Security-Policy in Chromium: the browser reports no violation, and what
used inline code still works from its static file (the language switcher, the safety plan's Print button).

Every `securitypolicyviolation` event of every page is sent to the test as it happens, so a violation on a
page left a moment later is not lost.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.cases.actions import open_case
from haven.cases.models import Case
from haven.channels.tests import factories
from haven.conftest import make_member, make_org
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.reports.tests import pages_helpers
from haven.risk.actions import save_safety_plan
from haven.web.security import CONTENT_SECURITY_POLICY
from haven.web.tests.browser_support import sign_in, sign_in_with_form, skip_unless_browser_available

skip_unless_browser_available()
from playwright.sync_api import BrowserContext, Page  # noqa: E402 - only once it is known to exist

RECORD_VIOLATIONS = """
  document.addEventListener("securitypolicyviolation", (event) => {
    window.havenCspViolation({page: location.pathname, directive: event.violatedDirective,
      blocked: event.blockedURI, sample: event.sample, line: event.lineNumber});
  });
  // Printing opens a dialog a headless browser cannot show; record the call instead.
  window.print = () => { document.documentElement.dataset.printed = "yes"; };
"""


@pytest.fixture
def violations(context: BrowserContext) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    context.expose_function("havenCspViolation", lambda violation: seen.append(violation))
    context.add_init_script(RECORD_VIOLATIONS)
    return seen


@pytest.fixture
def team(transactional_db: None, _async_unsafe_allowed: None) -> dict[Role, Membership]:
    at = timezone.now()
    org = make_org("csp", at=at)
    factories.channel(org, "WEBCHAT")
    return {
        role: make_member(org, role, username=f"csp.{role.value.lower()}", at=at)
        for role in (Role.CASEWORKER, Role.DATA_OFFICER, Role.ORG_ADMIN)
    }


@pytest.fixture
def case(team: dict[Role, Membership]) -> Case:
    caseworker = team[Role.CASEWORKER]
    at = timezone.now()
    survivor = register_person(org=caseworker.org, name="Synthetic Survivor", acting_user=None, at=at)
    opened = open_case(survivor=survivor, lead=caseworker, acting_user=None, at=at)
    save_safety_plan(
        case=opened,
        language="en",
        review_on=timezone.localdate() + timedelta(days=30),
        sections={"safe_places": "The library on the corner (synthetic)"},
        acting_user=None,
        at=at,
    )
    return opened


def _open(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
def test_a_caseworkers_pages_run_under_the_policy_without_a_violation(
    page: Page, team: dict[Role, Membership], case: Case, violations: list[dict[str, Any]]
) -> None:
    org = team[Role.CASEWORKER].org
    _open(page, reverse("chat:page", args=[org.slug]))
    _open(page, reverse("accounts:login"))

    # The language switcher sends its form on change, from auto-submit.js rather than an onchange.
    with page.expect_navigation():
        page.select_option("#language-select", "fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("html").get_attribute("lang") == "en"

    sign_in_with_form(page, team[Role.CASEWORKER].user.username)  # a real POST: CSRF passes under the policy
    for path in ("web:home", "hotline:board"):
        _open(page, reverse(path))
    _open(page, reverse("cases:detail", args=[case.pk]))
    _open(page, reverse("risk:safety_plan_print", args=[case.pk]))

    print_button = page.locator("#print-plan")
    assert print_button.is_visible()
    print_button.click()
    assert page.locator("html").get_attribute("data-printed") == "yes"
    assert violations == []


@pytest.mark.browser
def test_a_report_dashboard_draws_its_charts_without_a_violation(
    context: BrowserContext,
    page: Page,
    live_server: Any,
    team: dict[Role, Membership],
    violations: list[dict[str, Any]],
) -> None:
    context.set_default_timeout(60_000)  # a loaded shared machine: computing figures may take a while
    sign_in(context, live_server, team[Role.DATA_OFFICER].user)
    with pages_helpers.registered():
        _open(page, "/reports/dashboard/")
        page.locator("#charts svg.chart").first.wait_for()
    assert page.locator("#charts svg.chart").count() >= 2
    mark = page.locator("svg.chart .chart-point, svg.chart .chart-bar").first
    assert mark.evaluate("(shape) => getComputedStyle(shape).fill") == "rgb(42, 111, 151)"  # reports.css
    assert violations == []


@pytest.mark.browser
def test_the_admin_pages_an_organisation_admin_uses_run_without_a_violation(
    context: BrowserContext,
    page: Page,
    live_server: Any,
    team: dict[Role, Membership],
    violations: list[dict[str, Any]],
) -> None:
    admin = team[Role.ORG_ADMIN]
    sign_in(context, live_server, admin.user)
    for path in ("/admin/", "/admin/orgs/site/", "/admin/orgs/site/add/", "/admin/orgs/membership/"):
        _open(page, path)
    assert violations == []
