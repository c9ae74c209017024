"""Two people seating the same member of staff at once: the second is refused with the reason, never a
server error, and she sits on the committee once."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.committees import actions
from haven.committees.models import Committee, CommitteeMember
from haven.committees.tests.conftest import Setting, api
from haven.conftest import World, another_submit_lands_after_the_check
from haven.orgs.models import Membership
from haven.orgs.roles import Role


def test_a_member_of_staff_seated_twice_at_once_is_refused(world: World, setting: Setting) -> None:
    staff = world.members[Role.CASEWORKER]
    real_check = actions._check_staff

    def check_then_the_other_submit_lands(committee: Committee, membership: Membership) -> None:
        real_check(committee, membership)
        # The other person's submit passed the same check a moment earlier and is saved now.
        CommitteeMember.objects.create(
            org_id=committee.org_id,
            committee=committee,
            institution="Our centre",
            institution_type="NGO",
            role_title="Member",
            name="Caseworker",
            membership=membership,
            joined_on=timezone.localdate(),
        )

    body: dict[str, Any] = {
        "institution": "Our centre",
        "institution_type": "NGO",
        "role_title": "Member",
        "name": "Caseworker",
        "membership_id": staff.pk,
    }
    path = f"/committees/{setting.committee.pk}/members"
    with mock.patch.object(actions, "_check_staff", check_then_the_other_submit_lands):
        response = api(world, world.members[Role.CENTRE_MANAGER], "POST", path, body)
    assert response.status_code == 422, response.content
    assert "already sits on the committee" in response.content.decode()
    assert CommitteeMember.objects.filter(committee=setting.committee, membership=staff).count() == 1


def test_a_committee_named_twice_at_once_is_refused(world: World) -> None:
    def create() -> Committee:
        return actions.create_committee(
            org=world.org,
            name="District committee",
            kind="DISTRICT_PREVENTION",
            acting_user=None,
            at=world.at,
        )

    with another_submit_lands_after_the_check(Committee, create), pytest.raises(ValidationError) as refused:
        create()
    assert refused.value.message_dict == {"name": ["Another committee already has this name."]}
    assert Committee.objects.filter(org=world.org, name="District committee").count() == 1


def test_a_committee_renamed_to_a_name_taken_at_the_same_moment_is_refused(world: World) -> None:
    renamed = actions.create_committee(
        org=world.org, name="Old name", kind="DISTRICT_PREVENTION", acting_user=None, at=world.at
    )

    def create() -> Committee:
        return actions.create_committee(
            org=world.org, name="New name", kind="DISTRICT_PREVENTION", acting_user=None, at=world.at
        )

    with another_submit_lands_after_the_check(Committee, create), pytest.raises(ValidationError) as refused:
        actions.update_committee(
            committee=renamed, changes={"name": "New name"}, acting_user=None, at=world.at
        )
    assert refused.value.message_dict == {"name": ["Another committee already has this name."]}
    renamed.refresh_from_db()
    assert renamed.name == "Old name"
