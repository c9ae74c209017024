"""The same training centre set up twice at once: the second is refused with the reason, not a server
error."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.conftest import World, another_submit_lands_after_the_check
from haven.training import actions
from haven.training.models import TrainingCentre


def _centre(world: World) -> TrainingCentre:
    return actions.create_centre(
        org=world.org, name="Savar centre", site=None, area=None, acting_user=None, at=timezone.now()
    )


def test_a_centre_named_twice_at_once_is_refused(world: World) -> None:
    with (
        another_submit_lands_after_the_check(TrainingCentre, lambda: _centre(world)),
        pytest.raises(ValidationError) as refused,
    ):
        _centre(world)
    assert refused.value.message_dict == {"name": ["A training centre already has this name."]}
    assert TrainingCentre.objects.filter(org=world.org).count() == 1
