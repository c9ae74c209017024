"""An org admin sets retention policies on a page; bad input is refused field by field, translated."""

from __future__ import annotations

import pytest

from haven.conftest import World
from haven.orgs.roles import Role
from haven.privacy.models import AuditEntry
from haven.retention.models import RetentionPolicy

pytestmark = pytest.mark.django_db

URL = "/org/retention/"
GOOD = {"record_type": "closed_case", "keep_days": "1825", "mode": "PARTIAL", "active": "on"}


def test_it_saves_a_policy_and_lists_it(world: World) -> None:
    client = world.client_for(world.members[Role.ORG_ADMIN])

    response = client.post(URL, GOOD)

    assert response.status_code == 302
    policy = RetentionPolicy.objects.get(org=world.org)
    assert (policy.record_type, policy.keep_days, policy.mode, policy.active) == (
        "closed_case",
        1825,
        "PARTIAL",
        True,
    )
    assert AuditEntry.objects.filter(action="retention.policy_set", object_id=str(policy.pk)).exists()
    assert "1825" in client.get(URL).content.decode()


def test_saving_again_changes_the_one_policy(world: World) -> None:
    client = world.client_for(world.members[Role.ORG_ADMIN])
    client.post(URL, GOOD)
    client.post(URL, {**GOOD, "keep_days": "400", "mode": "WHOLE"})
    policy = RetentionPolicy.objects.get(org=world.org)
    assert (policy.keep_days, policy.mode) == (400, "WHOLE")


def test_it_refuses_bad_input_with_field_errors(world: World) -> None:
    client = world.client_for(world.members[Role.ORG_ADMIN])

    response = client.post(URL, {"record_type": "people", "keep_days": "3", "mode": "SHRED"})

    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors["keep_days"] == ["Keep records at least 30 days."]
    assert set(errors) == {"record_type", "keep_days", "mode"}
    assert not RetentionPolicy.objects.exists()


def test_errors_come_in_her_language(world: World) -> None:
    admin = world.members[Role.ORG_ADMIN]
    admin.user.language = "fr"
    admin.user.save(update_fields=["language"])

    response = world.client_for(admin).post(URL, {"record_type": "closed_case", "mode": "WHOLE"})

    assert response.status_code == 422
    assert response.context["form"].errors["keep_days"] == ["Ce champ est obligatoire."]


def test_only_org_admins_open_it(world: World) -> None:
    assert world.client_for(world.members[Role.CASEWORKER]).get(URL).status_code == 403
    assert world.client_for(world.members[Role.ORG_ADMIN]).get(URL).status_code == 200
