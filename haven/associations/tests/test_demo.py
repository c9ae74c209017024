"""The demo gives the Bangladesh office three associations in three states, an approved grant round
with its grant paid, and two entrepreneurs with a stall each and their sales; other organisations get
none."""

from __future__ import annotations

from haven.associations.models import Association, Entrepreneur, Grant, SalesReport, StallAllocation
from haven.conftest import World
from haven.web.demo_associations import load_demo_associations


def test_it_loads_the_bangladesh_associations_and_entrepreneurs(world: World) -> None:
    load_demo_associations(world.org, world.at)  # a Canadian organisation: nothing
    assert not Association.objects.exists()
    world.org.country = "BD"
    world.org.save(update_fields=["country"])
    load_demo_associations(world.org, world.at)
    statuses = dict(Association.objects.values_list("status", "grade"))
    assert statuses == {"REGISTERED": "A", "APPLIED": "", "LAPSED": ""}
    assert list(Grant.objects.values_list("status", flat=True)) == ["DISBURSED"]
    assert Entrepreneur.objects.count() == 2 and StallAllocation.objects.count() == 2
    assert SalesReport.objects.count() == 4
