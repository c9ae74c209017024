"""A woman whose enrolment ended before the cycle's month is due nothing in it: her ration of a cycle
approved before she exited stays DUE (see `benefits.actions`), but no stock is reserved for it, closing
the distribution does not count it as uncollected, and the figures do not count it as due."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from haven.benefits import actions as benefit_actions
from haven.benefits.distribution import actions, queries
from haven.benefits.distribution.tests.helpers import Scene, enrol, entitle, scene
from haven.benefits.models import Enrolment, Entitlement
from haven.benefits.tests import factories
from haven.conftest import World
from haven.orgs.roles import Role

FEBRUARY, MARCH = date(2026, 2, 10), date(2026, 3, 10)


def _exit(enrolment: Enrolment, on: date) -> None:
    benefit_actions.exit_enrolment(
        enrolment=enrolment, reason="DIED", on=on, acting_user=None, at=timezone.now()
    )


def _stopped_and_in_month(world: World) -> Scene:
    """Three cards of the approved March cycle: the first exited in February, the second in March."""
    here = scene(world.org, cards=3, stock="1000")
    _exit(here.enrolments[0], FEBRUARY)
    _exit(here.enrolments[1], MARCH)
    return here


def test_the_plan_reserves_nothing_for_a_woman_who_exited_before_the_month(world: World) -> None:
    here = _stopped_and_in_month(world)
    far = factories.union(world.org, "Char union")
    [gone] = enrol(here.programme, far, 1)
    entitle(here.cycle, [gone])
    _exit(gone, FEBRUARY)

    plan = queries.allocation_plan(here.cycle)

    [need] = plan.needs
    assert (need.due, need.due_count, need.to_allocate) == (Decimal("60.00"), 2, Decimal("60.00"))
    assert plan.unserved == []  # her union has no point, but nothing is due there
    assert queries.cycle_stock_problems(here.cycle) == []
    [movement] = actions.allocate_cycle(cycle=here.cycle, acting_user=None, at=timezone.now())
    assert movement.quantity == Decimal("60.00")


def test_closing_does_not_count_her_ration_as_uncollected(world: World) -> None:
    here = _stopped_and_in_month(world)
    actions.issue_ration(
        point=here.point, cycle=here.cycle, card_number=here.cards[2], acting_user=None, at=timezone.now()
    )

    closure = actions.close_distribution(
        point=here.point, cycle=here.cycle, acting_user=None, at=timezone.now()
    )

    assert closure.uncollected_count == 1
    assert here.entitlement(0).status == Entitlement.Status.DUE  # stopped, not chased
    assert [e.enrolment.card_number for e in queries.uncollected_cards(here.point, here.cycle)] == [
        here.cards[1]
    ]
    [by_point] = queries.figures_by_point(here.cycle)
    [by_union] = queries.figures_by_union(here.cycle)
    [by_cycle] = queries.figures_by_cycle(here.programme)
    for figure in (by_point, by_union, by_cycle):
        assert (figure.entitled_count, figure.issued_count, figure.uncollected_count) == (2, 1, 1)
        assert figure.entitled == Decimal("60.00")


def test_the_distribution_day_does_not_wait_for_her(world: World) -> None:
    here = _stopped_and_in_month(world)
    clerk = world.client_for(world.members[Role.COMPUTER_OPERATOR])

    page = clerk.get(reverse("distribution:issue", args=[here.point.pk, here.cycle.pk]))

    assert "still due here: 2" in page.content.decode()
