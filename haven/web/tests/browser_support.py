"""What every real-browser test shares: Chromium through Playwright, a context that never reaches the
internet, and the sign-in helpers. The fixtures are made available to every test by haven/conftest.py.

A test module that drives the browser calls `skip_unless_browser_available()` at import: on a developer
machine without Chromium it is skipped; in CI a missing browser is a failure, or these flows would silently
stop being tested.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabase
from django.test import Client
from django.test.testcases import LiveServerThread
from django.urls import reverse

from haven.accounts.models import User
from haven.conftest import PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Route

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() == "true"
NEUTRAL_PAGE = "<!DOCTYPE html><html><head><title>Weather</title></head><body><p>Sunny.</p></body></html>"


def _unavailable(reason: str) -> NoReturn:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true, so this is an error, not a skip)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def skip_unless_browser_available() -> None:
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"browser tests need Chromium at {CHROMIUM}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:  # pragma: no cover - playwright is a dev dependency
        _unavailable("browser tests need the playwright package")


class _LiveServer(ThreadedWSGIServer):
    """The live server, answering one request at a time when the test database is SQLite in memory.

    Each request thread then opens its own connection to the one shared-cache database in memory, where
    SQLite locks whole tables and does not wait for them: two of a browser's requests at once (a page and
    its fetches, each saving the session) would fail with "database table is locked". On PostgreSQL the
    requests run side by side, as in production.
    """

    _one_at_a_time = threading.Lock()

    def get_app(self) -> Any:
        app = super().get_app()
        database = connections[DEFAULT_DB_ALIAS]
        if app is None or not isinstance(database, SQLiteDatabase) or not database.is_in_memory_db():
            return app

        def one_at_a_time(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
            with self._one_at_a_time:
                response = app(environ, start_response)
                try:
                    return list(response)  # the body is read here, so its queries run under the lock
                finally:
                    if hasattr(response, "close"):
                        response.close()  # Django's end of request (signals, connections) as well

        return one_at_a_time


@pytest.fixture(scope="session", autouse=True)
def _live_server_one_request_at_a_time_on_sqlite() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveServerThread, "server_class", _LiveServer)
        yield


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
    skip_unless_browser_available()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()
    finally:
        playwright.stop()


@pytest.fixture
def context(browser: Browser, live_server: Any) -> Iterator[BrowserContext]:
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 800}
    )
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


def wait_for_inline_checks(page: Page) -> None:
    """Let the form's inline checks (htmx, on each change) finish before the form itself is sent."""
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def submit_main_form(page: Page) -> None:
    """Press the main form's button and check the server took the POST (the redirect was followed)."""
    wait_for_inline_checks(page)
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").click()
    response = navigation.value
    assert response is not None
    errors = page.locator("[role=alert], .errorlist").all_text_contents()
    assert response.status == 200, f"the form POST was refused with {response.status}: {errors}"


def sign_in_with_form(page: Page, username: str) -> None:
    """Through the real form, as a person would: type, press the button, follow the redirect home."""
    page.goto(reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    submit_main_form(page)


def sign_in(context: BrowserContext, live_server: Any, user: User) -> None:
    """A session cookie for `user`, for flows that are not about the login form; adds no history entry."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
