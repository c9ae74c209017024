"""The demo gives the Quebec shelter supporters, gifts in money and in kind, a restricted fund and
receipts; an organisation elsewhere gets none."""

from __future__ import annotations

from haven.conftest import World
from haven.supporters.models import Donation, DonorProject, Receipt, Supporter
from haven.supporters.queries import balance_of
from haven.web.demo_supporters import load_demo_supporters


def test_it_loads_the_quebec_supporters(world: World) -> None:
    load_demo_supporters(world.org, world.at)
    assert Supporter.objects.filter(org=world.org).count() == 4
    assert set(Donation.objects.values_list("kind", flat=True)) == {"MONEY", "IN_KIND"}
    assert Receipt.objects.filter(org=world.org, status="ISSUED").count() == 3
    assert str(balance_of(DonorProject.objects.get()).remaining) == "15000.00"
    world.other_org.country = "BD"
    load_demo_supporters(world.other_org, world.at)
    assert not Supporter.objects.filter(org=world.other_org).exists()
