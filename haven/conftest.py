"""Shared fixtures: a world with one persona per role, and an outsider who runs another organisation.

Like healthchecks' alice/bob/charlie: tests speak as people. `world.persona(Role.LAWYER)` is the lawyer of
the home organisation; `world.outsider` is the administrator of a different organisation and must never
see anything of the home organisation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from unittest import mock

import pytest
from django.db.models import Model, QuerySet
from django.test import Client
from django.utils import timezone, translation
from hypothesis import settings as hypothesis_settings

from haven.accounts.actions import create_api_token, create_staff_member
from haven.accounts.models import User
from haven.orgs import actions
from haven.orgs.models import Area, Calendar, Membership, Organisation, Site
from haven.orgs.roles import Role
from haven.privacy.keyring import keyring

# Property tests check what a function computes, not how fast: hypothesis's 200 ms deadline per example
# failed a pure scoring test on a loaded two-core machine (a run of the suite beside a benchmark).
hypothesis_settings.register_profile("haven", deadline=None)
hypothesis_settings.load_profile("haven")

PASSWORD = "correct-horse-battery"


def make_org(
    slug: str, *, at: datetime, totp_roles: list[str] | None = None, language: str = "en"
) -> Organisation:
    org = actions.create_organisation(
        name=f"Org {slug}",
        slug=slug,
        country="CA",
        default_language=language,
        default_calendar=Calendar.GREGORIAN,
        acting_user=None,
        at=at,
    )
    org.totp_required_roles = totp_roles or []
    org.save(update_fields=["totp_required_roles"])
    return org


def make_member(
    org: Organisation,
    role: Role,
    *,
    username: str,
    at: datetime,
    site: Site | None = None,
    language: str = "en",
) -> Membership:
    return create_staff_member(
        org=org,
        username=username,
        password=PASSWORD,
        first_name=str(role.label),
        last_name="Persona",
        role=role,
        site=site,
        language=language,
        acting_user=None,
        at=at,
        validate=False,
    )


@dataclass
class World:
    org: Organisation
    other_org: Organisation
    members: dict[Role, Membership]
    outsider: Membership
    shelter: Site
    office: Site
    district: Area
    at: datetime
    _tokens: dict[int, str] = field(default_factory=dict)

    def persona(self, role: Role) -> User:
        return self.members[role].user

    @property
    def persona_admin(self) -> User:
        return self.members[Role.ORG_ADMIN].user

    def client_for(self, membership: Membership | None) -> Client:
        client = Client()
        if membership is not None:
            client.force_login(membership.user)
        return client

    def token_for(self, membership: Membership) -> str:
        if membership.pk not in self._tokens:
            _row, text = create_api_token(membership=membership, name="tests", at=self.at)
            self._tokens[membership.pk] = text
        return self._tokens[membership.pk]


@contextmanager
def another_submit_lands_after_the_check(
    model: type[Model], other_submit: Callable[[], Any]
) -> Iterator[None]:
    """Two people submitting the same thing at once, made deterministic: the first time the verb asks
    whether a `model` row like it exists, it gets the true answer (none), and then the other person's
    submit (`other_submit`, usually the same verb) runs to its end, as when both checks pass before either
    save. The verb under test then saves into the database's unique constraint."""
    real_exists = QuerySet.exists
    landed: list[bool] = []

    def exists(queryset: QuerySet[Any]) -> bool:
        found = real_exists(queryset)
        if queryset.model is model and not landed:
            landed.append(True)
            other_submit()
        return found

    with mock.patch.object(QuerySet, "exists", exists):
        yield
    assert landed, f"the verb never checked for an existing {model.__name__}"


@pytest.fixture(autouse=True)
def _fresh_keyring() -> Iterator[None]:
    # Each test's database is rolled back; keys cached for its organisations must go with it.
    keyring.clear()
    yield
    keyring.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A request made in a test activates its user's language on this thread (LocaleMiddleware does not
    # undo it); the next test must not inherit a Bengali or Persian locale.
    yield
    translation.deactivate()


@pytest.fixture
def now() -> datetime:
    return timezone.now()


@pytest.fixture
def world(db: None, now: datetime) -> World:
    org = make_org("home", at=now)
    other = make_org("elsewhere", at=now)
    admin = make_member(org, Role.ORG_ADMIN, username="home.org-admin", at=now)
    country = actions.create_area(
        org=org, name="Canada", level=Area.Level.COUNTRY, acting_user=admin.user, at=now
    )
    district = actions.create_area(
        org=org, name="Montréal", level=Area.Level.DISTRICT, parent=country, acting_user=admin.user, at=now
    )
    shelter = actions.create_site(
        org=org,
        name="Shelter",
        kind=Site.Kind.SHELTER,
        area=district,
        address="12 Hidden Lane",
        phone="+1 514 555 0100",
        acting_user=admin.user,
        at=now,
    )
    office = actions.create_site(
        org=org,
        name="Office",
        kind=Site.Kind.OFFICE,
        address="1 Public Street",
        acting_user=admin.user,
        at=now,
    )
    members = {Role.ORG_ADMIN: admin}
    for role in Role:
        if role is not Role.ORG_ADMIN:
            site = shelter if role.manages_sites else None
            members[role] = make_member(org, role, username=f"home.{role.value.lower()}", at=now, site=site)
    outsider = make_member(other, Role.ORG_ADMIN, username="elsewhere.org-admin", at=now)
    return World(
        org=org,
        other_org=other,
        members=members,
        outsider=outsider,
        shelter=shelter,
        office=office,
        district=district,
        at=now,
    )


# The real-browser fixtures (Chromium through Playwright), for any test module that drives the browser,
# and the watch that fails the run if an encrypted value reaches the logs. Imported last: browser_support
# itself imports PASSWORD from this module.
from haven.privacy.tests.log_watch import pytest_sessionfinish, watch_logs_for_sealed_values  # noqa: E402, F401
from haven.web.tests.browser_support import (  # noqa: E402, F401
    _async_unsafe_allowed,
    _live_server_one_request_at_a_time_on_sqlite,
    browser,
    context,
    page,
)
