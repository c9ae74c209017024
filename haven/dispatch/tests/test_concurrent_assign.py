"""Two dispatchers assign the same available team at the same moment: only one wins (row lock).

Only PostgreSQL runs the two transactions truly side by side; SQLite serialises writers anyway."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from haven.cases.models import Case
from haven.conftest import World
from haven.dispatch import actions
from haven.dispatch.models import Dispatch, Unit
from haven.dispatch.tests.conftest import ADDRESS, Crew

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")


@pytest.mark.django_db(transaction=True)
def test_only_one_dispatcher_gets_the_team(world: World, case: Case, crew: Crew) -> None:
    dispatches = [
        actions.create_dispatch(
            case=case, priority=1, location_address=ADDRESS, acting_user=None, at=timezone.now()
        )
        for _ in range(2)
    ]
    barrier = threading.Barrier(2)
    outcomes: list[Any] = []

    def assign(dispatch: Dispatch) -> None:
        try:
            barrier.wait()
            actions.assign_unit(dispatch=dispatch, unit=crew.unit, acting_user=None, at=timezone.now())
            outcomes.append("won")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=assign, args=(dispatch,)) for dispatch in dispatches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("won") == 1, outcomes
    assert any("not available" in outcome for outcome in outcomes)
    assert Dispatch.objects.filter(status="ACTIVATED", unit=crew.unit).count() == 1
    assert Unit.objects.get(pk=crew.unit.pk).status == Unit.Status.EN_ROUTE
