"""Roles an organisation names must add an authenticator (TOTP) code after their password."""

from __future__ import annotations

import base64
from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts.models import User
from haven.conftest import PASSWORD, make_member, make_org
from haven.orgs.models import Organisation
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


@pytest.fixture
def secure_org(db: None, now: datetime) -> Organisation:
    return make_org("secure", at=now, totp_roles=[Role.CASEWORKER.value, Role.ORG_ADMIN.value])


@pytest.fixture
def caseworker(secure_org: Organisation, now: datetime) -> User:
    return make_member(secure_org, Role.CASEWORKER, username="secure.caseworker", at=now).user


def _sign_in(client: Client, user: User) -> None:
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def _code(device: TOTPDevice, drift: int = 0) -> str:
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)).zfill(
        6
    )


def _wrong_code(device: TOTPDevice) -> str:
    valid = {_code(device, drift) for drift in range(-device.tolerance - 1, device.tolerance + 2)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def _pending(user: User) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=False)


def test_it_sends_every_page_to_the_setup_step_after_the_password(caseworker: User) -> None:
    client = Client()
    _sign_in(client, caseworker)

    for name in ("web:home", "accounts:preferences", "accounts:tokens", "orgs:site_list"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"] == reverse("accounts:totp_setup"), name
    response = client.post(reverse("accounts:tokens"), {"name": "sneaky"})
    assert response["Location"] == reverse("accounts:totp_setup")
    assert not caseworker.memberships.get().api_tokens.exists()


def test_it_shows_a_qr_code_and_the_secret_on_the_setup_page(caseworker: User) -> None:
    client = Client()
    _sign_in(client, caseworker)

    response = client.get(reverse("accounts:totp_setup"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page
    device = _pending(caseworker)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert f'<code class="token" id="totp-secret">{secret}</code>' in page
    # Reloading the page keeps the same pending device, so a scanned code stays valid.
    client.get(reverse("accounts:totp_setup"))
    assert TOTPDevice.objects.filter(user=caseworker).count() == 1


def test_it_refuses_a_wrong_code_with_422(caseworker: User) -> None:
    client = Client()
    _sign_in(client, caseworker)
    client.get(reverse("accounts:totp_setup"))
    device = _pending(caseworker)

    response = client.post(reverse("accounts:totp_setup"), {"code": _wrong_code(device)})

    assert response.status_code == 422
    assert "That code is not right. Check your phone" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("web:home"))["Location"] == reverse("accounts:totp_setup")
    assert not AuditEntry.objects.filter(action="auth.totp_confirm").exists()


def test_it_refuses_an_empty_code_with_422(caseworker: User) -> None:
    client = Client()
    _sign_in(client, caseworker)

    response = client.post(reverse("accounts:totp_setup"), {"code": ""})

    assert response.status_code == 422
    assert "This field is required." in response.content.decode()


def test_it_confirms_the_device_with_the_right_code_and_opens_home(caseworker: User) -> None:
    client = Client()
    _sign_in(client, caseworker)
    client.get(reverse("accounts:totp_setup"))
    device = _pending(caseworker)

    response = client.post(reverse("accounts:totp_setup"), {"code": _code(device)})

    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    device.refresh_from_db()
    assert device.confirmed
    entry = AuditEntry.objects.get(action="auth.totp_confirm")
    assert entry.actor_id == caseworker.pk
    assert entry.object_id == str(caseworker.pk)
    home = client.get(reverse("web:home"))
    assert home.status_code == 200
    assert "<h1>Caseworker</h1>" in home.content.decode()
    # With a confirmed device the setup page no longer offers a new secret.
    assert client.get(reverse("accounts:totp_setup"))["Location"] == reverse("accounts:totp_verify")


def test_it_audits_the_confirmation_in_the_organisation_log(
    caseworker: User, secure_org: Organisation
) -> None:
    client = Client()
    _sign_in(client, caseworker)
    client.get(reverse("accounts:totp_setup"))

    client.post(reverse("accounts:totp_setup"), {"code": _code(_pending(caseworker))})

    entry = AuditEntry.objects.get(action="auth.totp_confirm")
    assert entry.org_id == secure_org.pk


def test_it_asks_for_a_code_not_a_new_device_at_the_next_sign_in(caseworker: User) -> None:
    first = Client()
    _sign_in(first, caseworker)
    first.get(reverse("accounts:totp_setup"))
    device = _pending(caseworker)
    assert first.post(reverse("accounts:totp_setup"), {"code": _code(device)}).status_code == 302
    first.post(reverse("accounts:logout"))

    client = Client()
    _sign_in(client, caseworker)
    response = client.get(reverse("web:home"))
    assert response["Location"] == reverse("accounts:totp_verify")
    assert client.get(reverse("accounts:totp_setup"))["Location"] == reverse("accounts:totp_verify")
    assert client.get(reverse("accounts:totp_verify")).status_code == 200

    # The code just used to confirm may not be replayed; the next time step's code is accepted.
    device.refresh_from_db()
    response = client.post(reverse("accounts:totp_verify"), {"code": _code(device, drift=1)})

    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert client.get(reverse("web:home")).status_code == 200
    assert TOTPDevice.objects.filter(user=caseworker).count() == 1


def test_it_refuses_a_wrong_code_at_the_verify_step(caseworker: User) -> None:
    device = TOTPDevice.objects.create(user=caseworker, name="Haven", confirmed=True)
    client = Client()
    _sign_in(client, caseworker)

    response = client.post(reverse("accounts:totp_verify"), {"code": _wrong_code(device)})

    assert response.status_code == 422
    assert "That code is not right." in response.content.decode()
    assert client.get(reverse("web:home"))["Location"] == reverse("accounts:totp_verify")


def test_it_does_not_accept_a_replayed_confirmation_code(caseworker: User) -> None:
    first = Client()
    _sign_in(first, caseworker)
    first.get(reverse("accounts:totp_setup"))
    device = _pending(caseworker)
    code = _code(device)
    assert first.post(reverse("accounts:totp_setup"), {"code": code}).status_code == 302

    client = Client()
    _sign_in(client, caseworker)
    response = client.post(reverse("accounts:totp_verify"), {"code": code})

    assert response.status_code == 422
    assert client.get(reverse("web:home"))["Location"] == reverse("accounts:totp_verify")


def test_it_does_not_ask_a_role_the_organisation_did_not_name(
    secure_org: Organisation, now: datetime
) -> None:
    lawyer = make_member(secure_org, Role.LAWYER, username="secure.lawyer", at=now).user
    client = Client()
    _sign_in(client, lawyer)

    response = client.get(reverse("web:home"))

    assert response.status_code == 200
    assert "<h1>Lawyer</h1>" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=lawyer).exists()


def test_it_gives_a_session_without_the_code_no_way_into_the_api(caseworker: User) -> None:
    client = Client()
    _sign_in(client, caseworker)

    # The API takes only personal tokens, never the browser session; and no token can be made before the code.
    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert caseworker.username not in response.content.decode()
    assert client.post(reverse("accounts:tokens"), {"name": "sneaky"})["Location"] == reverse(
        "accounts:totp_setup"
    )
    assert not caseworker.memberships.get().api_tokens.exists()
