"""Language and calendar preferences, the language switch before signing in, and switching organisation."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.test import Client
from django.urls import reverse

from haven.accounts.models import User
from haven.conftest import World, make_org
from haven.orgs.actions import add_membership
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry

BAD_LANGUAGE = "Haven is not available in that language. Choose one from the list."


def test_it_saves_persian_and_the_solar_hijri_calendar_and_turns_pages_right_to_left(world: World) -> None:
    lawyer = world.persona(Role.LAWYER)
    client = world.client_for(world.members[Role.LAWYER])
    assert '<html lang="en" dir="ltr">' in client.get(reverse("web:home")).content.decode()

    response = client.post(reverse("accounts:preferences"), {"language": "fa", "calendar": "SOLAR_HIJRI"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:preferences")
    lawyer.refresh_from_db()
    assert (lawyer.language, lawyer.calendar) == ("fa", "SOLAR_HIJRI")
    entry = AuditEntry.objects.get(action="user.preferences")
    assert entry.actor_id == lawyer.pk
    assert entry.org_id == world.org.pk
    assert sorted(entry.fields) == ["calendar", "language"]
    home = client.get(reverse("web:home"))
    assert home.status_code == 200
    assert '<html lang="fa" dir="rtl">' in home.content.decode()
    assert home.wsgi_request.calendar == "SOLAR_HIJRI"  # type: ignore[attr-defined]


def test_it_keeps_the_users_language_over_the_browsers(world: World) -> None:
    client = world.client_for(world.members[Role.LAWYER])
    client.post(reverse("accounts:preferences"), {"language": "fa", "calendar": "GREGORIAN"})

    home = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="fr")

    assert '<html lang="fa" dir="rtl">' in home.content.decode()


def test_it_refuses_an_unknown_language_and_saves_nothing(world: World) -> None:
    lawyer = world.persona(Role.LAWYER)
    client = world.client_for(world.members[Role.LAWYER])

    response = client.post(reverse("accounts:preferences"), {"language": "xx", "calendar": "SOLAR_HIJRI"})

    assert response.status_code == 422
    assert response.context["form"].errors["language"]
    page = response.content.decode()
    assert '<span role="alert"><ul class="errorlist"' in page
    assert "Select a valid choice. xx is not one of the available choices." in page
    lawyer.refresh_from_db()
    assert (lawyer.language, lawyer.calendar) == ("en", "")
    assert not AuditEntry.objects.filter(action="user.preferences").exists()


def test_it_refuses_an_unknown_calendar_and_saves_nothing(world: World) -> None:
    lawyer = world.persona(Role.LAWYER)
    client = world.client_for(world.members[Role.LAWYER])

    response = client.post(reverse("accounts:preferences"), {"language": "fa", "calendar": "JULIAN"})

    assert response.status_code == 422
    assert response.context["form"].errors["calendar"]
    lawyer.refresh_from_db()
    assert (lawyer.language, lawyer.calendar) == ("en", "")


def test_it_answers_400_to_an_unknown_language_in_the_switch(world: World) -> None:
    response = Client().post(reverse("web:set_language"), {"language": "xx"})

    assert response.status_code == 400
    assert BAD_LANGUAGE in response.content.decode()
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies

    as_json = Client().post(reverse("web:set_language"), {"language": "xx"}, HTTP_ACCEPT="application/json")
    assert as_json.status_code == 400
    assert as_json.json() == {"detail": BAD_LANGUAGE, "field": "language"}


def test_it_switches_an_anonymous_visitor_to_arabic_with_a_cookie(world: World) -> None:
    client = Client()

    response = client.post(reverse("web:set_language"), {"language": "ar", "next": reverse("accounts:login")})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    login = client.get(reverse("accounts:login"))
    assert login.status_code == 200
    assert '<html lang="ar" dir="rtl">' in login.content.decode()


def test_it_ignores_a_foreign_next_in_the_language_switch(world: World) -> None:
    response = Client().post(reverse("web:set_language"), {"language": "fr", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")


def test_it_keeps_a_signed_in_users_language_choice_on_their_account(world: World) -> None:
    lawyer = world.persona(Role.LAWYER)
    client = world.client_for(world.members[Role.LAWYER])

    response = client.post(reverse("web:set_language"), {"language": "ur", "next": reverse("web:home")})

    assert response.status_code == 302
    lawyer.refresh_from_db()
    assert lawyer.language == "ur"
    assert '<html lang="ur" dir="rtl">' in client.get(reverse("web:home")).content.decode()


def _two_org_lawyer(world: World) -> User:
    lawyer = world.persona(Role.LAWYER)
    add_membership(org=world.other_org, user=lawyer, role=Role.COUNSELLOR, acting_user=None, at=world.at)
    return lawyer


def test_it_switches_organisation_for_a_member_of_two(world: World) -> None:
    lawyer = _two_org_lawyer(world)
    client = world.client_for(world.members[Role.LAWYER])
    home = client.get(reverse("web:home"))
    assert home.wsgi_request.org == world.org  # type: ignore[attr-defined]
    assert f"{world.org.name} · Lawyer" in home.content.decode()
    assert f'<option value="{world.other_org.pk}">{world.other_org.name} · Counsellor</option>' in (
        home.content.decode()
    )

    response = client.post(reverse("accounts:switch_org"), {"org": str(world.other_org.pk)})

    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    home = client.get(reverse("web:home"))
    assert home.wsgi_request.org == world.other_org  # type: ignore[attr-defined]
    page = home.content.decode()
    assert f"You are now working in {world.other_org.name}." in page
    assert f"{world.other_org.name} · Counsellor" in page
    assert "<h1>Counsellor</h1>" in page
    entry = AuditEntry.objects.get(action="auth.org_switch")
    assert entry.actor_id == lawyer.pk
    assert entry.org_id == world.other_org.pk
    lawyer.refresh_from_db()
    assert lawyer.last_org_id == world.other_org.pk


def test_it_remembers_the_switched_organisation_at_the_next_sign_in(world: World) -> None:
    _two_org_lawyer(world)
    client = world.client_for(world.members[Role.LAWYER])
    client.post(reverse("accounts:switch_org"), {"org": str(world.other_org.pk)})

    fresh = world.client_for(world.members[Role.LAWYER])

    assert fresh.get(reverse("web:home")).wsgi_request.org == world.other_org  # type: ignore[attr-defined]


def test_it_refuses_to_switch_to_an_organisation_the_user_is_not_in(world: World, now: datetime) -> None:
    lawyer = _two_org_lawyer(world)
    stranger = make_org("stranger", at=now)
    client = world.client_for(world.members[Role.LAWYER])

    for org_id in (str(stranger.pk), "not-a-uuid", ""):
        response = client.post(reverse("accounts:switch_org"), {"org": org_id})
        assert response.status_code == 302, org_id
        home = client.get(reverse("web:home"))
        assert home.wsgi_request.org == world.org, org_id  # type: ignore[attr-defined]
        assert "You are not a member of that organisation." in home.content.decode(), org_id

    lawyer.refresh_from_db()
    assert lawyer.last_org_id == world.org.pk
    assert not AuditEntry.objects.filter(action="auth.org_switch").exists()


def test_it_refuses_to_switch_to_an_organisation_whose_membership_is_off(world: World) -> None:
    lawyer = _two_org_lawyer(world)
    other = lawyer.memberships.get(org=world.other_org)
    other.is_active = False
    other.save(update_fields=["is_active"])
    client = world.client_for(world.members[Role.LAWYER])

    client.post(reverse("accounts:switch_org"), {"org": str(world.other_org.pk)})

    home = client.get(reverse("web:home"))
    assert home.wsgi_request.org == world.org  # type: ignore[attr-defined]
    assert "You are not a member of that organisation." in home.content.decode()
