"""Two submits recording that the same person left her household: the second is refused, not written again."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from haven.conftest import World
from haven.people import actions
from haven.people.models import HouseholdMember
from haven.privacy.models import AuditEntry


def test_a_second_submit_holding_the_old_row_is_refused_and_writes_nothing(world: World) -> None:
    mother = actions.register_person(org=world.org, name="Synthetic Mother", acting_user=None, at=world.at)
    member = actions.add_to_her_household(
        head=mother, name="Synthetic Partner", relationship="PARTNER", acting_user=None, at=world.at
    )
    # Both requests read the row while it still said he lived there; the first one commits.
    second_request_copy = HouseholdMember.objects.get(pk=member.pk)
    actions.record_member_left(member=member, left_on=date(2026, 1, 10), acting_user=None, at=world.at)

    with pytest.raises(ValidationError) as refused:
        actions.record_member_left(
            member=second_request_copy, left_on=date(2026, 2, 1), acting_user=None, at=world.at
        )

    assert refused.value.message_dict == {"left_on": ["This person has already left the household."]}
    assert HouseholdMember.objects.get(pk=member.pk).left_on == date(2026, 1, 10)
    assert AuditEntry.objects.filter(action=actions.HOUSEHOLD_MEMBER_LEFT).count() == 1
