"""The same donor project set up twice at once: the second is refused with the reason, not a server
error."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.conftest import World, another_submit_lands_after_the_check
from haven.supporters import actions
from haven.supporters.models import DonorProject, Supporter
from haven.supporters.tests.walk import supporter


def _fund(giver: Supporter) -> DonorProject:
    today = timezone.localdate()
    return actions.create_donor_project(
        supporter=giver,
        name="Winter shelter fund",
        amount_pledged=Decimal("10000"),
        currency="CAD",
        starts_on=today,
        ends_on=today + timedelta(days=90),
        acting_user=None,
        at=timezone.now(),
    )


def test_a_project_named_twice_at_once_is_refused(world: World) -> None:
    giver = supporter(world.org)
    with (
        another_submit_lands_after_the_check(DonorProject, lambda: _fund(giver)),
        pytest.raises(ValidationError) as refused,
    ):
        _fund(giver)
    assert refused.value.message_dict == {
        "name": ["A project with this name already exists: choose another name."]
    }
    assert DonorProject.objects.filter(org=world.org).count() == 1
