"""Five wrong passwords lock the account (not the address) for AXES_COOLOFF_TIME; then it works again."""

from __future__ import annotations

import time
from datetime import timedelta

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from haven.conftest import PASSWORD, World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry

LOCKED_TEXT = "Too many wrong passwords were entered for this account, so it is locked."


def _attempt(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _lock(username: str) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, username, "not-the-password")


def _is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_it_locks_after_five_wrong_passwords_even_for_the_right_one(world: World) -> None:
    user = world.persona(Role.NURSE)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, user.username, "not-the-password").status_code == 401
    fifth = _attempt(client, user.username, "not-the-password")
    assert fifth.status_code == 429

    response = _attempt(client, user.username, PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert "<title>Account locked · Haven</title>" in page
    assert "Account locked for now" in page
    assert LOCKED_TEXT in page
    assert "Try again in 15 minutes" in page
    assert "accounts/locked.html" in [t.name for t in response.templates]
    assert not _is_signed_in(client)


def test_it_audits_the_lock(world: World) -> None:
    user = world.persona(Role.NURSE)

    _lock(user.username)

    entries = AuditEntry.objects.filter(action="auth.locked")
    assert entries.exists()
    assert {entry.actor_id for entry in entries} == {None}
    assert {entry.org_id for entry in entries} == {world.org.pk}
    assert {entry.object_id for entry in entries} == {str(user.pk)}


def test_it_locks_the_account_not_the_address(world: World) -> None:
    nurse = world.persona(Role.NURSE)
    _lock(nurse.username)

    # Another browser (same address: the test client's) cannot sign in as the locked user either...
    assert _attempt(Client(), nurse.username, PASSWORD).status_code == 429
    # ...while a colleague behind the same office address still can.
    colleague = world.persona(Role.LAWYER)
    client = Client()
    response = _attempt(client, colleague.username, PASSWORD)
    assert response.status_code == 302
    assert _is_signed_in(client)


def test_it_keeps_the_lock_when_the_username_is_padded_with_spaces(world: World) -> None:
    nurse = world.persona(Role.NURSE)
    _lock(nurse.username)
    client = Client()

    # The form strips the spaces before both signing in and counting failures, so the lock still holds.
    response = _attempt(client, f"  {nurse.username} ", PASSWORD)

    assert response.status_code == 429
    assert not _is_signed_in(client)


def test_it_forgets_wrong_passwords_after_a_successful_sign_in(world: World) -> None:
    nurse = world.persona(Role.NURSE)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, nurse.username, "not-the-password")
    assert _attempt(client, nurse.username, PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, nurse.username, "not-the-password").status_code == 401
    assert _attempt(client, nurse.username, PASSWORD).status_code == 302


def test_it_unlocks_after_the_cool_off_time(world: World) -> None:
    nurse = world.persona(Role.NURSE)
    _lock(nurse.username)
    cool_off = settings.AXES_COOLOFF_TIME
    assert cool_off == timedelta(minutes=15)

    # Time travel: the last failure happened a minute short of the cool-off, so still locked.
    AccessAttempt.objects.filter(username=nurse.username).update(
        attempt_time=AccessAttempt.objects.get(username=nurse.username).attempt_time
        - cool_off
        + timedelta(minutes=1)
    )
    assert _attempt(Client(), nurse.username, PASSWORD).status_code == 429

    # That locked try counts as a failure too; move every failure past the cool-off.
    last = AccessAttempt.objects.get(username=nurse.username).attempt_time
    AccessAttempt.objects.filter(username=nurse.username).update(
        attempt_time=last - cool_off - timedelta(seconds=1)
    )
    client = Client()
    response = _attempt(client, nurse.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert _is_signed_in(client)


def test_it_unlocks_after_a_short_cool_off_in_real_time(world: World) -> None:
    nurse = world.persona(Role.NURSE)
    with override_settings(AXES_COOLOFF_TIME=timedelta(seconds=1)):
        _lock(nurse.username)
        assert _attempt(Client(), nurse.username, PASSWORD).status_code == 429
        time.sleep(1.2)
        client = Client()
        assert _attempt(client, nurse.username, PASSWORD).status_code == 302
        assert _is_signed_in(client)


def test_it_unlocks_when_an_administrator_resets_the_account(world: World) -> None:
    nurse = world.persona(Role.NURSE)
    _lock(nurse.username)

    reset(username=nurse.username)

    client = Client()
    assert _attempt(client, nurse.username, PASSWORD).status_code == 302
    assert _is_signed_in(client)


def test_it_tells_a_locked_out_french_reader_in_french_and_gives_no_session(world: World) -> None:
    nurse = world.persona(Role.NURSE)
    _lock(nurse.username)
    client = Client(headers={"accept-language": "fr"})

    response = _attempt(client, nurse.username, PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert "Compte temporairement bloqué" in page
    assert "Trop de mots de passe erronés" in page
    assert LOCKED_TEXT not in page
    assert not _is_signed_in(client)
    assert settings.SESSION_COOKIE_NAME not in response.cookies
