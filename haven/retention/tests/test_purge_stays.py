"""Ended shelter stays purged under a policy; stays still going are untouched."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db.models import ProtectedError

from haven.conftest import World
from haven.privacy import audit
from haven.retention import actions as retention_actions
from haven.retention.actions import purge_all, set_retention_policy
from haven.retention.models import RetentionPolicy
from haven.retention.record_types import ENDED_STAY
from haven.retention.tests.factories import database_text, raw_column
from haven.shelters import actions
from haven.shelters.models import Facility, Stay, StayExtension, StayResident
from haven.shelters.tests.conftest import admit, make_facility, make_household

pytestmark = pytest.mark.django_db


def _stay(world: World, facility: Facility, name: str, *, days_ago: int, ended: bool) -> tuple[Stay, str]:
    """A stay that began `days_ago` days ago (and ended 30 days later when `ended`), with an extension
    whose reason bears `name`; returns the stay and the reason's stored ciphertext."""
    start = world.at - timedelta(days=days_ago)
    stay = admit(make_household(world, name), facility, start)
    extension = actions.request_extension(
        stay=stay,
        new_planned_end=start.date() + timedelta(days=120),
        reason=f"Synthetic reason {name}",
        acting_user=None,
        at=start + timedelta(days=1),
    )
    if ended:
        actions.discharge_stay(
            stay=stay, destination="FAMILY", acting_user=None, at=start + timedelta(days=30)
        )
    return stay, raw_column("shelters_stayextension", "reason", extension.pk)


@pytest.mark.parametrize("mode", [RetentionPolicy.Mode.WHOLE, RetentionPolicy.Mode.PARTIAL])
def test_it_purges_only_stays_ended_long_enough_ago(world: World, mode: str) -> None:
    facility = make_facility(world)
    old, old_reason = _stay(world, facility, "Olga", days_ago=500, ended=True)
    recent, recent_reason = _stay(world, facility, "Rana", days_ago=100, ended=True)
    current, current_reason = _stay(world, facility, "Cyra", days_ago=600, ended=False)
    set_retention_policy(
        org=world.org,
        record_type=ENDED_STAY,
        keep_days=365,
        mode=mode,
        active=True,
        acting_user=None,
        at=world.at,
    )

    purge_all(at=world.at)

    text = database_text()
    assert old_reason not in text and "Synthetic reason Olga" not in text
    assert recent_reason in text and current_reason in text
    remaining = set(Stay.objects.values_list("pk", flat=True))
    if mode == RetentionPolicy.Mode.WHOLE:
        assert remaining == {recent.pk, current.pk}
        assert not StayResident.objects.filter(stay_id=old.pk).exists()
    else:
        assert remaining == {old.pk, recent.pk, current.pk}
        assert StayExtension.objects.get(stay=old).reason == ""
    assert audit.verify_all()[1] == []


def test_a_policy_that_fails_does_not_stop_the_others(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Another organisation's policy fails (here: its database work raises); this one still purges."""
    facility = make_facility(world)
    old, _reason = _stay(world, facility, "Olga", days_ago=500, ended=True)
    for org in (world.other_org, world.org):
        set_retention_policy(
            org=org,
            record_type=ENDED_STAY,
            keep_days=365,
            mode=RetentionPolicy.Mode.WHOLE,
            active=True,
            acting_user=None,
            at=world.at,
        )
    real = retention_actions.purge_policy

    def failing_elsewhere(*, policy: RetentionPolicy, **kwargs: Any) -> Any:
        if policy.org_id == world.other_org.pk:
            raise ProtectedError("referenced", set())
        return real(policy=policy, **kwargs)

    monkeypatch.setattr(retention_actions, "purge_policy", failing_elsewhere)

    outcomes = purge_all(at=world.at)

    assert [outcome.policy.org_id for outcome in outcomes] == [world.org.pk]
    assert not Stay.objects.filter(pk=old.pk).exists()
    assert f"Retention purge of {ENDED_STAY} failed for organisation {world.other_org.pk}" in caplog.text
    assert "Olga" not in caplog.text
