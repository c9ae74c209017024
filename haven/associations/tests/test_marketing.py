"""Entrepreneurs and stalls: a woman registered from the registry or by name, once; a stall never given
to two entrepreneurs for overlapping periods; rent paid never beyond what is due; sales once a month and
centre, with totals per centre and month."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from haven.associations import marketing, queries
from haven.associations.models import Entrepreneur, StallAllocation
from haven.associations.tests import walk
from haven.associations.tests.helpers import officer, written
from haven.benefits.tests.factories import beneficiary, union
from haven.conftest import World
from haven.orgs.roles import Role


def test_it_registers_a_woman_from_the_registry_once(world: World) -> None:
    woman = beneficiary(world.org, name="Rokeya Khatun")
    association = walk.registered(world.org)
    entrepreneur = marketing.register_entrepreneur(
        org=world.org,
        trading_name="Rokeya Nakshi Kantha",
        area=union(world.org),
        registered_on=timezone.localdate(),
        beneficiary=woman,
        association=association,
        acting_user=None,
        at=world.at,
    )
    assert entrepreneur.person_id == woman.person_id and entrepreneur.person.name == "Rokeya Khatun"
    before = written()
    with pytest.raises(ValidationError, match="already registered"):
        marketing.register_entrepreneur(
            org=world.org,
            trading_name="Again",
            area=union(world.org),
            registered_on=timezone.localdate(),
            beneficiary=woman,
            acting_user=None,
            at=world.at,
        )
    with pytest.raises(ValidationError, match="registered association"):
        marketing.register_entrepreneur(
            org=world.org,
            trading_name="Other",
            area=union(world.org),
            registered_on=timezone.localdate(),
            name="Someone",
            association=walk.application(world.org, documents=False),
            acting_user=None,
            at=world.at,
        )
    assert written() != before  # the application made for the last check wrote its own rows
    assert not Entrepreneur.objects.filter(trading_name__in=["Again", "Other"]).exists()


def test_a_stall_is_never_given_twice_for_overlapping_days(world: World) -> None:
    stall = walk.stall()
    march = date(2026, 3, 1)
    first = marketing.allocate_stall(
        stall=stall,
        entrepreneur=walk.entrepreneur(),
        starts_on=march,
        ends_on=date(2026, 5, 31),
        acting_user=None,
        at=world.at,
    )
    assert first.rent == Decimal("6000.00")  # three months at 2000
    other = walk.entrepreneur(name="Second Woman")
    before = written()
    with pytest.raises(ValidationError, match="already given"):
        marketing.allocate_stall(
            stall=stall,
            entrepreneur=other,
            starts_on=date(2026, 5, 31),
            ends_on=date(2026, 6, 30),
            acting_user=None,
            at=world.at,
        )
    assert written() == before
    after = marketing.allocate_stall(
        stall=stall,
        entrepreneur=other,
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 6, 30),
        rent="1500",
        acting_user=None,
        at=world.at,
    )
    assert after.rent == Decimal("1500.00")
    marketing.cancel_allocation(allocation=first, acting_user=None, at=world.at)
    again = marketing.allocate_stall(
        stall=stall,
        entrepreneur=other,
        starts_on=march,
        ends_on=date(2026, 3, 31),
        acting_user=None,
        at=world.at,
    )
    assert again.status == "ACTIVE"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_two_officers_allocating_the_same_stall_at_once_get_one_allocation(world: World) -> None:
    stall, women = walk.stall(), [walk.entrepreneur(name="A"), walk.entrepreneur(name="B")]
    barrier, outcomes = threading.Barrier(2), []

    def allocate(woman: Entrepreneur) -> None:
        try:
            barrier.wait()
            marketing.allocate_stall(
                stall=stall,
                entrepreneur=woman,
                starts_on=date(2026, 1, 1),
                ends_on=date(2026, 1, 31),
                acting_user=None,
                at=timezone.now(),
            )
            outcomes.append("allocated")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=allocate, args=(woman,)) for woman in women]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["allocated", "refused"]
    assert StallAllocation.objects.filter(stall=stall).count() == 1


def test_rent_paid_never_exceeds_what_is_due(world: World) -> None:
    allocation = walk.allocation()
    due = allocation.rent
    marketing.record_stall_payment(
        allocation=allocation,
        amount=due - 100,
        paid_on=timezone.localdate(),
        receipt_number="S-1",
        acting_user=None,
        at=world.at,
    )
    with pytest.raises(ValidationError, match="more than the rent"):
        marketing.record_stall_payment(
            allocation=allocation,
            amount="100.01",
            paid_on=timezone.localdate(),
            receipt_number="S-2",
            acting_user=None,
            at=world.at,
        )
    with pytest.raises(ValidationError, match="already recorded"):
        marketing.record_stall_payment(
            allocation=allocation,
            amount="100",
            paid_on=timezone.localdate(),
            receipt_number="S-1",
            acting_user=None,
            at=world.at,
        )
    assert marketing.paid_on_allocation(allocation) == due - 100


def test_it_totals_sales_per_centre_and_month(world: World) -> None:
    centre, elsewhere = walk.centre(), walk.centre()
    first, second = walk.entrepreneur(name="First"), walk.entrepreneur(name="Second")
    month = timezone.localdate().replace(day=1)
    for woman, where, amount, items in (
        (first, centre, "12000", 30),
        (second, centre, "8000.50", 12),
        (first, elsewhere, "500", 2),
    ):
        marketing.record_sales(
            entrepreneur=woman,
            centre=where,
            period=month + timedelta(days=3),
            amount=amount,
            items_sold=items,
            acting_user=None,
            at=world.at,
        )
    with pytest.raises(ValidationError, match="already reported"):
        marketing.record_sales(
            entrepreneur=first,
            centre=centre,
            period=month,
            amount="1",
            items_sold=1,
            acting_user=None,
            at=world.at,
        )
    with pytest.raises(ValidationError, match="begun"):
        marketing.record_sales(
            entrepreneur=first,
            centre=centre,
            period=month + timedelta(days=40),
            amount="1",
            items_sold=1,
            acting_user=None,
            at=world.at,
        )
    totals = queries.sales_totals(officer(world), centre)
    assert [(t.period, t.amount, t.items, t.sellers) for t in totals] == [(month, Decimal("20000.50"), 42, 2)]
    per_month = queries.entrepreneurs_and_sales_per_period(officer(world))
    assert per_month == [{"period": month, "entrepreneurs": 2, "amount": Decimal("20500.50"), "items": 44}]


def test_a_period_whose_rent_is_more_than_an_amount_may_be_is_refused_not_a_crash(world: World) -> None:
    centre = walk.centre(world.org)
    stall = marketing.add_stall(
        centre=centre, number="Big", monthly_rent=Decimal("100000000"), acting_user=None, at=world.at
    )
    woman = walk.entrepreneur(world.org)
    client = world.client_for(world.members[Role.PROGRAMME_OFFICER])
    before = written()
    response = client.post(
        reverse("associations:allocation_create", args=[centre.pk]),
        {"stall": stall.pk, "entrepreneur": woman.pk, "starts_on": "0001-01-01", "ends_on": "9999-12-31"},
    )
    assert response.status_code == 422
    assert "too large" in response.content.decode()
    assert written() == before
