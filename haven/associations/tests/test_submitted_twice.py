"""Two officers submitting the same thing at once (an association's name, an office, a centre, a stall,
a woman's registration as an entrepreneur): the second is refused with the reason, never a server error,
and one row is kept."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone

from haven.associations import actions, marketing
from haven.associations.models import Association, Entrepreneur, MarketingCentre, OfficeBearer, Stall
from haven.associations.tests import walk
from haven.benefits.tests.factories import beneficiary, union
from haven.conftest import World, another_submit_lands_after_the_check


def _refused_once(model: type[Model], submit: Callable[[], Any], field: str, message: str) -> None:
    """`submit` run by two people at once: one row is saved, the other submit is told `message`."""
    before = model._default_manager.count()
    with another_submit_lands_after_the_check(model, submit), pytest.raises(ValidationError) as refused:
        submit()
    assert refused.value.message_dict == {field: [message]}
    assert model._default_manager.count() == before + 1


def test_an_association_named_twice_at_once_is_refused(world: World) -> None:
    receipts = iter(["FEE-1", "FEE-2"])

    def apply() -> Association:
        return actions.apply_for_registration(
            org=world.org,
            name="Kaliganj women's association",
            area=union(world.org),
            member_count=25,
            applied_on=timezone.localdate(),
            fee_amount=Decimal("500"),
            fee_receipt_number=next(receipts),
            fee_paid_on=timezone.localdate(),
            acting_user=None,
            at=timezone.now(),
        )

    _refused_once(Association, apply, "name", "An association with this name is already on the register.")


def test_a_president_recorded_twice_at_once_is_refused(world: World) -> None:
    association = walk.application(world.org, documents=False)
    names = iter(["Rokeya", "Shirin"])

    def add() -> OfficeBearer:
        return actions.add_office_bearer(
            association=association,
            position="PRESIDENT",
            name=next(names),
            since_on=timezone.localdate(),
            acting_user=None,
            at=timezone.now(),
        )

    _refused_once(
        OfficeBearer, add, "position", "Someone holds this office already: record that she left it first."
    )


def test_a_centre_and_a_stall_added_twice_at_once_are_refused(world: World) -> None:
    def create() -> MarketingCentre:
        return marketing.create_centre(
            org=world.org, name="Joyeeta centre", area=union(world.org), acting_user=None, at=timezone.now()
        )

    _refused_once(MarketingCentre, create, "name", "A centre with this name exists already.")
    centre = MarketingCentre.objects.get(org=world.org, name="Joyeeta centre")

    def add() -> Stall:
        return marketing.add_stall(
            centre=centre, number="12", monthly_rent=Decimal("2000"), acting_user=None, at=timezone.now()
        )

    _refused_once(Stall, add, "number", "This centre has a stall with this number already.")


def test_a_woman_registered_as_an_entrepreneur_twice_at_once_is_refused(world: World) -> None:
    woman = beneficiary(world.org)

    def register() -> Entrepreneur:
        return marketing.register_entrepreneur(
            org=world.org,
            trading_name="Rokeya Nakshi Kantha",
            area=union(world.org),
            registered_on=timezone.localdate(),
            beneficiary=woman,
            acting_user=None,
            at=timezone.now(),
        )

    _refused_once(Entrepreneur, register, "beneficiary", "She is already registered as an entrepreneur.")
