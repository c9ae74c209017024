"""Signing in with a username and password, and signing out, through the real login page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from haven.conftest import PASSWORD, World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry

WRONG_LOGIN = "The username or password is not right. After 5 wrong tries the account is locked for a while."


def _signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_it_signs_in_and_lands_on_the_home_page_of_the_role(world: World, role: Role) -> None:
    user = world.persona(role)
    client = Client()

    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    home = client.get(response["Location"])
    assert home.status_code == 200
    assert f"<h1>{role.label}</h1>" in home.content.decode()
    assert world.org.name in home.content.decode()
    assert _signed_in_user_id(client) == str(user.pk)


def test_it_audits_the_sign_in(world: World) -> None:
    user = world.persona(Role.LAWYER)
    before = AuditEntry.objects.filter(action="auth.login").count()

    Client().post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})

    entries = AuditEntry.objects.filter(action="auth.login")
    assert entries.count() == before + 1
    entry = entries.order_by("-id").first()
    assert entry is not None
    assert entry.actor_id == user.pk
    assert entry.org_id == world.org.pk


def test_it_refuses_a_wrong_password_with_401_and_the_form_error(world: World) -> None:
    user = world.persona(Role.LAWYER)
    client = Client()

    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": "not-the-password"}
    )

    assert response.status_code == 401
    assert WRONG_LOGIN in response.content.decode()
    assert _signed_in_user_id(client) is None
    assert not AuditEntry.objects.filter(action="auth.login", actor=user).exists()


def test_it_refuses_an_unknown_username_with_the_same_error(world: World) -> None:
    response = Client().post(reverse("accounts:login"), {"username": "nobody.here", "password": PASSWORD})

    assert response.status_code == 401
    assert WRONG_LOGIN in response.content.decode()


def test_it_shows_the_form_error_to_a_french_browser(world: World) -> None:
    # French catalogues may not exist yet: check the page is French and carries the error, not its wording.
    user = world.persona(Role.LAWYER)
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")

    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": "not-the-password"}
    )

    assert response.status_code == 401
    page = response.content.decode()
    assert '<html lang="fr" dir="ltr">' in page
    assert response.context["form"].errors["__all__"]
    assert 'class="errorlist nonfield"' in page


def test_it_refuses_a_switched_off_user(world: World) -> None:
    user = world.persona(Role.LAWYER)
    user.is_active = False
    user.save(update_fields=["is_active"])
    client = Client()

    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})

    assert response.status_code == 401
    assert _signed_in_user_id(client) is None
    assert client.get(reverse("web:home")).status_code == 302


def test_it_refuses_a_user_whose_membership_is_switched_off(world: World) -> None:
    membership = world.members[Role.LAWYER]
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    client = Client()

    response = client.post(
        reverse("accounts:login"), {"username": membership.user.username, "password": PASSWORD}
    )

    assert response.status_code == 401
    assert "This account is switched off." in response.content.decode()
    assert _signed_in_user_id(client) is None
    assert not AuditEntry.objects.filter(action="auth.login", actor=membership.user).exists()


def test_it_gives_a_switched_off_member_no_page_even_if_signed_in(world: World) -> None:
    # Whatever the login page does, a member whose membership is off must never reach a staff page.
    membership = world.members[Role.LAWYER]
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    client = Client()
    client.post(reverse("accounts:login"), {"username": membership.user.username, "password": PASSWORD})

    assert client.get(reverse("web:home")).status_code in {302, 403}
    assert client.get(reverse("accounts:tokens")).status_code in {302, 403}


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/steal", "//evil.example/steal", "http:evil.example", "https:///evil.example/"],
)
def test_it_ignores_a_next_address_on_another_host(world: World, target: str) -> None:
    user = world.persona(Role.LAWYER)

    response = Client().post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD, "next": target}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")


def test_it_does_not_echo_a_foreign_next_into_the_login_form(world: World) -> None:
    response = Client().get(reverse("accounts:login"), {"next": "https://evil.example/steal"})

    assert response.status_code == 200
    assert f'<input type="hidden" name="next" value="{reverse("web:home")}">' in response.content.decode()
    assert response.context["next"] == reverse("web:home")


def test_it_follows_a_next_address_on_this_site(world: World) -> None:
    user = world.persona(Role.LAWYER)
    target = reverse("accounts:preferences")

    response = Client().post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD, "next": target}
    )

    assert response.status_code == 302
    assert response["Location"] == target


def test_it_signs_out_only_by_post(world: World) -> None:
    user = world.persona(Role.LAWYER)
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})

    response = client.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert _signed_in_user_id(client) == str(user.pk)
    assert not AuditEntry.objects.filter(action="auth.logout").exists()


def test_it_signs_out_and_audits_it(world: World) -> None:
    user = world.persona(Role.LAWYER)
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert _signed_in_user_id(client) is None
    entry = AuditEntry.objects.filter(action="auth.logout").get()
    assert entry.actor_id == user.pk
    assert entry.org_id == world.org.pk
    home = client.get(reverse("web:home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("accounts:login"))
