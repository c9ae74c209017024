"""Cycle allocation and the approval check: a cycle cannot be approved beyond the points' stock."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.benefits import hooks
from haven.benefits.distribution import actions, queries
from haven.benefits.distribution.models import StockMovement
from haven.benefits.distribution.tests.helpers import cycle, enrol, entitle, receive, scene
from haven.benefits.models import Cycle
from haven.benefits.tests import factories
from haven.conftest import World


def test_it_compares_what_is_due_at_each_point_with_its_stock(world: World) -> None:
    here = scene(world.org, cards=3, stock="80", status=Cycle.Status.GENERATED)
    [need] = queries.allocation_plan(here.cycle).needs
    assert (need.point, need.item, need.due, need.due_count, need.available) == (
        here.point,
        "rice",
        Decimal("90.00"),
        3,
        Decimal("80.00"),
    )
    assert need.shortfall == Decimal("10.00")
    # The core asks every registered check before approving; ours names the point, item and shortfall.
    assert hooks.cycle_approval_problems(here.cycle) == [
        "Not enough rice at Kaliganj union store: 90 kg due, 80 kg available, 10 kg short."
    ]
    receive(here.point, "10")
    assert hooks.cycle_approval_problems(here.cycle) == []


def test_it_names_unions_no_point_serves(world: World) -> None:
    here = scene(world.org, cards=1, status=Cycle.Status.GENERATED)
    far = factories.union(world.org, "Char union")
    entitle(here.cycle, enrol(here.programme, far, 2))
    assert queries.cycle_stock_problems(here.cycle) == [
        "2 rations are due in Char union, which no distribution point serves."
    ]


def test_it_does_not_check_cash_programmes_or_organisations_without_points(world: World) -> None:
    cash = factories.mother_and_child(world.org)
    assert queries.cycle_stock_problems(cycle(cash)) == []
    rice = factories.vwb(world.org)
    the_cycle = cycle(rice, status=Cycle.Status.GENERATED)
    entitle(the_cycle, enrol(rice, factories.union(world.org), 1))
    assert queries.cycle_stock_problems(the_cycle) == []  # distribution is not recorded in Haven here


def test_allocating_reserves_stock_once_and_other_cycles_count_it(world: World) -> None:
    here = scene(world.org, cards=3, stock="100", status=Cycle.Status.GENERATED)
    now = timezone.now()
    [movement] = actions.allocate_cycle(cycle=here.cycle, acting_user=None, at=now)
    assert (movement.kind, movement.quantity, movement.change, movement.cycle) == (
        "ALLOCATED",
        Decimal("90.00"),
        Decimal("0"),
        here.cycle,
    )
    assert actions.allocate_cycle(cycle=here.cycle, acting_user=None, at=now) == []  # a rerun adds nothing
    [row] = queries.stock_rows([here.point.pk])
    assert (row.on_hand, row.reserved, row.free) == (Decimal("100.00"), Decimal("90.00"), Decimal("10.00"))

    april = cycle(here.programme, date(2026, 4, 1), status=Cycle.Status.GENERATED)
    entitle(april, here.enrolments[:1])
    assert queries.cycle_stock_problems(april) == [
        "Not enough rice at Kaliganj union store: 30 kg due, 10 kg available, 20 kg short."
    ]
    before = StockMovement.objects.count()
    with pytest.raises(ValidationError) as refused:
        actions.allocate_cycle(cycle=april, acting_user=None, at=now)
    assert "20 kg short" in refused.value.message_dict["cycle"][0]
    assert StockMovement.objects.count() == before


def test_it_allocates_only_generated_or_approved_cycles_of_in_kind_programmes(world: World) -> None:
    here = scene(world.org, cards=1, status=Cycle.Status.OPEN)
    with pytest.raises(ValidationError):
        actions.allocate_cycle(cycle=here.cycle, acting_user=None, at=timezone.now())
    with pytest.raises(ValidationError):
        actions.allocate_cycle(
            cycle=cycle(factories.mother_and_child(world.org)), acting_user=None, at=timezone.now()
        )
