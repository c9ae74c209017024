"""Real-browser flows: signing in, right-to-left layout, and quick exit, driven through Chromium.

These check what only a browser can: that the login form works end to end, that a Persian page is really
laid out right to left, and that quick exit (click, Esc, Shift three times) blanks the page and *replaces*
it in the history, so the Back button does not bring Haven back.

Nothing leaves the machine: every request that is not for the live server is answered with a tiny neutral
page, so the quick-exit destination (settings.HAVEN_QUICK_EXIT_URL) "loads" without a network.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from haven.conftest import PASSWORD, make_member, make_org
from haven.orgs.models import Membership
from haven.orgs.roles import Role

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
IN_CI = os.environ.get("CI", "").lower() == "true"
SCREENSHOT = Path("/tmp/haven-rtl.png")  # noqa: S108 - a look-at-it artefact, never committed
NEUTRAL_PAGE = "<!DOCTYPE html><html><head><title>Weather</title></head><body><p>Sunny.</p></body></html>"


def _unavailable(reason: str) -> None:
    # On a developer machine without Chromium the module is skipped; in CI a missing browser is a failure,
    # or these flows would silently stop being tested.
    if IN_CI:
        pytest.fail(f"{reason} (CI=true, so this is an error, not a skip)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


if not CHROMIUM.exists() and shutil.which(str(CHROMIUM)) is None:
    _unavailable(f"browser tests need Chromium at {CHROMIUM}")
try:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, sync_playwright
except ImportError:  # pragma: no cover - playwright is a dev dependency
    _unavailable("browser tests need the playwright package")


@pytest.fixture(scope="module")
def _async_unsafe_allowed() -> Iterator[None]:
    # Playwright's sync API keeps an asyncio loop running in this thread, which makes Django refuse ORM
    # calls ("SynchronousOnlyOperation") from test code and fixtures unless this is set.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(_async_unsafe_allowed: None) -> Iterator[Browser]:
    playwright: Playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()
    finally:
        playwright.stop()


@pytest.fixture
def context(browser: Browser, live_server: Any) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)

    def answer(route: Route) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)

    context.route("**/*", answer)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def lawyer(transactional_db: None, _async_unsafe_allowed: None) -> Membership:
    at = timezone.now()
    org = make_org("browser", at=at)
    return make_member(org, Role.LAWYER, username="browser.lawyer", at=at)


def sign_in(page: Page, username: str) -> None:
    """Through the real form, as a person would: type, press the button, follow the redirect home."""
    page.goto(reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def exit_box(page: Page) -> dict[str, float]:
    box = page.locator("#quick-exit").bounding_box()
    assert box is not None
    return box


def haven_url(live_server: Any, path: str = "/") -> str:
    return f"{live_server.url}{path}"


def assert_exited_without_trace(page: Page, live_server: Any, before_haven: str) -> None:
    """The neutral site is showing, and Back goes to what came before Haven, never to Haven itself."""
    page.wait_for_url(settings.HAVEN_QUICK_EXIT_URL)
    assert page.url == settings.HAVEN_QUICK_EXIT_URL
    assert page.title() == "Weather"
    page.go_back()
    assert page.url == before_haven
    assert not page.url.startswith(live_server.url)


def open_haven_from_blank(page: Page, live_server: Any) -> None:
    """History: about:blank → Haven home, so Back after an exit has something that is not Haven to land on."""
    page.goto("about:blank")
    page.goto(haven_url(live_server))
    assert page.evaluate("history.length") == 2
    assert page.locator("h1").inner_text() == Role.LAWYER.label


@pytest.mark.browser
def test_sign_in_through_the_login_form_lands_on_the_role_home(page: Page, live_server: Any,
                                                                lawyer: Membership) -> None:
    sign_in(page, lawyer.user.username)

    assert page.url == haven_url(live_server, reverse("web:home"))
    assert page.locator("h1").inner_text() == Role.LAWYER.label
    assert "Preferences" in page.locator("header.topbar").inner_text()


@pytest.mark.browser
def test_switching_to_persian_mirrors_the_layout(page: Page, live_server: Any, lawyer: Membership) -> None:
    sign_in(page, lawyer.user.username)
    page.goto(reverse("accounts:preferences"))
    assert page.locator("html").get_attribute("dir") == "ltr"
    ltr_exit, ltr_brand = exit_box(page), page.locator(".topbar .brand").bounding_box()
    assert ltr_brand is not None
    width = page.viewport_size["width"]  # type: ignore[index]
    assert ltr_exit["x"] < width / 4  # first in the top bar: on the left in a left-to-right page
    assert ltr_brand["x"] > ltr_exit["x"]

    page.select_option("#id_language", "fa")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl"
    assert html.get_attribute("lang") == "fa"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    rtl_exit, rtl_brand = exit_box(page), page.locator(".topbar .brand").bounding_box()
    assert rtl_brand is not None
    # Mirrored: quick exit is now at the right edge, and the brand that followed it sits to its left.
    assert rtl_exit["x"] > ltr_exit["x"]
    assert rtl_exit["x"] + rtl_exit["width"] > width * 3 / 4
    assert abs((width - (rtl_exit["x"] + rtl_exit["width"])) - ltr_exit["x"]) < 2  # same inset, other side
    assert rtl_brand["x"] + rtl_brand["width"] <= rtl_exit["x"]


@pytest.mark.browser
def test_quick_exit_by_click_blanks_the_page_and_leaves_no_way_back(page: Page, context: BrowserContext,
                                                                    live_server: Any, lawyer: Membership) -> None:
    sign_in(page, lawyer.user.username)
    held: list[Route] = []

    def hold_exit(route: Route) -> None:
        held.append(route)  # answered below, after looking at the page while the neutral site "loads"

    context.route(settings.HAVEN_QUICK_EXIT_URL, hold_exit)  # added last, so consulted first
    open_haven_from_blank(page, live_server)

    page.locator("#quick-exit").click()

    page.wait_for_function("document.documentElement.classList.contains('quick-exited')")
    # On a slow connection the neutral site takes a while; meanwhile nothing of Haven may show.
    assert page.evaluate("document.body.innerHTML") == ""
    assert page.evaluate("document.title") == ""
    page.wait_for_timeout(50)
    assert len(held) == 1
    held[0].fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)

    assert_exited_without_trace(page, live_server, before_haven="about:blank")


@pytest.mark.browser
def test_quick_exit_by_escape(page: Page, live_server: Any, lawyer: Membership) -> None:
    sign_in(page, lawyer.user.username)
    open_haven_from_blank(page, live_server)

    page.keyboard.press("Escape")

    assert_exited_without_trace(page, live_server, before_haven="about:blank")


@pytest.mark.browser
def test_quick_exit_by_shift_three_times(page: Page, live_server: Any, lawyer: Membership) -> None:
    sign_in(page, lawyer.user.username)
    open_haven_from_blank(page, live_server)

    for _press in range(3):
        page.keyboard.press("Shift")

    assert_exited_without_trace(page, live_server, before_haven="about:blank")


@pytest.mark.browser
def test_shift_twice_or_spread_out_does_not_exit(page: Page, live_server: Any, lawyer: Membership) -> None:
    page.clock.install()
    sign_in(page, lawyer.user.username)
    home = haven_url(live_server)
    assert page.url == home

    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    assert page.url == home
    assert page.locator("h1").inner_text() == Role.LAWYER.label

    # A third press more than five seconds after the first two starts over: typing capitals is not an exit.
    page.clock.fast_forward("00:06")
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    assert page.url == home
    assert page.locator("h1").inner_text() == Role.LAWYER.label

    # ...but two more quick presses complete a fresh run of three.
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_url(settings.HAVEN_QUICK_EXIT_URL)


@pytest.mark.browser
def test_persian_home_page_screenshot_is_right_to_left(page: Page, live_server: Any,
                                                       transactional_db: None) -> None:
    at = timezone.now()
    org = make_org("farsi", at=at, language="fa")
    member = make_member(org, Role.CASEWORKER, username="farsi.caseworker", at=at, language="fa")
    sign_in(page, member.user.username)

    assert page.url == haven_url(live_server)
    assert page.locator("html").get_attribute("dir") == "rtl"
    width = page.viewport_size["width"]  # type: ignore[index]
    heading = page.locator("main h1").bounding_box()
    first_panel = page.locator(".panel-grid > .panel").first.bounding_box()
    assert heading is not None
    assert first_panel is not None
    # Headings start at the right; the first panel of the grid is the right-most one.
    assert heading["x"] + heading["width"] > width / 2
    assert first_panel["x"] > width / 2
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 0
