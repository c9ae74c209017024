"""Real-browser flows: signing in, right-to-left layout, and quick exit, driven through Chromium.

These check what only a browser can: that the login form works end to end, that a Persian page is really
laid out right to left, and that quick exit (click, Esc, Shift three times) blanks the page and *replaces*
it in the history, so the Back button does not bring Haven back.

Nothing leaves the machine: every request that is not for the live server is answered with a tiny neutral
page, so the quick-exit destination (settings.HAVEN_QUICK_EXIT_URL) "loads" without a network.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from haven.accounts.models import User
from haven.conftest import make_member, make_org
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.web.tests.browser_support import (
    sign_in,
    sign_in_with_form,
    skip_unless_browser_available,
    submit_main_form,
)

SCREENSHOT = Path("/tmp/haven-rtl.png")  # a look-at-it artefact, never committed

skip_unless_browser_available()
from playwright.sync_api import BrowserContext, FloatRect, Page  # noqa: E402 - only once it is known to exist


@pytest.fixture
def leaving(context: BrowserContext, live_server: Any) -> list[dict[str, Any]]:
    """What each Haven page showed at the moment it started to unload.

    A navigation starts before the next page arrives, and on a slow connection the old page stays on screen
    meanwhile; quick exit must have emptied it by then. Recorded from the page itself at `beforeunload`.
    """
    seen: list[dict[str, Any]] = []
    context.expose_function("havenTestLeaving", lambda state: seen.append(state))
    origin = json.dumps(live_server.url)
    context.add_init_script(f"""
        addEventListener("beforeunload", () => {{
          if (!location.href.startsWith({origin})) {{ return; }}
          window.havenTestLeaving({{url: location.href, body: document.body.innerHTML, title: document.title,
            exited: document.documentElement.classList.contains("quick-exited")}});
        }});
    """)
    return seen


@pytest.fixture
def lawyer(transactional_db: None, _async_unsafe_allowed: None) -> Membership:
    at = timezone.now()
    org = make_org("browser", at=at)
    return make_member(org, Role.LAWYER, username="browser.lawyer", at=at)


def text_box(page: Page, selector: str) -> dict[str, float]:
    """Where the element's text itself is drawn (a block's own box spans the whole line either way)."""
    box: dict[str, float] = page.locator(selector).first.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el);"
        " const b = r.getBoundingClientRect(); return {x: b.x, width: b.width}; }"
    )
    return box


def exit_box(page: Page) -> FloatRect:
    box = page.locator("#quick-exit").bounding_box()
    assert box is not None
    return box


def haven_url(live_server: Any, path: str = "/") -> str:
    return f"{live_server.url}{path}"


def topbar_layout(page: Page) -> tuple[FloatRect, FloatRect]:
    brand = page.locator(".topbar .brand").bounding_box()
    assert brand is not None
    return exit_box(page), brand


def assert_left_to_right_topbar(page: Page) -> FloatRect:
    assert page.locator("html").get_attribute("dir") == "ltr"
    exit_control, brand = topbar_layout(page)
    width = page.viewport_size["width"]  # type: ignore[index]
    assert exit_control["x"] < width / 4  # first in the top bar: at the left edge
    assert brand["x"] >= exit_control["x"] + exit_control["width"]  # and the brand follows to its right
    return exit_control


def assert_mirrored_topbar(page: Page, ltr_exit: FloatRect) -> None:
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl"
    assert html.get_attribute("lang") == "fa"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    exit_control, brand = topbar_layout(page)
    width = page.viewport_size["width"]  # type: ignore[index]
    # Quick exit moved to the right edge, at the same inset it had from the left edge...
    assert exit_control["x"] > ltr_exit["x"]
    assert exit_control["x"] > width * 3 / 4
    assert abs((width - (exit_control["x"] + exit_control["width"])) - ltr_exit["x"]) < 2
    # ...and the brand that followed it now sits to its left.
    assert brand["x"] + brand["width"] <= exit_control["x"]


def open_haven_from_blank(page: Page, live_server: Any) -> None:
    """History: about:blank → Haven home, so Back after an exit has something that is not Haven to land on."""
    page.goto("about:blank")
    page.goto(haven_url(live_server))
    assert page.evaluate("history.length") == 2
    assert page.locator("h1").inner_text() == str(Role.LAWYER.label)


def leave_haven(page: Page, live_server: Any) -> None:
    """Wait until the tab shows something other than Haven (wherever quick exit sent it)."""
    page.wait_for_url(lambda url: not url.startswith(live_server.url))


def assert_blanked_before_leaving(page: Page, live_server: Any, leaving: list[dict[str, Any]]) -> None:
    """Haven was emptied (body, title) before the browser even started towards the next page."""
    leave_haven(page, live_server)
    for _tick in range(50):
        if leaving:
            break
        page.wait_for_timeout(20)
    assert leaving == [{"url": haven_url(live_server), "body": "", "title": "", "exited": True}]


def assert_exited_without_trace(page: Page, live_server: Any, leaving: list[dict[str, Any]]) -> None:
    """Haven was blanked, the neutral site is showing, and Back goes to what came before Haven."""
    assert_blanked_before_leaving(page, live_server, leaving)
    assert page.url == settings.HAVEN_QUICK_EXIT_URL
    assert page.title() == "Weather"
    assert page.evaluate("history.length") == 2  # replaced, not added: Haven's entry is gone
    page.go_back()
    assert page.url == "about:blank"
    assert not page.url.startswith(live_server.url)


@pytest.mark.browser
def test_sign_in_through_the_login_form_lands_on_the_role_home(
    page: Page, live_server: Any, lawyer: Membership
) -> None:
    sign_in_with_form(page, lawyer.user.username)

    assert page.url == haven_url(live_server, reverse("web:home"))
    assert page.locator("h1").inner_text() == str(Role.LAWYER.label)
    assert "Preferences" in page.locator("header.topbar").inner_text()


@pytest.mark.browser
def test_choosing_persian_in_preferences_mirrors_the_layout(
    page: Page, context: BrowserContext, live_server: Any, lawyer: Membership
) -> None:
    sign_in(context, live_server, lawyer.user)
    page.goto(reverse("accounts:preferences"))
    ltr_exit = assert_left_to_right_topbar(page)

    page.select_option("#id_language", "fa")
    submit_main_form(page)

    assert page.url == haven_url(live_server, reverse("accounts:preferences"))
    assert_mirrored_topbar(page, ltr_exit)


@pytest.mark.browser
def test_persian_account_gets_a_mirrored_layout(
    page: Page, context: BrowserContext, live_server: Any, lawyer: Membership
) -> None:
    # The same mirroring check as above without a form POST, so it keeps guarding the layout meanwhile.
    sign_in(context, live_server, lawyer.user)
    page.goto(reverse("accounts:preferences"))
    ltr_exit = assert_left_to_right_topbar(page)

    User.objects.filter(pk=lawyer.user.pk).update(language="fa")
    page.reload()

    assert_mirrored_topbar(page, ltr_exit)


def _click_exit(page: Page) -> None:
    page.locator("#quick-exit").click()


def _press_escape(page: Page) -> None:
    page.keyboard.press("Escape")


def _press_shift_three_times(page: Page) -> None:
    for _press in range(3):
        page.keyboard.press("Shift")


@pytest.mark.browser
@pytest.mark.parametrize(
    "trigger",
    [_click_exit, _press_escape, _press_shift_three_times],
    ids=["click", "escape", "shift-three-times"],
)
def test_quick_exit_blanks_the_page_and_leaves_no_way_back(
    page: Page,
    context: BrowserContext,
    live_server: Any,
    lawyer: Membership,
    leaving: list[dict[str, Any]],
    trigger: Callable[[Page], None],
) -> None:
    sign_in(context, live_server, lawyer.user)
    open_haven_from_blank(page, live_server)

    trigger(page)

    assert_exited_without_trace(page, live_server, leaving)


@pytest.mark.browser
def test_quick_exit_replaces_haven_in_the_history(
    page: Page, context: BrowserContext, live_server: Any, lawyer: Membership, leaving: list[dict[str, Any]]
) -> None:
    # Whatever page quick exit opens, it must take Haven's place in the history rather than follow it,
    # so that Back cannot bring Haven up again (location.replace, not location.assign).
    sign_in(context, live_server, lawyer.user)
    open_haven_from_blank(page, live_server)

    page.keyboard.press("Escape")
    assert_blanked_before_leaving(page, live_server, leaving)

    assert page.evaluate("history.length") == 2
    page.go_back()
    assert page.url == "about:blank"
    page.go_forward()
    assert not page.url.startswith(live_server.url)


@pytest.mark.browser
def test_shift_twice_or_spread_out_does_not_exit(
    page: Page, context: BrowserContext, live_server: Any, lawyer: Membership
) -> None:
    sign_in(context, live_server, lawyer.user)
    page.clock.install()
    page.goto(haven_url(live_server))

    def still_on_haven() -> None:
        page.wait_for_timeout(300)  # time for a navigation to start, were one coming
        assert page.url == haven_url(live_server)
        assert page.locator("h1").inner_text() == str(Role.LAWYER.label)

    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    still_on_haven()

    # A third press more than five seconds after the first two starts over: typing capitals is not an exit.
    page.clock.fast_forward("00:06")
    page.keyboard.press("Shift")
    still_on_haven()

    # ...but two more quick presses complete a fresh run of three.
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    leave_haven(page, live_server)


@pytest.mark.browser
def test_persian_home_page_is_laid_out_right_to_left(
    page: Page, context: BrowserContext, live_server: Any, transactional_db: None
) -> None:
    at = timezone.now()
    org = make_org("farsi", at=at, language="fa")
    member = make_member(org, Role.CASEWORKER, username="farsi.caseworker", at=at, language="fa")
    sign_in(context, live_server, member.user)
    page.goto(haven_url(live_server))

    assert page.locator("html").get_attribute("dir") == "rtl"
    with translation.override("fa"):
        assert page.locator("main h1").inner_text() == str(Role.CASEWORKER.label)
    width = page.viewport_size["width"]  # type: ignore[index]
    heading = text_box(page, "main h1")
    panels = page.locator(".panel-grid > .panel")
    assert panels.count() >= 2
    first, second = panels.nth(0).bounding_box(), panels.nth(1).bounding_box()
    assert first is not None
    assert second is not None
    # Text starts at the right edge, and the panel grid fills from right to left.
    assert heading["x"] > width / 2
    assert first["x"] > second["x"]
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 0
