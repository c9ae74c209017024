"""Production stores passwords with Argon2 (the test settings use a fast hasher; see test_settings.py)."""

from __future__ import annotations

from datetime import datetime

from django.test import Client, override_settings
from django.urls import reverse

import haven.settings as production
from haven.accounts.models import User
from haven.conftest import PASSWORD, World, make_member
from haven.orgs.roles import Role

ARGON2 = ["django.contrib.auth.hashers.Argon2PasswordHasher"]


def test_it_puts_argon2_first_in_production_settings() -> None:
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.MD5PasswordHasher" not in production.PASSWORD_HASHERS


def test_it_stores_a_new_password_as_argon2(world: World, now: datetime) -> None:
    with override_settings(PASSWORD_HASHERS=ARGON2):
        membership = make_member(world.org, Role.COUNSELLOR, username="home.new-counsellor", at=now)

        stored = User.objects.get(pk=membership.user_id).password
        assert stored.startswith("argon2$argon2id$")
        assert PASSWORD not in stored

        client = Client()
        response = client.post(
            reverse("accounts:login"), {"username": "home.new-counsellor", "password": PASSWORD}
        )
        assert response.status_code == 302
        assert client.get(reverse("web:home")).status_code == 200


def test_it_rehashes_an_older_hash_as_argon2_at_sign_in(world: World) -> None:
    user = world.persona(Role.LAWYER)
    assert not user.password.startswith("argon2")

    with override_settings(PASSWORD_HASHERS=[*ARGON2, "django.contrib.auth.hashers.MD5PasswordHasher"]):
        response = Client().post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
