"""Closing a cycle's distribution at a point, the uncollected report, and the figures for reports."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.benefits.distribution import actions, queries
from haven.benefits.distribution.tests.helpers import Scene, enrol, entitle, point, scene
from haven.benefits.models import Cycle, Entitlement
from haven.benefits.tests import factories
from haven.conftest import World


@pytest.fixture
def here(world: World) -> Scene:
    """Five cards in two unions served by one point, and two cards of a union collecting elsewhere."""
    here = scene(world.org, cards=3, status=Cycle.Status.GENERATED)
    second = factories.union(world.org, "Bhabanipur union")
    actions.update_point(
        point=here.point, changes={}, unions=[here.union, second], acting_user=None, at=timezone.now()
    )
    here.enrolments += enrol(here.programme, second, 2)
    entitle(here.cycle, here.enrolments[3:])
    far = factories.union(world.org, "Char union")
    entitle(here.cycle, enrol(here.programme, far, 2))
    point(world.org, [far], name="Char store")
    actions.allocate_cycle(cycle=here.cycle, acting_user=None, at=timezone.now())
    Cycle.objects.filter(pk=here.cycle.pk).update(status=Cycle.Status.APPROVED)
    here.cycle.refresh_from_db()
    for card in here.cards[:2]:
        actions.issue_ration(
            point=here.point, cycle=here.cycle, card_number=card, acting_user=None, at=timezone.now()
        )
    return here


def _close(here: Scene) -> int:
    closure = actions.close_distribution(
        point=here.point, cycle=here.cycle, acting_user=None, at=timezone.now()
    )
    return closure.uncollected_count


def test_closing_marks_what_is_still_due_here_uncollected_and_frees_its_stock(here: Scene) -> None:
    [row] = queries.stock_rows([here.point.pk])
    assert (row.on_hand, row.reserved) == (Decimal("940.00"), Decimal("90.00"))  # 150 allocated, 60 issued
    assert _close(here) == 3
    statuses = Entitlement.objects.filter(cycle=here.cycle).values_list("enrolment__area__name", "status")
    assert sorted(statuses) == [
        ("Bhabanipur union", "UNCOLLECTED"),
        ("Bhabanipur union", "UNCOLLECTED"),
        ("Char union", "DUE"),  # another point's union: still due there
        ("Char union", "DUE"),
        ("Kaliganj union", "ISSUED"),
        ("Kaliganj union", "ISSUED"),
        ("Kaliganj union", "UNCOLLECTED"),
    ]
    [row] = queries.stock_rows([here.point.pk])
    assert (row.on_hand, row.reserved) == (Decimal("940.00"), Decimal("0.00"))
    report = [
        (r.union_name, r.count, r.quantity) for r in queries.uncollected_by_union(here.point, here.cycle)
    ]
    assert report == [("Bhabanipur union", 2, Decimal("60.00")), ("Kaliganj union", 1, Decimal("30.00"))]
    assert [e.enrolment.card_number for e in queries.uncollected_cards(here.point, here.cycle)] == [
        *sorted(here.cards[3:]),
        here.cards[2],
    ]


def test_a_closed_distribution_cannot_be_closed_again_nor_issue_more(here: Scene) -> None:
    _close(here)
    with pytest.raises(ValidationError) as refused:
        _close(here)
    assert refused.value.message_dict["cycle"] == [
        "Distribution of 2026-03 at Kaliganj union store is already closed."
    ]
    with pytest.raises(ValidationError) as refused:
        actions.issue_ration(
            point=here.point, cycle=here.cycle, card_number=here.cards[2], acting_user=None, at=timezone.now()
        )
    assert refused.value.message_dict["cycle"] == [
        "Distribution of 2026-03 at Kaliganj union store is closed."
    ]


def test_figures_compare_distributed_with_allocated_and_give_the_uncollected_rate(here: Scene) -> None:
    _close(here)
    by_point = {f.label: f for f in queries.figures_by_point(here.cycle)}
    kaliganj = by_point["Kaliganj union store"]
    assert (kaliganj.allocated, kaliganj.entitled, kaliganj.issued, kaliganj.uncollected) == (
        Decimal("150.00"),
        Decimal("150.00"),
        Decimal("60.00"),
        Decimal("90.00"),
    )
    assert kaliganj.uncollected_rate == pytest.approx(3 / 5)
    assert by_point["Char store"].uncollected_rate is None  # nothing ended there yet
    by_union = {f.label: (f.issued_count, f.uncollected_count) for f in queries.figures_by_union(here.cycle)}
    assert by_union == {"Bhabanipur union": (0, 2), "Char union": (0, 0), "Kaliganj union": (2, 1)}
    [month] = queries.figures_by_cycle(here.programme)
    assert (month.label, month.allocated, month.issued, month.entitled_count) == (
        "2026-03",
        Decimal("210.00"),
        Decimal("60.00"),
        7,
    )
