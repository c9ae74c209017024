"""The key pages pass axe-core's WCAG 2.1 A/AA checks in Chromium with no serious or critical violation, in
English (left to right) and in Arabic (right to left).

The pages are what the people Haven serves meet first and use most: the sign-in page, the public web chat
a survivor opens, home, the hotline's intake form, the case list and a survivor's case, a shelter's beds,
the referral form, the reports dashboard, and a form sent back with its errors. A signed-in page is read in
the language of its reader's account; a public page in the language its visitor chose (the cookie the
language switcher sets).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import User
from haven.cases.actions import open_case
from haven.cases.models import Case
from haven.channels.tests import factories
from haven.conftest import PASSWORD, make_member, make_org
from haven.hotline.actions import offer_contact
from haven.orgs.actions import create_site
from haven.orgs.models import Membership, Organisation, Site
from haven.orgs.roles import Role
from haven.people.actions import register_person
from haven.reports.tests import pages_helpers
from haven.shelters import actions as shelters
from haven.shelters.models import Facility
from haven.web.tests.accessibility import (
    Violation,
    focused,
    serious_violations,
    skip_unless_axe_available,
    tab_to,
    walk_with_tab,
)
from haven.web.tests.browser_support import sign_in, skip_unless_browser_available

skip_unless_browser_available()
skip_unless_axe_available()
from playwright.sync_api import BrowserContext, Page  # noqa: E402 - only once it is known to exist


@dataclass(frozen=True)
class Scene:
    org: Organisation
    manager: Membership
    case: Case
    facility: Facility


@pytest.fixture
def scene(transactional_db: None, _async_unsafe_allowed: None) -> Scene:
    """A centre manager, who may open every key page: she leads a case, runs a shelter, reads figures."""
    at = timezone.now()
    org = make_org("a11y", at=at)
    factories.channel(org, "WEBCHAT")
    site = create_site(org=org, name="Maison Synthetic", kind=Site.Kind.SHELTER, acting_user=None, at=at)
    manager = make_member(org, Role.CENTRE_MANAGER, username="a11y.manager", at=at, site=site)
    facility = shelters.create_facility(
        site=site, facility_type="SHELTER", operator="NGO", acting_user=None, at=at
    )
    beds = [shelters.NewBed(label) for label in ("A", "B")]
    shelters.add_room(facility=facility, name="1", beds=beds, acting_user=None, at=at)
    survivor = register_person(org=org, name="Synthetic Survivor", acting_user=None, at=at)
    case = open_case(survivor=survivor, lead=manager, acting_user=None, at=at)
    offer_contact(org=org, kind="WALK_IN", acting_user=None, at=at)  # a row on the queue board
    return Scene(org, manager, case, facility)


def _check(page: Page, path: str, label: str) -> list[Violation]:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{label}: {path} answered {response}"
    page.wait_for_load_state("networkidle")
    return serious_violations(page, label)


def _public_pages(page: Page, scene: Scene) -> list[Violation]:
    found = _check(page, reverse("accounts:login"), "login")
    found += _check(page, reverse("chat:page", args=[scene.org.slug]), "web chat (public)")
    return found


def _staff_pages(page: Page, scene: Scene) -> list[Violation]:
    pages = {
        "home": reverse("web:home"),
        "hotline intake form": reverse("hotline:offer"),
        "hotline queue": reverse("hotline:board"),
        "people search": reverse("people:search"),
        "case list": reverse("cases:list"),
        "case detail": reverse("cases:detail", args=[scene.case.pk]),
        "shelter beds": reverse("shelters:board", args=[scene.facility.pk]),
        "bed availability": reverse("shelters:availability"),
        "referral form": reverse("referrals:refer", args=[scene.case.pk]),
        "reports dashboard": reverse("reports:dashboard"),
    }
    found: list[Violation] = []
    for label, path in pages.items():
        found += _check(page, path, label)
    return found


def _form_with_errors(page: Page, scene: Scene) -> list[Violation]:
    page.goto(reverse("referrals:refer", args=[scene.case.pk]))
    page.fill("#id_contact_back", "")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    assert page.locator(".errorlist").count() > 0, "the empty referral form came back without errors"
    return serious_violations(page, "referral form with errors")


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_key_pages_have_no_serious_accessibility_violation(
    context: BrowserContext, page: Page, live_server: Any, scene: Scene, language: str
) -> None:
    context.set_default_timeout(60_000)  # a loaded shared machine: the dashboard computes its figures
    User.objects.filter(pk=scene.manager.user.pk).update(language=language)
    cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}
    context.add_cookies([cookie])  # type: ignore[list-item]
    found = _public_pages(page, scene)
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    sign_in(context, live_server, scene.manager.user)
    with pages_helpers.registered():
        found += _staff_pages(page, scene)
    found += _form_with_errors(page, scene)
    assert not found, "\n".join(str(violation) for violation in found)


def _keyboard_pages(scene: Scene) -> dict[str, str]:
    return {
        "home": reverse("web:home"),
        "hotline intake form": reverse("hotline:offer"),
        "case list": reverse("cases:list"),
        "case detail": reverse("cases:detail", args=[scene.case.pk]),
        "shelter beds": reverse("shelters:board", args=[scene.facility.pk]),
        "referral form": reverse("referrals:refer", args=[scene.case.pk]),
        "reports dashboard": reverse("reports:dashboard"),
    }


def _skip_to_main(page: Page) -> None:
    """From the top: quick exit comes first, the skip link second; Enter on it moves on past the top bar."""
    page.keyboard.press("Tab")
    first = focused(page)
    assert first is not None and first.id == "quick-exit", f"Tab went first to {first}"
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    box = skip.bounding_box()
    assert box is not None and box["width"] > 10, "the skip link stays hidden when it has focus"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def _choose_language_by_keyboard(page: Page, code: str) -> None:
    """Arrow keys move through the languages without leaving the page; Enter applies the choice."""
    tab_to(page, "#language-select")
    lang = page.locator("html").get_attribute("lang")
    for _press in range(20):
        if page.locator("#language-select").input_value() == code:
            break
        page.keyboard.press("ArrowDown")
    assert page.locator("html").get_attribute("lang") == lang, "an arrow key sent the language form"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == code


def _sign_in_by_keyboard(page: Page, username: str) -> None:
    tab_to(page, "#id_username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#id_password").count() == 0, "still on the sign-in page"


@pytest.mark.browser
def test_a_survivor_uses_the_public_pages_by_keyboard_alone(
    context: BrowserContext, page: Page, live_server: Any, scene: Scene
) -> None:
    page.goto(reverse("chat:page", args=[scene.org.slug]))
    _skip_to_main(page)
    tab_to(page, "#chat-text")
    page.keyboard.type("Hello, I need to talk. (synthetic)")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # on Send
    assert "I need to talk" in page.locator(".chat-mine").inner_text()
    problems = walk_with_tab(page, "web chat")

    page.goto(reverse("accounts:login"))
    _choose_language_by_keyboard(page, "ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    problems += walk_with_tab(page, "login (ar)")
    assert not problems, "\n".join(problems)

    # And out, by keyboard: Tab to the quick exit control, the first on every page, and press Enter.
    page.goto(reverse("chat:page", args=[scene.org.slug]))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(settings.HAVEN_QUICK_EXIT_URL)


def _offer_a_contact_by_keyboard(page: Page) -> None:
    """The hotline's intake form: choose with the arrow keys, send with Enter on its button."""
    page.goto(reverse("hotline:offer"))
    tab_to(page, "#id_kind")
    page.keyboard.press("ArrowDown")
    tab_to(page, "#id_language")
    page.keyboard.press("ArrowDown")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(reverse("hotline:board")), page.url
    assert page.locator(".messages .success").count() == 1


def _open_and_close_a_disclosure(page: Page) -> None:
    """The dashboard's "figures of this chart": Enter opens it, Space closes it again."""
    page.goto(reverse("reports:dashboard"))
    tab_to(page, "details.chart-data > summary")
    details = page.locator("details.chart-data").first
    page.keyboard.press("Enter")
    assert details.get_attribute("open") is not None
    page.keyboard.press("Space")
    assert details.get_attribute("open") is None


@pytest.mark.browser
def test_a_manager_uses_the_key_pages_by_keyboard_alone(
    context: BrowserContext, page: Page, live_server: Any, scene: Scene
) -> None:
    context.set_default_timeout(60_000)  # a loaded shared machine: the dashboard computes its figures
    page.goto(reverse("accounts:login"))
    _sign_in_by_keyboard(page, scene.manager.user.username)
    _skip_to_main(page)
    _offer_a_contact_by_keyboard(page)
    problems: list[str] = []
    with pages_helpers.registered():
        _open_and_close_a_disclosure(page)
        for label, path in _keyboard_pages(scene).items():
            page.goto(path)
            problems += walk_with_tab(page, label)
    assert not problems, "\n".join(problems)
