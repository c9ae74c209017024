"""Personal API tokens: made on the tokens page, shown once, stored as a hash, revoked for good."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from haven.accounts.models import ApiToken
from haven.conftest import World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry

TOKEN_RE = re.compile(r"hvn_[0-9a-f]{16}_[A-Za-z0-9_-]{43}")


def _create(client: Client, name: str = "Reporting script") -> str:
    response = client.post(reverse("accounts:tokens"), {"name": name})
    assert response.status_code == 200
    found = TOKEN_RE.findall(response.content.decode())
    assert len(found) == 1
    return str(found[0])


def _me(token: str):  # type: ignore[no-untyped-def]
    return Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_it_creates_a_token_and_shows_its_full_text_once(world: World) -> None:
    client = world.client_for(world.members[Role.LAWYER])

    response = client.post(reverse("accounts:tokens"), {"name": "Reporting script"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" in page
    [token] = TOKEN_RE.findall(page)
    assert f'<code class="token" id="new-token">{token}</code>' in page
    assert "Copy this token now." in page
    row = ApiToken.objects.get(membership=world.members[Role.LAWYER])
    assert row.name == "Reporting script"
    assert token.startswith(f"hvn_{row.lookup}_")
    assert AuditEntry.objects.filter(action="token.create", actor=world.persona(Role.LAWYER)).exists()

    again = client.get(reverse("accounts:tokens")).content.decode()
    assert "Reporting script" in again
    assert token not in again
    assert not TOKEN_RE.search(again)


def test_it_stores_only_a_hash_of_the_secret(world: World) -> None:
    client = world.client_for(world.members[Role.LAWYER])
    token = _create(client)
    secret = token.split("_", 2)[2]

    row = ApiToken.objects.get(membership=world.members[Role.LAWYER])

    assert row.secret_hash != secret
    assert len(row.secret_hash) == 64
    for field in ApiToken._meta.concrete_fields:
        value = str(field.value_from_object(row))
        assert token not in value, field.name
        assert secret not in value, field.name


def test_it_authenticates_the_api_with_the_token(world: World) -> None:
    client = world.client_for(world.members[Role.LAWYER])
    token = _create(client)

    response = _me(token)

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == world.persona(Role.LAWYER).username
    assert body["organisation_id"] == str(world.org.pk)
    assert body["organisation"] == world.org.name
    assert body["role"] == "LAWYER"
    assert body["role_label"] == "Lawyer"
    assert ApiToken.objects.get(membership=world.members[Role.LAWYER]).last_used_at is not None


def test_it_refuses_the_token_once_revoked(world: World) -> None:
    client = world.client_for(world.members[Role.LAWYER])
    token = _create(client)
    row = ApiToken.objects.get(membership=world.members[Role.LAWYER])
    assert _me(token).status_code == 200

    response = client.post(reverse("accounts:token_revoke", args=[row.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:tokens")
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert AuditEntry.objects.filter(action="token.revoke", object_id=str(row.pk)).exists()
    refused = _me(token)
    assert refused.status_code == 401
    assert "Authorization: Bearer" in refused.json()["detail"]
    assert "Revoked" in client.get(reverse("accounts:tokens")).content.decode()


def test_it_refuses_a_malformed_token_or_a_wrong_secret(world: World) -> None:
    client = world.client_for(world.members[Role.LAWYER])
    token = _create(client)
    lookup = token.split("_", 2)[1]
    wrong_secret = f"hvn_{lookup}_{'A' * 43}"

    for bad in ("nonsense", "hvn_", "hvn__", f"hvn_{lookup}_", f"xyz_{lookup}_abc", wrong_secret, token[:-1]):
        response = _me(bad)
        assert response.status_code == 401, bad
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"], bad

    missing = Client().get("/api/v1/me")
    assert missing.status_code == 401
    assert missing.json()["detail"]


def test_it_does_not_let_a_signed_in_browser_use_the_api_without_a_token(world: World) -> None:
    client = world.client_for(world.members[Role.LAWYER])

    response = client.get("/api/v1/me")

    assert response.status_code == 401


def test_it_refuses_a_token_whose_membership_was_switched_off(world: World) -> None:
    membership = world.members[Role.LAWYER]
    token = _create(world.client_for(membership))
    membership.is_active = False
    membership.save(update_fields=["is_active"])

    assert _me(token).status_code == 401


def test_it_refuses_a_token_whose_user_was_switched_off(world: World) -> None:
    membership = world.members[Role.LAWYER]
    token = _create(world.client_for(membership))
    membership.user.is_active = False
    membership.user.save(update_fields=["is_active"])

    assert _me(token).status_code == 401


def test_it_hides_a_colleagues_token_from_revocation(world: World) -> None:
    owner = world.members[Role.LAWYER]
    token = _create(world.client_for(owner))
    row = ApiToken.objects.get(membership=owner)

    for other in (world.members[Role.NURSE], world.members[Role.ORG_ADMIN], world.outsider):
        response = world.client_for(other).post(reverse("accounts:token_revoke", args=[row.pk]))
        assert response.status_code == 404

    row.refresh_from_db()
    assert row.revoked_at is None
    assert _me(token).status_code == 200
    assert (
        "Reporting script"
        not in world.client_for(world.members[Role.NURSE]).get(reverse("accounts:tokens")).content.decode()
    )


def test_it_answers_htmx_with_only_the_panel(world: World) -> None:
    client = world.client_for(world.members[Role.LAWYER])

    response = client.post(reverse("accounts:tokens"), {"name": "From htmx"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert "<body" not in page
    assert 'id="new-token"' in page
    assert TOKEN_RE.search(page)
    assert "From htmx" in page


def test_it_refuses_an_empty_name_with_422(world: World) -> None:
    client = world.client_for(world.members[Role.LAWYER])

    for name in ("", "   "):
        response = client.post(reverse("accounts:tokens"), {"name": name})
        assert response.status_code == 422
        page = response.content.decode()
        assert '<span role="alert"><ul class="errorlist"' in page
        assert "This field is required." in page
        assert not TOKEN_RE.search(page)

    assert not ApiToken.objects.filter(membership=world.members[Role.LAWYER]).exists()


def test_it_refuses_an_empty_name_with_422_over_htmx(world: World) -> None:
    client = world.client_for(world.members[Role.LAWYER])

    response = client.post(reverse("accounts:tokens"), {"name": ""}, HTTP_HX_REQUEST="true")

    assert response.status_code == 422
    assert "<html" not in response.content.decode()
    assert "This field is required." in response.content.decode()


def test_it_binds_the_token_to_the_organisation_it_was_made_in(world: World) -> None:
    # The outsider's token speaks for the other organisation only.
    token = _create(world.client_for(world.outsider))

    body = _me(token).json()

    assert body["organisation_id"] == str(world.other_org.pk)
    assert body["organisation"] == world.other_org.name
    assert body["role"] == "ORG_ADMIN"
