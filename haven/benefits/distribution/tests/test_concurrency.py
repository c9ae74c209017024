"""Two clerks at once, on PostgreSQL (real row locks): one ration is never issued twice, and two rations
are never issued out of stock enough for one."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from haven.benefits.distribution import actions, queries
from haven.benefits.distribution.models import Issue
from haven.benefits.distribution.tests.helpers import Scene, scene
from haven.conftest import World

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions"),
    pytest.mark.django_db(transaction=True),
]


def _at_once(here: Scene, cards: list[str]) -> list[str]:
    barrier, outcomes = threading.Barrier(len(cards)), []

    def clerk(card: str) -> Callable[[], None]:
        def run() -> None:
            try:
                barrier.wait()
                actions.issue_ration(
                    point=here.point, cycle=here.cycle, card_number=card, acting_user=None, at=timezone.now()
                )
                outcomes.append("issued")
            except ValidationError:
                outcomes.append("refused")
            finally:
                connections.close_all()

        return run

    threads = [threading.Thread(target=clerk(card)) for card in cards]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_two_clerks_scanning_the_same_card_issue_one_ration(world: World) -> None:
    here = scene(world.org, cards=1)
    assert _at_once(here, [here.cards[0], here.cards[0]]) == ["issued", "refused"]
    assert Issue.objects.count() == 1
    assert queries.on_hand([here.point.pk])[(here.point.pk, "rice")] == 970


def test_two_clerks_cannot_issue_more_than_the_stock(world: World) -> None:
    here = scene(world.org, cards=2, stock="45")
    assert _at_once(here, here.cards) == ["issued", "refused"]
    assert queries.on_hand([here.point.pk])[(here.point.pk, "rice")] == 15
