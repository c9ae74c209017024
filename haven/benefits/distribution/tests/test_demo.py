"""The demo gives the Bangladesh organisation a distribution point with rice and three rations issued
(one to a proxy) when the core demo made VWB and an approved month; nothing anywhere else."""

from __future__ import annotations

from decimal import Decimal

from haven.benefits.distribution import queries
from haven.benefits.distribution.models import DistributionPoint, Issue
from haven.benefits.distribution.tests.helpers import cycle, enrol, entitle
from haven.benefits.tests import factories
from haven.conftest import World
from haven.web.demo_distribution import load_demo_distribution


def test_it_loads_a_point_stock_and_issues_for_the_approved_vwb_month(world: World) -> None:
    world.org.country = "BD"
    load_demo_distribution(world.org, world.at)  # no VWB yet: nothing
    assert not DistributionPoint.objects.exists()
    vwb = factories.vwb(world.org)
    month = cycle(vwb)
    entitle(month, enrol(vwb, factories.union(world.org), 4))

    load_demo_distribution(world.org, world.at)
    load_demo_distribution(world.org, world.at)  # a second run adds nothing
    point = DistributionPoint.objects.get()
    assert Issue.objects.count() == 3
    assert Issue.objects.filter(by_proxy=True).count() == 1
    [stock] = queries.stock_rows([point.pk])
    assert (stock.received, stock.on_hand) == (Decimal("200.00"), Decimal("110.00"))


def test_an_organisation_outside_bangladesh_gets_nothing(world: World) -> None:
    vwb = factories.vwb(world.org)
    entitle(cycle(vwb), enrol(vwb, factories.union(world.org), 1))
    load_demo_distribution(world.org, world.at)
    assert not DistributionPoint.objects.exists()
