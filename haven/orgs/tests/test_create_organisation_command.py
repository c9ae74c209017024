"""An operator creates an organisation and its first administrator from the command line."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from haven.orgs.models import Membership, Organisation
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry, DataKey


@pytest.mark.django_db
def test_it_creates_the_org_its_keys_and_its_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt: "a-long-synthetic-passphrase")
    call_command(
        "create_organisation",
        "--name",
        "Zan Talaby",
        "--slug",
        "zan-talaby",
        "--country",
        "kz",
        "--language",
        "ru",
        "--admin-username",
        "zt.admin",
    )
    org = Organisation.objects.get(slug="zan-talaby")
    assert org.country == "KZ" and org.default_language == "ru"
    assert DataKey.objects.filter(org=org).count() == 2
    admin = Membership.objects.get(org=org)
    assert admin.role == Role.ORG_ADMIN and admin.user.check_password("a-long-synthetic-passphrase")
    assert AuditEntry.objects.filter(org=org, action="org.create").exists()


@pytest.mark.django_db
def test_it_rejects_a_weak_password_and_leaves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt: "123")
    with pytest.raises(CommandError, match="password"):
        call_command(
            "create_organisation",
            "--name",
            "X",
            "--slug",
            "x",
            "--country",
            "CA",
            "--admin-username",
            "x.admin",
        )
    assert not Organisation.objects.filter(slug="x").exists()
