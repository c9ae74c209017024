"""Security headers on every kind of response, pages that obey the Content-Security-Policy, TLS settings
and cookie flags. The policy itself is spelled out here, not imported: a change to it must be deliberate.

The template scan reads every template file under haven/ (PDF-only ones excepted: WeasyPrint renders them,
never a browser) and names the files that would break the policy or lack a CSRF token.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.conf import settings
from django.http.response import HttpResponseBase
from django.test import Client, override_settings
from django.urls import reverse

from haven.channels.tests import factories
from haven.conftest import PASSWORD, World
from haven.orgs.roles import Role

HAVEN = Path(settings.BASE_DIR)
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PDF_BASE = "web/pdf_base.html"


def _staff_page(world: World) -> HttpResponseBase:
    return world.client_for(world.members[Role.CASEWORKER]).get(reverse("web:home"))


def _login_page(world: World) -> HttpResponseBase:
    return Client().get(reverse("accounts:login"))


def _api_answer(world: World) -> HttpResponseBase:
    token = world.token_for(world.members[Role.CASEWORKER])
    return Client().get("/api/v1/me", headers={"authorization": f"Bearer {token}"})


def _not_found(world: World) -> HttpResponseBase:
    return world.client_for(world.members[Role.CASEWORKER]).get("/no-such-page/")


def _webchat(world: World) -> HttpResponseBase:
    factories.channel(world.org, "WEBCHAT")
    return Client().get(reverse("chat:page", args=[world.org.slug]))


def _public_grievance(world: World) -> HttpResponseBase:
    return Client().get(reverse("grievances:public", args=[world.org.slug]))


PAGES: dict[str, tuple[Callable[[World], HttpResponseBase], int]] = {
    "staff page": (_staff_page, 200),
    "login page": (_login_page, 200),
    "API answer": (_api_answer, 200),
    "404 page": (_not_found, 404),
    "public webchat": (_webchat, 200),
    "public grievance page": (_public_grievance, 200),
}


@pytest.mark.parametrize("name", PAGES)
def test_it_sends_every_security_header_with_the_exact_policy(world: World, name: str) -> None:
    fetch, status = PAGES[name]

    response = fetch(world)

    assert response.status_code == status
    assert response["Content-Security-Policy"] == POLICY
    # same-origin, not no-referrer: see SECURE_REFERRER_POLICY in haven/settings.py.
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    features = set(response["Permissions-Policy"].split(", "))
    assert {"camera=()", "microphone=()", "geolocation=()"} <= features


def test_the_page_itself_does_not_loosen_the_referrer_policy(world: World) -> None:
    # A <meta name="referrer"> in the page would win over the header for links on that page.
    html = Client().get(reverse("accounts:login")).content.decode()
    assert '<meta name="referrer" content="same-origin">' in html
    assert '"includeIndicatorStyles": false' in html  # htmx adds no inline <style>


# --- The templates obey the policy ---------------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_BLOCK = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"\s(?:href|src|action)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)
POST_FORM = re.compile(r"<form\b[^>]*\bmethod=[\"']?post\b[^>]*>(.*?)</form>", re.IGNORECASE | re.DOTALL)
BREAKERS = {
    "inline <script>": INLINE_SCRIPT,
    "on<event>= handler": EVENT_HANDLER,
    "<style> block": STYLE_BLOCK,
    'style="..." attribute': STYLE_ATTRIBUTE,
    "javascript: URL": JAVASCRIPT_URL,
}


def test_a_refused_form_gets_haven_s_own_page_not_django_s_inline_styled_one(world: World) -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("accounts:login"), {"username": "someone", "password": "x"})

    assert response.status_code == 403
    assert "403_csrf.html" in [template.name for template in response.templates]
    html = response.content.decode()
    assert "This form could not be sent" in html
    assert not STYLE_BLOCK.search(html) and not STYLE_ATTRIBUTE.search(html)
    assert response["Content-Security-Policy"] == POLICY
    # Rendered with the request: the quick exit leads away, and the language form can be sent.
    assert f'href="{settings.HAVEN_QUICK_EXIT_URL}"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def _templates() -> dict[str, str]:
    """Every template file under haven/, by its path from haven/, with its text."""
    return {
        str(path.relative_to(HAVEN)): path.read_text(encoding="utf-8")
        for path in sorted(HAVEN.glob("**/templates/**/*.html"))
    }


def _is_pdf_only(name: str, text: str) -> bool:
    return name.endswith(PDF_BASE) or f'{{% extends "{PDF_BASE}" %}}' in text


def _browser_templates() -> dict[str, str]:
    return {name: text for name, text in _templates().items() if not _is_pdf_only(name, text)}


def test_the_scan_finds_the_templates_and_recognises_pdf_only_ones() -> None:
    browser, everything = _browser_templates(), _templates()
    assert "web/templates/web/base.html" in browser
    assert "risk/templates/risk/safety_plan_print.html" in browser
    assert "risk/templates/risk/safety_plan_pdf.html" in everything
    assert "risk/templates/risk/safety_plan_pdf.html" not in browser


def test_the_scan_catches_each_kind_of_breaker() -> None:
    caught = {
        "<script>alert(1)</script>": INLINE_SCRIPT,
        '<button onclick="x()">': EVENT_HANDLER,
        "<select\n  onchange='go()'>": EVENT_HANDLER,
        "<STYLE>p{}</STYLE>": STYLE_BLOCK,
        '<div style="color: red">': STYLE_ATTRIBUTE,
        '<a href="javascript:go()">': JAVASCRIPT_URL,
    }
    for html, pattern in caught.items():
        assert pattern.search(html), html
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert not EVENT_HANDLER.search('<input name="donation" data-one="1">')


def test_no_browser_template_runs_inline_code_or_styles() -> None:
    offending = [
        f"{name}: {kind}"
        for name, text in _browser_templates().items()
        for kind, pattern in BREAKERS.items()
        if pattern.search(text)
    ]
    assert offending == []


def test_every_post_form_carries_a_csrf_token() -> None:
    offending = [
        name
        for name, text in _browser_templates().items()
        for body in POST_FORM.findall(text)
        if "{% csrf_token %}" not in body
    ]
    assert offending == []


def test_no_page_served_to_a_browser_is_a_pdf_template() -> None:
    pdf_names = [
        name.split("/templates/", 1)[1] for name, text in _templates().items() if _is_pdf_only(name, text)
    ]
    assert len(pdf_names) >= 6
    extending = [
        name for name, text in _browser_templates().items() for pdf in pdf_names if f'"{pdf}"' in text
    ]
    assert extending == []
    rendered = [
        str(path.relative_to(HAVEN))
        for path in HAVEN.glob("**/*.py")
        if "tests" not in path.parts
        for pdf in pdf_names
        if re.search(rf"\brender\(\s*request\s*,\s*[\"']{re.escape(pdf)}", path.read_text(encoding="utf-8"))
    ]
    assert rendered == []


# --- TLS and cookies: the settings module read again under other environment variables -----------------


FLAGS = ("HAVEN_TLS", "HAVEN_BEHIND_PROXY", "HAVEN_SECURE_COOKIES", "HAVEN_DEBUG", "HAVEN_HSTS_PRELOAD")


def _settings_with(monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    """haven/settings.py executed afresh with these HAVEN_* variables, without touching live settings."""
    for name in FLAGS:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("haven_settings_under_test", HAVEN / "settings.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TLS_SETTINGS = (
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
)


def _as_override(module: ModuleType) -> dict[str, Any]:
    defaults = {"SECURE_SSL_REDIRECT": False, "SECURE_HSTS_SECONDS": 0, "SECURE_PROXY_SSL_HEADER": None}
    return {name: getattr(module, name, defaults.get(name, False)) for name in TLS_SETTINGS}


def test_with_tls_it_sends_hsts_for_a_year(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    tls = _settings_with(monkeypatch, HAVEN_TLS="1")
    with override_settings(**_as_override(tls)):
        response = Client().get(reverse("accounts:login"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_with_tls_it_sends_plain_http_to_https(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    tls = _settings_with(monkeypatch, HAVEN_TLS="1")
    with override_settings(**_as_override(tls)):
        response = Client().get(reverse("accounts:login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_without_tls_there_is_no_hsts_and_no_redirect(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = _settings_with(monkeypatch, HAVEN_DEBUG="1")
    with override_settings(**_as_override(plain)):
        over_http = Client().get(reverse("accounts:login"))
        over_https = Client().get(reverse("accounts:login"), secure=True)
    assert over_http.status_code == 200
    assert "Strict-Transport-Security" not in over_https
    assert plain.SESSION_COOKIE_SECURE is False


def test_it_trusts_the_proxy_header_only_when_told_to(monkeypatch: pytest.MonkeyPatch) -> None:
    assert getattr(_settings_with(monkeypatch, HAVEN_TLS="1"), "SECURE_PROXY_SSL_HEADER", None) is None
    proxied = _settings_with(monkeypatch, HAVEN_TLS="1", HAVEN_BEHIND_PROXY="1")
    assert proxied.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


def test_with_secure_cookies_the_session_and_csrf_cookies_are_secure_httponly_and_samesite(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    secure = _settings_with(monkeypatch, HAVEN_SECURE_COOKIES="1")
    flags = {
        name: getattr(secure, name)
        for name in (
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SESSION_COOKIE_HTTPONLY",
            "CSRF_COOKIE_HTTPONLY",
            "SESSION_COOKIE_SAMESITE",
            "CSRF_COOKIE_SAMESITE",
        )
    }
    client = Client(enforce_csrf_checks=True)
    with override_settings(**flags):
        form = client.get(reverse("accounts:login"), secure=True)
        token = form.cookies[settings.CSRF_COOKIE_NAME].value
        username = world.persona(Role.CASEWORKER).username
        signed_in = client.post(
            reverse("accounts:login"),
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            secure=True,
            headers={"origin": "https://testserver"},  # as a browser sends it with a form over https
        )
    assert signed_in.status_code == 302
    for cookie in (form.cookies[settings.CSRF_COOKIE_NAME], signed_in.cookies[settings.SESSION_COOKIE_NAME]):
        assert cookie["secure"] is True, cookie.key
        assert cookie["httponly"] is True, cookie.key
        assert cookie["samesite"] == "Lax", cookie.key
