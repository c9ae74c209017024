"""A session ends after HAVEN_SESSION_IDLE_MINUTES without a request; each request pushes the end back."""

from __future__ import annotations

import os
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from haven.conftest import PASSWORD, World
from haven.orgs.roles import Role


def _signed_in_client(world: World) -> Client:
    client = Client()
    user = world.persona(Role.CASEWORKER)
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200
    return client


def _session_row(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_it_sets_the_session_age_to_the_idle_minutes() -> None:
    if "HAVEN_SESSION_IDLE_MINUTES" not in os.environ:
        assert settings.SESSION_IDLE_MINUTES == 15
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_it_pushes_the_expiry_back_on_every_request(world: World) -> None:
    client = _signed_in_client(world)
    soon = timezone.now() + timedelta(minutes=1)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=soon)

    assert client.get(reverse("accounts:preferences")).status_code == 200

    remaining = _session_row(client).expire_date - timezone.now()
    assert timedelta(minutes=14) < remaining <= timedelta(minutes=15)


def test_it_signs_out_a_session_left_idle_past_its_expiry(world: World) -> None:
    client = _signed_in_client(world)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get(reverse("web:home"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={reverse('web:home')}"
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"]).content.decode()
    assert "signed out after 15 minutes without activity" in login_page


def test_it_signs_out_after_the_idle_time_passes_in_real_time(world: World) -> None:
    with override_settings(SESSION_COOKIE_AGE=1):
        client = _signed_in_client(world)
        assert client.get(reverse("web:home")).status_code == 200
        time.sleep(1.2)

        response = client.get(reverse("web:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_gives_the_session_cookie_no_lifetime_so_closing_the_browser_ends_it(world: World) -> None:
    user = world.persona(Role.CASEWORKER)

    response = Client().post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
