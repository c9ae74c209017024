"""A case is never closed while a safety-critical follow-up is open: the rule holds when the manager
approves, not only when the worker asks (a follow-up can be added while the request waits)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.cases import actions
from haven.cases.models import Case, CaseTransition
from haven.cases.tests.test_follow_ups import _as, _case, _schedule
from haven.conftest import World
from haven.orgs.roles import Role


def test_approval_is_refused_while_a_safety_critical_follow_up_added_after_the_request_is_open(
    world: World,
) -> None:
    case = _case(world)
    actions.request_closure(
        case=case, reason="NEEDS_MET", acting_user=_as(world, Role.CASEWORKER), at=timezone.now()
    )
    critical = _schedule(world, case, "Safety plan review", is_safety_critical=True)

    with pytest.raises(ValidationError, match="1 open safety-critical follow-up"):
        actions.approve_closure(case=case, acting_user=_as(world, Role.SHELTER_MANAGER), at=timezone.now())

    case.refresh_from_db()
    assert case.status == Case.Status.CLOSURE_REQUESTED
    assert not CaseTransition.objects.filter(case=case, to_status=Case.Status.CLOSED).exists()
    actions.complete_follow_up(follow_up=critical, acting_user=_as(world, Role.CASEWORKER), at=timezone.now())
    actions.approve_closure(case=case, acting_user=_as(world, Role.SHELTER_MANAGER), at=timezone.now())
    assert case.status == Case.Status.CLOSED
