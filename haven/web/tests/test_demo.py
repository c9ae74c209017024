"""The demo loads two organisations with staff in every role, and loading it again adds nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import User
from haven.cases.models import Appointment, Case, CaseNote, CaseService, Incident
from haven.orgs.models import Membership, Organisation, Site
from haven.orgs.roles import Role
from haven.people.models import Person
from haven.privacy.audit import verify_all
from haven.referrals.models import Referral
from haven.web.demo import COORDINATOR, DEMO_PASSWORD, load_demo


@pytest.mark.django_db
def test_it_loads_once_and_only_once() -> None:
    first = load_demo(at=timezone.now())
    counts = (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Site.objects.count(),
    )
    second = load_demo(at=timezone.now())
    # One member per role in each organisation, plus the coordinator who works for both.
    assert counts == (2, 2 * len(Role) + 1, 2 * len(Role) + 2, 7)
    assert (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Site.objects.count(),
    ) == counts
    assert [login.username for login in first] == [login.username for login in second]
    assert verify_all()[1] == []


@pytest.mark.django_db
def test_it_gives_every_role_a_login_in_a_seed_language() -> None:
    logins = load_demo(at=timezone.now())
    for org in Organisation.objects.all():
        roles = set(Membership.objects.filter(org=org).values_list("role", flat=True))
        assert roles == {role.value for role in Role}
        assert org.is_demo and org.totp_required_roles == []
    languages = {login.language for login in logins}
    assert {"fr", "bn", "fa", "ar", "ur", "ru", "kk"} <= languages


@pytest.mark.django_db
def test_it_signs_in_with_the_printed_password_and_switches_organisation() -> None:
    load_demo(at=timezone.now())
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": COORDINATOR, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    home = client.get(reverse("web:home")).content.decode()
    assert 'name="org"' in home  # the switch offers the other organisation
    other = Organisation.objects.get(slug="dwa-dhaka")
    client.post(reverse("accounts:switch_org"), {"org": str(other.pk)})
    assert other.name in client.get(reverse("web:home")).content.decode()


@pytest.mark.django_db
def test_it_gives_each_organisation_survivor_files_worked_through_the_verbs() -> None:
    load_demo(at=timezone.now())
    load_demo(at=timezone.now())

    dhaka = Organisation.objects.get(slug="dwa-dhaka")
    assert Case.objects.filter(org=dhaka).count() == 2
    assert {p.name for p in Person.objects.filter(org=dhaka)} >= {"রহিমা বেগম", "নাসরিন আক্তার"}
    forced = Incident.objects.get(org=dhaka, forced_marriage=True)
    assert forced.violence_type == "FORCED_MARRIAGE"
    for model in (Appointment, CaseNote, CaseService, Referral):
        assert model.objects.filter(org=dhaka).exists(), model.__name__
    referral = Referral.objects.get(org=dhaka)
    assert referral.release is not None and not referral.is_opaque

    caseworker = Membership.objects.get(org=dhaka, role=Role.CASEWORKER)
    client = Client()
    client.force_login(caseworker.user)
    page = client.get(reverse("cases:list")).content.decode()
    assert all(case.survivor.survivor_code in page for case in Case.objects.filter(org=dhaka))
