"""The stock ledger: append-only movements, balances as one sum, database checks, refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from haven.benefits.distribution import actions, queries
from haven.benefits.distribution.models import StockMovement
from haven.benefits.distribution.tests.helpers import Scene, scene, written
from haven.conftest import World
from haven.orgs.roles import Role


@pytest.fixture
def here(world: World) -> Scene:
    return scene(world.org, cards=2)


def test_it_keeps_the_balance_as_the_sum_of_movements(world: World, here: Scene) -> None:
    officer = world.persona(Role.PROGRAMME_OFFICER)
    now = timezone.now()
    actions.receive_stock(
        point=here.point, item="rice", quantity="250.5", reference="DO-17", acting_user=officer, at=now
    )
    actions.record_loss(
        point=here.point,
        item="rice",
        quantity="20",
        reason="Sacks soaked in the flood",
        acting_user=officer,
        at=now,
    )
    actions.adjust_stock(
        point=here.point, item="rice", change="-0.5", reason="Count on 3 March", acting_user=officer, at=now
    )
    actions.adjust_stock(
        point=here.point,
        item="rice",
        change="10",
        reason="Found a misfiled sack",
        acting_user=officer,
        at=now,
    )

    [row] = queries.stock_rows([here.point.pk])
    assert (row.received, row.lost, row.adjusted) == (Decimal("1250.50"), Decimal("20.00"), Decimal("9.50"))
    assert row.on_hand == Decimal("1240.00") == row.free
    adjustment = StockMovement.objects.filter(kind="ADJUSTED").order_by("id").first()
    assert (
        adjustment is not None
        and adjustment.approved_by == officer
        and adjustment.quantity == Decimal("0.50")
    )


def test_it_never_changes_or_deletes_a_movement(here: Scene) -> None:
    movement = StockMovement.objects.get(point=here.point)
    with pytest.raises(TypeError):
        movement.save()
    with pytest.raises(TypeError):
        movement.delete()


@pytest.mark.parametrize(
    ("kind", "quantity", "change", "reason"),
    [
        ("RECEIVED", "-5", "-5", ""),  # a quantity is positive
        ("RECEIVED", "5", "-5", ""),  # received stock comes in
        ("LOST", "5", "-5", ""),  # a loss has a reason
        ("STOLEN", "5", "-5", "gone"),  # an unknown kind
        ("ALLOCATED", "5", "0", ""),  # an allocation names its cycle
    ],
)
def test_the_database_refuses_a_malformed_movement(
    here: Scene, kind: str, quantity: str, change: str, reason: str
) -> None:
    row = StockMovement(
        org=here.org,
        point=here.point,
        item="rice",
        kind=kind,
        quantity=Decimal(quantity),
        change=Decimal(change),
        reason=reason,
        recorded_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_it_refuses_losses_beyond_stock_unknown_items_and_bad_quantities(world: World, here: Scene) -> None:
    before = written()
    now = timezone.now()
    with pytest.raises(ValidationError) as refused:
        actions.record_loss(
            point=here.point, item="rice", quantity="1000.01", reason="rats", acting_user=None, at=now
        )
    assert "Only 1000 of rice is on hand" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        actions.receive_stock(point=here.point, item="wheat", quantity="5", acting_user=None, at=now)
    assert refused.value.message_dict["item"] == ["Choose an item an in-kind programme hands out (rice)."]
    for bad in ("0", "-3", "abc", "1.234", "NaN"):
        with pytest.raises(ValidationError):
            actions.receive_stock(point=here.point, item="rice", quantity=bad, acting_user=None, at=now)
    with pytest.raises(ValidationError):
        actions.adjust_stock(
            point=here.point,
            item="rice",
            change="5",
            reason="",
            acting_user=world.persona(Role.PROGRAMME_OFFICER),
            at=now,
        )
    assert written() == before
