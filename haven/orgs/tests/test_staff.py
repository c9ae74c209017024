"""Staff: an org admin adds people with a role and site, changes roles, switches accounts off."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from haven.accounts.models import User
from haven.conftest import World
from haven.orgs.models import Membership
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry


def test_it_adds_a_staff_member_who_can_then_sign_in(world: World) -> None:
    client = world.client_for(world.members[Role.ORG_ADMIN])
    response = client.post(
        reverse("orgs:staff_create"),
        {
            "first_name": "Nadia",
            "last_name": "Synthetic",
            "username": "nadia",
            "password": "a-long-passphrase-9",
            "role": "COUNSELLOR",
            "site": world.office.pk,
            "language": "ar",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="nadia")
    assert (
        membership.org == world.org and membership.role == Role.COUNSELLOR and membership.site == world.office
    )
    assert membership.user.language == "ar"
    assert AuditEntry.objects.filter(action="membership.create", object_id=str(membership.pk)).exists()
    response = Client().post(
        reverse("accounts:login"), {"username": "nadia", "password": "a-long-passphrase-9"}
    )
    assert response.status_code == 302


def test_it_rejects_a_weak_password_and_a_taken_username(world: World) -> None:
    client = world.client_for(world.members[Role.ORG_ADMIN])
    base = {
        "first_name": "A",
        "username": "home.nurse",
        "password": "short",
        "role": "NURSE",
        "language": "en",
    }
    response = client.post(reverse("orgs:staff_create"), base)
    assert response.status_code == 422
    assert User.objects.filter(username__iexact="home.nurse").count() == 1
    response = client.post(reverse("orgs:staff_create"), {**base, "username": "fresh"})
    assert response.status_code == 422 and not User.objects.filter(username="fresh").exists()


def test_it_changes_a_role_and_switches_an_account_off(world: World) -> None:
    nurse = world.members[Role.NURSE]
    client = world.client_for(world.members[Role.ORG_ADMIN])
    response = client.post(reverse("orgs:staff_edit", args=[nurse.pk]), {"role": "CASEWORKER", "site": ""})
    assert response.status_code == 302
    nurse.refresh_from_db()
    assert nurse.role == Role.CASEWORKER and not nurse.is_active
    assert world.client_for(nurse).get(reverse("web:home")).status_code == 403


def test_it_does_not_let_admins_demote_themselves(world: World) -> None:
    admin = world.members[Role.ORG_ADMIN]
    response = world.client_for(admin).post(
        reverse("orgs:staff_edit", args=[admin.pk]), {"role": "NURSE", "is_active": "on"}
    )
    assert response.status_code == 422
    admin.refresh_from_db()
    assert admin.role == Role.ORG_ADMIN


def test_it_shows_org_settings_and_saves_totp_roles(world: World) -> None:
    client = world.client_for(world.members[Role.ORG_ADMIN])
    response = client.post(
        reverse("orgs:settings"), {"name": "", "default_language": "xx", "default_calendar": "MAYAN"}
    )
    assert response.status_code == 422
    response = client.post(
        reverse("orgs:settings"),
        {
            "name": "Home org",
            "default_language": "fr",
            "default_calendar": "SOLAR_HIJRI",
            "totp_required_roles": ["ORG_ADMIN", "LAWYER"],
        },
    )
    assert response.status_code == 302
    world.org.refresh_from_db()
    assert world.org.totp_required_roles == ["ORG_ADMIN", "LAWYER"]
    assert world.org.default_calendar == "SOLAR_HIJRI"
    # The admin's own role now needs an authenticator: the next page is the set-up step.
    assert client.get(reverse("web:home"))["Location"] == reverse("accounts:totp_setup")
